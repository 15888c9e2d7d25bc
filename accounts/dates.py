"""The dates the app accepts from URLs and forms: years in a sane range.

Python's dates end at the years 1 and 9999, so a week near either end overflows when a page
adds a week or looks back twelve; real plans and birth dates sit well inside this range.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

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
