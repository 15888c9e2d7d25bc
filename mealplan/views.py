from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.selectors import profile_for
from foods.models import Slot
from mealplan import services
from mealplan.forms import AddEntryForm, MealSearchForm, ServingsForm, SwapForm
from mealplan.models import PlanEntry, monday_of
from mealplan.selectors import candidate_meals, week_view


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Say what the app does and why magnesium matters."""
    return render(request, "mealplan/home.html")


def _week_response(request: HttpRequest, week_start: date) -> HttpResponse:
    """Answer a change: the grid partial for htmx, else back to the week."""
    if request.htmx:
        context = {"week": week_view(user=request.user, week_start=week_start)}
        return render(request, "mealplan/week.html#grid", context)
    return redirect("mealplan:week_detail", week_start=week_start)


def _own_entry(request: HttpRequest, pk: int) -> PlanEntry:
    return get_object_or_404(
        PlanEntry.objects.select_related("plan"), pk=pk, plan__user=request.user
    )


@login_required
@require_GET
def week(request: HttpRequest, week_start: date | None = None) -> HttpResponse:
    """Show a week: the 7 x 4 grid and each day's totals against the targets."""
    if week_start is None:
        week_start = monday_of(timezone.localdate())
    elif week_start.weekday() != 0:
        return redirect("mealplan:week_detail", week_start=monday_of(week_start))
    context = {"week": week_view(user=request.user, week_start=week_start)}
    return render(request, "mealplan/week.html", context)


@login_required
@require_POST
def suggest(request: HttpRequest, week_start: date) -> HttpResponse:
    """Fill every empty cell of the week."""
    return _run_suggest(request, week_start, replace_unlocked=False)


@login_required
@require_POST
def regenerate(request: HttpRequest, week_start: date) -> HttpResponse:
    """Plan every unlocked cell again with a new seed."""
    return _run_suggest(request, week_start, replace_unlocked=True)


def _run_suggest(request: HttpRequest, week_start: date, *, replace_unlocked: bool) -> HttpResponse:
    if week_start.weekday() != 0:
        raise Http404("Weeks start on Monday.")
    try:
        outcome = services.weekplan_suggest(
            user=request.user, week_start=week_start, replace_unlocked=replace_unlocked
        )
    except services.PlanError as error:
        messages.error(request, str(error))
        return _week_response(request, week_start)
    if outcome.result is None:
        messages.info(request, "Every cell is filled. Use Regenerate for a different week.")
    elif outcome.days_short:
        messages.warning(
            request,
            f"{outcome.days_short} day(s) fall short of your target; see why under each day.",
        )
    else:
        messages.success(request, "Every day of your week reaches your magnesium target.")
    return _week_response(request, week_start)


@login_required
@require_http_methods(["GET", "POST"])
def add_entry(request: HttpRequest, week_start: date) -> HttpResponse:
    """Choose a meal for a cell by hand (GET lists meals, POST puts one in)."""
    if request.method == "POST":
        form = AddEntryForm(request.POST)
        if form.is_valid():
            plan = services.weekplan_get_or_create(user=request.user, week_start=week_start)
            try:
                services.entry_add(
                    user=request.user,
                    plan=plan,
                    day=form.cleaned_data["date"],
                    slot=form.cleaned_data["slot"],
                    meal=form.cleaned_data["meal"],
                    servings=form.cleaned_data["servings"],
                )
            except services.PlanError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Added {form.cleaned_data['meal'].name}.")
                return redirect("mealplan:week_detail", week_start=week_start)
        else:
            messages.error(request, _form_errors(form))
    return _meal_picker(request, week_start)


def _meal_picker(request: HttpRequest, week_start: date) -> HttpResponse:
    day_text, slot = request.GET.get("date", ""), request.GET.get("slot", "")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        day = None
    if day is None or slot not in Slot.values or not 0 <= (day - week_start).days < 7:
        messages.error(request, "Choose a day of this week and a slot.")
        return redirect("mealplan:week_detail", week_start=week_start)
    search = MealSearchForm(request.GET)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    meals = (
        candidate_meals(user=request.user, profile=profile_for(request.user))
        .for_slot(slot)
        .search(text)
        .with_nutrition()
        .order_by("-magnesium_mg")[:30]
    )
    context = {"week_start": week_start, "day": day, "slot": slot, "meals": meals, "search": search}
    template = "mealplan/add_entry.html#results" if request.htmx else "mealplan/add_entry.html"
    return render(request, template, context)


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@login_required
@require_POST
def entry_servings(request: HttpRequest, pk: int) -> HttpResponse:
    """Change how many servings an entry holds (0.5-4)."""
    entry = _own_entry(request, pk)
    form = ServingsForm(request.POST)
    if form.is_valid():
        services.entry_set_servings(entry=entry, servings=form.cleaned_data["servings"])
    else:
        messages.error(request, f"Servings not changed: {_form_errors(form)}")
    return _week_response(request, entry.plan.week_start)


@login_required
@require_POST
def entry_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock or unlock an entry (locked entries survive Regenerate)."""
    entry = _own_entry(request, pk)
    services.entry_toggle_lock(entry=entry)
    return _week_response(request, entry.plan.week_start)


@login_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an entry from the week."""
    entry = _own_entry(request, pk)
    try:
        services.entry_delete(entry=entry)
    except services.PlanError as error:
        messages.error(request, str(error))
    return _week_response(request, entry.plan.week_start)


@login_required
@require_http_methods(["GET", "POST"])
def entry_swap(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer the best 3 meals for an entry's cell (GET) and put the chosen one in (POST)."""
    entry = _own_entry(request, pk)
    if request.method == "POST":
        form = SwapForm(request.POST)
        if not form.is_valid():
            messages.error(request, f"Nothing swapped: {_form_errors(form)}")
            return redirect("mealplan:entry_swap", pk=entry.pk)
        try:
            services.entry_replace(user=request.user, entry=entry, meal=form.cleaned_data["meal"])
        except services.PlanError as error:
            messages.error(request, str(error))
            return redirect("mealplan:entry_swap", pk=entry.pk)
        messages.success(request, f"Swapped in {form.cleaned_data['meal'].name}.")
        return redirect("mealplan:week_detail", week_start=entry.plan.week_start)
    options = services.entry_swap_options(user=request.user, entry=entry)
    return render(request, "mealplan/swap.html", {"entry": entry, "options": options})
