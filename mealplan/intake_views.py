"""The Today and History pages (issue 13): tick the plan off, log extras, see the day's gap,
look back over 12 weeks. Thin: forms parse, intake_services write, intake_selectors read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST

from accounts.dates import today_for
from accounts.selectors import profile_for
from foods.models import Slot
from mealplan import intake_gap, intake_selectors, intake_services
from mealplan.charts import render_svg
from mealplan.exports import intake_csv
from mealplan.intake_forms import DayForm, EatenForm, LogForm, ReplaceForm
from mealplan.intake_services import IntakeError
from mealplan.models import INTAKE_SERVINGS_MAX, INTAKE_SERVINGS_MIN, IntakeItem, PlanEntry
from mealplan.selectors import is_foreign_recipe, posted_id
from mealplan.views import form_errors


def user_today(request: HttpRequest) -> date:
    """Today in the user's own time zone (their profile's), not the server's."""
    return today_for(profile_for(request.user))


def day_url(day: date, *, today: date) -> str:
    if day == today:
        return reverse("intake:today")
    return f"{reverse('intake:today')}?day={day.isoformat()}"


def attempt[T](request: HttpRequest, write: Callable[[], T], said: Callable[[T], str]) -> None:
    """Run one log write; its IntakeError becomes the page's "Nothing logged" message."""
    try:
        result = write()
    except IntakeError as error:
        messages.error(request, f"Nothing logged: {error}")
    else:
        messages.success(request, said(result))


def _gap(user, profile, day, view):
    """What closes the day's magnesium gap (None when the plan and the log already do)."""
    return intake_gap.today_gap(user, profile, day, view.eaten, view.rest)


def today_context(request: HttpRequest) -> dict:
    profile = profile_for(request.user)
    today = today_for(profile)
    form = DayForm(request.GET)
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else today
    if day > today:
        messages.error(request, "You cannot log a day that has not come yet; here is today.")
        day = today
    view = intake_selectors.today_view(user=request.user, day=day, today=today, profile=profile)
    text = request.GET.get("q", "")[:100]
    # ?replace=<entry> shows the search's results as what was eaten instead of that entry.
    replace_id = posted_id(request.GET.get("replace"))
    replace_entry = next(
        (
            row.view.entry
            for row in view.planned
            if row.item is None and row.view.entry.pk == replace_id
        ),
        None,
    )
    return {
        "replace_entry": replace_entry,
        "intake": view,
        "gap": _gap(request.user, view.profile, day, view),
        "quick": intake_selectors.quick_list(user=request.user),
        "results": intake_selectors.log_search(user=request.user, text=text),
        "query": text,
        "slots": Slot.choices,
        "day_url_previous": day_url(view.previous_day, today=today),
        "day_url_next": day_url(view.next_day, today=today) if view.next_day else None,
        "servings_min": INTAKE_SERVINGS_MIN,
        "servings_max": INTAKE_SERVINGS_MAX,
    }


@login_required
@require_GET
def today(request: HttpRequest) -> HttpResponse:
    """Today's plan to tick off, extras to log, and the day's status against every rule."""
    return render(request, "mealplan/today.html", today_context(request))


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The extras search's results (htmx): foods with their portions, meals and recipes."""
    profile = profile_for(request.user)
    today = today_for(profile)
    form = DayForm(request.GET)
    day = form.cleaned_data["day"] if form.is_valid() and form.cleaned_data["day"] else today
    text = request.GET.get("q", "")[:100]
    context = {
        "results": intake_selectors.log_search(user=request.user, text=text),
        "intake": {"day": min(day, today)},
        "slots": Slot.choices,
        "servings_min": INTAKE_SERVINGS_MIN,
        "servings_max": INTAKE_SERVINGS_MAX,
    }
    return render(request, "mealplan/today.html#results", context)


def _own_entry(request: HttpRequest, pk: int) -> PlanEntry:
    return get_object_or_404(PlanEntry.objects.owned_by(request.user), pk=pk)


def _done(request: HttpRequest, day: date) -> HttpResponse:
    return redirect(day_url(day, today=user_today(request)))


@login_required
@require_POST
def entry_eaten(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    form = EatenForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Nothing logged: {form_errors(form)}")
        return _done(request, entry.date)
    attempt(
        request,
        lambda: intake_services.tick_eaten(
            user=request.user, entry=entry, servings=form.cleaned_data["servings"]
        ),
        lambda item: f"Eaten: {item.name} ({item.servings.normalize():f} servings).",
    )
    return _done(request, entry.date)


@login_required
@require_POST
def entry_skip(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    attempt(
        request,
        lambda: intake_services.skip(user=request.user, entry=entry),
        lambda item: f"Skipped: {item.name}.",
    )
    return _done(request, entry.date)


def _foreign_404(request: HttpRequest) -> None:
    if is_foreign_recipe(user=request.user, meal_id=request.POST.get("meal")):
        raise Http404("No such meal.")


def _eaten_instead(user, entry, form) -> IntakeItem:
    data = form.cleaned_data
    if data["meal_obj"] is not None:
        return intake_services.replace(
            user=user, entry=entry, meal=data["meal_obj"], servings=data["servings"] or 1
        )
    if data["portion_obj"] is not None:
        # The portion's grams times the quantity: log_food's checks, then the replacement.
        quantity = intake_services.check_servings(data["amount"] or 1)
        grams = intake_services.check_grams(data["portion_obj"].grams * float(quantity))
        return intake_services.replace(user=user, entry=entry, food=data["food_obj"], grams=grams)
    return intake_services.replace(
        user=user, entry=entry, food=data["food_obj"], grams=data["grams"]
    )


@login_required
@require_POST
def entry_replace(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _own_entry(request, pk)
    _foreign_404(request)
    form = ReplaceForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, f"Nothing logged: {form_errors(form)}")
        return _done(request, entry.date)
    attempt(
        request,
        lambda: _eaten_instead(request.user, entry, form),
        lambda item: f"Skipped {entry.meal.name}; logged {item.name} instead.",
    )
    return _done(request, entry.date)


@login_required
@require_POST
def item_undo(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(IntakeItem.objects.owned_by(request.user), pk=pk)
    try:
        intake_services.undo(user=request.user, item=item)
    except IntakeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Taken off the log: {item.name}.")
    return _done(request, item.date)


@login_required
@require_POST
def log(request: HttpRequest) -> HttpResponse:
    """Log an extra item: a food or product (grams or a portion), a meal or a recipe."""
    _foreign_404(request)
    form = LogForm(request.POST, user=request.user)
    back = user_today(request)
    if not form.is_valid():
        messages.error(request, f"Nothing logged: {form_errors(form)}")
        return _done(request, back)
    data = form.cleaned_data
    attempt(request, lambda: _log_extra(request.user, data, today=back),
            lambda item: f"Logged: {item.name}.")  # fmt: skip
    return _done(request, min(data["date"], back))


def _log_extra(user, data: dict, *, today: date) -> IntakeItem:
    if data["meal_obj"] is not None:
        return intake_services.log_meal(
            user=user, day=data["date"], slot=data["slot"], meal=data["meal_obj"],
            servings=data["servings"] or 1, today=today,
        )  # fmt: skip
    return intake_services.log_food(
        user=user, day=data["date"], slot=data["slot"], food=data["food_obj"],
        grams=data["grams"], portion=data["portion_obj"], quantity=data["amount"], today=today,
    )  # fmt: skip


@login_required
@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """The last 12 weeks of eaten magnesium per day against the target, and planned beside it."""
    view = intake_selectors.history(user=request.user, today=user_today(request))
    context = {"history": view, "svg": mark_safe(render_svg(view.chart))}
    context["profile"] = profile_for(request.user)
    return render(request, "mealplan/history.html", context)


@login_required
@require_GET
def history_csv(request: HttpRequest) -> HttpResponse:
    """Every row of the log as CSV; an unknown nutrient is the word "unknown", never 0."""
    response = HttpResponse(
        intake_csv(intake_selectors.log_rows(user=request.user)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="intake-log.csv"'
    return response
