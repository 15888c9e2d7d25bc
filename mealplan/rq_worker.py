"""The RQ worker for planning tasks: what every job needs is loaded once, before the forks.

RQ's default Worker forks a work horse per job, so whatever a job imports or compiles on
first use (the URL patterns that the week mail's link reverses, which import every view and
pint; the mail templates; the planner) was paid again by every job: about 1 s of each task
(bench/batch.py). Loaded in the parent before its first fork, each horse inherits it. No
database connection is opened here (a horse must not share its parent's).
"""

from __future__ import annotations

from rq.worker import Worker


def warm_up() -> None:
    """Import and compile, once per worker process, what a planning task uses."""
    from django.template.loader import get_template
    from django.urls import get_resolver

    import mealplan.plan_mail  # noqa: F401
    import mealplan.tasks  # noqa: F401

    get_resolver().reverse_dict  # noqa: B018 (imports every urlconf, fills the reverse table)
    for name in ("mealplan/mail/week.txt", "mealplan/mail/week.html", "mealplan/mail/failed.txt"):
        get_template(name)


class PreloadedWorker(Worker):
    """rq's Worker that warms up before its loop; pass `--worker-class` this class."""

    def work(self, *args, **kwargs):
        warm_up()
        return super().work(*args, **kwargs)
