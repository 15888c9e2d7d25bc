"""Root URLs: the home page, accounts, the catalog and the weekly plans."""

from django.contrib import admin
from django.urls import include, path

from mealplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("foods.urls")),
    path("plan/", include("mealplan.plan_urls")),
    path("admin/", admin.site.urls),
]
