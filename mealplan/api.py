"""The plan side of the REST API (issue 14): weeks, entries, the shopping list and the
household week, over the same selectors and services as the pages.

Thin views: input through serializers (each error a message per field, 400), reads through
selectors, writes through services; another user's week or entry is a 404. Each day shows
its status for every rule as the week page does; an unknown amount is null, never 0.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api_errors import StrictSerializer
from accounts.dates import ACCEPTED_YEARS, year_accepted
from accounts.selectors import household_for, profile_for
from foods import api as foods_api
from foods.models import Food, Meal, Slot
from mealplan import household_services, selectors, services
from mealplan.explain import suggest_message
from mealplan.forms import DateRangeForm
from mealplan.household_selectors import household_week_view
from mealplan.models import (
    SERVINGS_MAX,
    SERVINGS_MIN,
    SERVINGS_STEP,
    PlanEntry,
    PlanJob,
    in_week,
)
from mealplan.selectors import ID_MAX, DayView, EntryView, week_view
from mealplan.shopping import shopping_list

# ---------------------------------------------------------------- input


def _check_servings_step(value: Decimal) -> None:
    if value % SERVINGS_STEP:
        raise ValidationError(f"Choose servings in steps of {SERVINGS_STEP}.")


def servings_field(*, required: bool = True) -> serializers.DecimalField:
    """Servings as on the pages: SERVINGS_MIN to SERVINGS_MAX in steps of SERVINGS_STEP."""
    return serializers.DecimalField(
        required=required,
        max_digits=3,
        decimal_places=1,
        min_value=SERVINGS_MIN,
        max_value=SERVINGS_MAX,
        validators=[_check_servings_step],
        coerce_to_string=False,
    )


class AcceptedDateSerializerField(serializers.DateField):
    """A date in the accepted years (as the forms' AcceptedDateField)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        if not year_accepted(day):
            raise ValidationError(
                f"Choose a date between the years {ACCEPTED_YEARS[0]} and {ACCEPTED_YEARS[-1]}."
            )
        return day


class StrictBooleanField(serializers.BooleanField):
    """true or false in JSON; "yes", 1 or "on" are a message, not a guess."""

    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid", input=data)


class MealIdField(serializers.IntegerField):
    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=1, max_value=ID_MAX, **kwargs)


class SuggestInput(StrictSerializer):
    include_past = StrictBooleanField(
        required=False, default=False, help_text="Also fill the days before today."
    )


class EntryAddInput(StrictSerializer):
    date = AcceptedDateSerializerField()
    slot = serializers.ChoiceField(choices=Slot.choices)
    meal = MealIdField()
    servings = servings_field(required=False)


class ServingsInput(StrictSerializer):
    servings = servings_field()


class LockInput(StrictSerializer):
    locked = StrictBooleanField()


class SwapInput(StrictSerializer):
    meal = MealIdField()
    servings = servings_field(required=False)


class DateRangeInput(StrictSerializer):
    start = AcceptedDateSerializerField()
    end = AcceptedDateSerializerField()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        start, end = attrs["start"], attrs["end"]
        if end < start:
            raise ValidationError({"end": ["The end date must not be before the start date."]})
        if (end - start).days + 1 > DateRangeForm.max_days:
            raise ValidationError({"end": [f"Choose at most {DateRangeForm.max_days} days."]})
        return attrs


class ShoppingQueryInput(DateRangeInput):
    start = AcceptedDateSerializerField(required=False)
    end = AcceptedDateSerializerField(required=False)

    def validate(self, attrs):
        if "start" not in attrs and "end" not in attrs:  # this week, as on the page
            monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
            attrs = {"start": monday, "end": monday + timedelta(days=6)}
        elif "end" not in attrs:  # a week from start
            attrs = {**attrs, "end": attrs["start"] + timedelta(days=6)}
        elif "start" not in attrs:  # the week up to end
            attrs = {**attrs, "start": attrs["end"] - timedelta(days=6)}
        return super().validate(attrs)


class TickInput(DateRangeInput):
    food = MealIdField(help_text="The food's id.")
    ticked = StrictBooleanField(help_text="True ticks the food off; false unticks it.")


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def plan_error(error: services.PlanError) -> ValidationError:
    """A rule of the plan broken: a 400 whose message says which (nothing saved)."""
    return ValidationError({"non_field_errors": [str(error)]})


def monday_or_400(value: str) -> date:
    """Parse a week's Monday from the URL: a bad or non-Monday date is a 400 that says why."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ValidationError({"week_start": ["Give the week's Monday as YYYY-MM-DD."]}) from None
    if len(value) != 10 or not year_accepted(day):
        raise ValidationError(
            {
                "week_start": [
                    f"Give a Monday as YYYY-MM-DD between the years {ACCEPTED_YEARS[0]} "
                    f"and {ACCEPTED_YEARS[-1]}."
                ]
            }
        )
    if day.weekday() != 0:
        monday = day - timedelta(days=day.weekday())
        raise ValidationError({"week_start": [f"Weeks start on Monday: use {monday}."]})
    return day


def own_entry(request: Request, entry_id: str) -> PlanEntry:
    """The user's own (personal) entry, else a 404: another user's entry is not there."""
    pk = selectors.posted_id(entry_id) if entry_id.isascii() and entry_id.isdigit() else None
    if pk is None:
        raise Http404("No such entry.")
    entry = (
        PlanEntry.objects.owned_by(request.user)
        .filter(plan__household__isnull=True, pk=pk)
        .select_related("plan", "meal")
        .first()
    )
    if entry is None:
        raise Http404("No such entry.")
    return entry


def visible_meal(request: Request, pk: int) -> Meal:
    """A meal this user may plan (curated or their own); another user's recipe is a 404."""
    if selectors.is_foreign_recipe(user=request.user, meal_id=str(pk)):
        raise Http404("No such meal.")
    meal = Meal.objects.active().visible_to(request.user).filter(pk=pk).first()
    if meal is None:
        raise ValidationError({"meal": ["No such meal."]})
    return meal


# ---------------------------------------------------------------- output


def _known(value: float, name: str, unknown: frozenset[str]) -> float | None:
    """An amount, or null when nothing of it is known (never a bare 0)."""
    if name in unknown and not value:
        return None
    return round(value, 1)


NUTRIENT_NAMES = ("kcal", "magnesium_mg", "added_magnesium_mg", "carbohydrate_g", "sodium_mg")


def entry_data(view: EntryView) -> dict:
    entry = view.entry
    return {
        "id": entry.pk,
        "date": entry.date,
        "slot": entry.slot,
        "meal": {"id": view.meal.pk, "name": view.meal.name},
        "servings": entry.servings,
        "locked": entry.locked,
        "nutrition": {
            name: _known(getattr(view, name), name, view.unknown) for name in NUTRIENT_NAMES
        },
        "at_least": sorted(view.unknown),
    }


def day_data(day: DayView) -> dict:
    explanation = day.explanation
    return {
        "date": day.date,
        "status": day.status,
        "ok": day.ok,
        "magnesium_target_mg": day.target_mg,
        "rules": [
            {
                "code": rule.code,
                "label": rule.label,
                "total": None if rule.at_least and not rule.total else round(rule.total, 1),
                "unit": rule.unit,
                "limit": rule.limit,
                "state": rule.state,
                "message": rule.message,
                "at_least": rule.at_least,
            }
            for rule in day.rules
        ],
        "explanation": None
        if explanation is None
        else {
            "reason": explanation.reason,
            "suggestion": explanation.suggestion,
            "relaxed": explanation.relaxed,
            "empty": explanation.empty,
        },
        "entries": [entry_data(view) for view in day.views],
    }


def week_data(*, user, week_start: date) -> dict:
    week = week_view(user=user, week_start=week_start)
    return {
        "week_start": week.week_start,
        "week_end": week.week_end,
        "days_on_target": week.days_on_target,
        "days": [day_data(day) for day in week.days],
    }


class MealRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class NutritionSerializer(serializers.Serializer):
    kcal = serializers.FloatField(allow_null=True)
    magnesium_mg = serializers.FloatField(allow_null=True)
    added_magnesium_mg = serializers.FloatField(allow_null=True)
    carbohydrate_g = serializers.FloatField(allow_null=True)
    sodium_mg = serializers.FloatField(allow_null=True)


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    slot = serializers.ChoiceField(choices=Slot.choices)
    meal = MealRefSerializer()
    servings = serializers.DecimalField(max_digits=3, decimal_places=1, coerce_to_string=False)
    locked = serializers.BooleanField()
    nutrition = NutritionSerializer(help_text="For the entry's servings; null when unknown.")
    at_least = serializers.ListField(
        child=serializers.CharField(),
        help_text="Nutrients an ingredient does not know: their amounts are 'at least'.",
    )


class RuleSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=["magnesium", "kcal", "carbohydrate", "sodium", "added_magnesium"]
    )
    label = serializers.CharField()
    total = serializers.FloatField(allow_null=True, help_text="Null when nothing is known.")
    unit = serializers.CharField()
    limit = serializers.CharField()
    state = serializers.ChoiceField(choices=["ok", "fail", "unknown"])
    message = serializers.CharField()
    at_least = serializers.BooleanField()


class ExplanationSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_null=True)
    suggestion = serializers.CharField(allow_null=True)
    relaxed = serializers.CharField(allow_null=True)
    empty = serializers.CharField(allow_null=True)


class DaySerializer(serializers.Serializer):
    date = serializers.DateField()
    status = serializers.ChoiceField(
        choices=["empty", "reached", "unknown", "short", "unreachable"],
        help_text="reached only when every rule holds; unknown when no rule fails but one "
        "cannot be told; unreachable when the planner proved the target out of reach.",
    )
    ok = serializers.BooleanField()
    magnesium_target_mg = serializers.IntegerField()
    rules = RuleSerializer(many=True)
    explanation = ExplanationSerializer(allow_null=True)
    entries = EntrySerializer(many=True)


class WeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    week_end = serializers.DateField()
    days_on_target = serializers.IntegerField()
    days = DaySerializer(many=True)


class SuggestResultSerializer(serializers.Serializer):
    added = serializers.IntegerField()
    message = serializers.CharField()
    level = serializers.CharField()
    week = WeekSerializer()


class PlanJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    # Plain text, not an enum: "kind" is another choice set elsewhere in the schema.
    kind = serializers.CharField(help_text="suggest, regenerate or autoplan (the weekly plan).")
    status = serializers.ChoiceField(
        choices=PlanJob.Status.choices,
        help_text="queued, running, done or failed; a failed job left the week as it was.",
    )
    message = serializers.CharField(allow_blank=True, help_text="What happened, in words.")
    week_start = serializers.DateField()
    url = serializers.URLField(help_text="Where to ask for this job's status.")
    week = WeekSerializer(allow_null=True, help_text="The planned week once the job is done.")


class SwapOptionSerializer(serializers.Serializer):
    meal = MealRefSerializer()
    servings = serializers.DecimalField(max_digits=3, decimal_places=1, coerce_to_string=False)
    day_ok = serializers.BooleanField(help_text="With this meal the day keeps every rule.")


class ShoppingItemSerializer(serializers.Serializer):
    food = serializers.IntegerField()
    name = serializers.CharField()
    amount = serializers.CharField()
    grams = serializers.FloatField()
    ticked = serializers.BooleanField()


class ShoppingGroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    items = ShoppingItemSerializer(many=True)


class ShoppingListSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    entry_count = serializers.IntegerField()
    ticked_count = serializers.IntegerField()
    groups = ShoppingGroupSerializer(many=True)


class TickResultSerializer(serializers.Serializer):
    food = serializers.IntegerField()
    ticked = serializers.BooleanField()


class HouseholdPortionSerializer(serializers.Serializer):
    member = serializers.CharField()
    servings = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)


class HouseholdEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slot = serializers.ChoiceField(choices=Slot.choices)
    meal = MealRefSerializer()
    locked = serializers.BooleanField()
    portions = HouseholdPortionSerializer(many=True)


class MemberDaySerializer(serializers.Serializer):
    member = serializers.CharField()
    day = DaySerializer()


class HouseholdDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    ok = serializers.BooleanField()
    unserved = serializers.ListField(child=serializers.CharField())
    entries = HouseholdEntrySerializer(many=True)
    members = MemberDaySerializer(many=True)


class HouseholdWeekSerializer(serializers.Serializer):
    week_start = serializers.DateField()
    household = serializers.CharField()
    days = HouseholdDaySerializer(many=True)


def shopping_data(items) -> dict:
    return {
        "start": items.start,
        "end": items.end,
        "entry_count": items.entry_count,
        "ticked_count": items.ticked_count,
        "groups": [
            {
                "name": group.name,
                "items": [
                    {
                        "food": item.food.pk,
                        "name": item.name,
                        "amount": item.amount,
                        "grams": round(item.grams, 1),
                        "ticked": item.ticked,
                    }
                    for item in group.items
                ],
            }
            for group in items.groups
        ],
    }


def household_data(*, household, week_start: date) -> dict:
    week = household_week_view(household=household, week_start=week_start)
    return {
        "week_start": week.week_start,
        "household": household.name,
        "days": [
            {
                "date": day.date,
                "ok": day.ok,
                "unserved": list(day.unserved),
                "entries": [
                    {
                        "id": view.entry.pk,
                        "slot": slot,
                        "meal": {"id": view.meal.pk, "name": view.meal.name},
                        "locked": view.entry.locked,
                        "portions": [
                            {"member": p.member.display_name, "servings": p.servings}
                            for p in view.portions
                        ],
                    }
                    for slot, view in day.cells
                    if view
                ],
                "members": [
                    {"member": member_day.member.display_name, "day": day_data(member_day.day)}
                    for member_day in day.members
                ],
            }
            for day in week.days
        ],
    }


# ---------------------------------------------------------------- views

# PATCH of servings is not partial (servings is the one field and it is required), so its
# body is written out rather than left to drf-spectacular's "Patched" (all-optional) copy.
SERVINGS_BODY = {
    "application/json": {
        "type": "object",
        "properties": {
            "servings": {
                "type": "number",
                "minimum": float(SERVINGS_MIN),
                "maximum": float(SERVINGS_MAX),
                "multipleOf": float(SERVINGS_STEP),
            }
        },
        "required": ["servings"],
        "additionalProperties": False,
    }
}

ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Bad input: a message per field."),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not signed in."),
    404: OpenApiResponse(OpenApiTypes.OBJECT, description="Not found (or not yours)."),
}
WEEK_PARAM = OpenApiParameter(
    "week_start", OpenApiTypes.DATE, OpenApiParameter.PATH, description="The week's Monday."
)
ENTRY_PARAM = OpenApiParameter(
    "entry_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The entry's id."
)


class WeekDetail(APIView):
    @extend_schema(
        operation_id="week_read",
        parameters=[WEEK_PARAM],
        responses={200: WeekSerializer, **ERRORS},
        summary="A week: entries and each day's status for every rule",
    )
    def get(self, request: Request, week_start: str) -> Response:
        monday = monday_or_400(week_start)
        return Response(WeekSerializer(week_data(user=request.user, week_start=monday)).data)


QUEUED = OpenApiResponse(
    PlanJobSerializer,
    description="Beyond the interactive budget, or the week is being planned already: "
    "a background job plans it; follow its url.",
)
JOB_PARAM = OpenApiParameter(
    "job_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The job's id."
)


def job_data(request: Request, job: PlanJob) -> dict:
    done = job.status == PlanJob.Status.DONE
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "message": job.message,
        "week_start": job.week_start,
        "url": request.build_absolute_uri(reverse("api:job", args=[job.pk])),
        "week": week_data(user=request.user, week_start=job.week_start) if done else None,
    }


class JobDetail(APIView):
    @extend_schema(
        operation_id="job_read",
        parameters=[JOB_PARAM],
        responses={200: PlanJobSerializer, **ERRORS},
        summary="A background planning job: its status, its message, the week once done",
    )
    def get(self, request: Request, job_id: str) -> Response:
        pk = selectors.posted_id(job_id) if job_id.isascii() and job_id.isdigit() else None
        job = PlanJob.objects.filter(user=request.user, pk=pk).first() if pk else None
        if job is None:
            raise Http404("No such job.")
        return Response(PlanJobSerializer(job_data(request, job)).data)


class WeekSuggest(APIView):
    replace_unlocked = False

    @extend_schema(
        operation_id="week_suggest",
        parameters=[WEEK_PARAM],
        request=SuggestInput,
        responses={200: SuggestResultSerializer, 202: QUEUED, **ERRORS},
        summary="Fill the week's empty cells (locked entries kept)",
    )
    def post(self, request: Request, week_start: str) -> Response:
        monday = monday_or_400(week_start)
        include_past = valid(SuggestInput, request.data)["include_past"]
        profile = profile_for(request.user)
        if not profile.is_complete:
            raise ValidationError({"non_field_errors": [services.PROFILE_INCOMPLETE_MESSAGE]})
        queued = services.weekplan_queue_if_long(
            user=request.user,
            week_start=monday,
            replace_unlocked=self.replace_unlocked,
            include_past=include_past,
            today=timezone.localdate(),
        )
        if queued is not None:
            data = PlanJobSerializer(job_data(request, queued.job)).data
            return Response(
                data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]}
            )
        try:
            outcome = services.weekplan_suggest(
                user=request.user,
                week_start=monday,
                replace_unlocked=self.replace_unlocked,
                include_past=include_past,
                today=timezone.localdate(),
            )
        except services.PlanError as error:
            raise plan_error(error) from error
        level, text = suggest_message(
            outcome.result, week_start=monday, first_day=outcome.first_day, profile=profile
        )
        data = {
            "added": outcome.added,
            "message": str(text),
            "level": {10: "debug", 20: "info", 25: "success", 30: "warning", 40: "error"}.get(
                level, "info"
            ),
            "week": week_data(user=request.user, week_start=monday),
        }
        return Response(SuggestResultSerializer(data).data)


class WeekRegenerate(WeekSuggest):
    replace_unlocked = True

    @extend_schema(
        operation_id="week_regenerate",
        parameters=[WEEK_PARAM],
        request=SuggestInput,
        responses={200: SuggestResultSerializer, 202: QUEUED, **ERRORS},
        summary="Plan every unlocked cell again with a new seed",
    )
    def post(self, request: Request, week_start: str) -> Response:
        return super().post(request, week_start)


def _entry_response(entry: PlanEntry, code: int = status.HTTP_200_OK) -> Response:
    entry = PlanEntry.objects.get(pk=entry.pk)
    (view,) = selectors.entry_views([entry])
    return Response(EntrySerializer(entry_data(view)).data, status=code)


class EntryAdd(APIView):
    @extend_schema(
        operation_id="entry_add",
        parameters=[WEEK_PARAM],
        request=EntryAddInput,
        responses={201: EntrySerializer, **ERRORS},
        summary="Put a meal in a cell by hand (replaces an unlocked entry there)",
    )
    def post(self, request: Request, week_start: str) -> Response:
        monday = monday_or_400(week_start)
        data = valid(EntryAddInput, request.data)
        meal = visible_meal(request, data["meal"])
        if not in_week(monday, data["date"]):
            raise ValidationError({"date": ["That date is not in this week."]})
        try:
            entry = services.entry_add(
                user=request.user,
                week_start=monday,
                day=data["date"],
                slot=data["slot"],
                meal=meal,
                servings=data.get("servings") or Decimal(1),
            )
        except services.PlanError as error:
            raise plan_error(error) from error
        return _entry_response(entry, status.HTTP_201_CREATED)


class RequiredBodySchema(AutoSchema):
    """A written-out request body (SERVINGS_BODY) is required, as the serializer's would be."""

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body is not None and self.method == "PATCH":
            body["required"] = True
        return body


class EntryDetail(APIView):
    schema = RequiredBodySchema()

    @extend_schema(
        operation_id="entry_read",
        parameters=[ENTRY_PARAM],
        responses={200: EntrySerializer, **ERRORS},
    )
    def get(self, request: Request, entry_id: str) -> Response:
        return _entry_response(own_entry(request, entry_id))

    @extend_schema(
        operation_id="entry_servings",
        parameters=[ENTRY_PARAM],
        request=SERVINGS_BODY,
        responses={200: EntrySerializer, **ERRORS},
        summary="Change an entry's servings (0.5-4 in steps of 0.5)",
    )
    def patch(self, request: Request, entry_id: str) -> Response:
        entry = own_entry(request, entry_id)
        servings = valid(ServingsInput, request.data)["servings"]
        try:
            entry = services.entry_set_servings(user=request.user, entry=entry, servings=servings)
        except services.PlanError as error:
            raise plan_error(error) from error
        return _entry_response(entry)

    @extend_schema(
        operation_id="entry_delete",
        parameters=[ENTRY_PARAM],
        request=None,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, entry_id: str) -> Response:
        entry = own_entry(request, entry_id)
        try:
            services.entry_delete(entry=entry)
        except services.PlanError as error:
            raise plan_error(error) from error
        return Response(status=status.HTTP_204_NO_CONTENT)


class EntryLock(APIView):
    @extend_schema(
        operation_id="entry_lock",
        parameters=[ENTRY_PARAM],
        request=LockInput,
        responses={200: EntrySerializer, **ERRORS},
        summary="Lock (true) or unlock (false) an entry; locked entries survive Regenerate",
    )
    def post(self, request: Request, entry_id: str) -> Response:
        entry = own_entry(request, entry_id)
        locked = valid(LockInput, request.data)["locked"]
        if entry.locked != locked:
            try:
                entry = services.entry_toggle_lock(entry=entry)
            except services.PlanError as error:
                raise plan_error(error) from error
        return _entry_response(entry)


class EntrySwap(APIView):
    @extend_schema(
        operation_id="entry_swap_options",
        parameters=[ENTRY_PARAM],
        responses={200: SwapOptionSerializer(many=True), **ERRORS},
        summary="The best 3 meals for the entry's cell, with the rest of the week kept",
    )
    def get(self, request: Request, entry_id: str) -> Response:
        entry = own_entry(request, entry_id)
        options = [
            {
                "meal": {"id": o.meal.pk, "name": o.meal.name},
                "servings": o.servings,
                "day_ok": o.day_ok,
            }
            for o in selectors.swap_choices(user=request.user, entry=entry)
        ]
        return Response(SwapOptionSerializer(options, many=True).data)

    @extend_schema(
        operation_id="entry_swap",
        parameters=[ENTRY_PARAM],
        request=SwapInput,
        responses={200: EntrySerializer, **ERRORS},
        summary="Put another meal in the entry's cell",
    )
    def post(self, request: Request, entry_id: str) -> Response:
        entry = own_entry(request, entry_id)
        data = valid(SwapInput, request.data)
        meal = visible_meal(request, data["meal"])
        try:
            entry = services.entry_replace(
                user=request.user, entry=entry, meal=meal, servings=data.get("servings")
            )
        except services.PlanError as error:
            raise plan_error(error) from error
        return _entry_response(entry)


class ShoppingListView(APIView):
    @extend_schema(
        operation_id="shopping_list",
        parameters=[
            OpenApiParameter(
                "start",
                OpenApiTypes.DATE,
                description="First day (this week's Monday if neither is given).",
            ),
            OpenApiParameter(
                "end",
                OpenApiTypes.DATE,
                description="Last day; at most 31 days (6 days after start if not given).",
            ),
        ],
        responses={200: ShoppingListSerializer, **ERRORS},
        summary="What the planned days from start to end need, by store section",
    )
    def get(self, request: Request) -> Response:
        query = {key: request.query_params[key] for key in request.query_params}
        data = valid(ShoppingQueryInput, query)
        items = shopping_list(user=request.user, start=data["start"], end=data["end"])
        return Response(ShoppingListSerializer(shopping_data(items)).data)


class ShoppingTickView(APIView):
    @extend_schema(
        operation_id="shopping_tick",
        request=TickInput,
        responses={200: TickResultSerializer, **ERRORS},
        summary="Tick a food off the list for a date range, or untick it",
    )
    def post(self, request: Request) -> Response:
        data = valid(TickInput, request.data)
        food = Food.objects.filter(pk=data["food"]).first()
        if food is None:
            raise ValidationError({"food": ["No such food."]})
        services.shopping_tick_set(
            user=request.user,
            start=data["start"],
            end=data["end"],
            food_id=food.pk,
            ticked=data["ticked"],
        )
        return Response(TickResultSerializer({"food": food.pk, "ticked": data["ticked"]}).data)


def own_household(request: Request):
    household = household_for(request.user)
    if household is None:
        raise Http404("You are not in a household.")
    return household


class HouseholdWeek(APIView):
    @extend_schema(
        operation_id="household_week_read",
        parameters=[WEEK_PARAM],
        responses={200: HouseholdWeekSerializer, **ERRORS},
        summary="The household's week: shared dishes, each member's servings and day status",
    )
    def get(self, request: Request, week_start: str) -> Response:
        monday = monday_or_400(week_start)
        household = own_household(request)
        data = household_data(household=household, week_start=monday)
        return Response(HouseholdWeekSerializer(data).data)


class HouseholdSuggest(APIView):
    @extend_schema(
        operation_id="household_week_suggest",
        parameters=[WEEK_PARAM],
        request=SuggestInput,
        responses={200: HouseholdWeekSerializer, **ERRORS},
        summary="Fill the household week's empty cells (locked dishes kept)",
    )
    def post(self, request: Request, week_start: str) -> Response:
        monday = monday_or_400(week_start)
        household = own_household(request)
        include_past = valid(SuggestInput, request.data)["include_past"]
        try:
            household_services.household_week_suggest(
                household=household,
                week_start=monday,
                include_past=include_past,
                today=timezone.localdate(),
            )
        except services.PlanError as error:
            raise plan_error(error) from error
        data = household_data(household=household, week_start=monday)
        return Response(HouseholdWeekSerializer(data).data)


@extend_schema(tags=["recipes"])
class RecipeViewSet(mixins.DestroyModelMixin, foods_api.RecipeViewSet):
    """The user's own recipes, with DELETE: a planned recipe leaves its weeks under their
    locks (services.recipe_delete)."""

    http_method_names = [*foods_api.RecipeViewSet.http_method_names, "delete"]

    def perform_destroy(self, instance):
        with transaction.atomic():
            services.recipe_delete(user=self.request.user, meal=instance)

    def destroy(self, request, *args, **kwargs):
        self.perform_destroy(self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
