"""The REST API's URLs: /api/v1/ (each app's api.py registers its views here), the
OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from foods import api as foods_api
from mealplan import api as plan_api

router = DefaultRouter()
router.include_root_view = False

# foods (issue 14, apicore)
router.register("foods", foods_api.FoodViewSet, basename="food")
router.register("meals", foods_api.MealViewSet, basename="meal")
router.register("recipes", plan_api.RecipeViewSet, basename="recipe")

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
    path("jobs/<str:job_id>/", plan_api.JobDetail.as_view(), name="job"),
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


class SwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from local static files, its start-up script a separate file (CSP)."""

    template_name = "api/swagger_ui.html"


@csrf_exempt  # it writes nothing; a PUT to a bad address is a JSON 404, not a CSRF page
def not_found(request, rest: str = "") -> JsonResponse:
    """Any other address under /api/: a 404 in the API's JSON error shape."""
    message = "No such API address; see /api/docs/."
    return JsonResponse({"detail": message, "errors": {}}, status=404)


urlpatterns = [
    # accounts (issue 14, apicore)
    path("v1/profile/", accounts_api.ProfileTargetsView.as_view(), name="profile"),
    path("v1/", include(plan_urlpatterns)),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<rest>[\s\S]*)\Z", not_found),
]
