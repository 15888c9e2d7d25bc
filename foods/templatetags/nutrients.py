"""Display filters for nutrient values: unknown shows "—", numbers get sensible precision."""

from __future__ import annotations

from django import template

register = template.Library()

UNKNOWN = "—"


def format_amount(value: float) -> str:
    """Format a non-negative amount: whole numbers from 10 up, one decimal below, two under 1."""
    if value == 0:
        return "0"
    if abs(value) >= 10:
        return f"{value:,.0f}"
    digits = 1 if abs(value) >= 1 else 2
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


@register.filter
def nutrient(value: float | None, unit: str = "") -> str:
    """Show a nutrient amount with its unit, or "—" when it is unknown."""
    if value is None or value == "":
        return UNKNOWN
    text = format_amount(float(value))
    return f"{text} {unit}" if unit else text


@register.filter
def percent(value: float | None) -> str:
    """Show a share as a whole percentage, or "—" when it is unknown."""
    if value is None:
        return UNKNOWN
    return f"{value:.0f}%" if value >= 1 or value == 0 else "<1%"
