"""Root URLs: the home page, accounts, the catalog and the weekly plans."""

from django.contrib import admin
from django.urls import include, path

from accounts.views import PasswordResetView
from mealplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    # Ahead of contrib.auth's own: throttled, links from SITE_URL, mail sent by a task.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("foods.urls")),
    path("plan/", include("mealplan.plan_urls")),
    path("admin/", admin.site.urls),
]
