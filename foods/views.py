from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def food_list(request: HttpRequest) -> HttpResponse:
    """Browse the catalog (placeholder until the catalog lands)."""
    return render(request, "foods/food_list.html")
