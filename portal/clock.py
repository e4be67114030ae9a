"""Time in one place: the only module that reads the clock.

Timestamps are stored in UTC (naive); work dates are the pemda's local dates. Tests freeze this
clock (time_machine), and ruff's banned-api rule (TID251) refuses `date.today()`,
`datetime.now()`, `time.time()` and their kin everywhere else.
"""

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from portal.config import TIMEZONES

__all__ = [
    "epoch_seconds",
    "local_now",
    "local_today",
    "timezone",
    "to_local",
    "tz_abbreviation",
    "utc_stamp",
    "utcnow",
]


def utcnow() -> datetime:
    """The current time in UTC, naive (how timestamps are stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


def epoch_seconds() -> float:
    """Seconds since the epoch (rate-limit windows, session timers)."""
    return time.time()


def utc_stamp(fmt: str = "%Y-%m-%dT%H:%M:%SZ") -> str:
    """The current UTC time as text (log lines, file names)."""
    return datetime.now(UTC).strftime(fmt)


def timezone() -> ZoneInfo:
    return ZoneInfo(current_app.config["TIMEZONE"])


def tz_abbreviation() -> str:
    """WIB, WITA or WIT: what users write after a time."""
    return TIMEZONES[current_app.config["TIMEZONE"]]


def to_local(moment: datetime) -> datetime:
    """A stored (naive UTC) timestamp in the pemda's time zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(timezone())


def local_now() -> datetime:
    return datetime.now(UTC).astimezone(timezone())


def local_today() -> date:
    return local_now().date()
