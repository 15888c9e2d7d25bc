"""In a browser at phone width: a week planned in the background polls, then shows itself."""

import pytest
from django.utils import timezone

from mealplan.models import PlanJob
from mealplan.tests.test_browser_week import PHONE, log_in, screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def queue_and_follow(page, *, login, path, button, whose, shot, job_of, planned, done_text):
    """Log in, press the Suggest button at path: the job is queued, then running, then done."""
    base_url = login[0]
    page.set_viewport_size(PHONE)
    log_in(page, *login)
    page.goto(f"{base_url}{path}")
    page.get_by_role("button", name=button).click()
    status = page.locator("#plan-job")
    status.get_by_text(f"Planning {whose} week… (queued)").wait_for()
    assert status.get_by_role("link", name="Reload").is_visible()
    screenshot(page, shot)
    job = PlanJob.objects.get(**job_of)
    # A worker takes it: the status partial polled every 2 s says so.
    PlanJob.objects.filter(pk=job.pk).update(status=PlanJob.Status.RUNNING, attempts=1)
    status.get_by_text(f"Planning {whose} week… (running)").wait_for(timeout=6000)
    PlanJob.objects.filter(pk=job.pk).update(
        status=PlanJob.Status.DONE, message=planned, finished_at=timezone.now()
    )
    page.get_by_text(done_text).wait_for(timeout=6000)


def test_queued_week_polls_then_shows_the_week(
    page, live_server, user, password, profile, catalog, next_week, tiny_budget, db_tasks,
    csp_violations,
):  # fmt: skip
    queue_and_follow(
        page,
        login=(live_server.url, user, password),
        path=f"/plan/week/{next_week.isoformat()}/",
        button="Suggest my week",
        whose="your",
        shot="long-solve-queued-phone",
        job_of={"user": user},
        planned="Planned 0 meals.",
        done_text="Your week was planned in the background.",
    )
    assert csp_violations == []


def test_queued_household_week_polls_then_shows_the_week(
    page, live_server, user, password, profile, catalog, next_week, tiny_budget, db_tasks,
    csp_violations,
):  # fmt: skip
    from accounts.tests.factories import dependent, household_with_owner

    household = household_with_owner(user, "The Smiths")
    dependent(household, "Mia", age=7)
    queue_and_follow(
        page,
        login=(live_server.url, user, password),
        path=f"/plan/household/{next_week.isoformat()}/",
        button="Suggest the household’s week",
        whose="the household’s",
        shot="household-long-solve-queued-phone",
        job_of={"household": household},
        planned="Planned 0 dishes.",
        done_text="The household’s week was planned in the background.",
    )
    assert csp_violations == []
