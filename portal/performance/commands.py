"""`flask --app portal evaluation-reminders` (also a periodic job: portal/performance/tasks.py):
remind pegawai and penilai before an evaluation window closes; twice sends nothing new."""

from datetime import date

import click

from portal.clock import local_today
from portal.db import db
from portal.performance.evaluation import reminders


@click.command("evaluation-reminders")
@click.option("--date", "day", default=None, help="The day to act as (YYYY-MM-DD); default today.")
def evaluation_reminders_command(day):
    """Remind pegawai without realisasi and penilai with unrated staff."""
    today = date.fromisoformat(day) if day else local_today()
    db.connect(reuse_if_open=True)
    sent = reminders.send(today)
    click.echo(f"{today}: pengingat untuk {sent.pegawai} pegawai dan {sent.penilai} penilai.")


COMMANDS = [evaluation_reminders_command]
