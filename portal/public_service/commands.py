"""`flask complaint-deadlines`: remind before and escalate after the complaints' deadlines
(also the periodic job's body)."""

import click

from portal.clock import local_today
from portal.public_service.deadlines import sweep


@click.command("complaint-deadlines")
def complaint_deadlines_command():
    """Remind handlers of complaints due soon; tell the atasan of overdue ones."""
    result = sweep(local_today())
    click.echo(f"Pengingat: {result.reminded}, eskalasi: {result.escalated}")


COMMANDS = [complaint_deadlines_command]
