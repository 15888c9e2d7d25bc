from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Say what the app does and why magnesium matters."""
    return render(request, "mealplan/home.html")


@login_required
@require_GET
def week(request: HttpRequest) -> HttpResponse:
    """Show the user's week (placeholder until the planner lands)."""
    return render(request, "mealplan/week.html")
