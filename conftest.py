"""Shared pytest fixtures: users, logged-in clients, and the browser set-up."""

from __future__ import annotations

import importlib
import os
import shutil
import uuid

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
    """Serve static files without the manifest (it needs collectstatic); plan quickly.

    The planner finds a plan meeting every target in well under a second; tests need not
    wait for the polish on catalogs where it cannot prove optimality.
    """
    settings.PLANNER_TIME_BUDGET_S = 0.4
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


# Rows that data migrations create; a live-server test's flush removes them.
DATA_MIGRATIONS = [
    ("foods.migrations.0002_allergens", "create_allergens"),
]


@pytest.fixture(autouse=True)
def _migration_data_after_flush(request):
    """Put back what data migrations made before a live-server test runs.

    Transactional tests end with a flush; serialized rollback would restore the rows,
    but pytest-playwright's fixtures run before it can for live-server tests.
    """
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)


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
