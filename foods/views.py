"""The public catalog: browse and search foods and meals, and the best magnesium sources."""

from __future__ import annotations

from django.core.paginator import Page
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from accounts.selectors import profile_for
from foods import selectors
from foods.forms import BestSourcesForm, CatalogFilterForm, FoodFilterForm, MealFilterForm


def _wants_partial(request: HttpRequest) -> bool:
    """Tell an htmx swap (answered with the results only) from a full page load."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request and not htmx.boosted


def _render_list(
    request: HttpRequest, template: str, form: CatalogFilterForm, page: Page
) -> HttpResponse:
    """Render a page of results, or only the results partial for an htmx request."""
    notices = form.notices()
    if page.number != form.page_number():
        notices.append(f"There is no page {form.page_number()}; showing page {page.number}.")
    name = f"{template}#results" if _wants_partial(request) else template
    return render(request, name, {"form": form, "page_obj": page, "notices": notices})


@require_GET
@vary_on_headers("HX-Request")
def food_list(request: HttpRequest) -> HttpResponse:
    """Search, filter and sort the active foods, a page at a time."""
    form = FoodFilterForm(request.GET)
    page = selectors.food_search_page(number=form.page_number(), **form.filters())
    return _render_list(request, "foods/food_list.html", form, page)


@require_GET
def food_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a food's nutrients per 100 g and per portion."""
    food = get_object_or_404(selectors.food_detail_queryset(), pk=pk)
    target = (
        profile_for(request.user).magnesium_target_mg if request.user.is_authenticated else None
    )
    table = selectors.food_nutrient_table(food=food, magnesium_target_mg=target)
    context = {"food": food, "table": table, "magnesium_target_mg": target}
    return render(request, "foods/food_detail.html", context)


@require_GET
@vary_on_headers("HX-Request")
def meal_list(request: HttpRequest) -> HttpResponse:
    """Search, filter and sort the active meals, with nutrition per serving."""
    form = MealFilterForm(request.GET)
    page = selectors.meal_search_page(number=form.page_number(), **form.filters())
    return _render_list(request, "foods/meal_list.html", form, page)


@require_GET
def meal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show a meal's ingredients, nutrition per serving and badges."""
    detail = selectors.meal_detail(meal_id=pk)
    if detail is None:
        raise Http404("No such meal.")
    return render(request, "foods/meal_detail.html", {"detail": detail, "meal": detail.meal})


@require_GET
def best_sources(request: HttpRequest) -> HttpResponse:
    """Show the foods richest in magnesium per 100 kcal in each category."""
    form = BestSourcesForm(request.GET)
    groups = selectors.best_sources(
        diet=form.diet_or_default(), all_groups=form.all_groups_or_default()
    )
    context = {"form": form, "groups": groups, "per_category": selectors.BEST_SOURCES_PER_CATEGORY}
    return render(request, "foods/best_sources.html", context)
