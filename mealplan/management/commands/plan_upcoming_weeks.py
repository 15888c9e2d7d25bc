"""Queue the weekly auto-plans whose time has come; run it every few minutes (cron or a
systemd timer, see README). Running it twice queues nothing twice."""

from django.core.management.base import BaseCommand

from mealplan.jobs import plan_upcoming_weeks


class Command(BaseCommand):
    help = "Queue the next week's plan of every user whose auto-plan weekday and time have come."

    def handle(self, *args, **options) -> None:
        jobs = plan_upcoming_weeks()
        self.stdout.write(f"plan_upcoming_weeks: {len(jobs)} week(s) queued")
