"""flask training-reminders: pass on expired seat offers and remind tomorrow's participants."""

import click
from flask.cli import with_appcontext

from portal.db import db
from portal.trainings.calendars import send_reminders


@click.command("training-reminders")
@with_appcontext
def training_reminders():
    """Run from cron (e.g. hourly); idempotent: each reminder goes out once."""
    db.connect(reuse_if_open=True)
    sent = send_reminders()
    click.echo(f"{sent} pengingat pelatihan dikirim.")


COMMANDS = [training_reminders]
