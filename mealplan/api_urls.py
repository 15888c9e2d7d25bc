"""The REST API's URLs: /api/v1/ (each app's api.py registers its views here), the
OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from mealplan import api as plan_api

router = DefaultRouter()

# ---- Plans (issue 14, helper "apiplans"): weeks, entries, shopping list, household week.
plan_urlpatterns = [
    path("weeks/<str:week_start>/", plan_api.WeekDetail.as_view(), name="week"),
    path("weeks/<str:week_start>/suggest/", plan_api.WeekSuggest.as_view(), name="week_suggest"),
    path(
        "weeks/<str:week_start>/regenerate/",
        plan_api.WeekRegenerate.as_view(),
        name="week_regenerate",
    ),
    path("weeks/<str:week_start>/entries/", plan_api.EntryAdd.as_view(), name="entry_add"),
    path("entries/<str:entry_id>/", plan_api.EntryDetail.as_view(), name="entry"),
    path("entries/<str:entry_id>/lock/", plan_api.EntryLock.as_view(), name="entry_lock"),
    path("entries/<str:entry_id>/swap/", plan_api.EntrySwap.as_view(), name="entry_swap"),
    path("shopping/", plan_api.ShoppingListView.as_view(), name="shopping"),
    path("shopping/ticks/", plan_api.ShoppingTickView.as_view(), name="shopping_tick"),
    path(
        "household/weeks/<str:week_start>/",
        plan_api.HouseholdWeek.as_view(),
        name="household_week",
    ),
    path(
        "household/weeks/<str:week_start>/suggest/",
        plan_api.HouseholdSuggest.as_view(),
        name="household_suggest",
    ),
]
# ---- end of plans

app_name = "api"

urlpatterns = [
    path("v1/", include(plan_urlpatterns)),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
