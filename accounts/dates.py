"""The dates the app accepts from URLs and forms: years in a sane range.

Python's dates end at the years 1 and 9999, so a week near either end overflows when a page
adds a week or looks back twelve; real plans and birth dates sit well inside this range.
"""

from __future__ import annotations

from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

ACCEPTED_YEARS = range(1900, 2201)


def year_accepted(day: date) -> bool:
    return day.year in ACCEPTED_YEARS


def validate_year_accepted(day: date) -> None:
    """Refuse a date outside the accepted years."""
    if not year_accepted(day):
        raise ValidationError(
            "Choose a date between the years %(first)s and %(last)s.",
            code="year_not_accepted",
            params={"first": ACCEPTED_YEARS[0], "last": ACCEPTED_YEARS[-1]},
        )


class AcceptedDateField(forms.DateField):
    """A date field that accepts only the years in ACCEPTED_YEARS."""

    default_validators = [validate_year_accepted]


def today_for(profile, *, now: datetime | None = None) -> date:
    """The date it is now where the profile's user lives (their time zone, not the server's)."""
    # Logging, Today and the gap decide "today" and refuse later days with this one date, so
    # a user in Tokyo can log breakfast at 08:00 local while the server's clock says yesterday.
    return timezone.localdate(now, timezone=profile.zone)
