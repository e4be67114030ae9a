"""Periodic task: seat offers that expired and tomorrow's participants, every hour (also
`flask --app portal training-reminders`)."""

from huey import crontab

from portal.jobs import periodic
from portal.trainings.calendars import send_reminders


@periodic(crontab(minute="5"))
def hourly_training_reminders() -> int:
    """Idempotent: each reminder goes out once."""
    return send_reminders()
