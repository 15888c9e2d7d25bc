"""The day's gap suggestion taken (logged or planned), and the rest of the week planned
again (issue 13). Thin: the form parses, a service writes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from accounts.dates import today_for
from accounts.selectors import profile_for
from mealplan import intake_gap, intake_services, services
from mealplan.explain import suggest_message
from mealplan.forms import GapItemForm
from mealplan.intake_views import day_url, user_today
from mealplan.models import monday_of
from mealplan.views import form_errors


@login_required
@require_POST
def gap_log(request: HttpRequest) -> HttpResponse:
    """Log one item of the gap suggestion as eaten."""
    form = GapItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing logged: {form_errors(form)}")
        return redirect("intake:today")
    day, food, grams = (form.cleaned_data[name] for name in ("date", "food", "grams"))
    today = user_today(request)
    try:
        item = intake_services.log_food(
            user=request.user,
            day=day,
            slot=form.cleaned_data["slot"],
            food=food,
            grams=grams,
            today=today,
            label=intake_gap.portion_label(food=food, grams=float(grams)),
        )
    except intake_services.IntakeError as error:
        messages.error(request, f"Nothing logged: {error}")
        return redirect("intake:today")
    messages.success(request, f"Logged {item.name}.")
    return redirect(day_url(day, today=today))


@login_required
@require_POST
def gap_plan(request: HttpRequest) -> HttpResponse:
    """Plan one item of the gap suggestion as the day's snack."""
    form = GapItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing planned: {form_errors(form)}")
        return redirect("intake:today")
    day, today = form.cleaned_data["date"], user_today(request)
    try:
        outcome = services.gap_item_plan(
            user=request.user,
            day=day,
            food=form.cleaned_data["food"],
            grams=float(form.cleaned_data["grams"]),
            today=today,
        )
    except services.PlanError as error:
        messages.error(request, f"Nothing planned: {error}")
        return redirect(day_url(day, today=today) if day <= today else "intake:today")
    instead = f" in place of {outcome.replaced}" if outcome.replaced else ""
    messages.success(request, f"Planned {outcome.entry.meal.name} as the day's snack{instead}.")
    return redirect(day_url(day, today=today))


@login_required
@require_POST
def replan_rest(request: HttpRequest) -> HttpResponse:
    """Plan the rest of this week again, keeping what was eaten or skipped and past days."""
    profile = profile_for(request.user)
    today = today_for(profile)
    try:
        outcome = services.weekplan_replan_rest(user=request.user, today=today)
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        level, text = suggest_message(
            outcome.result,
            week_start=monday_of(today),
            first_day=outcome.first_day,
            profile=profile,
        )
        messages.add_message(request, level, text)
    next_url = request.POST.get("next")
    return redirect("intake:today" if next_url == "today" else "mealplan:week")
