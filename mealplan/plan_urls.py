from django.urls import path, register_converter

from mealplan import views
from mealplan.converters import IsoDateConverter

register_converter(IsoDateConverter, "isodate")

app_name = "mealplan"

urlpatterns = [
    path("", views.week, name="week"),
    path("week/<isodate:week_start>/", views.week, name="week_detail"),
    path("week/<isodate:week_start>/suggest/", views.suggest, name="suggest"),
    path("week/<isodate:week_start>/regenerate/", views.regenerate, name="regenerate"),
    path("week/<isodate:week_start>/add/", views.add_entry, name="add_entry"),
    path("entries/<int:pk>/servings/", views.entry_servings, name="entry_servings"),
    path("entries/<int:pk>/lock/", views.entry_lock, name="entry_lock"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("entries/<int:pk>/swap/", views.entry_swap, name="entry_swap"),
]
