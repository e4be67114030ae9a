"""Periodic task: the evaluation reminders (also `flask --app portal evaluation-reminders`)."""

from portal.clock import local_today
from portal.jobs import at_local, periodic
from portal.performance.evaluation import reminders


@periodic(at_local(7, 15))
def evaluation_reminders() -> int:
    """Each morning: pegawai without realisasi and penilai with unrated staff in a window that
    closes soon. Running it twice in a day sends nothing new (the reminders' dedupe keys)."""
    sent = reminders.send(local_today())
    return sent.pegawai + sent.penilai
