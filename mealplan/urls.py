"""Root URLs: the home page, accounts, the catalog and the weekly plans."""

from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from accounts.views import PasswordResetView
from mealplan import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page links to. Lazy: the static files'
    # manifest is read on the first request, not when the URLs load.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.svg"))),
    # Ahead of contrib.auth's own: throttled, links from SITE_URL, mail sent by a task.
    path("accounts/password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("accounts.urls")),
    path("catalog/", include("foods.urls")),
    path("recipes/", include("foods.recipe_urls")),
    path("plan/", include("mealplan.plan_urls")),
    path("api/", include("mealplan.api_urls")),
    path("", include("mealplan.intake_urls")),
    path("admin/", admin.site.urls),
]
