"""Health checks for /healthz/: each names what it checks and raises when that is down."""

from __future__ import annotations

import concurrent.futures
import time
from collections.abc import Callable

from django.db import connection

# A load balancer waits about this long; a check still running then counts as failed.
HEALTH_CHECK_TIMEOUT_S = 2.0
# What is left of the budget for answering once the checks are done.
HEALTH_ANSWER_MARGIN_S = 0.3


def check_database() -> None:
    """Run the cheapest query there is."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _run(check: Callable[[], None]) -> None:
    # A fresh connection every time: it proves the server still accepts new ones (a worker's
    # kept connection can outlive that), and none is left open in this thread.
    try:
        check()
    finally:
        connection.close()


# Each check runs here, never in the request's thread, so a database that does not answer
# (connect or query) cannot hold the request past the deadline.
_executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthz")

HEALTH_CHECKS: dict[str, Callable[[], None]] = {"database": check_database}


def failed_checks(checks: dict[str, Callable[[], None]] | None = None) -> dict[str, str]:
    """Run every check within HEALTH_CHECK_TIMEOUT_S; return what failed and why."""
    deadline = time.monotonic() + HEALTH_CHECK_TIMEOUT_S - HEALTH_ANSWER_MARGIN_S
    failures = {}
    for name, check in (HEALTH_CHECKS if checks is None else checks).items():
        future = _executor.submit(_run, check)
        try:
            future.result(timeout=max(0.0, deadline - time.monotonic()))
        except concurrent.futures.TimeoutError:
            future.cancel()  # if still queued behind a stuck check, do not pile up
            failures[name] = "no answer in time"
        except Exception as error:  # noqa: BLE001 - any failure means unhealthy
            failures[name] = type(error).__name__
    return failures
