"""Planning as background jobs: one PlanJob row per solve, the task enqueued after commit.

A week (a user's own, or a household's) has at most one live job (queued or running), and a
personal week at most one weekly auto-plan (the PlanJob constraints); start_job returns the
job already there instead of a second one.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Household, Profile, User
from mealplan.models import LIVE_JOB, PlanJob


def _existing(
    *, user: User, household: Household | None, week_start: date, kind: str
) -> PlanJob | None:
    jobs = PlanJob.objects.filter(week_start=week_start)
    jobs = jobs.filter(household=household) if household else jobs.personal().filter(user=user)
    same = LIVE_JOB
    if kind == PlanJob.Kind.AUTOPLAN:
        same |= Q(kind=PlanJob.Kind.AUTOPLAN)
    return jobs.filter(same).first()


def start_job(
    *,
    user: User,
    week_start: date,
    kind: str,
    household: Household | None = None,
    include_past: bool = False,
) -> PlanJob:
    """Queue a solve of the user's week (or, given one, their household's week), or return
    the week's live job (or its auto-plan)."""
    if kind not in PlanJob.Kind.values:
        raise ValueError(f"unknown plan job kind {kind!r}")
    if household is not None and kind == PlanJob.Kind.AUTOPLAN:
        raise ValueError("the weekly auto-plan plans personal weeks only")
    week = {"user": user, "household": household, "week_start": week_start, "kind": kind}
    with transaction.atomic():
        if job := _existing(**week):
            return job
        try:
            with transaction.atomic():
                job = PlanJob.objects.create(**week, include_past=include_past)
        except IntegrityError:  # another request queued one meanwhile
            job = _existing(**week)
            if job is None:
                raise
            return job
        transaction.on_commit(partial(enqueue_job, job.pk))
    return job


def enqueue_job(job_id: int, *, retry: bool = False) -> None:
    """Hand the job to the task backend and remember the task's id."""
    from mealplan.tasks import run_plan_job

    result = run_plan_job.enqueue(job_id)
    PlanJob.objects.filter(pk=job_id).update(task_result_id=result.id)


def autoplan_week_due(profile, *, now: datetime) -> date | None:
    """The Monday of the week to auto-plan now, or None: once the profile's weekday and time
    (in its own time zone) have passed in the current week, the next week is due."""
    local = now.astimezone(profile.zone)
    monday = local.date() - timedelta(days=local.weekday())
    moment = datetime.combine(
        monday + timedelta(days=profile.autoplan_weekday), profile.autoplan_time, profile.zone
    )
    return monday + timedelta(days=7) if local >= moment else None


def plan_upcoming_weeks(*, now: datetime | None = None) -> list[PlanJob]:
    """Queue the weekly auto-plan of every user whose time has come this week; a week
    already auto-planned (or queued) is never queued again. Returns the jobs queued."""
    now = now or timezone.now()
    profiles = Profile.objects.filter(autoplan_enabled=True, user__is_active=True).select_related(
        "user"
    )
    due = [(p, week) for p in profiles if (week := autoplan_week_due(p, now=now))]
    done = set(
        PlanJob.objects.filter(
            kind=PlanJob.Kind.AUTOPLAN, week_start__in={week for _, week in due}
        ).values_list("user_id", "week_start")
    )
    queued = []
    for profile, week in due:
        if (profile.user_id, week) in done:
            continue
        job = start_job(user=profile.user, week_start=week, kind=PlanJob.Kind.AUTOPLAN)
        if job.kind == PlanJob.Kind.AUTOPLAN and job.status == PlanJob.Status.QUEUED:
            queued.append(job)
    return queued
