"""A user's own recipes: /recipes/ (namespace "recipes")."""

from django.urls import path

from foods import recipe_review_views

app_name = "recipes"

urlpatterns: list = [
    # Paste a list, and the review every way in ends at.
    path("paste/", recipe_review_views.paste, name="paste"),
    path("review/<str:key>/", recipe_review_views.review, name="review"),
]
