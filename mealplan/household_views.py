"""The household's week: for its members only (everyone else gets a 404)."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Household, Member
from accounts.selectors import household_for, household_members
from foods.models import Meal
from mealplan import household_services as services
from mealplan import planner
from mealplan.explain import household_suggest_message
from mealplan.forms import HouseholdServingsForm, HouseholdSwapForm, SuggestForm
from mealplan.household_selectors import (
    household_suggest_size,
    household_swap_choices,
    household_week_view,
)
from mealplan.jobs import start_job
from mealplan.models import PlanEntry, PlanJob, monday_of
from mealplan.selectors import household_week_plan_job, live_household_plan_job
from mealplan.services import PlanError, interactive_budget_s
from mealplan.shopping import household_shopping_list
from mealplan.views import day_nav, day_url, form_errors, shown_day_of


def _household_or_404(request: HttpRequest) -> Household:
    household = household_for(request.user)
    if household is None:
        raise Http404("You are not in a household.")
    return household


def _monday_or_404(week_start: date) -> date:
    if week_start.weekday() != 0:
        raise Http404("Weeks start on Monday.")
    return week_start


def _household_entry(household: Household, pk: int) -> PlanEntry:
    return get_object_or_404(
        PlanEntry.objects.select_related("plan", "meal"), pk=pk, plan__household=household
    )


@login_required
@require_GET
def household_week(request: HttpRequest, week_start: date | None = None) -> HttpResponse:
    """Show the household's week: shared dishes, each member's servings and status."""
    household = _household_or_404(request)
    if week_start is None:
        week_start = monday_of(timezone.localdate())
    elif week_start.weekday() != 0:
        return redirect("mealplan:household_week_detail", week_start=monday_of(week_start))
    context = {
        "week": household_week_view(household=household, week_start=week_start),
        **day_nav("mealplan:household_week_detail", shown_day_of(week_start, request.GET)),
        "suggest_form": SuggestForm(),
        "is_owner": household.owner_id == request.user.pk,
        "job": household_week_plan_job(
            household=household, week_start=week_start, now=timezone.now()
        ),
    }
    return render(request, "mealplan/household_week.html", context)


@login_required
@require_POST
def household_suggest(request: HttpRequest, week_start: date) -> HttpResponse:
    """Fill every empty cell of the household's week."""
    return _run_suggest(request, week_start, replace_unlocked=False)


@login_required
@require_POST
def household_regenerate(request: HttpRequest, week_start: date) -> HttpResponse:
    """Plan every unlocked cell of the household's week again."""
    return _run_suggest(request, week_start, replace_unlocked=True)


def _run_suggest(request: HttpRequest, week_start: date, *, replace_unlocked: bool) -> HttpResponse:
    household = _household_or_404(request)
    week_start = _monday_or_404(week_start)
    form = SuggestForm(request.POST)
    include_past = form.is_valid() and form.cleaned_data["include_past"]
    if _queued_if_long(request, household, week_start, replace_unlocked, include_past):
        return redirect("mealplan:household_week_detail", week_start=week_start)
    try:
        outcome = services.household_week_suggest(
            household=household,
            week_start=week_start,
            replace_unlocked=replace_unlocked,
            include_past=include_past,
            today=timezone.localdate(),
        )
    except PlanError as error:
        messages.error(request, str(error))
    else:
        level, text = household_suggest_message(
            outcome.result,
            week_start=week_start,
            first_day=outcome.first_day,
            names=[member.display_name for member in outcome.members],
        )
        messages.add_message(request, level, text)
    return redirect("mealplan:household_week_detail", week_start=week_start)


def _queued_if_long(
    request: HttpRequest,
    household: Household,
    week_start: date,
    replace_unlocked: bool,
    include_past: bool,
) -> bool:
    """Start a job instead when the week is being planned or too big to plan while we wait."""
    if live_household_plan_job(household=household, week_start=week_start):
        messages.info(
            request, "The household's week is already being planned; it shows here when done."
        )
        return True
    size = household_suggest_size(
        household=household,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        include_past=include_past,
        today=timezone.localdate(),
    )
    if planner.fits_interactive(size, interactive_budget_s()):
        return False
    start_job(
        user=request.user,
        household=household,
        week_start=week_start,
        kind=PlanJob.Kind.REGENERATE if replace_unlocked else PlanJob.Kind.SUGGEST,
        include_past=include_past,
    )
    return True


@login_required
@require_POST
def household_entry_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock or unlock a dish of the household's week (locked dishes survive Regenerate)."""
    household = _household_or_404(request)
    entry = _household_entry(household, pk)
    try:
        services.household_entry_toggle_lock(household=household, entry=entry)
    except PlanError as error:
        messages.error(request, str(error))
    return redirect(day_url("mealplan:household_week_detail", entry.date))


@login_required
@require_POST
def household_entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a dish from the household's week."""
    household = _household_or_404(request)
    entry = _household_entry(household, pk)
    try:
        services.household_entry_delete(household=household, entry=entry)
    except PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Removed {entry.meal.name}.")
    return redirect(day_url("mealplan:household_week_detail", entry.date))


def _member_or_404(household: Household, member_id: int) -> Member:
    return get_object_or_404(Member, pk=member_id, household=household)


@login_required
@require_POST
def household_entry_servings(request: HttpRequest, pk: int) -> HttpResponse:
    """Set one member's servings of a dish (0.5 to 4, in halves)."""
    household = _household_or_404(request)
    entry = _household_entry(household, pk)
    form = HouseholdServingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Servings not changed: {form_errors(form)}")
        return redirect(day_url("mealplan:household_week_detail", entry.date))
    member = _member_or_404(household, form.cleaned_data["member"])
    try:
        services.household_portion_set(
            household=household,
            entry=entry,
            member=member,
            servings=form.cleaned_data["servings"],
        )
    except PlanError as error:
        messages.error(request, str(error))
    return redirect(day_url("mealplan:household_week_detail", entry.date))


def _foreign_recipe_404(request: HttpRequest, owner) -> None:
    """Answer 404 when a posted meal id is a recipe the household's owner cannot see."""
    meal_id = request.POST.get("meal", "")
    if (
        meal_id.isdigit()
        and Meal.objects.filter(pk=int(meal_id), owner__isnull=False).exclude(owner=owner).exists()
    ):
        raise Http404("No such meal.")


@login_required
@require_http_methods(["GET", "POST"])
def household_entry_swap(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer the best dishes for a cell (GET), ranked for the whole household; put one in."""
    household = _household_or_404(request)
    entry = _household_entry(household, pk)
    if request.method == "GET":
        options = household_swap_choices(household=household, entry=entry)
        return render(request, "mealplan/household_swap.html", {"entry": entry, "options": options})
    _foreign_recipe_404(request, household.owner)
    members = household_members(household)
    form = HouseholdSwapForm(request.POST, owner=household.owner, members=members)
    if form.posted_member_ids() - {str(member.pk) for member in members}:
        raise Http404("No such member in this household.")
    if not form.is_valid():
        messages.error(request, f"Nothing swapped: {form_errors(form)}")
        return redirect("mealplan:household_entry_swap", pk=entry.pk)
    try:
        services.household_entry_replace(
            household=household,
            entry=entry,
            meal=form.cleaned_data["meal"],
            portions=form.cleaned_data["portions"],
        )
    except PlanError as error:
        messages.error(request, str(error))
        return redirect("mealplan:household_entry_swap", pk=entry.pk)
    messages.success(request, f"Swapped in {form.cleaned_data['meal'].name}.")
    return redirect(day_url("mealplan:household_week_detail", entry.date))


@login_required
@require_GET
def household_shopping(request: HttpRequest, week_start: date) -> HttpResponse:
    """List what the household's week needs, everyone's servings summed."""
    household = _household_or_404(request)
    week_start = _monday_or_404(week_start)
    shopping = household_shopping_list(
        household=household, start=week_start, end=week_start + timedelta(days=6)
    )
    context = {"shopping": shopping, "household": household, "week_start": week_start}
    return render(request, "mealplan/household_shopping.html", context)


@login_required
@require_GET
def household_print(request: HttpRequest, week_start: date) -> HttpResponse:
    """Show the household's week on one printable page, with each member's portion."""
    household = _household_or_404(request)
    week = household_week_view(household=household, week_start=_monday_or_404(week_start))
    return render(request, "mealplan/household_print.html", {"week": week})
