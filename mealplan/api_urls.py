"""The REST API's URLs: /api/v1/ (each app's api.py registers its views here), the
OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/."""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from foods import api as foods_api

router = DefaultRouter()
router.include_root_view = False

# foods (issue 14, apicore)
router.register("foods", foods_api.FoodViewSet, basename="food")
router.register("meals", foods_api.MealViewSet, basename="meal")
router.register("recipes", foods_api.RecipeViewSet, basename="recipe")

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
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    re_path(r"^(?P<rest>[\s\S]*)\Z", not_found),
]
