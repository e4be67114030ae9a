"""Optional e-mail delivery of notices through SMTP (MAIL_SERVER, MAIL_PORT, MAIL_SENDER,
optional MAIL_USERNAME/MAIL_PASSWORD/MAIL_USE_TLS). Without MAIL_SERVER nothing is sent.

`deliver_pending()` is run by cron (`flask send-notification-emails`, and at the end of
`flask send-reminders`). Each notice is claimed with a conditional UPDATE before sending, so
two runs at once never send the same notice twice.
"""

import logging
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from email.message import EmailMessage

from flask import current_app

from portal.db import utcnow
from portal.notifications.models import Notification
from portal.org.models import Employee

log = logging.getLogger("portal.mail")
MAX_AGE = timedelta(days=2)  # older notices are not mailed any more (e.g. after an outage)


def enabled() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _message(notice, recipient):
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_SENDER") or "portal-kinerja@localhost"
    message["To"] = recipient.email
    message["Subject"] = f"[{config.get('PEMDA_SHORT', 'Portal')}] {notice.message[:70]}"
    base = (config.get("PORTAL_BASE_URL") or "").rstrip("/")
    body = notice.message
    if notice.link and base:
        body += f"\n\n{base}{notice.link}"
    message.set_content(body)
    return message


def deliver_pending(limit: int = 500) -> int:
    """Send recent unsent notices to recipients with an e-mail address; returns how many."""
    if not enabled():
        return 0
    now = utcnow()
    rows = list(
        Notification.select(Notification, Employee)
        .join(Employee, on=(Notification.recipient == Employee.id))
        .where(
            Notification.emailed_at.is_null(),
            Notification.created_at >= now - MAX_AGE,
            Employee.email.is_null(False),
            Employee.active == True,  # noqa: E712
        )
        .order_by(Notification.id)
        .limit(limit)
    )
    if not rows:
        return 0
    sent = 0
    with _connection() as smtp:
        for notice in rows:
            claimed = (
                Notification.update(emailed_at=utcnow())
                .where(Notification.id == notice.id, Notification.emailed_at.is_null())
                .execute()
            )
            if not claimed:
                continue
            try:
                smtp.send_message(_message(notice, notice.recipient))
                sent += 1
            except smtplib.SMTPException:
                log.warning("mail to recipient %s failed", notice.recipient_id)
                Notification.update(emailed_at=None).where(Notification.id == notice.id).execute()
    return sent


def send_now(to: str, subject: str, body: str) -> None:
    """Send one message at once (a password-reset link, which cannot wait for cron). Raises
    smtplib.SMTPException or OSError when the server refuses; the caller logs it."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config.get("MAIL_SENDER") or "portal-kinerja@localhost"
    message["To"] = to
    message["Subject"] = f"[{config.get('PEMDA_SHORT', 'Portal')}] {subject}"
    message.set_content(body)
    with _connection() as smtp:
        smtp.send_message(message)


@contextmanager
def _connection() -> Iterator[smtplib.SMTP]:
    """One SMTP session with the configured server (TLS and login when set), always closed."""
    config = current_app.config
    smtp = smtplib.SMTP(config["MAIL_SERVER"], config.get("MAIL_PORT") or 25, timeout=20)
    try:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        yield smtp
    finally:
        try:
            smtp.quit()
        except smtplib.SMTPException:
            smtp.close()
