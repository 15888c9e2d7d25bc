"""The OpenAPI schema is valid and Swagger UI works under our CSP (issue 14)."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_3(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    assert schema["components"]["securitySchemes"]["tokenAuth"]["scheme"] == "bearer"
    for path in ("/api/v1/foods/", "/api/v1/meals/", "/api/v1/recipes/", "/api/v1/profile/"):
        assert path in schema["paths"]


def test_spectacular_validate_has_no_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml")
    )


def test_docs_page_loads_local_files_only(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html  # nothing inline for the CSP
    assert "cdn" not in html.lower() and "https://" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_with_no_csp_violation(page, live_server, csp_violations):
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(live_server.url + "/api/docs/")
    page.locator(".opblock").first.wait_for(timeout=15_000)
    assert page.locator(".opblock").count() >= 8
    assert page.get_by_text("/api/v1/recipes/").first.is_visible()
    page.locator(".opblock-summary").first.click()  # an operation opens
    page.locator(".opblock-body").first.wait_for()
    assert csp_violations == []
    assert failed == []
