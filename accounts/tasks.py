"""Background work for accounts: mail is sent by the task worker, never in a request."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives
from django.tasks import task


@task
def send_mail(
    *, subject: str, body: str, from_email: str | None, to: str, html_body: str | None = None
) -> None:
    """Send one already rendered email."""
    message = EmailMultiAlternatives(subject, body, from_email, [to])
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    message.send()
