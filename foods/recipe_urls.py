"""A user's own recipes: /recipes/ (namespace "recipes")."""

from django.urls import path

from foods import recipe_views

app_name = "recipes"

urlpatterns: list = [
    # My recipes pages (h-crud)
    path("", recipe_views.recipe_list, name="list"),
    path("new/", recipe_views.recipe_create, name="create"),
    path("<int:pk>/", recipe_views.recipe_detail, name="detail"),
    path("<int:pk>/edit/", recipe_views.recipe_edit, name="edit"),
    path("<int:pk>/delete/", recipe_views.recipe_delete_view, name="delete"),
    path("copy/<int:pk>/", recipe_views.recipe_copy_view, name="copy"),
    path("food-search/", recipe_views.food_search, name="food_search"),
    path("food-units/", recipe_views.food_units, name="food_units"),
]
