"""schemathesis against our own OpenAPI schema (issue 14): every operation gets a bounded
number of generated requests (valid ones, then invalid ones), authenticated with a token;
every answer must be no 5xx and match the schema (status code, content type, body).

SCHEMATHESIS_MAX_EXAMPLES sets the cases per operation and mode (default 5 in `make test`;
.ci/run's own step: 20). The test prints
`schemathesis: operations=<n> cases=<n> failures=<n>`.
"""

from __future__ import annotations

import contextlib
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

schemathesis = pytest.importorskip("schemathesis")

from django.core.wsgi import get_wsgi_application  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402

from foods.tests.factories import FoodFactory, PortionFactory, meal_with  # noqa: E402
from tests.api_helpers import post_json, token_client  # noqa: E402

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))


def _checks():
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


@contextlib.contextmanager
def _keep_test_connection():
    """Keep Django's WSGI handler from closing the test's database connection after each
    request (django.test.Client does the same); on PostgreSQL that would end the test's
    transaction. Entered after any test-client request: the client reconnects the signal.
    """
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_5xx_and_no_schema_mismatch(user):
    from django.db import connection

    if connection.vendor != "sqlite":
        # Known gap: through the WSGI handler the test's PostgreSQL connection ends up closed
        # (not yet found why); .ci/run's own schemathesis step runs on SQLite.
        pytest.skip("schemathesis runs on SQLite (its .ci/run step); see the comment")
    from django.conf import settings as django_settings

    django_settings.API_THROTTLE_RATE = "100000/min"
    # A little data so that some generated ids hit real rows.
    food = FoodFactory(name="Spinach", magnesium_mg_per_100g=79.0, kcal_per_100g=None)
    PortionFactory(food=food)
    meal_with(name="Bean soup", magnesium_mg_per_100g=60.0)
    client, key = token_client(user)
    body = {"name": "Bowl", "slots": ["lunch"], "servings": 1}
    post_json(client, "/api/v1/recipes/", {**body, "ingredients": [{"food": food.pk, "grams": 1}]})

    with _keep_test_connection():
        schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    headers = {"Authorization": f"Bearer {key}"}
    checks = _checks()
    counts = {"operations": 0, "cases": 0}
    failures: list[str] = []

    def fuzz(operation, mode) -> None:
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def run(case):
            counts["cases"] += 1
            try:
                case.call_and_validate(headers=headers, checks=checks)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 — counted, not raised
                failures.append(f"{operation.label}: {type(error).__name__}: {str(error)[:600]}")

        with contextlib.suppress(Unsatisfiable):
            run()

    for result in schema.get_all_operations():
        counts["operations"] += 1
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode)

    print(
        f"\nschemathesis: operations={counts['operations']} cases={counts['cases']} "
        f"failures={len(failures)} max_examples={MAX_EXAMPLES}"
    )
    for failure in failures[:20]:
        print(" -", failure.replace("\n", " | ")[:400])
    assert counts["operations"] >= 8
    assert failures == []
