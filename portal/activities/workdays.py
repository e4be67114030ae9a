"""The working-day calendar: weekends by the unit's 5- or 6-day week, plus the national holidays
and cuti bersama of the Holiday table. Every function looks holidays up with one query per
range, never one per day.

    is_working_day(day, unit)            -> bool
    working_days_between(start, end, unit) -> working days in (start, end]
    add_working_days(day, n, unit)       -> the n-th working day after `day`
    input_deadline(day, unit)            -> the last date entries for `day` may be written
"""

from datetime import date, timedelta

from portal import settings
from portal.activities.models import Holiday

SATURDAY, SUNDAY = 5, 6


def holidays_between(start: date, end: date) -> dict:
    """{date: Holiday} for start..end inclusive, in one query."""
    if end < start:
        return {}
    query = Holiday.select().where(Holiday.tanggal.between(start, end))
    return {row.tanggal: row for row in query}


def _work_days(unit):
    days = getattr(unit, "work_days", 5) if unit is not None else 5
    return 6 if days == 6 else 5


def is_weekend(day: date, unit) -> bool:
    if day.weekday() == SUNDAY:
        return True
    return day.weekday() == SATURDAY and _work_days(unit) == 5


def _is_working(day, unit, holidays):
    return not is_weekend(day, unit) and day not in holidays


def is_working_day(day: date, unit, holidays=None) -> bool:
    """A weekday of the unit's week that is not a holiday or cuti bersama."""
    if holidays is None:
        holidays = holidays_between(day, day)
    return _is_working(day, unit, holidays)


def working_days_between(start: date, end: date, unit) -> int:
    """The number of working days after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    holidays = holidays_between(start + timedelta(days=1), end)
    count = 0
    day = start + timedelta(days=1)
    while day <= end:
        count += _is_working(day, unit, holidays)
        day += timedelta(days=1)
    return count


def window(n: int) -> int:
    """Days after a date that add_working_days(date, n) looks at first."""
    return n * 2 + 14


def add_working_days(day: date, n: int, unit, holidays=None) -> date:
    """The n-th working day after `day` (n = 0 gives `day` itself). `holidays`, when given,
    must cover day+1 .. day+window(n) (it saves the query)."""
    if n <= 0:
        return day
    # A window wide enough for weekends and the longest holiday runs (Lebaran); widened if not.
    span = window(n)
    while True:
        if holidays is None or span > window(n):
            holidays = holidays_between(day + timedelta(days=1), day + timedelta(days=span))
        current, found = day, 0
        for _ in range(span):
            current += timedelta(days=1)
            if _is_working(current, unit, holidays):
                found += 1
                if found == n:
                    return current
        span *= 2


def deadline_days():
    return settings.get("activities.input_deadline_days")


def input_deadline(day: date, unit, days=None, holidays=None) -> date:
    """Entries for `day` may be created or changed until this date (inclusive): `days` (the
    setting "input deadline", default 3) working days after `day`."""
    return add_working_days(day, deadline_days() if days is None else days, unit, holidays)


def calendar(start: date, end: date, unit, holidays=None):
    """[(date, is_working, Holiday or None)] for start..end, one query (none if `holidays`
    covering the range is given)."""
    if holidays is None:
        holidays = holidays_between(start, end)
    days = []
    day = start
    while day <= end:
        days.append((day, _is_working(day, unit, holidays), holidays.get(day)))
        day += timedelta(days=1)
    return days
