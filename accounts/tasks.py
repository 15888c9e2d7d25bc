"""Background work for accounts: mail is sent by the task worker, never in a request."""

from __future__ import annotations

from functools import partial

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
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


def send_mail_on_commit(
    *, subject: str, body: str, to: str, html_body: str | None, from_email: str | None = None
) -> None:
    """Queue send_mail once the current transaction commits (never inside a request)."""
    send = partial(
        send_mail.enqueue,
        subject=subject,
        body=body,
        from_email=from_email,
        to=to,
        html_body=html_body,
    )
    transaction.on_commit(send)
