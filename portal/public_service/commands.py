"""`flask complaint-deadlines`: remind before and escalate after the complaints' deadlines
(also the periodic job's body)."""

import click

from portal.clock import local_today
from portal.public_service.deadlines import sweep
from portal.public_service.models import Complaint


@click.command("complaint-deadlines")
def complaint_deadlines_command():
    """Remind handlers of complaints due soon; tell the atasan of overdue ones."""
    result = sweep(local_today())
    click.echo(f"Pengingat: {result.reminded}, eskalasi: {result.escalated}")


@click.command("complaint-sample-code")
def complaint_sample_code_command():
    """Print the tracking code of the newest complaint (the benchmark's tracking page)."""
    latest = Complaint.select(Complaint.kode).order_by(Complaint.id.desc()).first()
    if latest is None:
        raise click.ClickException("Belum ada pengaduan.")
    click.echo(latest.kode)


COMMANDS = [complaint_deadlines_command, complaint_sample_code_command]
