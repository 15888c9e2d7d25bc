from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from accounts.selectors import household_for, profile_for
from foods.models import Meal, Slot
from foods.recipe_selectors import own_recipe_queryset
from mealplan import exports, health, selectors, services
from mealplan.explain import suggest_message
from mealplan.forms import (
    AddEntryForm,
    ClearWeekForm,
    CopyWeekForm,
    DateRangeForm,
    MealPreferenceForm,
    MealSearchForm,
    ServingsForm,
    ShoppingTickForm,
    SnackFoodForm,
    SuggestForm,
    SwapForm,
    WeekDayForm,
)
from mealplan.models import PlanEntry, PlanJob, in_week, monday_of
from mealplan.selectors import (
    dashboard,
    meal_choices,
    meal_verdicts,
    week_plan_job,
    week_view,
)
from mealplan.shopping import shopping_list


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Say what the app does and why magnesium matters; show a member's week at a glance."""
    if not request.user.is_authenticated:
        return render(request, "mealplan/home.html")
    # A member's home is Today (issue 13), with this week's status under it.
    from mealplan.intake_views import today_context  # intake_views imports this module

    context = today_context(request)
    context["dashboard"] = dashboard(user=request.user, today=context["intake"].today)
    return render(request, "mealplan/today.html", context)


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer "ok" when the database (and every other check) answers, else 503 and why."""
    failures = health.failed_checks()
    if failures:
        body = "".join(f"{name}: {reason}\n" for name, reason in failures.items())
        return HttpResponse(body, status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


# Cleared entries stay in the session this long for Undo.
CLEAR_UNDO_WINDOW = timedelta(minutes=30)
CLEAR_UNDO_KEY = "week_clear_undo"


def shown_day_of(week_start: date, query: QueryDict) -> date:
    """Return the day a phone shows: ?day= when it is in the week, else today or Monday."""
    form = WeekDayForm(query, week_start=week_start)
    if form.is_valid():
        return form.cleaned_data["day"]
    today = timezone.localdate()
    return today if in_week(week_start, today) else week_start


def day_url(url_name: str, day: date) -> str:
    """Return a week page (url_name) at one day, as a phone shows it."""
    url = reverse(url_name, kwargs={"week_start": monday_of(day)})
    return f"{url}?{urlencode({'day': day.isoformat()})}"


def day_nav(url_name: str, shown_day: date) -> dict:
    """Return the phone's day navigation (templates/mealplan/_day_nav.html) for a week page."""
    return {
        "shown_day": shown_day,
        "previous_day_url": day_url(url_name, shown_day - timedelta(days=1)),
        "next_day_url": day_url(url_name, shown_day + timedelta(days=1)),
        "today": timezone.localdate(),
    }


def _week_context(request: HttpRequest, week_start: date, shown_day: date) -> dict:
    return {
        "week": week_view(user=request.user, week_start=week_start, with_preferences=True),
        **day_nav("mealplan:week_detail", shown_day),
    }


def _week_response(request: HttpRequest, week_start: date, day: date | None = None) -> HttpResponse:
    """Answer a change: the grid partial for htmx, else back to the week (at the day changed)."""
    if request.htmx:
        if day is None:
            query = QueryDict(urlsplit(request.htmx.current_url or "").query)
            day = shown_day_of(week_start, query)
        context = _week_context(request, week_start, day)
        return render(request, "mealplan/week.html#grid", context)
    if day is None:
        return redirect("mealplan:week_detail", week_start=week_start)
    return redirect(day_url("mealplan:week_detail", day))


def _own_entry(request: HttpRequest, pk: int) -> PlanEntry:
    return get_object_or_404(PlanEntry.objects.owned_by(request.user).select_related("plan"), pk=pk)


@login_required
@require_GET
def week(request: HttpRequest, week_start: date | None = None) -> HttpResponse:
    """Show a week: the 7 x 4 grid (one day at a time on phones) and each day's status."""
    if week_start is None:
        week_start = monday_of(timezone.localdate())
    elif week_start.weekday() != 0:
        return redirect("mealplan:week_detail", week_start=monday_of(week_start))
    context = _week_context(request, week_start, shown_day_of(week_start, request.GET))
    context["undo_count"] = len(_clear_undo_entries(request, week_start) or [])
    context["household"] = household_for(request.user)
    context["suggest_form"] = SuggestForm()
    context["job"] = week_plan_job(user=request.user, week_start=week_start, now=timezone.now())
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
    week_start = _monday_or_404(week_start)
    profile = profile_for(request.user)
    if not profile.is_complete:
        messages.info(request, services.PROFILE_INCOMPLETE_MESSAGE)
        return redirect("accounts:profile")
    form = SuggestForm(request.POST)
    include_past = form.is_valid() and form.cleaned_data["include_past"]
    if queued := _queue_if_long(request, week_start, replace_unlocked, include_past):
        return queued
    try:
        outcome = services.weekplan_suggest(
            user=request.user,
            week_start=week_start,
            replace_unlocked=replace_unlocked,
            include_past=include_past,
            today=timezone.localdate(),
        )
    except services.PlanError as error:
        messages.error(request, str(error))
        return _week_response(request, week_start)
    level, text = suggest_message(
        outcome.result, week_start=week_start, first_day=outcome.first_day, profile=profile
    )
    messages.add_message(request, level, text)
    return _week_response(request, week_start)


def _queue_if_long(
    request: HttpRequest, week_start: date, replace_unlocked: bool, include_past: bool
) -> HttpResponse | None:
    """Start a job instead when the week is being planned or too big to plan while we wait."""
    queued = services.weekplan_queue_if_long(
        user=request.user,
        week_start=week_start,
        replace_unlocked=replace_unlocked,
        include_past=include_past,
        today=timezone.localdate(),
    )
    if queued is None:
        return None
    if queued.already_live:
        messages.info(request, "Your week is already being planned; it shows here when done.")
    url = reverse("mealplan:week_detail", kwargs={"week_start": week_start})
    if request.htmx:
        return HttpResponseClientRedirect(url)
    return redirect(url)


@login_required
@require_GET
def plan_job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a planning job's status (htmx polls it); done, the week is shown again. A
    household's job is any member's to see."""
    job = get_object_or_404(PlanJob.objects.visible_to(request.user), pk=pk)
    url = job.get_week_url()
    if not request.htmx:
        return redirect(url)
    if job.status == PlanJob.Status.DONE:
        return HttpResponseClientRedirect(url)
    return render(request, "mealplan/_plan_job.html", {"job": job})


def _foreign_recipe_404(request: HttpRequest) -> None:
    """Answer 404 when a posted meal id is another user's recipe, as for their other data."""
    if selectors.is_foreign_recipe(user=request.user, meal_id=request.POST.get("meal")):
        raise Http404("No such meal.")


@login_required
@require_http_methods(["GET", "POST"])
def add_entry(request: HttpRequest, week_start: date) -> HttpResponse:
    """Choose a meal for a cell by hand (GET lists meals, POST puts one in)."""
    week_start = _monday_or_404(week_start)
    if request.method == "POST":
        _foreign_recipe_404(request)
        form = AddEntryForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.entry_add(
                    user=request.user,
                    week_start=week_start,
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
            messages.error(request, form_errors(form))
    return _meal_picker(request, week_start)


def _meal_picker(request: HttpRequest, week_start: date) -> HttpResponse:
    search = MealSearchForm(request.GET, week_start=week_start)
    if not search.is_valid() and ("date" in search.errors or "slot" in search.errors):
        messages.error(request, "Choose a day of this week and a slot.")
        return redirect("mealplan:week_detail", week_start=week_start)
    cell = search.cleaned_data
    text = cell.get("q", "")
    meals = meal_choices(user=request.user, slot=cell["slot"], text=text)
    is_snack = cell["slot"] == Slot.SNACK
    context = {
        "week_start": week_start,
        "day": cell["date"],
        "slot": cell["slot"],
        "meals": meals,
        "search": search,
        "is_snack": is_snack,
        "foods": selectors.snack_food_choices(user=request.user, text=text) if is_snack else [],
    }
    template = "mealplan/add_entry.html#results" if request.htmx else "mealplan/add_entry.html"
    return render(request, template, context)


@login_required
@require_POST
def add_food(request: HttpRequest, week_start: date) -> HttpResponse:
    """Put one food or product, in a portion or grams, in a day's snack."""
    week_start = _monday_or_404(week_start)
    form = SnackFoodForm(request.POST, week_start=week_start)
    if not form.is_valid():
        messages.error(request, f"Nothing added: {form_errors(form)}")
        return redirect("mealplan:week_detail", week_start=week_start)
    try:
        entry = services.snack_food_add(
            user=request.user,
            week_start=week_start,
            day=form.cleaned_data["date"],
            food=form.cleaned_data["food"],
            grams=form.grams,
            portion=form.cleaned_data["portion"],
            quantity=float(form.cleaned_data["amount"]),
        )
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Added {entry.meal.name}.")
    return redirect(day_url("mealplan:week_detail", form.cleaned_data["date"]))


def form_errors(form) -> str:
    """Return a form's errors as one sentence for a message."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@login_required
@require_POST
def entry_servings(request: HttpRequest, pk: int) -> HttpResponse:
    """Change how many servings an entry holds (0.5-4)."""
    entry = _own_entry(request, pk)
    form = ServingsForm(request.POST)
    if form.is_valid():
        try:
            services.entry_set_servings(
                user=request.user, entry=entry, servings=form.cleaned_data["servings"]
            )
        except services.PlanError as error:
            messages.error(request, str(error))
    else:
        messages.error(request, f"Servings not changed: {form_errors(form)}")
    return _week_response(request, entry.plan.week_start, entry.date)


@login_required
@require_POST
def entry_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Lock or unlock an entry (locked entries survive Regenerate)."""
    entry = _own_entry(request, pk)
    try:
        services.entry_toggle_lock(entry=entry)
    except services.PlanError as error:
        messages.error(request, str(error))
    return _week_response(request, entry.plan.week_start, entry.date)


@login_required
@require_POST
def entry_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an entry from the week."""
    entry = _own_entry(request, pk)
    try:
        services.entry_delete(entry=entry)
    except services.PlanError as error:
        messages.error(request, str(error))
    return _week_response(request, entry.plan.week_start, entry.date)


@login_required
@require_http_methods(["GET", "POST"])
def entry_swap(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer the best 3 meals for an entry's cell (GET) and put the chosen one in (POST)."""
    entry = _own_entry(request, pk)
    if request.method == "POST":
        _foreign_recipe_404(request)
        form = SwapForm(request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, f"Nothing swapped: {form_errors(form)}")
            return _swap_failed(request, entry)
        try:
            services.entry_replace(
                user=request.user,
                entry=entry,
                meal=form.cleaned_data["meal"],
                servings=form.cleaned_data["servings"],
            )
        except services.PlanError as error:
            messages.error(request, str(error))
            return _swap_failed(request, entry)
        messages.success(request, f"Swapped in {form.cleaned_data['meal'].name}.")
        return _week_response(request, entry.plan.week_start, entry.date)
    options = selectors.swap_choices(user=request.user, entry=entry)
    if request.htmx:
        return render(request, "mealplan/swap.html#options", {"entry": entry, "options": options})
    verdict = meal_verdicts(user=request.user, meal_ids={entry.meal_id}).get(entry.meal_id)
    context = {"entry": entry, "options": options, "verdict": verdict}
    return render(request, "mealplan/swap.html", context)


def _swap_failed(request: HttpRequest, entry: PlanEntry) -> HttpResponse:
    if request.htmx:
        return _week_response(request, entry.plan.week_start, entry.date)
    return redirect("mealplan:entry_swap", pk=entry.pk)


def _monday_or_404(week_start: date) -> date:
    if week_start.weekday() != 0:
        raise Http404("Weeks start on Monday.")
    return week_start


def _this_week_range() -> dict[str, str]:
    start = monday_of(timezone.localdate())
    return {"start": start.isoformat(), "end": (start + timedelta(days=6)).isoformat()}


@login_required
@require_GET
def shopping(request: HttpRequest) -> HttpResponse:
    """List what the planned days need (this week unless start and end are given)."""
    form = DateRangeForm(request.GET or _this_week_range())
    if not form.is_valid():
        messages.error(request, f"Shopping list not shown: {form_errors(form)}")
        context = {"form": form, "shopping": None}
        return render(request, "mealplan/shopping.html", context, status=400)
    items = shopping_list(user=request.user, **form.cleaned_data)
    return render(request, "mealplan/shopping.html", {"form": form, "shopping": items})


@login_required
@require_POST
def shopping_tick(request: HttpRequest) -> HttpResponse:
    """Tick a food off the shopping list, or untick it."""
    form = ShoppingTickForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing ticked: {form_errors(form)}")
        return redirect("mealplan:shopping")
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    food_id, ticked = form.cleaned_data["food"].pk, form.cleaned_data["ticked"]
    if ticked is None:
        services.shopping_tick_toggle(user=request.user, start=start, end=end, food_id=food_id)
    else:
        services.shopping_tick_set(
            user=request.user, start=start, end=end, food_id=food_id, ticked=ticked
        )
    if request.htmx:
        context = {"shopping": shopping_list(user=request.user, start=start, end=end)}
        return render(request, "mealplan/shopping.html#list", context)
    query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
    return redirect(f"{reverse('mealplan:shopping')}?{query}#food-{form.cleaned_data['food'].pk}")


@login_required
@require_GET
def week_charts(request: HttpRequest, week_start: date) -> HttpResponse:
    """Chart the week's magnesium per day, by source, and the last 12 weeks."""
    week_start = _monday_or_404(week_start)
    panels = selectors.week_charts(user=request.user, week_start=week_start)
    context = {"week_start": week_start, "panels": panels}
    return render(request, "mealplan/charts.html", context)


@login_required
@require_GET
def week_print(request: HttpRequest, week_start: date) -> HttpResponse:
    """Show the week on one printable page."""
    week = week_view(user=request.user, week_start=_monday_or_404(week_start))
    return render(request, "mealplan/week_print.html", {"week": week})


@login_required
@require_GET
def week_export_csv(request: HttpRequest, week_start: date) -> HttpResponse:
    """Download the week as CSV, one row per entry."""
    week = week_view(user=request.user, week_start=_monday_or_404(week_start))
    response = HttpResponse(exports.week_csv(exports.week_rows(week)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="week-{week_start}.csv"'
    return response


@login_required
@require_GET
def week_export_ics(request: HttpRequest, week_start: date) -> HttpResponse:
    """Download the week as an iCalendar file, one event per entry, in the user's time zone."""
    week = week_view(user=request.user, week_start=_monday_or_404(week_start))
    body = exports.week_ics(
        exports.week_rows(week),
        profile=week.profile,
        zone=week.profile.zone,
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="week-{week_start}.ics"'
    return response


@login_required
@require_POST
def week_copy(request: HttpRequest, week_start: date) -> HttpResponse:
    """Copy an earlier week into this one (locked entries here are kept)."""
    week_start = _monday_or_404(week_start)
    form = CopyWeekForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing copied: {form_errors(form)}")
        return redirect("mealplan:week_detail", week_start=week_start)
    source = monday_of(form.cleaned_data["source"])
    try:
        copied = services.weekplan_copy(
            user=request.user, source_week=source, target_week=week_start
        )
    except services.PlanError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Copied {copied} entries from the week of {source:%d %b %Y}.")
    return redirect("mealplan:week_detail", week_start=week_start)


@login_required
@require_http_methods(["GET", "POST"])
def week_clear(request: HttpRequest, week_start: date) -> HttpResponse:
    """Ask first (GET), then empty the week (POST); locked entries stay unless asked."""
    week_start = _monday_or_404(week_start)
    form = ClearWeekForm(request.POST if request.method == "POST" else request.GET)
    include_locked = form.is_valid() and form.cleaned_data["include_locked"]
    if request.method == "GET":
        count, locked, logged = selectors.week_entry_counts(
            user=request.user, week_start=week_start, include_locked=include_locked
        )
        context = {
            "week_start": week_start,
            "include_locked": include_locked,
            "count": count,
            "locked": locked,
            "logged": logged,
            "undo_minutes": int(CLEAR_UNDO_WINDOW.total_seconds() // 60),
        }
        return render(request, "mealplan/week_clear.html", context)
    try:
        removed = services.weekplan_clear(
            user=request.user, week_start=week_start, include_locked=include_locked
        )
    except services.PlanError as error:
        messages.error(request, str(error))
        return redirect("mealplan:week_detail", week_start=week_start)
    if removed:
        request.session[CLEAR_UNDO_KEY] = {
            "week_start": week_start.isoformat(),
            "cleared_at": timezone.now().isoformat(),
            "entries": removed,
        }
    messages.success(request, f"Removed {len(removed)} entries.")
    return redirect("mealplan:week_detail", week_start=week_start)


def _clear_undo_entries(request: HttpRequest, week_start: date) -> list[dict] | None:
    """Return the entries the last clear of this week removed, while Undo is still offered."""
    cleared = request.session.get(CLEAR_UNDO_KEY)
    if not cleared or cleared["week_start"] != week_start.isoformat():
        return None
    cleared_at = datetime.fromisoformat(cleared["cleared_at"])
    if timezone.now() - cleared_at > CLEAR_UNDO_WINDOW:
        return None
    return cleared["entries"]


@login_required
@require_POST
def week_clear_undo(request: HttpRequest, week_start: date) -> HttpResponse:
    """Put back what the last clear of this week removed, into the cells still empty."""
    week_start = _monday_or_404(week_start)
    entries = _clear_undo_entries(request, week_start)
    if entries is None:
        messages.warning(request, "Nothing to undo: this week was not cleared just now.")
        return redirect("mealplan:week_detail", week_start=week_start)
    del request.session[CLEAR_UNDO_KEY]
    try:
        outcome = services.weekplan_restore(
            user=request.user, week_start=week_start, entries=entries
        )
    except services.PlanError as error:
        messages.error(request, str(error))
        return redirect("mealplan:week_detail", week_start=week_start)
    message = f"Put back {outcome.restored} entries."
    if outcome.skipped:
        message += f" {outcome.skipped} cell(s) were filled since and kept their meal."
    messages.success(request, message)
    return redirect("mealplan:week_detail", week_start=week_start)


@login_required
@require_http_methods(["GET", "POST"])
def recipe_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask first (the weeks that plan the recipe, and how many locked); then delete it all."""
    meal = get_object_or_404(own_recipe_queryset(user=request.user), pk=pk)
    if request.method == "POST":
        name = meal.name
        try:
            entries = services.recipe_delete(user=request.user, meal=meal)
        except services.PlanError as error:
            messages.error(request, str(error))
            return redirect("mealplan:recipe_delete", meal.pk)
        removed = f" and {entries} plan entr{'y' if entries == 1 else 'ies'}" if entries else ""
        messages.success(request, f"Deleted {name}{removed}.")
        return redirect("recipes:list")
    weeks = selectors.recipe_planned_weeks(meal=meal)
    context = {"meal": meal, "weeks": weeks, "locked": sum(week.locked for week in weeks)}
    return render(request, "mealplan/recipe_delete.html", context)


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Download everything the app holds about me as JSON."""
    response = JsonResponse(selectors.my_data(user=request.user), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = 'attachment; filename="my-magnesium-planner-data.json"'
    return response


@login_required
@require_GET
def meal_preferences(request: HttpRequest) -> HttpResponse:
    """List the meals the user likes (suggested more often) and dislikes (never suggested)."""
    preferences = selectors.meal_preferences(user=request.user)
    return render(request, "mealplan/meal_preferences.html", {"preferences": preferences})


@login_required
@require_POST
def meal_preference(request: HttpRequest, pk: int) -> HttpResponse:
    """Like, dislike or forget a meal for the planner."""
    meal = get_object_or_404(Meal.objects.active().visible_to(request.user), pk=pk)
    form = MealPreferenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing changed: {form_errors(form)}")
        return redirect("mealplan:meal_preferences")
    services.meal_preference_set(user=request.user, meal=meal, verdict=form.verdict_value)
    done = PREFERENCE_MESSAGES[form.cleaned_data["verdict"]].format(meal=meal)
    week = form.cleaned_data["week"]
    if request.htmx and request.htmx.target != "grid":  # the buttons alone, swapped in place
        context = {
            "meal": meal,
            "verdict": form.verdict_value,  # what was just saved: no need to read it back
            "week_start": week,
            "done": done,
        }
        return render(request, "mealplan/_preference_buttons.html", context)
    messages.success(request, done)
    if request.htmx and week:
        return _week_response(request, monday_of(week))
    if week:
        return redirect("mealplan:week_detail", week_start=monday_of(week))
    return redirect("mealplan:meal_preferences")


PREFERENCE_MESSAGES = {
    "like": "{meal} will be suggested more often.",
    "dislike": "{meal} will not be suggested again; Swap or Regenerate to replace it.",
    "forget": "{meal} is back to neutral.",
}
