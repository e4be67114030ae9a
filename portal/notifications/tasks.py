"""Periodic task: e-mail the notices not mailed yet, every five minutes when MAIL_SERVER is set
(also `flask --app portal send-notification-emails`)."""

from huey import crontab

from portal.jobs import periodic
from portal.notifications import mail


@periodic(crontab(minute="*/5"))
def deliver_notification_emails() -> int:
    """Each notice is claimed before sending, so overlapping runs never mail one twice."""
    return mail.deliver_pending()
