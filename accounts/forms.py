from __future__ import annotations

import calendar
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import UserCreationForm
from django.template.loader import render_to_string
from django.utils import timezone

from accounts import targets, tasks
from accounts.dates import AcceptedDateField
from accounts.household_services import adult_heirs
from accounts.models import (
    Allergen,
    Household,
    LifeStage,
    Member,
    PlanFrom,
    Profile,
    Sex,
    User,
    known_time_zones,
    site_time_zone,
)
from accounts.usernames import username_lookalikes


class TimeZoneField(forms.ChoiceField):
    """Choose one of the time zones this server knows."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("label", "Time zone")
        super().__init__(choices=lambda: [(name, name) for name in known_time_zones()], **kwargs)


class BrowserTimeZoneMixin:
    """Take the browser's time zone from a hidden field (static/js/time_zone.js fills it).

    A missing or unknown zone is no reason to refuse a sign-up the user cannot correct here:
    it falls back to the site's zone, which the profile page lets them change.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"] = forms.CharField(
            required=False,
            strip=True,
            widget=forms.HiddenInput(attrs={"data-browser-time-zone": ""}),
        )

    def clean_time_zone(self) -> str:
        name = self.cleaned_data.get("time_zone") or ""
        return name if name in known_time_zones() else site_time_zone()


class SignUpForm(BrowserTimeZoneMixin, UserCreationForm):
    email = forms.EmailField(required=True, help_text="For password resets only.")

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def clean_username(self) -> str:
        # UsernameField already NFKC-normalised it (fullwidth "ｊｏｈｎ" is "john"); refuse what
        # looks like a taken name.
        username = super().clean_username()  # None once refused as a case-only duplicate
        if username is None:
            return username
        if User.objects.filter(username_skeleton__in=username_lookalikes(username)).exists():
            raise forms.ValidationError(
                "This username looks too much like one already taken "
                "(letters from another alphabet, or 1, l and I, or 0 and O); please choose another."
            )
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            Profile.objects.get_or_create(
                user=user, defaults={"time_zone": self.cleaned_data["time_zone"]}
            )
        return user


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Mail a reset link built from settings.SITE_URL, sent by the task worker."""

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict,
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        site = urlsplit(settings.SITE_URL)
        # Never the request's Host header: a forged one would send the token elsewhere.
        context = {**context, "protocol": site.scheme, "domain": site.netloc}
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html_body = (
            render_to_string(html_email_template_name, context)
            if html_email_template_name
            else None
        )
        tasks.send_mail_on_commit(
            subject=subject, body=body, from_email=from_email, to=to_email, html_body=html_body
        )


class ProfileForm(forms.ModelForm):
    time_zone = TimeZoneField(help_text="Your calendar export puts meals at these local times.")
    avoid_allergens = forms.MultipleChoiceField(
        choices=Allergen.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Allergens to avoid",
    )

    class Meta:
        model = Profile
        fields = [
            "birth_date",
            "sex",
            "life_stage",
            "diet",
            "avoid_allergens",
            "weight_kg",
            "height_cm",
            "activity",
            "plan_from",
            "kcal_min",
            "kcal_max",
            "carbohydrate_max_g",
            "sodium_max_mg",
            "magnesium_target_override_mg",
            "override_agreed_with_professional",
            "breakfast_at",
            "lunch_at",
            "dinner_at",
            "snack_at",
            "time_zone",
            "autoplan_enabled",
            "autoplan_weekday",
            "autoplan_time",
        ]
        field_classes = {"birth_date": AcceptedDateField}
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "breakfast_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "lunch_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "dinner_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "snack_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "plan_from": forms.RadioSelect,
            "autoplan_weekday": forms.Select(choices=list(enumerate(calendar.day_name))),
            "autoplan_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        labels = {
            "birth_date": "Date of birth",
            "weight_kg": "Weight (kg)",
            "height_cm": "Height (cm)",
            "kcal_min": "Calories per day, at least",
            "kcal_max": "Calories per day, at most",
            "carbohydrate_max_g": "Carbohydrate cap (g/day)",
            "sodium_max_mg": "Sodium cap (mg/day)",
            "magnesium_target_override_mg": "My own magnesium target (mg/day)",
            "plan_from": "Plan from",
            "override_agreed_with_professional": "I agreed this target with a health professional",
            "autoplan_enabled": "Plan my next week for me and email me the week and its "
            "shopping list",
            "autoplan_weekday": "Every",
            "autoplan_time": "At",
        }
        help_texts = {
            "plan_from": "Which meals Suggest, Regenerate and Swap choose from. You can still "
            "add any of your recipes or a catalog meal by hand. Single foods you added as "
            "snacks count as your recipes.",
            "kcal_min": "Leave both calorie fields empty to use an estimate.",
            "magnesium_target_override_mg": "Leave empty to use the NIH RDA (100-1000 mg).",
            "autoplan_enabled": "Empty cells of next week are filled; locked meals and meals "
            "you planned yourself stay as they are.",
            "autoplan_time": "In your time zone.",
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sex"].required = True
        self.fields["birth_date"].required = True
        self.fields["sex"].choices = [("", "---------"), *Sex.choices]
        # A form posted without it (an older page, a script) keeps what the profile holds.
        self.fields["plan_from"].required = False
        for name in ("autoplan_weekday", "autoplan_time"):
            self.fields[name].required = False

    def clean_autoplan_weekday(self) -> int:
        value = self.cleaned_data.get("autoplan_weekday")
        return self.instance.autoplan_weekday if value is None else value

    def clean_autoplan_time(self):
        return self.cleaned_data.get("autoplan_time") or self.instance.autoplan_time

    def clean_plan_from(self) -> str:
        return self.cleaned_data.get("plan_from") or self.instance.plan_from or PlanFrom.BOTH

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        today = timezone.localdate()
        if birth_date > today:
            raise forms.ValidationError("Your date of birth cannot be in the future.")
        age = targets.age_on(birth_date, today)
        if age < 14:
            raise forms.ValidationError("This planner is for people aged 14 and over.")
        if age > 120:
            raise forms.ValidationError("Please check your date of birth (age over 120).")
        return birth_date

    def _check_range(self, field: str, low: int, high: int, what: str) -> None:
        value = self.cleaned_data.get(field)
        if value is not None and not low <= value <= high:
            self.add_error(field, f"{what} must be between {low} and {high}.")

    def _clean_body_measures(self) -> None:
        """Refuse a weight without a height or a height without a weight (the estimate needs
        both, and half of it saved would look used while it is not)."""
        measures = {"weight_kg": "weight", "height_cm": "height"}
        if any(name in self.errors for name in measures):
            return
        given = {name for name in measures if self.cleaned_data.get(name) is not None}
        if len(given) == 1:
            (missing,) = set(measures) - given
            self.add_error(
                missing,
                f"Give your {measures[missing]} too, or leave both weight and height empty.",
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("sex") == Sex.MALE and cleaned.get("life_stage") in (
            LifeStage.PREGNANT,
            LifeStage.LACTATING,
        ):
            self.add_error("life_stage", "Pregnancy and lactation apply only with sex female.")

        low, high = cleaned.get("kcal_min"), cleaned.get("kcal_max")
        if (low is None) != (high is None) and "kcal_min" not in self.errors:
            self.add_error("kcal_max" if low is not None else "kcal_min",
                           "Give both ends of the calorie window, or neither.")  # fmt: skip
        self._check_range("kcal_min", targets.KCAL_MIN_ALLOWED, targets.KCAL_MAX_ALLOWED,
                          "The calorie window")  # fmt: skip
        self._check_range("kcal_max", targets.KCAL_MIN_ALLOWED, targets.KCAL_MAX_ALLOWED,
                          "The calorie window")  # fmt: skip
        if low is not None and high is not None and low > high:
            self.add_error("kcal_max", "The upper end must not be below the lower end.")
        elif low is not None and high is not None and high - low < targets.KCAL_WINDOW_MIN_WIDTH:
            self.add_error(
                "kcal_max",
                f"Leave at least {targets.KCAL_WINDOW_MIN_WIDTH} kcal between the two ends.",
            )
        self._clean_body_measures()
        self._check_range("carbohydrate_max_g", 20, 1000, "The carbohydrate cap")
        self._check_range("sodium_max_mg", 200, 10000, "The sodium cap")

        override = cleaned.get("magnesium_target_override_mg")
        if override is not None and not cleaned.get("override_agreed_with_professional"):
            self.add_error(
                "override_agreed_with_professional",
                "Confirm that you agreed your own target with a health professional.",
            )
        self._clean_autoplan(cleaned)
        return cleaned

    def _clean_autoplan(self, cleaned: dict) -> None:
        """The weekly auto-plan needs the target (birth date and sex) and somewhere to mail."""
        if not cleaned.get("autoplan_enabled"):
            return
        if not (cleaned.get("birth_date") and cleaned.get("sex")):
            self.add_error(
                "autoplan_enabled",
                "Give your date of birth and sex first: your magnesium target depends on them.",
            )
        if not self.instance.user.email:
            self.add_error(
                "autoplan_enabled",
                "Add an email address to your account first: the planned week comes by mail.",
            )


HOUSEHOLD_DELETE = "delete"


class DeleteAccountForm(forms.Form):
    """Confirm deleting an account with its password."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.household = None
        self.heirs = []
        owned = Household.objects.filter(owner=user).first()
        if owned is not None and owned.members.exclude(user=user).exists():
            # The owner's household has other members: ask what becomes of it.
            self.household = owned
            self.heirs = adult_heirs(owned)
            choices = [
                (str(member.pk), f"Hand it over to {member.display_name}") for member in self.heirs
            ]
            choices.append((HOUSEHOLD_DELETE, "Delete it with its dependents"))
            self.fields["household"] = forms.ChoiceField(
                label=f"Your household, {owned.name}",
                choices=choices,
                widget=forms.RadioSelect,
                help_text="Another adult member with an account can take it over (with its "
                "dependents and weeks); else it is deleted with its dependents, and its other "
                "members keep their accounts.",
                error_messages={"required": "Choose what happens to your household."},
            )

    def clean_household(self) -> str:
        choice = self.cleaned_data["household"]
        if choice != HOUSEHOLD_DELETE and choice not in {str(m.pk) for m in self.heirs}:
            raise forms.ValidationError("Choose an adult member of your household, or delete it.")
        return choice

    @property
    def heir(self) -> Member | None:
        """The member who takes the household over, or None (it is deleted)."""
        choice = self.cleaned_data.get("household")
        return next((m for m in self.heirs if str(m.pk) == choice), None)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password; nothing was deleted.")
        return password
