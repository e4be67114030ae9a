"""Periodic task: the morning reminders (also `flask --app portal send-reminders`)."""

from portal.clock import local_today
from portal.jobs import at_local, periodic
from portal.notifications import mail
from portal.reviews import reminders


@periodic(at_local(7, 0))
def morning_reminders() -> int:
    """Each morning: pegawai with empty working days, verifiers with waiting entries; then the
    e-mails. Idempotent per day (the reminders' dedupe keys)."""
    result = reminders.send(local_today())
    mail.deliver_pending()
    return 0 if result.skipped_day_off else result.pegawai + result.verifiers
