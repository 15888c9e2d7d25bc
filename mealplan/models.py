"""Weekly plans: one plan per user and ISO week, with one entry per day and slot."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from foods.models import Meal, Slot

SERVINGS_MIN = Decimal("0.5")
SERVINGS_MAX = Decimal("4")
SERVINGS_STEP = Decimal("0.5")
# A household entry holds the sum of its members' portions (each SERVINGS_MIN to
# SERVINGS_MAX), so the shopping list and exports read one number; the column's 3 digits
# hold up to 99.5 of them.
ENTRY_SERVINGS_MAX = Decimal("99.5")


def monday_of(day: date) -> date:
    """Return the Monday of the ISO week holding a day."""
    return day - timedelta(days=day.weekday())


def in_week(week_start: date, day: date) -> bool:
    """Say whether a day falls in the week starting on week_start."""
    return 0 <= (day - week_start).days < 7


class WeekPlanQuerySet(models.QuerySet):
    def personal(self) -> WeekPlanQuerySet:
        """Keep the users' own weeks (not a household's, whose user is its owner)."""
        return self.filter(household__isnull=True)


class WeekPlan(models.Model):
    # A household week belongs to the household; its user is the household's owner.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="week_plans"
    )
    household = models.ForeignKey(
        "accounts.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="week_plans",
    )
    week_start = models.DateField(help_text="The Monday of the week.")
    seed = models.PositiveIntegerField(default=0, help_text="Seed of the last suggestion.")
    # What the last suggestion found per day (shortfall and what binds), keyed by ISO date;
    # shown while that day is still short.
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WeekPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            # The owner of a household has their personal week beside the household's.
            models.UniqueConstraint(
                fields=["user", "week_start"],
                condition=Q(household__isnull=True),
                name="weekplan_one_per_week",
            ),
            models.UniqueConstraint(
                fields=["household", "week_start"],
                condition=Q(household__isnull=False),
                name="weekplan_one_per_household_week",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — week of {self.week_start:%d %b %Y}"

    @property
    def days(self) -> list[date]:
        return [self.week_start + timedelta(days=offset) for offset in range(7)]

    def holds(self, day: date) -> bool:
        return in_week(self.week_start, day)


class PlanEntryQuerySet(models.QuerySet):
    def owned_by(self, user) -> PlanEntryQuerySet:
        """Keep a user's personal entries (a household's weeks are the household's)."""
        return self.filter(plan__user=user, plan__household__isnull=True)

    def between(self, start: date, end: date) -> PlanEntryQuerySet:
        """Keep entries from start to end, both included."""
        return self.filter(date__gte=start, date__lte=end)


class PlanEntry(models.Model):
    plan = models.ForeignKey(WeekPlan, on_delete=models.CASCADE, related_name="entries")
    date = models.DateField()
    slot = models.CharField(max_length=10, choices=Slot.choices)
    # RESTRICT, not PROTECT: a planned meal cannot be deleted on its own, but deleting a user
    # takes their recipes and their weeks together (PROTECT refused that, in the admin too; a
    # pre_delete receiver runs only after Django has already refused).
    meal = models.ForeignKey(Meal, on_delete=models.RESTRICT, related_name="plan_entries")
    servings = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(SERVINGS_MIN), MaxValueValidator(ENTRY_SERVINGS_MAX)],
        help_text="Servings of a personal entry; of a household entry, its portions' sum.",
    )
    locked = models.BooleanField(default=False)

    objects = PlanEntryQuerySet.as_manager()

    class Meta:
        ordering = ["date", "slot"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "date", "slot"], name="entry_one_per_cell"),
            models.CheckConstraint(
                condition=Q(servings__gte=SERVINGS_MIN) & Q(servings__lte=ENTRY_SERVINGS_MAX),
                name="entry_servings_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.slot}: {self.meal}"


class EntryPortion(models.Model):
    """One household member's servings of a household entry."""

    entry = models.ForeignKey(PlanEntry, on_delete=models.CASCADE, related_name="portions")
    member = models.ForeignKey("accounts.Member", on_delete=models.CASCADE, related_name="portions")
    servings = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(SERVINGS_MIN), MaxValueValidator(SERVINGS_MAX)],
    )

    class Meta:
        ordering = ["entry", "member"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "member"], name="portion_one_per_member"),
            models.CheckConstraint(
                condition=Q(servings__gte=SERVINGS_MIN) & Q(servings__lte=SERVINGS_MAX),
                name="portion_servings_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.servings} of {self.entry}"


class MealPreference(models.Model):
    """A user's like or dislike of a meal; disliked meals are never suggested."""

    class Verdict(models.IntegerChoices):
        DISLIKE = -1, "Dislike"
        LIKE = 1, "Like"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meal_preferences"
    )
    meal = models.ForeignKey(Meal, on_delete=models.CASCADE, related_name="preferences")
    verdict = models.SmallIntegerField(choices=Verdict.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "meal"], name="preference_one_per_meal"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_verdict_display().lower()}s {self.meal}"


class ShoppingTick(models.Model):
    """A food ticked off a user's shopping list for a range of days."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shopping_ticks"
    )
    start = models.DateField()
    end = models.DateField()
    food = models.ForeignKey("foods.Food", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start", "food"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "start", "end", "food"], name="shoppingtick_one_per_food"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ticked {self.food_id} for {self.start}–{self.end}"


# What was actually eaten (issue 13). One row per thing logged on a day and slot: a planned
# entry ticked as eaten (with the servings eaten) or skipped, or an extra item (a meal, one of
# the user's recipes, or a food or product by grams). Nutrients are copied at logging time, so
# editing or deleting a recipe later never rewrites what was eaten; an unknown nutrient stays
# None (never 0) and the day's totals say so.
INTAKE_SERVINGS_MIN = Decimal("0.25")
INTAKE_SERVINGS_MAX = Decimal("4")
INTAKE_GRAMS_MAX = Decimal("5000")


class IntakeQuerySet(models.QuerySet):
    def owned_by(self, user) -> IntakeQuerySet:
        return self.filter(user=user)

    def between(self, start: date, end: date) -> IntakeQuerySet:
        return self.filter(date__gte=start, date__lte=end)

    def eaten(self) -> IntakeQuerySet:
        return self.exclude(status=IntakeItem.Status.SKIPPED)


class IntakeItem(models.Model):
    class Source(models.TextChoices):
        PLANNED = "planned", "Planned"
        EXTRA = "extra", "Extra"

    class Status(models.TextChoices):
        EATEN = "eaten", "Eaten"
        SKIPPED = "skipped", "Skipped"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="intake_items"
    )
    date = models.DateField()
    slot = models.CharField(max_length=10, choices=Slot.choices)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.EXTRA)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.EATEN)
    # The plan entry this row ticks off or skips (a replaced entry: the skipped row links it,
    # the replacement is an extra). Deleting the week keeps the log.
    entry = models.ForeignKey(
        PlanEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake"
    )
    meal = models.ForeignKey(
        Meal, null=True, blank=True, on_delete=models.SET_NULL, related_name="intake"
    )
    food = models.ForeignKey(
        "foods.Food", null=True, blank=True, on_delete=models.SET_NULL, related_name="intake"
    )
    servings = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(INTAKE_SERVINGS_MIN), MaxValueValidator(INTAKE_SERVINGS_MAX)],
    )
    grams = models.DecimalField(
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(INTAKE_GRAMS_MAX)],
    )
    # What it was called and what it held when logged; None is unknown.
    name = models.CharField(max_length=200)
    magnesium_mg = models.FloatField(null=True, blank=True)
    added_magnesium_mg = models.FloatField(null=True, blank=True)
    kcal = models.FloatField(null=True, blank=True)
    carbohydrate_g = models.FloatField(null=True, blank=True)
    sodium_mg = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IntakeQuerySet.as_manager()

    class Meta:
        ordering = ["date", "slot", "created_at", "pk"]
        indexes = [models.Index(fields=["user", "date"], name="intake_user_date")]
        constraints = [
            # A planned entry is ticked or skipped once.
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(source="planned"),
                name="intake_one_row_per_planned_entry",
            ),
            models.CheckConstraint(
                condition=Q(servings__isnull=True)
                | (Q(servings__gte=INTAKE_SERVINGS_MIN) & Q(servings__lte=INTAKE_SERVINGS_MAX)),
                name="intake_servings_range",
            ),
            models.CheckConstraint(
                condition=Q(grams__isnull=True) | (Q(grams__gt=0) & Q(grams__lte=INTAKE_GRAMS_MAX)),
                name="intake_grams_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.slot}: {self.name} ({self.status})"


# Planning in the background (issue 14): one row per queued solve of a user's week, so the
# week page can poll it, a second request does not queue the same week twice, a failed solve
# is reported, and the weekly auto-plan runs once per week.
LIVE_JOB = Q(status__in=["queued", "running"])


class PlanJobQuerySet(models.QuerySet):
    def personal(self) -> PlanJobQuerySet:
        """Keep the jobs that plan a user's own week (not a household's)."""
        return self.filter(household__isnull=True)

    def live(self) -> PlanJobQuerySet:
        """Keep the queued and running jobs."""
        return self.filter(LIVE_JOB)

    def visible_to(self, user) -> PlanJobQuerySet:
        """Keep the user's own personal jobs and every job of their household's weeks."""
        return self.filter(Q(user=user, household__isnull=True) | Q(household__members__user=user))


class PlanJob(models.Model):
    class Kind(models.TextChoices):
        SUGGEST = "suggest", "Suggest"
        REGENERATE = "regenerate", "Regenerate"
        AUTOPLAN = "autoplan", "Weekly auto-plan"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_jobs"
    )
    # A household job plans the household's week (its user is the member who asked); a
    # personal one (household None) plans the user's own week.
    household = models.ForeignKey(
        "accounts.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="plan_jobs",
    )
    week_start = models.DateField()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    include_past = models.BooleanField(default=False)  # "Also fill past days" was ticked
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    task_result_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PlanJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # At most one live solve per week: a user's own week and their household's
            # week are two weeks, each with its own live job.
            models.UniqueConstraint(
                fields=["user", "week_start"],
                condition=LIVE_JOB & Q(household__isnull=True),
                name="planjob_one_live_per_week",
            ),
            models.UniqueConstraint(
                fields=["household", "week_start"],
                condition=LIVE_JOB,
                name="planjob_one_live_per_household_week",
            ),
            # The weekly auto-plan plans a (personal) week once.
            models.UniqueConstraint(
                fields=["user", "week_start"],
                condition=Q(kind="autoplan"),
                name="planjob_one_autoplan_per_week",
            ),
            models.CheckConstraint(
                condition=~Q(kind="autoplan", household__isnull=False),
                name="planjob_autoplan_is_personal",
            ),
        ]

    def __str__(self) -> str:
        whose = f"household {self.household_id}" if self.household_id else f"user {self.user_id}"
        return f"{self.kind} {self.week_start} for {whose}: {self.status}"

    def get_week_url(self) -> str:
        """Return the page of the week this job plans."""
        name = "mealplan:household_week_detail" if self.household_id else "mealplan:week_detail"
        return reverse(name, kwargs={"week_start": self.week_start})
