"""Shared pytest fixtures: users, logged-in clients, and the browser set-up."""

from __future__ import annotations

import functools
import importlib
import os
import shutil
import uuid
from types import SimpleNamespace

import pytest

# Live-server tests run Django's ORM from playwright's event loop thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Serve static files without the manifest (it needs collectstatic); hash quickly.

    The planner's node limits end its search deterministically; the time budget is only a
    last resort, kept generous so that a busy test machine still plans the same weeks.
    PBKDF2's 1.5 M rounds cost most of a test's time wherever a user is made or logs in;
    MD5 runs the same code.
    """
    settings.PLANNER_TIME_BUDGET_S = 5.0
    settings.PLANNER_INTERACTIVE_BUDGET_S = 5.0
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run at once, inside the test (a test about the queue switches the backend back).
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    # Throttle counters start at zero in every test: in memory, under a name of its own (the
    # database cache's rows would outlive live-server tests' flushes).
    settings.CACHES = {
        **settings.CACHES,
        "throttle": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"throttle-{uuid.uuid4()}",
        },
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# Rows that data migrations create; a transactional test's flush removes them.
DATA_MIGRATIONS = [
    ("foods.migrations.0002_allergens", "create_allergens"),
    ("foods.migrations.0003_catalog_curator_group", "create_curator_group"),
]
_flushed = {"since_migrate": False}


@functools.cache
def _migration_apps():
    """Return the models as the migrations see them (the functions are written for those)."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection)
    return loader.project_state(loader.graph.leaf_nodes()).apps


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        {"live_server", "transactional_db"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )


@pytest.fixture(autouse=True)
def _migration_data_after_flush(request):
    """Put back what data migrations made once a transactional test has flushed them.

    Transactional tests end with a flush, and pytest-django runs tests that reach the
    database only through a fixture after them; pytest-playwright's fixtures also run
    before serialized rollback can restore the rows for live-server tests.
    """
    transactional = _is_transactional(request)
    uses_db = (
        transactional
        or "db" in request.fixturenames
        or request.node.get_closest_marker("django_db") is not None
    )
    if uses_db and (transactional or _flushed["since_migrate"]):
        request.getfixturevalue("transactional_db" if transactional else "db")
        from django.db import connection

        editor = SimpleNamespace(connection=connection)  # all the migrations read of it
        for module, function in DATA_MIGRATIONS:
            getattr(importlib.import_module(module), function)(_migration_apps(), editor)
    yield
    if transactional:
        _flushed["since_migrate"] = True


@pytest.fixture
def password() -> str:
    return "Magnesium-420-mg!"


@pytest.fixture
def user(db, password):
    from accounts.tests.factories import UserFactory

    return UserFactory(password=password)


@pytest.fixture
def other_user(db, password):
    from accounts.tests.factories import UserFactory

    return UserFactory(password=password)


@pytest.fixture
def user_client(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def csp_violations(page) -> list[str]:
    """Collect the page's Content-Security-Policy violations from the console."""
    seen: list[str] = []

    def note(message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            seen.append(message.text)

    page.on("console", note)
    return seen


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; playwright cannot download its own here."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; browser tests skipped")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


AXE_IMPACTS = ("critical", "serious", "moderate", "minor")
AXE_BLOCKING = ("critical", "serious")


@pytest.fixture
def axe(page):
    """Return a function that runs axe-core on the page shown and prints violations by impact.

    The function returns {impact: ["rule-id: selector, ..."]}; a test asserts the blocking
    impacts are empty. axe.min.js comes inside axe-playwright-python: nothing is fetched.
    """
    from axe_playwright_python.sync_playwright import Axe

    engine = Axe()

    def run(name: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {impact: [] for impact in AXE_IMPACTS}
        for violation in engine.run(page).response["violations"]:
            targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
            found[violation["impact"] or "minor"].append(f"{violation['id']}: {targets}")
        counts = ", ".join(f"{impact} {len(found[impact])}" for impact in AXE_IMPACTS)
        print(f"axe {name}: {counts}")
        for impact in AXE_IMPACTS:
            for line in found[impact]:
                print(f"    {impact} {line}")
        return found

    return run


@pytest.fixture(scope="session")
def _curated_catalog_json(django_db_setup, django_db_blocker) -> str:
    """Load the curated catalog once a session, keep its rows as JSON, and roll it back.

    Loading reads some 700,000 SR28 rows (about 2 s a test); restoring the rows is cheap.
    """
    from io import StringIO

    from django.apps import apps
    from django.core import serializers
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_catalog", "--only-needed", "--no-progress", stdout=StringIO())
        rows = [
            row
            for model in apps.get_app_config("foods").get_models()
            for row in model._base_manager.order_by("pk")
        ]
        data = serializers.serialize("json", rows)
        transaction.set_rollback(True)
    return data


@pytest.fixture
def curated_catalog(db, _curated_catalog_json) -> None:
    """Put the curated catalog (`load_catalog --only-needed`) in this test's database."""
    from django.core import serializers

    by_model: dict[type, list] = {}
    links = []
    for row in serializers.deserialize("json", _curated_catalog_json):
        by_model.setdefault(type(row.object), []).append(row.object)
        for name, target_ids in (row.m2m_data or {}).items():
            field = row.object._meta.get_field(name)
            through = field.remote_field.through
            links += [
                through(
                    **{
                        f"{field.m2m_field_name()}_id": row.object.pk,
                        f"{field.m2m_reverse_field_name()}_id": target_id,
                    }
                )
                for target_id in target_ids
            ]
    from foods.models import Allergen

    # Allergens are there already (a data migration makes them), but after a transactional
    # test's flush they are made again under new ids on PostgreSQL: put back the ids the
    # snapshot's links point to.
    Allergen.objects.all().delete()
    for model, objects in by_model.items():
        model._base_manager.bulk_create(objects, ignore_conflicts=True)
    for through in {type(link) for link in links}:
        through.objects.bulk_create([link for link in links if type(link) is through])
