"""Time in one place: timestamps are stored in UTC (naive), work dates are local dates."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from portal.config import TIMEZONES
from portal.db import utcnow

__all__ = ["local_now", "local_today", "timezone", "to_local", "tz_abbreviation", "utcnow"]


def timezone():
    return ZoneInfo(current_app.config["TIMEZONE"])


def tz_abbreviation():
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
