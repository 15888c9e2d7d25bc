"""The weekly auto-plan's mails: the planned week (each day's honest status, the shopping
list and a link), or word that planning failed. Rendered in the worker, sent by the mail
task (accounts.tasks.send_mail), never inside a request."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from accounts import tasks as mail_tasks
from mealplan.models import PlanJob
from mealplan.selectors import DayView, week_view
from mealplan.shopping import shopping_list


def _week_url(job: PlanJob) -> str:
    return settings.SITE_URL + reverse("mealplan:week_detail", args=[job.week_start])


def day_status(day: DayView) -> str:
    """A day's status in words (DayView.status_text), with the rules that keep it off target."""
    if day.status in ("short", "unreachable"):
        return f"{day.status_text}: " + "; ".join(f"{r.label} {r.message}" for r in day.failing)
    if day.status == "unknown":
        return f"{day.status_text} (" + ", ".join(r.label for r in day.unknown_rules) + ")"
    return day.status_text


def week_mail(job: PlanJob) -> None:
    week = week_view(user=job.user, week_start=job.week_start)
    end = job.week_start + timedelta(days=6)
    shopping = shopping_list(user=job.user, start=job.week_start, end=end)
    shopping_url = (
        settings.SITE_URL
        + reverse("mealplan:shopping")
        + "?"
        + urlencode({"start": job.week_start.isoformat(), "end": end.isoformat()})
    )
    days = [
        {
            "day": day,
            "status": day_status(day),
            "meals": [(slot, view.meal.name) for slot, view in day.cells if view],
        }
        for day in week.days
    ]
    context = {
        "user": job.user,
        "week": week,
        "days": days,
        "on_target": week.days_on_target,
        "shopping": shopping,
        "week_url": _week_url(job),
        "shopping_url": shopping_url,
        "job": job,
    }
    subject = f"Your week of {job.week_start:%-d %B} is planned"
    mail_tasks.send_mail_on_commit(
        to=job.user.email,
        subject=subject,
        body=render_to_string("mealplan/mail/week.txt", context),
        html_body=render_to_string("mealplan/mail/week.html", context),
    )


def failed_mail(job: PlanJob) -> None:
    context = {"user": job.user, "job": job, "week_url": _week_url(job)}
    mail_tasks.send_mail_on_commit(
        to=job.user.email,
        subject=f"We could not plan your week of {job.week_start:%-d %B}",
        body=render_to_string("mealplan/mail/failed.txt", context),
        html_body=None,
    )
