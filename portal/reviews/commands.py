"""`flask --app portal send-reminders` (cron, each morning) and
`flask --app portal send-notification-emails` (cron, every few minutes)."""

from datetime import date

import click

from portal.clock import local_today
from portal.db import db
from portal.notifications import mail
from portal.reviews import reminders


@click.command("send-reminders")
@click.option("--date", "day", default=None, help="The day to act as (YYYY-MM-DD); default today.")
def send_reminders_command(day):
    """Tell pegawai about working days without entries and verifiers about waiting entries;
    running it twice the same day sends nothing new."""
    today = date.fromisoformat(day) if day else local_today()
    db.connect(reuse_if_open=True)
    result = reminders.send(today)
    if result.skipped_day_off:
        click.echo(f"{today}: hari libur, tidak ada pengingat.")
    else:
        click.echo(
            f"{today}: pengingat untuk {result.pegawai} pegawai dan {result.verifiers} verifikator."
        )
    sent = mail.deliver_pending()
    if sent:
        click.echo(f"{sent} e-mail terkirim.")


@click.command("send-notification-emails")
def send_emails_command():
    """E-mail the notices not mailed yet (needs MAIL_SERVER)."""
    db.connect(reuse_if_open=True)
    click.echo(f"{mail.deliver_pending()} e-mail terkirim.")


COMMANDS = [send_reminders_command, send_emails_command]
