from __future__ import annotations

from datetime import date, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts import targets
from accounts.usernames import username_skeleton


class User(AbstractUser):
    email = models.EmailField("email address", unique=True)
    # What the username looks like (accounts.usernames): sign-up refuses a look-alike.
    username_skeleton = models.CharField(
        max_length=300, db_index=True, editable=False, db_default=""
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def save(self, *args, **kwargs) -> None:
        self.username_skeleton = username_skeleton(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_skeleton"}
        super().save(*args, **kwargs)


class Sex(models.TextChoices):
    FEMALE = targets.FEMALE, "Female"
    MALE = targets.MALE, "Male"


class LifeStage(models.TextChoices):
    NONE = targets.NONE, "None"
    PREGNANT = targets.PREGNANT, "Pregnant"
    LACTATING = targets.LACTATING, "Lactating"


class Diet(models.TextChoices):
    OMNIVORE = "omnivore", "Omnivore"
    PESCATARIAN = "pescatarian", "Pescatarian"
    VEGETARIAN = "vegetarian", "Vegetarian"
    VEGAN = "vegan", "Vegan"


class Allergen(models.TextChoices):
    MILK = "milk", "Milk"
    EGG = "egg", "Egg"
    FISH = "fish", "Fish"
    SHELLFISH = "shellfish", "Shellfish"
    TREE_NUTS = "tree_nuts", "Tree nuts"
    PEANUTS = "peanuts", "Peanuts"
    WHEAT = "wheat", "Wheat / gluten"
    SOY = "soy", "Soy"
    SESAME = "sesame", "Sesame"


class PlanFrom(models.TextChoices):
    """Which meals Suggest plans from; the values match MealQuerySet.for_plan_from."""

    BOTH = "both", "My recipes and the catalog"
    MINE = "mine", "Only my recipes"
    CATALOG = "catalog", "Only the catalog"


class Activity(models.TextChoices):
    SEDENTARY = "sedentary", "Sedentary (little exercise)"
    LIGHT = "light", "Light (1-3 days a week)"
    MODERATE = "moderate", "Moderate (3-5 days a week)"
    ACTIVE = "active", "Active (6-7 days a week)"
    VERY_ACTIVE = "very_active", "Very active (physical job or training)"


def site_time_zone() -> str:
    """Return the site's time zone (settings.TIME_ZONE), a profile's until its user picks one."""
    return settings.TIME_ZONE


@cache
def known_time_zones() -> tuple[str, ...]:
    """Return the IANA time zone names this server knows, sorted (read once: it scans files)."""
    return tuple(sorted(available_timezones()))


def validate_time_zone(name: str) -> None:
    if name not in known_time_zones():
        raise ValidationError("%(name)s is not a time zone we know.", params={"name": name[:64]})


class PersonTargets:
    """Targets from a person's own fields (birth date, sex, life stage, window, measures):
    shared by a Profile and a household's dependent Member. Needs `age()`."""

    def _rda_from_fields(self, *, min_age: int = 0) -> int | None:
        age = self.age()
        if age is None or not self.sex or age < min_age:
            return None
        stage = self.life_stage if self.sex == Sex.FEMALE else LifeStage.NONE
        return targets.magnesium_rda_mg(age_years=age, sex=self.sex, life_stage=stage)

    def _window_from_fields(self, own_basis: str) -> targets.CalorieWindow:
        if self.kcal_min and self.kcal_max:
            return targets.CalorieWindow(self.kcal_min, self.kcal_max, own_basis)
        measures = {
            "weight_kg": float(self.weight_kg) if self.weight_kg else None,
            "height_cm": float(self.height_cm) if self.height_cm else None,
            "sex": self.sex or None,
            "activity": self.activity,
        }
        try:  # children and teenagers: the EER; adults: Mifflin-St Jeor
            return targets.member_calorie_window(age_years=self.age(), **measures)
        except ValueError:  # an age we do not plan for (the forms refuse it): the default
            return targets.calorie_window(**measures)

    def _upper_limit_from_fields(self) -> int:
        age = self.age()
        limit = targets.supplement_upper_limit_mg(age_years=age) if age is not None else None
        return limit or targets.ADULT_SUPPLEMENT_UPPER_LIMIT_MG


class Profile(PersonTargets, models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    life_stage = models.CharField(max_length=10, choices=LifeStage.choices, default=LifeStage.NONE)
    diet = models.CharField(max_length=12, choices=Diet.choices, default=Diet.OMNIVORE)
    avoid_allergens = models.JSONField(default=list, blank=True)
    weight_kg = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(25), MaxValueValidator(400)],
    )  # fmt: skip
    height_cm = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(100), MaxValueValidator(250)],
    )  # fmt: skip
    activity = models.CharField(max_length=12, choices=Activity.choices, default=Activity.SEDENTARY)
    plan_from = models.CharField(
        "plan from",
        max_length=8,
        choices=PlanFrom.choices,
        default=PlanFrom.BOTH,
        db_default=PlanFrom.BOTH,
        help_text="Which meals Suggest and Regenerate choose from.",
    )
    kcal_min = models.PositiveIntegerField(null=True, blank=True)
    kcal_max = models.PositiveIntegerField(null=True, blank=True)
    carbohydrate_max_g = models.PositiveIntegerField(null=True, blank=True)
    sodium_max_mg = models.PositiveIntegerField(null=True, blank=True)
    magnesium_target_override_mg = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[
            MinValueValidator(targets.OVERRIDE_MIN_MG),
            MaxValueValidator(targets.OVERRIDE_MAX_MG),
        ],
    )
    override_agreed_with_professional = models.BooleanField(default=False)
    breakfast_at = models.TimeField(default=time(8, 0))
    lunch_at = models.TimeField(default=time(12, 30))
    dinner_at = models.TimeField(default=time(19, 0))
    snack_at = models.TimeField(default=time(16, 0))
    # The choices are the server's zoneinfo names, checked by a validator rather than stored as
    # model choices: they change with tzdata, and a migration should not.
    time_zone = models.CharField(
        max_length=64, default=site_time_zone, validators=[validate_time_zone]
    )
    # "Plan my next week every <weekday> at <time> and email me" (issue 14), in time_zone.
    autoplan_enabled = models.BooleanField("plan my next week for me", default=False)
    autoplan_weekday = models.PositiveSmallIntegerField(
        "on", default=6, validators=[MaxValueValidator(6)], help_text="0 is Monday, 6 is Sunday."
    )
    autoplan_time = models.TimeField("at", default=time(18, 0))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kcal_min__isnull=True)
                | models.Q(kcal_max__isnull=True)
                | models.Q(kcal_min__lte=models.F("kcal_max")),
                name="profile_kcal_min_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    @property
    def is_complete(self) -> bool:
        return bool(self.birth_date and self.sex)

    def age(self, today: date | None = None) -> int | None:
        if not self.birth_date:
            return None
        return targets.age_on(self.birth_date, today or timezone.localdate())

    @property
    def zone(self) -> ZoneInfo:
        """The profile's time zone; the site's if this server no longer knows it."""
        try:
            return ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(site_time_zone())

    @property
    def rda_mg(self) -> int | None:
        return self._rda_from_fields()

    @property
    def magnesium_target_mg(self) -> int:
        """The daily target: the override when set, else the RDA, else the adult upper RDA."""
        if self.magnesium_target_override_mg:
            return self.magnesium_target_override_mg
        return self.rda_mg or 420

    @property
    def magnesium_target_basis(self) -> str:
        if self.magnesium_target_override_mg:
            return "your own target, agreed with a health professional"
        if self.rda_mg is None:
            return "the highest adult RDA, until you give your birth date and sex"
        return f"the RDA for your age, sex and life stage ({targets.SOURCE})"

    @property
    def calorie_window(self) -> targets.CalorieWindow:
        return self._window_from_fields("your own window")

    @property
    def supplement_upper_limit_mg(self) -> int:
        return self._upper_limit_from_fields()


# Households (issue 12). A household has an owner and members: registered users who accepted an
# invitation, or dependents without a login (a child, an elderly parent) whose data belongs to
# the owner. Every member, user or dependent, answers the same questions (targets, window, diet,
# allergens, which slots they eat), so the planner need not know which kind it plans for.


class MealSlot(models.TextChoices):
    """The plan's slots (the values of foods.models.Slot; accounts does not import foods)."""

    BREAKFAST = "breakfast", "Breakfast"
    LUNCH = "lunch", "Lunch"
    DINNER = "dinner", "Dinner"
    SNACK = "snack", "Snack"


WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
INVITATION_DAYS = 7


class Household(models.Model):
    name = models.CharField(max_length=80)
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="owned_households")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Member(PersonTargets, models.Model):
    """A member of a household: a registered user (user set) or a dependent (user NULL).

    A user member's targets, window, diet and allergens are read from their Profile; a
    dependent's are computed from its own fields through accounts.targets. The dependent's diet
    and allergens are stored in `dependent_diet` and `dependent_allergens`; `diet` and
    `avoid_allergens` are properties that read (and, for a dependent, write) the right place,
    so `Member(name=..., diet="vegan", avoid_allergens=["peanuts"])` works for a dependent.
    """

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="membership"
    )
    # A dependent's own data (empty for a user member, whose data is in their Profile).
    name = models.CharField(max_length=80, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=10, choices=Sex.choices, blank=True)
    life_stage = models.CharField(max_length=10, choices=LifeStage.choices, default=LifeStage.NONE)
    dependent_diet = models.CharField(
        "diet", max_length=12, choices=Diet.choices, default=Diet.OMNIVORE
    )
    dependent_allergens = models.JSONField("allergens to avoid", default=list, blank=True)
    kcal_min = models.PositiveIntegerField(null=True, blank=True)
    kcal_max = models.PositiveIntegerField(null=True, blank=True)
    weight_kg = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(400)],
    )  # fmt: skip
    height_cm = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(45), MaxValueValidator(250)],
    )  # fmt: skip
    activity = models.CharField(max_length=12, choices=Activity.choices, default=Activity.SEDENTARY)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kcal_min__isnull=True)
                | models.Q(kcal_max__isnull=True)
                | models.Q(kcal_min__lte=models.F("kcal_max")),
                name="member_kcal_min_lte_max",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(name=""),
                name="member_dependent_has_name",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    # -- who ---------------------------------------------------------------------------------
    @property
    def is_dependent(self) -> bool:
        return self.user_id is None

    @property
    def is_owner(self) -> bool:
        return self.user_id is not None and self.user_id == self.household.owner_id

    @property
    def display_name(self) -> str:
        if self.user_id is None:
            return self.name
        return self.name or self.user.get_full_name() or self.user.username

    @property
    def profile(self) -> Profile | None:
        """A user member's profile (an unsaved empty one if they never saved theirs)."""
        if self.user_id is None:
            return None
        try:
            return self.user.profile
        except Profile.DoesNotExist:
            return Profile(user=self.user)

    def age(self, today: date | None = None) -> int | None:
        if self.user_id is not None:
            return self.profile.age(today)
        if not self.birth_date:
            return None
        return targets.age_on(self.birth_date, today or timezone.localdate())

    # -- targets -----------------------------------------------------------------------------
    @property
    def magnesium_target_mg(self) -> int:
        if self.user_id is not None:
            return self.profile.magnesium_target_mg
        # Under 1 (refused by the forms): no meal plan target of its own.
        return self._rda_from_fields(min_age=1) or 420

    @property
    def supplement_upper_limit_mg(self) -> int:
        if self.user_id is not None:
            return self.profile.supplement_upper_limit_mg
        return self._upper_limit_from_fields()

    @property
    def calorie_window(self) -> targets.CalorieWindow:
        if self.user_id is not None:
            return self.profile.calorie_window
        return self._window_from_fields("a window given by hand")

    @property
    def diet(self) -> str:
        return self.profile.diet if self.user_id is not None else self.dependent_diet

    @diet.setter
    def diet(self, value: str) -> None:
        self.dependent_diet = value

    @property
    def avoid_allergens(self) -> list[str]:
        if self.user_id is not None:
            return list(self.profile.avoid_allergens or [])
        return list(self.dependent_allergens or [])

    @avoid_allergens.setter
    def avoid_allergens(self, value: list[str]) -> None:
        self.dependent_allergens = list(value or [])

    @property
    def carbohydrate_max_g(self) -> int | None:
        return self.profile.carbohydrate_max_g if self.user_id is not None else None

    @property
    def sodium_max_mg(self) -> int | None:
        return self.profile.sodium_max_mg if self.user_id is not None else None

    # -- eating pattern ----------------------------------------------------------------------
    def eats(self, day: date, slot: str) -> bool:
        """Whether this member eats `slot` at home on `day`: the weekday's exception, else the
        every-day default, else yes. Reads `eating.all()` (prefetch it for many calls)."""
        default = None
        for row in self.eating.all():
            if row.slot != slot:
                continue
            if row.weekday == day.weekday():
                return row.eats
            if row.weekday is None:
                default = row.eats
        return True if default is None else default


class Invitation(models.Model):
    """A single-use link to join a household; only the sha256 of its token is stored."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    # Optional: the registered user the owner named; the link then works for them alone.
    invitee = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Invitation to {self.household}"

    @property
    def is_open(self) -> bool:
        return self.used_at is None and self.declined_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at


class EatingPattern(models.Model):
    """Whether a member eats a slot at home: weekday NULL is the default for every day, a
    weekday (0 = Monday) an exception. No row: the member eats."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="eating")
    slot = models.CharField(max_length=10, choices=MealSlot.choices)
    weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(6)]
    )
    eats = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "slot", "weekday"],
                condition=models.Q(weekday__isnull=False),
                name="eating_one_per_member_slot_weekday",
            ),
            models.UniqueConstraint(
                fields=["member", "slot"],
                condition=models.Q(weekday__isnull=True),
                name="eating_one_default_per_member_slot",
            ),
            models.CheckConstraint(
                condition=models.Q(weekday__isnull=True) | models.Q(weekday__lte=6),
                name="eating_weekday_0_6",
            ),
        ]

    def __str__(self) -> str:
        day = "every day" if self.weekday is None else WEEKDAY_NAMES[self.weekday]
        return f"{self.member} {self.slot} {day}: {'eats' if self.eats else 'out'}"


# API tokens (issue 14): named, shown once, stored as a SHA-256 hash (a token is 32 random
# bytes, so a fast hash is enough; a password hasher would cost every request). `prefix` (the
# first characters) lets a user tell tokens apart.
class ApiToken(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="apitoken_name_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user}"
