"""/healthz/: ok only while the database answers, and an answer within two seconds."""

import socket
import threading
import time

import pytest
from django.db import OperationalError, connections
from django.urls import reverse

from mealplan import health
from tests.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_healthz_is_ok_while_the_database_answers(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    def refuse(self, name=None):
        raise OperationalError("server closed the connection unexpectedly")

    # Every cursor, whether the connection is new or kept (an in-memory SQLite one is kept).
    monkeypatch.setattr(type(connections["default"]), "create_cursor", refuse)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.content.decode() == "database: OperationalError\n"


def test_healthz_answers_503_within_two_seconds_when_the_database_hangs(client, monkeypatch):
    released = threading.Event()
    original = type(connections["default"]).create_cursor

    def hang(self, name=None):
        released.wait(timeout=30)
        return original(self, name)

    monkeypatch.setattr(type(connections["default"]), "create_cursor", hang)
    try:
        started = time.monotonic()
        response = client.get(reverse("healthz"))
        elapsed = time.monotonic() - started
    finally:
        released.set()
    assert response.status_code == 503
    assert response.content.decode() == "database: no answer in time\n"
    assert elapsed < health.HEALTH_CHECK_TIMEOUT_S


def test_every_check_is_run_and_each_failure_named():
    def broken() -> None:
        raise RuntimeError("queue down")

    failures = health.failed_checks({"database": health.check_database, "tasks": broken})
    assert failures == {"tasks": "RuntimeError"}


def test_healthz_on_a_postgresql_server_that_never_answers():
    """A real connection attempt to a server that accepts TCP but never speaks."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        # The home page first, so the timed request is not the process's first one.
        code = (
            "import time; from django.test import Client; c = Client(HTTP_HOST='localhost'); "
            "c.get('/'); t = time.monotonic(); r = c.get('/healthz/'); "
            "print(r.status_code, round(time.monotonic() - t, 2), r.content.decode().strip())"
        )
        result = run_manage(
            "shell", "-c", code, DATABASE_URL=f"postgres://mg@127.0.0.1:{port}/mealplan"
        )
    assert result.returncode == 0, result.stderr
    status, elapsed, body = result.stdout.strip().splitlines()[-1].split(" ", 2)
    assert status == "503"
    assert float(elapsed) < health.HEALTH_CHECK_TIMEOUT_S
    assert body == "database: no answer in time"
