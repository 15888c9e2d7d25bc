"""A user's own recipes: /recipes/ (namespace "recipes")."""

from django.urls import path

from foods import recipe_import_views

app_name = "recipes"

urlpatterns: list = [
    # Import from a web page, its HTML, or a Mealie/Tandoor file (recipe_import_views).
    path("import/", recipe_import_views.recipe_import, name="import"),
    path("import/url/", recipe_import_views.import_url, name="import_url"),
    path("import/html/", recipe_import_views.import_html, name="import_html"),
    path("import/file/", recipe_import_views.import_file, name="import_file"),
    path("import/confirm/", recipe_import_views.import_confirm, name="import_confirm"),
]
