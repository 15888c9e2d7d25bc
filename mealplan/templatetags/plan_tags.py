"""Template helpers for the week: servings in words, and the servings field of an entry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from mealplan.forms import HouseholdServingsForm, ServingsForm, SnackFoodForm

register = template.Library()

HALF = Decimal("0.5")
# A user's recipe has its own page (foods/recipe_urls.py), never the catalog's (a 404 there).
RECIPE_DETAIL = "recipes:detail"


@register.filter
def servings_number(servings) -> str:
    """Write an amount of servings as a cook reads it: 1.5 -> "1½", 0.5 -> "½"."""
    try:
        amount = Decimal(str(servings))
    except InvalidOperation:
        return ""
    if not amount.is_finite():
        return ""
    whole, part = divmod(amount, 1)
    if part == 0:
        return f"{int(whole)}"
    if part == HALF:
        return f"{int(whole) or ''}½"
    return f"{amount.normalize():f}"


@register.filter
def servings_label(servings) -> str:
    """Say an amount of servings as a cook reads it: 1.5 -> "1½ servings"."""
    number = servings_number(servings)
    if not number:
        return ""
    return f"{number} serving" if Decimal(str(servings)) <= 1 else f"{number} servings"


@register.simple_tag
def servings_form(key: int, servings: Decimal | None = None) -> ServingsForm:
    """Return a servings form whose field's id is unique on the page (one per entry or meal)."""
    if servings is not None and servings == servings.to_integral_value():
        servings = servings.quantize(Decimal(1))  # "1", not "1.0"
    initial = {"servings": servings} if servings is not None else {}
    return ServingsForm(initial=initial, auto_id=f"servings-{key}-%s")


@register.simple_tag
def member_servings_form(entry_pk: int, member_pk: int, servings: Decimal) -> HouseholdServingsForm:
    """Return one member's servings form for a household entry, ids unique on the page."""
    if servings == servings.to_integral_value():
        servings = servings.quantize(Decimal(1))
    return HouseholdServingsForm(
        initial={"servings": servings, "member": member_pk},
        auto_id=f"servings-{entry_pk}-{member_pk}-%s",
    )


def meal_url(meal) -> str:
    """Return a meal's page: the catalog's for a curated meal, the recipe page for one's own."""
    if not meal.is_recipe:
        return reverse("foods:meal_detail", args=[meal.pk])
    try:
        return reverse(RECIPE_DETAIL, args=[meal.pk])
    except NoReverseMatch:  # no recipe page yet: the name alone, not a broken link
        return ""


@register.simple_tag
def meal_link(meal) -> str:
    """Link a meal's name to its page (plain text where it has none)."""
    url = meal_url(meal)
    return format_html('<a href="{}">{}</a>', url, meal.name) if url else meal.name


@register.simple_tag
def snack_food_form(food, day) -> SnackFoodForm:
    """Return the picker's form for one food (its portions, or grams), ids unique on the page."""
    week_start = day - timedelta(days=day.weekday())
    return SnackFoodForm(
        initial={"date": day}, week_start=week_start, food=food, auto_id=f"food-{food.pk}-%s"
    )
