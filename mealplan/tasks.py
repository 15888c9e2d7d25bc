"""Background solves: run_plan_job plans a week (a user's own or a household's) through the
same services as the pages.

Idempotent: a job is claimed once (queued -> running in one UPDATE), so a task delivered
twice plans the week once; Suggest and the weekly auto-plan fill only empty cells, so a
second run of a finished week adds nothing. A failure leaves the week as it was (the write
is one transaction) and is retried up to MAX_ATTEMPTS times; then the job is failed and
the user is told (the week page shows the job's message, and a mail goes out).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone

from accounts.selectors import profile_for
from mealplan.household_services import CHANGED_MESSAGE as HOUSEHOLD_CHANGED_MESSAGE
from mealplan.household_services import household_week_suggest
from mealplan.models import PlanJob
from mealplan.services import BUSY_MESSAGE, CHANGED_MESSAGE, PlanError, weekplan_suggest

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
FAILED_MESSAGE = (
    "We could not plan this week after {attempts} tries; your week is as it was. "
    "Please try Suggest again later."
)
RETRYABLE = (BUSY_MESSAGE, CHANGED_MESSAGE, HOUSEHOLD_CHANGED_MESSAGE)


def _claim(job_id: int) -> PlanJob | None:
    """Mark the job running, once: None if another worker has it or it is over."""
    claimed = PlanJob.objects.filter(pk=job_id, status=PlanJob.Status.QUEUED).update(
        status=PlanJob.Status.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return None
    return PlanJob.objects.select_related("user", "household").get(pk=job_id)


def _solve(job: PlanJob) -> str:
    """Plan the week as the job asks; return the message for the user."""
    # "Today" is the asking user's (the page they clicked on showed their days).
    today = timezone.localdate(timezone=profile_for(job.user).zone)
    asked = {
        "week_start": job.week_start,
        "replace_unlocked": job.kind == PlanJob.Kind.REGENERATE,
        "include_past": job.include_past,
        "today": today,
        "time_budget_s": settings.PLANNER_TIME_BUDGET_S,
    }
    if job.household_id:
        added = household_week_suggest(household=job.household, **asked).added
        if added == 0:
            return "Nothing to plan: every open day of the household's week is already planned."
        return f"Planned {added} dish{'es' if added != 1 else ''} for the household."
    added = weekplan_suggest(user=job.user, **asked).added
    if added == 0:
        return "Nothing to plan: every open day of this week is already planned."
    return f"Planned {added} meal{'s' if added != 1 else ''}."


def _finish(job: PlanJob, *, status: str, message: str) -> None:
    PlanJob.objects.filter(pk=job.pk).update(
        status=status, message=message, finished_at=timezone.now(), updated_at=timezone.now()
    )
    job.status, job.message = status, message


def _retry_or_fail(job: PlanJob, *, message: str) -> None:
    if job.attempts < MAX_ATTEMPTS:
        PlanJob.objects.filter(pk=job.pk).update(
            status=PlanJob.Status.QUEUED, message=message, updated_at=timezone.now()
        )
        from mealplan.jobs import enqueue_job

        transaction.on_commit(lambda: enqueue_job(job.pk, retry=True))
        return
    _finish(job, status=PlanJob.Status.FAILED, message=message)
    _notify_failed(job)


@task
def run_plan_job(job_id: int) -> str:
    """Plan one PlanJob's week; returns the job's status."""
    job = _claim(job_id)
    if job is None:
        return "skipped"
    try:
        message = _solve(job)
    except PlanError as error:
        if str(error) in RETRYABLE:
            _retry_or_fail(job, message=str(error))
        else:  # a rule the user must change (no recipes, ...): retrying cannot help
            _finish(job, status=PlanJob.Status.FAILED, message=str(error))
            _notify_failed(job)
        return job.status
    except Exception:
        logger.exception("plan job %s failed (attempt %s)", job.pk, job.attempts)
        _retry_or_fail(job, message=FAILED_MESSAGE.format(attempts=job.attempts))
        return PlanJob.Status.FAILED if job.attempts >= MAX_ATTEMPTS else "retrying"
    _finish(job, status=PlanJob.Status.DONE, message=message)
    if job.kind == PlanJob.Kind.AUTOPLAN:
        _send_week_mail(job)
    return job.status


def _notify_failed(job: PlanJob) -> None:
    """The user hears of a failed weekly auto-plan by mail; the week page shows any job."""
    if job.kind != PlanJob.Kind.AUTOPLAN or not job.user.email:
        return
    from mealplan.plan_mail import failed_mail

    failed_mail(job)


def _send_week_mail(job: PlanJob) -> None:
    if not job.user.email:
        return
    from mealplan.plan_mail import week_mail

    week_mail(job)
