from django.urls import path, register_converter

from mealplan import gap_views, household_views, views
from mealplan.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "mealplan"

urlpatterns = [
    path("", views.week, name="week"),
    path("week/<isodate:week_start>/", views.week, name="week_detail"),
    path("week/<isodate:week_start>/suggest/", views.suggest, name="suggest"),
    path("week/<isodate:week_start>/regenerate/", views.regenerate, name="regenerate"),
    path("week/<isodate:week_start>/add/", views.add_entry, name="add_entry"),
    path("week/<isodate:week_start>/add-food/", views.add_food, name="add_food"),
    path("entries/<int:pk>/servings/", views.entry_servings, name="entry_servings"),
    path("entries/<int:pk>/lock/", views.entry_lock, name="entry_lock"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/swap/", views.entry_swap, name="entry_swap"),
    path("week/<isodate:week_start>/charts/", views.week_charts, name="week_charts"),
    path("week/<isodate:week_start>/print/", views.week_print, name="week_print"),
    path("week/<isodate:week_start>/week.csv", views.week_export_csv, name="week_csv"),
    path("week/<isodate:week_start>/week.ics", views.week_export_ics, name="week_ics"),
    path("week/<isodate:week_start>/copy/", views.week_copy, name="week_copy"),
    path("week/<isodate:week_start>/clear/", views.week_clear, name="week_clear"),
    path("week/<isodate:week_start>/clear/undo/", views.week_clear_undo, name="week_clear_undo"),
    path("jobs/<int:pk>/", views.plan_job_status, name="plan_job"),
    # The day's gap suggestion taken, and the rest of the week planned again (issue 13).
    path("gap/log/", gap_views.gap_log, name="gap_log"),
    path("gap/plan/", gap_views.gap_plan, name="gap_plan"),
    path("week/replan-rest/", gap_views.replan_rest, name="replan_rest"),
    path("shopping/", views.shopping, name="shopping"),
    path("shopping/tick/", views.shopping_tick, name="shopping_tick"),
    path("my-data/", views.my_data, name="my_data"),
    path("meals/", views.meal_preferences, name="meal_preferences"),
    path("meals/<int:pk>/preference/", views.meal_preference, name="meal_preference"),
    # The household's week (issue 12): for its members only.
    path("household/", household_views.household_week, name="household_week"),
    path(
        "household/<isodate:week_start>/",
        household_views.household_week,
        name="household_week_detail",
    ),
    path(
        "household/<isodate:week_start>/suggest/",
        household_views.household_suggest,
        name="household_suggest",
    ),
    path(
        "household/<isodate:week_start>/regenerate/",
        household_views.household_regenerate,
        name="household_regenerate",
    ),
    path(
        "household/<isodate:week_start>/shopping/",
        household_views.household_shopping,
        name="household_shopping",
    ),
    path(
        "household/<isodate:week_start>/print/",
        household_views.household_print,
        name="household_print",
    ),
    path(
        "household/entries/<int:pk>/lock/",
        household_views.household_entry_lock,
        name="household_entry_lock",
    ),
    path(
        "household/entries/<int:pk>/delete/",
        household_views.household_entry_delete,
        name="household_entry_delete",
    ),
    path(
        "household/entries/<int:pk>/swap/",
        household_views.household_entry_swap,
        name="household_entry_swap",
    ),
    path(
        "household/entries/<int:pk>/servings/",
        household_views.household_entry_servings,
        name="household_entry_servings",
    ),
    # Deleting a recipe reaches into the weeks that plan it, so it lives here, not in foods.
    path("recipes/<int:pk>/delete/", views.recipe_delete, name="recipe_delete"),
]
