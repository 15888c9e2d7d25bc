"""A user's own recipes: /recipes/ (namespace "recipes")."""

from django.urls import path  # noqa: F401

app_name = "recipes"

urlpatterns: list = []
