"""A Suggest beyond the interactive budget runs as a task; the week page follows the job."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mealplan.models import PlanEntry, PlanJob

pytestmark = pytest.mark.django_db


def week_url(name, week_start):
    return reverse(f"mealplan:{name}", kwargs={"week_start": week_start})


def job_url(job):
    return reverse("mealplan:plan_job", args=[job.pk])


def test_small_week_is_planned_in_the_request(user_client, profile, catalog, next_week):
    response = user_client.post(week_url("suggest", next_week))
    assert response.status_code == 302
    assert not PlanJob.objects.exists()
    assert PlanEntry.objects.filter(plan__user=profile.user).count() > 0


def test_big_suggest_goes_to_the_queue_and_is_planned_there(
    user_client, user, profile, catalog, next_week, tiny_budget, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(week_url("suggest", next_week))
    assert response.status_code == 302
    assert response.url == week_url("week_detail", next_week)
    job = PlanJob.objects.get(user=user)
    assert job.kind == PlanJob.Kind.SUGGEST
    # The immediate backend ran the task on commit: the week is planned.
    assert job.status == PlanJob.Status.DONE
    assert PlanEntry.objects.filter(plan__user=user, plan__week_start=next_week).count() > 0
    page = user_client.get(week_url("week_detail", next_week)).content.decode()
    assert "Your week was planned in the background." in page
    assert 'hx-trigger="every 2s"' not in page


def test_big_regenerate_is_a_regenerate_job(
    user_client, user, profile, catalog, next_week, tiny_budget
):
    response = user_client.post(week_url("regenerate", next_week))
    assert response.status_code == 302
    assert PlanJob.objects.get(user=user).kind == PlanJob.Kind.REGENERATE


def test_htmx_suggest_beyond_the_budget_reloads_the_page(
    user_client, user, profile, catalog, next_week, tiny_budget
):
    response = user_client.post(week_url("suggest", next_week), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == week_url("week_detail", next_week)
    assert PlanJob.objects.filter(user=user, status=PlanJob.Status.QUEUED).count() == 1


def test_second_click_while_a_job_is_live_starts_no_other(
    user_client, user, profile, catalog, next_week, tiny_budget
):
    user_client.post(week_url("suggest", next_week))
    response = user_client.post(week_url("regenerate", next_week), follow=True)
    assert response.status_code == 200
    assert PlanJob.objects.filter(user=user).count() == 1
    assert "Your week is already being planned" in response.content.decode()


def test_live_job_keeps_the_request_from_solving_even_a_small_week(
    user_client, user, profile, catalog, next_week
):
    PlanJob.objects.create(user=user, week_start=next_week, kind=PlanJob.Kind.SUGGEST)
    user_client.post(week_url("suggest", next_week))
    assert not PlanEntry.objects.filter(plan__user=user).exists()
    assert PlanJob.objects.filter(user=user).count() == 1


def test_queued_job_on_the_page_polls_and_offers_a_reload(user_client, user, profile, next_week):
    job = PlanJob.objects.create(user=user, week_start=next_week, kind=PlanJob.Kind.SUGGEST)
    response = user_client.get(week_url("week_detail", next_week))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Planning your week&hellip; (queued)" in page
    assert f'hx-get="{job_url(job)}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert f'href="{week_url("week_detail", next_week)}">Reload</a>' in page
    assert "<script>" not in page  # no inline script (CSP)


@pytest.mark.parametrize(
    ("status", "shown", "polls"),
    [
        (PlanJob.Status.QUEUED, "Planning your week&hellip; (queued)", True),
        (PlanJob.Status.RUNNING, "Planning your week&hellip; (running)", True),
        (PlanJob.Status.FAILED, "Your week could not be planned.", False),
    ],
)
def test_status_partial(user_client, user, profile, next_week, status, shown, polls):
    job = PlanJob.objects.create(
        user=user,
        week_start=next_week,
        kind=PlanJob.Kind.SUGGEST,
        status=status,
        message="The solver gave up." if status == PlanJob.Status.FAILED else "",
        finished_at=timezone.now() if status == PlanJob.Status.FAILED else None,
    )
    response = user_client.get(job_url(job), headers={"HX-Request": "true"})
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="plan-job"')
    assert "<html" not in page
    assert shown in page
    assert ('hx-trigger="every 2s"' in page) is polls
    if status == PlanJob.Status.FAILED:
        assert "The solver gave up. Your week is as it was." in page
        assert "planned in the background" not in page


def test_done_job_swaps_the_week_in(user_client, user, profile, next_week):
    job = PlanJob.objects.create(
        user=user,
        week_start=next_week,
        kind=PlanJob.Kind.SUGGEST,
        status=PlanJob.Status.DONE,
        message="Planned 28 meals.",
        finished_at=timezone.now(),
    )
    response = user_client.get(job_url(job), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Redirect"] == week_url("week_detail", next_week)


def test_status_without_htmx_goes_to_the_week(user_client, user, profile, next_week):
    job = PlanJob.objects.create(user=user, week_start=next_week, kind=PlanJob.Kind.SUGGEST)
    response = user_client.get(job_url(job))
    assert response.status_code == 302
    assert response.url == week_url("week_detail", next_week)


def failed_job(user, week_start, message, *, ago=timedelta(0)):
    return PlanJob.objects.create(
        user=user,
        week_start=week_start,
        kind=PlanJob.Kind.SUGGEST,
        status=PlanJob.Status.FAILED,
        message=message,
        finished_at=timezone.now() - ago,
    )


def test_failed_job_is_shown_with_the_week_as_it_was(user_client, user, profile, next_week):
    failed_job(user, next_week, "We could not plan this week after 3 tries.")
    page = user_client.get(week_url("week_detail", next_week)).content.decode()
    assert "Your week could not be planned." in page
    assert "We could not plan this week after 3 tries." in page
    assert "Suggest my week" in page


def test_old_finished_job_is_not_shown(user_client, user, profile, next_week):
    failed_job(user, next_week, "Old news.", ago=timedelta(hours=1))
    page = user_client.get(week_url("week_detail", next_week)).content.decode()
    assert "Old news." not in page


def test_another_users_job_is_404(user_client, other_user, next_week):
    job = PlanJob.objects.create(user=other_user, week_start=next_week, kind=PlanJob.Kind.SUGGEST)
    assert user_client.get(job_url(job), headers={"HX-Request": "true"}).status_code == 404
    assert user_client.get(job_url(job)).status_code == 404


def test_status_needs_login_and_is_get_only(client, user_client, user, next_week):
    job = PlanJob.objects.create(user=user, week_start=next_week, kind=PlanJob.Kind.SUGGEST)
    assert user_client.post(job_url(job)).status_code == 405
    client.logout()
    response = client.get(job_url(job))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_in_request_solve_is_capped_at_the_interactive_budget(
    user_client, profile, catalog, next_week, settings, monkeypatch
):
    settings.PLANNER_TIME_BUDGET_S = 30.0
    settings.PLANNER_INTERACTIVE_BUDGET_S = 1.5
    seen = []
    from mealplan import planner

    real = planner.plan_week

    def spy(*args, **kwargs):
        seen.append(kwargs["time_budget_s"])
        return real(*args, **kwargs)

    monkeypatch.setattr(planner, "plan_week", spy)
    # The estimate says a small week fits 1.5 s; its solve may take 1.5 s, not 30.
    user_client.post(week_url("suggest", next_week))
    assert seen == [1.5]


def test_queued_state_on_the_database_backend(
    user_client,
    user,
    profile,
    catalog,
    next_week,
    tiny_budget,
    settings,
    django_capture_on_commit_callbacks,
):
    # Django drops its task backends when TASKS changes: this test queues for real.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(week_url("suggest", next_week))
    job = PlanJob.objects.get(user=user)
    assert job.status == PlanJob.Status.QUEUED
    assert job.task_result_id
    assert not PlanEntry.objects.filter(plan__user=user).exists()
    page = user_client.get(job_url(job), headers={"HX-Request": "true"}).content.decode()
    assert "Planning your week&hellip; (queued)" in page
    assert 'hx-trigger="every 2s"' in page


@pytest.mark.parametrize("status", [PlanJob.Status.QUEUED, PlanJob.Status.RUNNING])
def test_a_live_auto_plan_shows_on_the_week_page_and_polls(
    user_client, user, profile, next_week, status
):
    """Suggest is refused while the weekly auto-plan runs, so the page says so and follows it."""
    job = PlanJob.objects.create(
        user=user, week_start=next_week, kind=PlanJob.Kind.AUTOPLAN, status=status
    )
    response = user_client.get(week_url("week_detail", next_week))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'hx-get="{job_url(job)}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "weekly auto-plan" in page
    assert "too big to plan while you wait" not in page
