"""Planning as background jobs: start_job, run_plan_job, the weekly auto-plan and its mail."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.tests.factories import ProfileFactory
from mealplan import jobs, tasks
from mealplan.models import PlanEntry, PlanJob, WeekPlan
from mealplan.tests.factories import PlanEntryFactory, WeekPlanFactory

NEXT = date(2030, 1, 7)  # a Monday in the future: every day of it is open to planning
# Sunday 6 January 2030, 17:30 UTC: 18:30 in Berlin, 12:30 in New York, Monday in Auckland.
SUNDAY_EVENING = datetime(2030, 1, 6, 17, 30, tzinfo=UTC)

pytestmark = pytest.mark.django_db


@pytest.fixture
def dummy_queue(settings):
    """A backend that keeps tasks queued (nothing runs) so a test can look at the queue."""
    from django.tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield default_task_backend
    default_task_backend.clear()


def _entries(user, week=NEXT):
    return PlanEntry.objects.filter(plan__user=user, plan__week_start=week)


def _suggest(user, capture_on_commit):
    """Press Suggest on the user's NEXT week, running what it queues on commit."""
    with capture_on_commit(execute=True):
        return jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.SUGGEST)


def _autoplan_profile(profile, **fields):
    fields = {"autoplan_enabled": True, "autoplan_weekday": 6, "autoplan_time": time(18), **fields}
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def test_a_suggest_job_plans_the_week_after_commit(
    user, profile, catalog, django_capture_on_commit_callbacks
):
    job = _suggest(user, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert job.status == PlanJob.Status.DONE
    assert job.attempts == 1
    assert job.task_result_id
    assert job.finished_at is not None
    assert "Planned 28 meals" in job.message
    assert _entries(user).count() == 28


def test_a_live_job_is_returned_not_doubled(user, profile, dummy_queue):
    first = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.SUGGEST)
    second = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.REGENERATE)
    assert first.pk == second.pk
    assert PlanJob.objects.count() == 1


def test_the_weekly_auto_plan_is_queued_once_per_week(
    user, profile, catalog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
        again = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    assert first.pk == again.pk
    assert PlanJob.objects.filter(kind=PlanJob.Kind.AUTOPLAN).count() == 1


def test_running_a_job_twice_plans_one_week(
    user, profile, catalog, django_capture_on_commit_callbacks
):
    job = _suggest(user, django_capture_on_commit_callbacks)
    assert tasks.run_plan_job.call(job.pk) == "skipped"  # delivered twice: claimed once
    # Even reset and run again, Suggest fills only empty cells: still one week.
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.QUEUED)
    assert tasks.run_plan_job.call(job.pk) == PlanJob.Status.DONE
    assert _entries(user).count() == 28
    assert WeekPlan.objects.filter(user=user, week_start=NEXT).count() == 1


def test_the_auto_plan_keeps_locked_and_hand_planned_entries(
    user, profile, catalog, django_capture_on_commit_callbacks
):
    plan = WeekPlanFactory(user=user, week_start=NEXT)
    locked = PlanEntryFactory(
        plan=plan, date=NEXT, slot="lunch", meal=catalog["lunch"][0], locked=True
    )
    by_hand = PlanEntryFactory(
        plan=plan, date=NEXT, slot="dinner", meal=catalog["dinner"][5], servings=Decimal("2")
    )
    with django_capture_on_commit_callbacks(execute=True):
        jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    entries = _entries(user)
    assert entries.count() > 20  # the rest planned (a cell may stay empty when no meal fits)
    assert entries.get(pk=locked.pk).meal == catalog["lunch"][0]
    kept = entries.get(pk=by_hand.pk)
    assert (kept.meal, kept.servings, kept.locked) == (catalog["dinner"][5], Decimal("2"), False)


def test_the_auto_plan_mails_the_week_through_the_queue(
    user, profile, catalog, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://mg.example.org"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    # The mail went out from a callback queued by the task (the send_mail task), not inline.
    assert len(callbacks) >= 2
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "7 January" in message.subject
    assert "https://mg.example.org/plan/week/2030-01-07/" in message.body
    assert "Monday 7 January: " in message.body
    assert "Shopping list:" in message.body
    assert "breakfast food" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "Shopping list" in html and "https://mg.example.org/plan/week/2030-01-07/" in html


def test_the_mail_says_each_days_honest_status(
    user, profile, catalog, django_capture_on_commit_callbacks
):
    # Only Monday planned, one breakfast: Monday is not on target, the other days are empty.
    plan = WeekPlanFactory(user=user, week_start=NEXT)
    PlanEntryFactory(plan=plan, date=NEXT, slot="breakfast", meal=catalog["breakfast"][0])
    job = PlanJob.objects.create(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    from mealplan.plan_mail import week_mail

    with django_capture_on_commit_callbacks(execute=True):
        week_mail(job)
    body = mail.outbox[0].body
    assert "Monday 7 January: not on target" in body
    assert "Tuesday 8 January: nothing planned" in body
    assert "0 of 7 days on target" in body
    assert ": on target" not in body


def test_a_failing_task_is_retried_then_reported(
    user, profile, catalog, monkeypatch, django_capture_on_commit_callbacks
):
    plan = WeekPlanFactory(user=user, week_start=NEXT)
    PlanEntryFactory(plan=plan, date=NEXT, slot="lunch", meal=catalog["lunch"][0], locked=True)
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(tasks, "weekplan_suggest", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    job.refresh_from_db()
    assert len(calls) == tasks.MAX_ATTEMPTS == 3
    assert (job.status, job.attempts) == (PlanJob.Status.FAILED, 3)
    assert "could not plan this week after 3 tries" in job.message
    assert _entries(user).count() == 1  # the week is as it was
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "could not plan your week" in mail.outbox[0].subject


def test_a_task_that_fails_once_succeeds_on_retry(
    user, profile, catalog, monkeypatch, django_capture_on_commit_callbacks
):
    real = tasks.weekplan_suggest
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away")
        return real(**kwargs)

    monkeypatch.setattr(tasks, "weekplan_suggest", flaky)
    job = _suggest(user, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PlanJob.Status.DONE, 2)
    assert _entries(user).count() == 28


def test_a_rule_error_fails_at_once_with_its_message(
    user, profile, monkeypatch, django_capture_on_commit_callbacks
):
    from mealplan.services import PlanError

    def no_recipes(**kwargs):
        raise PlanError("You have no recipes of your own yet.")

    monkeypatch.setattr(tasks, "weekplan_suggest", no_recipes)
    job = _suggest(user, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PlanJob.Status.FAILED, 1)
    assert job.message == "You have no recipes of your own yet."


@pytest.mark.parametrize(
    ("zone", "weekday", "at", "due"),
    [
        ("Europe/Berlin", 6, time(18), NEXT),  # 18:30 local on Sunday: time has come
        ("Europe/Berlin", 6, time(19), None),  # 19:00 is still ahead
        ("America/New_York", 6, time(12), NEXT),  # 12:30 local
        ("America/New_York", 6, time(13), None),
        ("UTC", 5, time(23, 59), NEXT),  # Saturday's time passed a day ago
        # Already Monday 06:30 in Auckland: the new week's Sunday is ahead (its Monday was
        # planned last Sunday).
        ("Pacific/Auckland", 6, time(18), None),
        ("Pacific/Auckland", 0, time(6), date(2030, 1, 14)),
    ],
)
def test_the_auto_plan_is_due_in_the_users_own_time_zone(profile, zone, weekday, at, due):
    _autoplan_profile(profile, time_zone=zone, autoplan_weekday=weekday, autoplan_time=at)
    assert jobs.autoplan_week_due(profile, now=SUNDAY_EVENING) == due


def test_plan_upcoming_weeks_queues_only_the_due_and_only_once(
    db, dummy_queue, django_capture_on_commit_callbacks
):
    due = _autoplan_profile(ProfileFactory(), time_zone="Europe/Berlin")
    _autoplan_profile(ProfileFactory(), time_zone="America/New_York", autoplan_time=time(13))
    ProfileFactory(autoplan_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        first = jobs.plan_upcoming_weeks(now=SUNDAY_EVENING)
        again = jobs.plan_upcoming_weeks(now=SUNDAY_EVENING)
    assert [(j.user_id, j.week_start) for j in first] == [(due.user_id, NEXT)]
    assert again == []
    assert len(dummy_queue.results) == 1


def test_the_command_run_twice_queues_once(db, dummy_queue, django_capture_on_commit_callbacks):
    from freezegun import freeze_time

    _autoplan_profile(ProfileFactory(), time_zone="Europe/Berlin")
    with freeze_time(SUNDAY_EVENING), django_capture_on_commit_callbacks(execute=True):
        call_command("plan_upcoming_weeks", verbosity=0)
        call_command("plan_upcoming_weeks", verbosity=0)
    assert PlanJob.objects.filter(kind=PlanJob.Kind.AUTOPLAN, week_start=NEXT).count() == 1
    assert len(dummy_queue.results) == 1


def test_a_done_auto_plan_is_not_queued_again(profile, catalog, django_capture_on_commit_callbacks):
    _autoplan_profile(profile, time_zone="Europe/Berlin")
    with django_capture_on_commit_callbacks(execute=True):
        assert len(jobs.plan_upcoming_weeks(now=SUNDAY_EVENING)) == 1
    assert PlanJob.objects.get().status == PlanJob.Status.DONE
    assert jobs.plan_upcoming_weeks(now=SUNDAY_EVENING) == []
    assert len(mail.outbox) == 1


def test_only_the_mail_task_sends_mail():
    """Mail leaves through accounts.tasks.send_mail (the worker), never inside a request."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    senders = {
        str(path.relative_to(root))
        for app in ("accounts", "foods", "mealplan")
        for path in (root / app).rglob("*.py")
        if "tests" not in path.parts
        and any(
            word in path.read_text()
            for word in ("from django.core.mail import", "from django.core import mail")
        )
    }
    assert senders == {"accounts/tasks.py"}


# Committed for real: the worker closes database connections, a test transaction's too.
@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_db_worker_plans_the_week_and_sends_the_mail(user, profile, catalog, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    assert DBTaskResult.objects.get().task_path == "mealplan.tasks.run_plan_job"
    assert mail.outbox == []
    call_command("tasks_worker", "--burst", verbosity=0)
    job.refresh_from_db()
    assert job.status == PlanJob.Status.DONE
    assert _entries(user).count() == 28
    assert [m.to for m in mail.outbox] == [[user.email]]


# A job left running by a worker that died mid-solve (issue 14): stale after
# PLAN_JOB_STALE_AFTER_S, then queued again, or failed after its last attempt.


def _running(user, *, kind=PlanJob.Kind.SUGGEST, attempts=1, age_s=3600):
    from datetime import timedelta

    from django.utils import timezone

    job = PlanJob.objects.create(
        user=user, week_start=NEXT, kind=kind, status=PlanJob.Status.RUNNING, attempts=attempts
    )
    PlanJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(seconds=age_s))
    return job


def test_a_stale_running_job_is_queued_again_by_start_job(
    user, profile, dummy_queue, settings, django_capture_on_commit_callbacks
):
    settings.PLAN_JOB_STALE_AFTER_S = 900
    dead = _running(user, age_s=901)
    job = _suggest(user, django_capture_on_commit_callbacks)
    assert job.pk == dead.pk
    job.refresh_from_db()
    assert (job.status, job.attempts, job.message) == (
        PlanJob.Status.QUEUED, 1, jobs.STALE_MESSAGE
    )  # fmt: skip
    assert len(dummy_queue.results) == 1
    assert job.task_result_id == dummy_queue.results[0].id


def test_a_recently_updated_running_job_is_left_alone(
    user, profile, dummy_queue, settings, django_capture_on_commit_callbacks
):
    settings.PLAN_JOB_STALE_AFTER_S = 900
    alive = _running(user, age_s=60)
    job = _suggest(user, django_capture_on_commit_callbacks)
    assert job.pk == alive.pk
    assert job.status == PlanJob.Status.RUNNING
    assert dummy_queue.results == []


def test_a_stale_job_after_its_last_attempt_fails_and_frees_the_week(
    user, profile, dummy_queue, django_capture_on_commit_callbacks
):
    dead = _running(user, attempts=tasks.MAX_ATTEMPTS)
    job = _suggest(user, django_capture_on_commit_callbacks)
    dead.refresh_from_db()
    assert dead.status == PlanJob.Status.FAILED
    assert "after 3 tries" in dead.message
    assert dead.finished_at is not None
    assert job.pk != dead.pk and job.status == PlanJob.Status.QUEUED
    assert len(dummy_queue.results) == 1


def test_a_stale_auto_plan_after_its_last_attempt_tells_the_user(
    user, profile, django_capture_on_commit_callbacks
):
    _running(user, kind=PlanJob.Kind.AUTOPLAN, attempts=tasks.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.reclaim_stale_jobs() == 1
    assert PlanJob.objects.get().status == PlanJob.Status.FAILED
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "could not plan your week" in mail.outbox[0].subject


def test_plan_upcoming_weeks_replans_a_week_whose_worker_died(
    profile, catalog, django_capture_on_commit_callbacks
):
    _autoplan_profile(profile, time_zone="Europe/Berlin")
    dead = _running(profile.user, kind=PlanJob.Kind.AUTOPLAN)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.plan_upcoming_weeks(now=SUNDAY_EVENING)
    dead.refresh_from_db()
    assert (dead.status, dead.attempts) == (PlanJob.Status.DONE, 2)
    assert _entries(profile.user).count() == 28
    assert PlanJob.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_incomplete_profile_fails_the_auto_plan_at_once_and_says_why(
    user, profile, catalog, django_capture_on_commit_callbacks
):
    """Pages and the API refuse Suggest without birth date and sex; so does the worker."""
    profile.sex = ""
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(user=user, week_start=NEXT, kind=PlanJob.Kind.AUTOPLAN)
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PlanJob.Status.FAILED, 1)
    assert "birth date and sex" in job.message
    assert not _entries(user).exists()
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert "birth date and sex" in mail.outbox[0].body
