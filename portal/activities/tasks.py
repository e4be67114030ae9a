"""Periodic task: bring the monthly totals up to date every minute (readers are exact without
it; it keeps them fast)."""

from huey import crontab

from portal.activities import month_totals
from portal.jobs import huey, periodic


@periodic(crontab(minute="*"))
def refresh_month_totals() -> int:
    """One refresh at a time: an overlapping run waits for the next minute."""
    with huey.lock_task("refresh-month-totals"):
        return month_totals.refresh()
