"""A household week beyond the interactive budget is planned as a task, as a personal one is;
a job remembers "Also fill past days"; a personal and a household job of one week coexist."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Member
from accounts.tests.factories import ProfileFactory, dependent, household_with_owner
from mealplan import jobs, tasks
from mealplan.household_selectors import household_suggest_size
from mealplan.models import PlanEntry, PlanJob, WeekPlan
from mealplan.tests.factories import PlanEntryFactory

pytestmark = pytest.mark.django_db

PAST = date(2020, 1, 6)  # a Monday long gone: planned only with "Also fill past days"
QUEUED_TEXT = "Planning the household&rsquo;s week&hellip; (queued)"


@pytest.fixture
def household(user, profile):
    household = household_with_owner(user, "The Smiths")
    dependent(household, "Mia", age=7, kcal_min=900, kcal_max=1500)
    return household


@pytest.fixture
def partner(household):
    """A second user member of the household."""
    other = ProfileFactory(birth_date=date(1986, 5, 1), sex="female").user
    Member.objects.create(household=household, user=other)
    return other


@pytest.fixture
def outsider(db):
    """A user in a household of their own."""
    other = ProfileFactory(birth_date=date(1980, 1, 1), sex="female").user
    household_with_owner(other, "The Joneses")
    return other


def login(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def url(name, week_start):
    return reverse(f"mealplan:{name}", kwargs={"week_start": week_start})


def job_url(job):
    return reverse("mealplan:plan_job", args=[job.pk])


def household_entries(household, week_start):
    return PlanEntry.objects.filter(plan__household=household, plan__week_start=week_start)


def household_job(household, week_start, **fields) -> PlanJob:
    values = {"user": household.owner, "kind": PlanJob.Kind.SUGGEST, **fields}
    return PlanJob.objects.create(household=household, week_start=week_start, **values)


# -- the estimate ----------------------------------------------------------------------------


def size_of(household, week_start):
    return household_suggest_size(
        household=household,
        week_start=week_start,
        replace_unlocked=False,
        include_past=False,
        today=timezone.localdate(),
    )


def test_the_household_solve_is_sized_by_its_members_and_open_cells(household, catalog, next_week):
    size = size_of(household, next_week)
    assert (size.candidates, size.cells, size.eaters) == (24, 28, 2)
    dependent(household, "Ben", age=10)
    plan = WeekPlan.objects.create(user=household.owner, household=household, week_start=next_week)
    PlanEntryFactory(plan=plan, date=next_week, slot="lunch", meal=catalog["lunch"][0])
    size = size_of(household, next_week)
    assert (size.cells, size.eaters) == (27, 3)


# -- the page queues ---------------------------------------------------------------------------


def test_a_small_household_week_is_planned_in_the_request(household, catalog, next_week):
    response = login(household.owner).post(url("household_suggest", next_week))
    assert response.status_code == 302
    assert not PlanJob.objects.exists()
    assert household_entries(household, next_week).exists()


def test_a_big_household_suggest_goes_to_the_queue_and_is_planned_there(
    household, catalog, next_week, tiny_budget, django_capture_on_commit_callbacks
):
    client = login(household.owner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("household_suggest", next_week))
    assert response.status_code == 302
    assert response.url == url("household_week_detail", next_week)
    job = PlanJob.objects.get()
    assert (job.household, job.kind, job.user) == (household, "suggest", household.owner)
    # The immediate backend ran the task on commit: the household's week is planned.
    assert job.status == PlanJob.Status.DONE
    assert "for the household" in job.message
    assert household_entries(household, next_week).exclude(slot="snack").count() == 21
    # ... and nobody's personal week.
    assert not PlanEntry.objects.owned_by(household.owner).exists()
    response = client.get(url("household_week_detail", next_week))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The household&rsquo;s week was planned in the background." in page
    assert 'hx-trigger="every 2s"' not in page
    # The personal week of the same Monday shows no household job.
    page = client.get(url("week_detail", next_week)).content.decode()
    assert 'id="plan-job"' not in page


def test_a_big_household_regenerate_is_a_regenerate_job(household, catalog, next_week, tiny_budget):
    response = login(household.owner).post(url("household_regenerate", next_week))
    assert response.status_code == 302
    job = PlanJob.objects.get()
    assert (job.household, job.kind, job.status) == (household, "regenerate", "queued")


def test_a_second_click_while_the_household_job_is_live_starts_nothing(
    household, partner, catalog, next_week
):
    household_job(household, next_week)
    # Another member clicks: no solve in the request (even a small week), no second job.
    response = login(partner).post(url("household_suggest", next_week), follow=True)
    assert response.status_code == 200
    assert "already being planned" in response.content.decode()
    assert PlanJob.objects.count() == 1
    assert not household_entries(household, next_week).exists()


def test_a_queued_household_job_polls_and_offers_a_reload(household, partner, next_week):
    job = household_job(household, next_week)
    for member in (household.owner, partner):
        response = login(member).get(url("household_week_detail", next_week))
        assert response.status_code == 200
        page = response.content.decode()
        assert QUEUED_TEXT in page
        assert f'hx-get="{job_url(job)}"' in page
        assert 'hx-trigger="every 2s"' in page
        assert f'href="{url("household_week_detail", next_week)}">Reload</a>' in page
        assert "<script>" not in page


# -- the status partial: any member's, nobody else's ----------------------------------------------


def test_every_member_follows_the_household_job(household, partner, next_week):
    job = household_job(household, next_week, status=PlanJob.Status.RUNNING, attempts=2)
    for member in (household.owner, partner):
        response = login(member).get(job_url(job), headers={"HX-Request": "true"})
        assert response.status_code == 200
        page = response.content.decode()
        assert page.lstrip().startswith('<div id="plan-job"')
        assert "Planning the household&rsquo;s week&hellip; (running)" in page
        assert "(try 2)" in page
    response = login(partner).get(job_url(job))
    assert response.status_code == 302
    assert response.url == url("household_week_detail", next_week)


def test_a_done_household_job_swaps_the_household_week_in(household, next_week):
    job = household_job(household, next_week, status="done", finished_at=timezone.now())
    response = login(household.owner).get(job_url(job), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == url("household_week_detail", next_week)


def test_a_non_member_gets_404(household, outsider, other_user, next_week):
    job = household_job(household, next_week)
    for stranger in (outsider, other_user):  # in another household, in none
        client = login(stranger)
        assert client.get(job_url(job), headers={"HX-Request": "true"}).status_code == 404
        assert client.get(job_url(job)).status_code == 404


def test_a_members_personal_job_stays_theirs(household, partner, next_week):
    personal = PlanJob.objects.create(user=partner, week_start=next_week, kind="suggest")
    client = login(household.owner)
    assert client.get(job_url(personal), headers={"HX-Request": "true"}).status_code == 404
    page = client.get(url("household_week_detail", next_week)).content.decode()
    assert 'id="plan-job"' not in page


# -- the task ----------------------------------------------------------------------------------


def test_a_household_job_is_solved_with_the_task_budget(
    household, catalog, next_week, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.PLANNER_TIME_BUDGET_S = 7.5
    seen = []
    real = tasks.household_week_suggest

    def spy(**kwargs):
        seen.append(kwargs["time_budget_s"])
        return real(**kwargs)

    monkeypatch.setattr(tasks, "household_week_suggest", spy)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(
            user=household.owner, household=household, week_start=next_week, kind="suggest"
        )
    job.refresh_from_db()
    assert seen == [7.5]
    assert (job.status, job.attempts) == (PlanJob.Status.DONE, 1)
    # Delivered twice, run once; run again, Suggest fills only empty cells: one week.
    assert tasks.run_plan_job.call(job.pk) == "skipped"
    count = household_entries(household, next_week).count()
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.QUEUED)
    assert tasks.run_plan_job.call(job.pk) == PlanJob.Status.DONE
    assert household_entries(household, next_week).count() == count
    assert WeekPlan.objects.filter(household=household, week_start=next_week).count() == 1


def test_a_failing_household_job_is_retried_then_shown_with_the_week_as_it_was(
    household, catalog, next_week, monkeypatch, django_capture_on_commit_callbacks
):
    plan = WeekPlan.objects.create(user=household.owner, household=household, week_start=next_week)
    kept = PlanEntryFactory(
        plan=plan, date=next_week, slot="lunch", meal=catalog["lunch"][0], locked=True
    )
    calls = []

    def broken(**kwargs):
        calls.append(kwargs)
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(tasks, "household_week_suggest", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(
            user=household.owner, household=household, week_start=next_week, kind="regenerate"
        )
    job.refresh_from_db()
    assert len(calls) == tasks.MAX_ATTEMPTS
    assert (job.status, job.attempts) == (PlanJob.Status.FAILED, tasks.MAX_ATTEMPTS)
    assert list(household_entries(household, next_week)) == [kept]
    response = login(household.owner).get(url("household_week_detail", next_week))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The household&rsquo;s week could not be planned." in page
    assert "could not plan this week after 3 tries" in page
    assert "The household&rsquo;s week is as it was." in page
    assert 'hx-trigger="every 2s"' not in page


def test_a_household_with_nothing_to_plan_fails_at_once_with_its_message(
    household, next_week, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(
            user=household.owner, household=household, week_start=next_week, kind="suggest"
        )
    job.refresh_from_db()
    assert (job.status, job.attempts) == (PlanJob.Status.FAILED, 1)
    assert job.message.startswith("No dish can be suggested")


# -- "Also fill past days" ---------------------------------------------------------------------


def test_a_personal_job_keeps_include_past(
    user, user_client, profile, catalog, tiny_budget, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(url("suggest", PAST), {"include_past": "on"})
    assert response.status_code == 302
    job = PlanJob.objects.get()
    assert (job.include_past, job.status, job.household) == (True, "done", None)
    assert PlanEntry.objects.owned_by(user).filter(plan__week_start=PAST).count() == 28


def test_a_past_week_without_include_past_stays_empty(
    user, profile, catalog, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start_job(user=user, week_start=PAST, kind="suggest")
    job.refresh_from_db()
    assert (job.include_past, job.status) == (False, "done")
    assert job.message.startswith("Nothing to plan")
    assert not PlanEntry.objects.owned_by(user).exists()


def test_a_household_job_keeps_include_past(
    household, catalog, tiny_budget, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(household.owner).post(
            url("household_suggest", PAST), {"include_past": "on"}
        )
    assert response.status_code == 302
    job = PlanJob.objects.get()
    assert (job.include_past, job.status, job.household) == (True, "done", household)
    assert household_entries(household, PAST).exclude(slot="snack").count() == 21


# -- the constraints ---------------------------------------------------------------------------


def test_a_personal_and_a_household_job_of_one_week_coexist(user, household, next_week):
    personal = jobs.start_job(user=user, week_start=next_week, kind="suggest")
    shared = jobs.start_job(user=user, household=household, week_start=next_week, kind="suggest")
    assert personal.pk != shared.pk
    assert PlanJob.objects.live().count() == 2
    # Each week still has one live job: asking again returns it.
    assert jobs.start_job(user=user, week_start=next_week, kind="regenerate") == personal
    again = jobs.start_job(user=user, household=household, week_start=next_week, kind="suggest")
    assert again == shared


def test_one_live_job_per_household_week_whoever_asks(household, partner, next_week):
    first = jobs.start_job(
        user=household.owner, household=household, week_start=next_week, kind="suggest"
    )
    second = jobs.start_job(user=partner, household=household, week_start=next_week, kind="suggest")
    assert first == second
    with pytest.raises(IntegrityError), transaction.atomic():
        household_job(household, next_week, user=partner)
    # Once it is over, the week may be planned again.
    PlanJob.objects.filter(pk=first.pk).update(status=PlanJob.Status.DONE)
    assert household_job(household, next_week).pk != first.pk


def test_the_weekly_auto_plan_is_personal_only(user, household, next_week):
    with pytest.raises(ValueError, match="personal"):
        jobs.start_job(user=user, household=household, week_start=next_week, kind="autoplan")
    with pytest.raises(IntegrityError), transaction.atomic():
        household_job(household, next_week, kind="autoplan", status="done")
    # The personal auto-plan still runs once per week.
    PlanJob.objects.create(user=user, week_start=next_week, kind="autoplan", status="done")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanJob.objects.create(user=user, week_start=next_week, kind="autoplan", status="done")


# -- a real queue --------------------------------------------------------------------------------


def test_the_household_job_waits_on_the_database_backend(
    household, catalog, next_week, tiny_budget, settings, django_capture_on_commit_callbacks
):
    # Django drops its task backends when TASKS changes: this test queues for real.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = login(household.owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("household_suggest", next_week))
    job = PlanJob.objects.get()
    assert (job.household, job.status) == (household, PlanJob.Status.QUEUED)
    assert job.task_result_id
    assert not household_entries(household, next_week).exists()
    response = client.get(job_url(job), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert QUEUED_TEXT in response.content.decode()


def test_a_stale_household_job_is_queued_again_not_a_members_personal_one(
    household, user, next_week, django_capture_on_commit_callbacks, settings
):
    """A household week whose worker died is freed by the next start of that week only."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    from django.tasks import default_task_backend

    default_task_backend.clear()
    old = timezone.now() - timedelta(seconds=settings.PLAN_JOB_STALE_AFTER_S + 1)
    dead = PlanJob.objects.create(
        user=user, household=household, week_start=next_week, kind=PlanJob.Kind.SUGGEST,
        status=PlanJob.Status.RUNNING, attempts=1,
    )  # fmt: skip
    PlanJob.objects.filter(pk=dead.pk).update(updated_at=old)
    with django_capture_on_commit_callbacks(execute=True):
        mine = jobs.start_job(user=user, week_start=next_week, kind=PlanJob.Kind.SUGGEST)
    assert mine.pk != dead.pk
    dead.refresh_from_db()
    assert dead.status == PlanJob.Status.RUNNING  # the personal start leaves it alone
    with django_capture_on_commit_callbacks(execute=True):
        again = jobs.start_job(
            user=user, household=household, week_start=next_week, kind=PlanJob.Kind.SUGGEST
        )
    assert again.pk == dead.pk
    dead.refresh_from_db()
    assert (dead.status, dead.message) == (PlanJob.Status.QUEUED, jobs.STALE_MESSAGE)
    assert len(default_task_backend.results) == 2
    default_task_backend.clear()
