"""A user's own recipes: /recipes/ (namespace "recipes")."""

from django.urls import path

from foods import recipe_import_views, recipe_review_views, recipe_views

app_name = "recipes"

urlpatterns: list = [
    # Import from a web page, its HTML, or a Mealie/Tandoor file (recipe_import_views).
    path("import/", recipe_import_views.recipe_import, name="import"),
    path("import/url/", recipe_import_views.import_url, name="import_url"),
    path("import/html/", recipe_import_views.import_html, name="import_html"),
    path("import/file/", recipe_import_views.import_file, name="import_file"),
    path("import/confirm/", recipe_import_views.import_confirm, name="import_confirm"),
    # My recipes: list, write, edit, read, delete, copy (recipe_views).
    path("", recipe_views.recipe_list, name="list"),
    path("new/", recipe_views.recipe_create, name="create"),
    path("<int:pk>/", recipe_views.recipe_detail, name="detail"),
    path("<int:pk>/edit/", recipe_views.recipe_edit, name="edit"),
    # Delete is mealplan:recipe_delete (/plan/recipes/<pk>/delete/): it reaches into weeks.
    path("copy/<int:pk>/", recipe_views.recipe_copy_view, name="copy"),
    path("food-search/", recipe_views.food_search, name="food_search"),
    path("food-units/", recipe_views.food_units, name="food_units"),
    # Paste a list, and the review every way in ends at.
    path("paste/", recipe_review_views.paste, name="paste"),
    path("review/<str:key>/", recipe_review_views.review, name="review"),
]
