"""Shared pytest fixtures: users, logged-in clients, and the browser set-up."""

from __future__ import annotations

import os
import shutil

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
def _plain_static_storage(settings):
    """Serve static files without the manifest (it needs collectstatic)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; playwright cannot download its own here."""
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM}; browser tests skipped")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
