"""The same planning task on RQ with a real Redis (127.0.0.1:6379, a database of its own),
worked off in-process by RQ's SimpleWorker in burst mode.

Skipped only when Redis cannot be reached and CI is not set; under CI it fails instead.
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from django.core import mail

from mealplan import jobs
from mealplan.models import PlanEntry, PlanJob

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
NEXT = date(2030, 1, 7)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rq_backend(settings):
    import redis

    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"Redis at {REDIS_URL} is required under CI: {error}")
        pytest.skip(f"Redis at {REDIS_URL} cannot be reached: {error}")
    connection.flushdb()
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "django_rq", "django_tasks_rq"]
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield connection
    connection.flushdb()


def _work_off() -> int:
    import django_rq
    from django_tasks_rq import Job
    from rq import SimpleWorker

    queue = django_rq.get_queue("default", job_class=Job)
    worker = SimpleWorker([queue], connection=queue.connection, job_class=Job)
    worker.work(burst=True)
    return worker.successful_job_count


def test_the_auto_plan_runs_on_rq_with_a_real_redis(
    rq_backend, user, profile, catalog, django_capture_on_commit_callbacks
):
    import django_rq

    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    job.refresh_from_db()
    assert job.status == PlanJob.Status.QUEUED  # in Redis, not run yet
    assert django_rq.get_queue("default").count == 1
    with django_capture_on_commit_callbacks(execute=True):
        _work_off()  # the planning task, which queues the mail task
    with django_capture_on_commit_callbacks(execute=True):
        _work_off()  # the mail
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PlanJob.Status.DONE, 1)
    assert PlanEntry.objects.filter(plan__user=user, plan__week_start=NEXT).count() == 28
    assert [m.to for m in mail.outbox] == [[user.email]]
    from django.tasks import default_task_backend

    assert default_task_backend.get_result(job.task_result_id).status == "SUCCESSFUL"


def test_the_rq_worker_warms_up_without_the_database(django_assert_num_queries):
    """Before its first fork: urlconfs, mail templates, the task module; no query (a horse must
    not inherit its parent's connection)."""
    from mealplan.rq_worker import warm_up

    with django_assert_num_queries(0):
        warm_up()


def test_tasks_worker_runs_rq_with_the_warmed_up_worker(settings, monkeypatch):
    from django.core.management import call_command

    from mealplan.management.commands import tasks_worker

    calls = []
    monkeypatch.setattr(tasks_worker, "call_command", lambda *a: calls.append(a))
    settings.TASKS_BACKEND = "rq"
    call_command("tasks_worker", "--burst")
    assert calls == [(*tasks_worker.RQWORKER_ARGS, "--burst")]
    args = tasks_worker.RQWORKER_ARGS
    assert args[:2] == ("rqworker", "default")
    assert args[args.index("--job-class") + 1] == "django_tasks_rq.Job"
    assert args[args.index("--worker-class") + 1] == "mealplan.rq_worker.PreloadedWorker"
