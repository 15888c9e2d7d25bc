"""Run the task worker of the configured backend (TASKS_BACKEND): `db_worker` for the
database, django-rq's `rqworker` with django-tasks-rq's job class for RQ. The Procfile
(`make run`) starts this, so one command serves either backend."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

# django-rq's worker on the default queue, running django-tasks-rq's jobs in the worker that
# warms up the planner before its first job.
RQWORKER_ARGS = (
    "rqworker",
    "default",
    "--job-class",
    "django_tasks_rq.Job",
    "--worker-class",
    "mealplan.rq_worker.PreloadedWorker",
)


class Command(BaseCommand):
    help = "Run the task worker of the configured TASKS_BACKEND (db or rq)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--burst", action="store_true", help="Work off the queue, then stop.")

    def handle(self, *args, burst: bool = False, **options) -> None:
        if settings.TASKS_BACKEND == "rq":
            extra = ["--burst"] if burst else []
            call_command(*RQWORKER_ARGS, *extra)
        else:
            extra = ["--batch", "--no-startup-delay"] if burst else []
            call_command("db_worker", *extra)
