"""The week as CSV rows and as an iCalendar feed, from the week grid."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar

from accounts.models import Profile
from foods.models import Slot
from foods.resources import spreadsheet_safe
from mealplan.intake import NUTRIENTS
from mealplan.models import IntakeItem
from mealplan.selectors import EntryView, WeekView

CSV_HEADER = ("date", "slot", "meal", "servings", "kcal", "magnesium_mg", "unknown")
# The nutrients a row can leave unknown (an empty cell) or only partly known ("≥ N").
EXPORTED = ("kcal", "magnesium_mg")
DURATION_MINUTES = {Slot.BREAKFAST: 30, Slot.LUNCH: 45, Slot.DINNER: 45, Slot.SNACK: 30}
PRODUCT_ID = "-//Mg planner//Week plan//EN"


@dataclass(frozen=True)
class ExportRow:
    date: date
    slot: str
    view: EntryView


def week_rows(week: WeekView) -> list[ExportRow]:
    """Return the week's entries by day, then slot (breakfast to snack)."""
    return [
        ExportRow(date=day.date, slot=slot, view=view)
        for day in week.days
        for slot, view in day.cells
        if view
    ]


def week_csv(rows: list[ExportRow]) -> str:
    """Return one CSV line per entry: date, slot, meal, servings, kcal, magnesium_mg, unknown.

    Unknown is never 0: a value nothing is known of is an empty cell, one partly known is
    "≥ N", and the unknown column names the nutrients with an unknown part.
    Every cell goes through spreadsheet_safe: a meal named "=HYPERLINK(...)" stays text.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        view = row.view
        cells = [
            row.date.isoformat(),
            row.slot,
            view.meal.name,
            servings_text(view.entry.servings),
            *(_csv_amount(getattr(view, name), name in view.unknown) for name in EXPORTED),
            " ".join(name for name in EXPORTED if name in view.unknown),
        ]
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue()


def _csv_amount(value: float, unknown: bool) -> str:
    if unknown and not value:
        return ""
    return f"≥ {value:.0f}" if unknown else f"{value:.0f}"


def _plain_amount(value: float, unit: str, unknown: bool) -> str:
    """Write an amount as the week page does, in plain text: "unknown", "at least N"."""
    if unknown and not value:
        return "unknown"
    return f"at least {value:.0f} {unit}" if unknown else f"{value:.0f} {unit}"


def servings_text(servings: Decimal) -> str:
    """Write servings without a needless ".0": 1, 1.5, 2."""
    return f"{servings.normalize():f}"


def slot_time(profile: Profile, slot: str) -> time:
    return getattr(profile, f"{slot}_at")


def week_ics(rows: list[ExportRow], *, profile: Profile, zone: ZoneInfo, stamp: datetime) -> bytes:
    """Return an iCalendar feed with one event per entry at the profile's slot times in zone."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Meal plan")
    for row in rows:
        entry, view = row.view.entry, row.view
        start = datetime.combine(row.date, slot_time(profile, row.slot), tzinfo=zone)
        event = icalendar.Event()
        event.add("uid", f"planentry-{entry.pk}@mg-planner")
        event.add("dtstamp", stamp)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=DURATION_MINUTES[row.slot]))
        event.add("summary", f"{Slot(row.slot).label}: {view.meal.name}")
        event.add(
            "description",
            f"{servings_text(entry.servings)} serving(s). "
            f"Magnesium {_plain_amount(view.magnesium_mg, 'mg', 'magnesium_mg' in view.unknown)}"
            f", {_kcal_plain(view)}.",
        )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def _kcal_plain(view: EntryView) -> str:
    text = _plain_amount(view.kcal, "kcal", "kcal" in view.unknown)
    return "kcal unknown" if text == "unknown" else text


INTAKE_CSV_HEADER = (
    *("date", "slot", "source", "status", "name", "servings", "grams"),
    *NUTRIENTS,
)


def intake_csv(items) -> str:
    """Return one CSV line per log row. An eaten row's unknown nutrient is the word
    "unknown", never 0 (a skipped row counts nothing: empty); every cell is spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(INTAKE_CSV_HEADER)
    for item in items:
        cells = []
        for name in INTAKE_CSV_HEADER:
            value = getattr(item, name)
            if name in NUTRIENTS and item.status == IntakeItem.Status.EATEN:
                value = "unknown" if value is None else round(value, 1)
            cells.append("" if value is None else value)
        writer.writerow([spreadsheet_safe(cell) for cell in cells])
    return buffer.getvalue()
