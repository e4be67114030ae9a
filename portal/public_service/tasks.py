"""Periodic task: the complaints' deadlines (also `flask --app portal complaint-deadlines`)."""

from portal.clock import local_today
from portal.jobs import at_local, periodic
from portal.public_service.deadlines import sweep


@periodic(at_local(7, 30))
def complaint_deadlines() -> int:
    """Each morning: remind the handlers of complaints due soon and tell the atasan (or the
    unit's admins) of overdue ones; each complaint is reminded and escalated once."""
    result = sweep(local_today())
    return result.reminded + result.escalated
