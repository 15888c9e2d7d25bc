"""My recipes: list, write, edit, read, delete and copy a user's own recipes."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from foods import recipe_selectors as selectors
from foods.models import Meal
from foods.recipe_forms import RecipeForm, recipe_formset, unit_choices
from foods.recipe_services import RecipeError, recipe_copy, recipe_save

# The htmx endpoints name the line they fill ("lines-3"); nothing else is echoed back.
_LINE_PREFIX = re.compile(r"^lines-\d{1,2}$")


@login_required
@require_GET
def recipe_list(request: HttpRequest) -> HttpResponse:
    """List the user's recipes with magnesium and kcal per serving."""
    recipes = list(selectors.recipe_list(user=request.user))
    context = {
        "recipes": [recipe for recipe in recipes if not recipe.single_food],
        # One food added as a snack from the week: kept, listed apart from written recipes.
        "single_foods": [recipe for recipe in recipes if recipe.single_food],
    }
    return render(request, "foods/recipes/recipe_list.html", context)


def _recipe_form(request: HttpRequest, meal: Meal | None) -> HttpResponse:
    """Show the recipe form; on Save, check the lines and save through recipe_save."""
    if request.method == "GET":
        initial = RecipeForm.initial_for(meal) if meal else None
        form, lines, checked = RecipeForm(initial=initial), recipe_formset(meal=meal), False
    else:
        # "Find foods" and "More lines" re-show the form (the way without JavaScript).
        refresh = "find" in request.POST or "more" in request.POST
        form = RecipeForm(request.POST)
        lines = recipe_formset(request.POST, more="more" in request.POST)
        checked = not refresh
        if checked and form.is_valid() and lines.is_valid():
            try:
                saved = recipe_save(
                    owner=request.user,
                    data=form.recipe_data(lines.lines(), base=meal),
                    instance=meal,
                )
            except RecipeError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Saved {saved.name}.")
                return redirect("recipes:detail", saved.pk)
    context = {"form": form, "lines": lines, "checked": checked, "meal": meal}
    return render(request, "foods/recipes/recipe_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def recipe_create(request: HttpRequest) -> HttpResponse:
    """Write a new recipe."""
    return _recipe_form(request, None)


@login_required
@require_http_methods(["GET", "POST"])
def recipe_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change one of the user's recipes, lines and all."""
    meal = get_object_or_404(selectors.own_recipe_queryset(user=request.user), pk=pk)
    return _recipe_form(request, meal)


@login_required
@require_GET
def recipe_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a recipe with nutrition per serving, each line's magnesium, and the coverage."""
    detail = selectors.recipe_detail(user=request.user, pk=pk)
    if detail is None:
        raise Http404("No such recipe.")
    return render(
        request, "foods/recipes/recipe_detail.html", {"detail": detail, "meal": detail.meal}
    )


@login_required
@require_POST
def recipe_copy_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy a curated meal into the user's recipes and open the copy for editing."""
    meal = get_object_or_404(Meal.objects.active().curated(), pk=pk)
    try:
        copy = recipe_copy(owner=request.user, meal=meal)
    except RecipeError as error:
        messages.error(request, f"Could not copy {meal.name}: {error}")
        return redirect("foods:meal_detail", meal.pk)
    messages.success(request, f"Copied {meal.name} to your recipes as {copy.name}.")
    return redirect("recipes:edit", copy.pk)


def _line_prefix(request: HttpRequest) -> str:
    prefix = request.GET.get("prefix", "")
    if not _LINE_PREFIX.match(prefix):
        raise Http404("No such line.")
    return prefix


@login_required
@require_GET
def food_search(request: HttpRequest) -> HttpResponse:
    """Answer a line's search box with the matching foods, as radio buttons (htmx)."""
    prefix = _line_prefix(request)
    query = request.GET.get(f"{prefix}-food_query", "")[:100]
    chosen = selectors.active_food(request.GET.get(f"{prefix}-food"))
    context = {
        "prefix": prefix,
        "choices": selectors.line_food_choices(chosen=chosen, query=query),
        "chosen": chosen.pk if chosen else None,
        "query": query,
    }
    return render(request, "foods/recipes/_food_choices.html", context)


@login_required
@require_GET
def food_units(request: HttpRequest) -> HttpResponse:
    """Answer a food picked on a line with its unit list, the food's portions included."""
    prefix = _line_prefix(request)
    food = selectors.active_food(request.GET.get(f"{prefix}-food"))
    context = {
        "prefix": prefix,
        "unit_choices": unit_choices(selectors.food_portions(food)),
        "unit_value": request.GET.get(f"{prefix}-unit", "g"),
    }
    return render(request, "foods/recipes/_unit_select.html", context)
