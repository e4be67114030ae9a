"""When a date closes for input: the working-day calendar (weekends by the unit's 5- or 6-day
week, national holidays and cuti bersama), the input deadline, and the admin's unlocks of past
dates. Reviews counts its escalation and reminder days on the same calendar (`Calendar`).

Every function looks holidays up with one query per range, never one per day.

    is_working_day(day, unit)              -> bool
    working_days_between(start, end, unit) -> working days in (start, end]
    add_working_days(day, n, unit)         -> the n-th working day after `day`
    input_deadline(day, unit)              -> the last date entries for `day` may be written
    date_is_open(employee, day)            -> entries for `day` may be written today
"""

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import peewee as pw
from flask import g, has_request_context
from flask_babel import gettext as _

from portal import settings
from portal.activities.models import DateUnlock, Holiday
from portal.activities.rules import Options, options
from portal.audit.services import record as audit
from portal.clock import local_today
from portal.db import kept, write_transaction
from portal.errors import Invalid, NotFound
from portal.org.models import Employee, Unit
from portal.org.services import admin_units, can_admin_unit, is_admin
from portal.web.formatting import tanggal as format_date
from portal.web.validators import visible_text

SATURDAY, SUNDAY = 5, 6
HOLIDAY_KINDS = ("libur_nasional", "cuti_bersama")


# --- working days -----------------------------------------------------------------------------


# Within a request the holidays are read once, for the range asked plus this margin either side
# (a write's rules and its answer's week strip ask for neighbouring ranges; the table is small)
HOLIDAY_MARGIN = timedelta(days=62)


def holidays_between(start: date, end: date) -> dict[date, Holiday]:
    """{date: Holiday} for start..end inclusive, in one query (within a request, at most one
    query for every range inside the first one's margin)."""
    if end < start:
        return {}
    if not has_request_context():
        return _holidays(start, end)
    cached = g.get("_portal_holidays")
    if cached is None or not (cached[0] <= start and end <= cached[1]):
        first, last = start - HOLIDAY_MARGIN, end + HOLIDAY_MARGIN
        cached = g._portal_holidays = (first, last, _holidays(first, last))
    return {day: row for day, row in cached[2].items() if start <= day <= end}


def _holidays(start: date, end: date) -> dict[date, Holiday]:
    query = Holiday.select().where(Holiday.tanggal.between(start, end))
    return {row.tanggal: row for row in kept(query, "activities.holidays", start, end)}


def _forget_holidays() -> None:
    """After a write: the request's next read sees it."""
    if has_request_context():
        g.pop("_portal_holidays", None)


def _work_days(unit: Any) -> int:
    days = getattr(unit, "work_days", 5) if unit is not None else 5
    return 6 if days == 6 else 5


def is_weekend(day: date, unit: Any) -> bool:
    if day.weekday() == SUNDAY:
        return True
    return day.weekday() == SATURDAY and _work_days(unit) == 5


def _is_working(day: date, unit: Any, holidays: dict[date, Holiday]) -> bool:
    return not is_weekend(day, unit) and day not in holidays


def is_working_day(day: date, unit: Any, holidays: dict[date, Holiday] | None = None) -> bool:
    """A weekday of the unit's week that is not a holiday or cuti bersama."""
    if holidays is None:
        holidays = holidays_between(day, day)
    return _is_working(day, unit, holidays)


def working_days_between(start: date, end: date, unit: Any) -> int:
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


def add_working_days(
    day: date, n: int, unit: Any, holidays: dict[date, Holiday] | None = None
) -> date:
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
        for _step in range(span):
            current += timedelta(days=1)
            if _is_working(current, unit, holidays):
                found += 1
                if found == n:
                    return current
        span *= 2


def calendar(
    start: date, end: date, unit: Any, holidays: dict[date, Holiday] | None = None
) -> list[tuple[date, bool, Holiday | None]]:
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


class Calendar:
    """Working days between `start` and `end` (inclusive), holidays loaded in one query: for
    counting many entries' waiting days (escalation, reminders) without a query per entry."""

    def __init__(self, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.holidays = holidays_between(start, end)

    def is_working_day(self, day: date, unit: Any = None) -> bool:
        return _is_working(day, unit, self.holidays)

    def working_days(self, start: date, end: date, unit: Any = None) -> list[date]:
        """Working days d with start <= d <= end, in order."""
        days = []
        day = start
        while day <= end:
            if self.is_working_day(day, unit):
                days.append(day)
            day += timedelta(days=1)
        return days

    def count_after(self, start: date, end: date, unit: Any = None) -> int:
        """Working days in (start, end]."""
        return len(self.working_days(start + timedelta(days=1), end, unit)) if end > start else 0

    def cutoff(self, today: date, n: int, unit: Any = None) -> date:
        """The latest date D such that (D, today] holds `n` working days: whatever was
        submitted on D or earlier has waited `n` working days by today."""
        counted = 0
        day = today
        while counted < n and day >= self.start:
            if self.is_working_day(day, unit):
                counted += 1
            day -= timedelta(days=1)
        return day


def calendar_for(today: date, back_days: int = 90) -> Calendar:
    """The calendar of the `back_days` before `today`."""
    return Calendar(today - timedelta(days=back_days), today)


# --- the input deadline -----------------------------------------------------------------------


def deadline_days() -> int:
    return settings.get("activities.input_deadline_days")


def input_deadline(
    day: date, unit: Any, days: int | None = None, holidays: dict[date, Holiday] | None = None
) -> date:
    """Entries for `day` may be created or changed until this date (inclusive): `days` (the
    setting "input deadline", default 3) working days after `day`."""
    return add_working_days(day, deadline_days() if days is None else days, unit, holidays)


def active_unlock(employee: Employee, tanggal: date, today: date) -> bool:
    """An admin reopened `tanggal` for `employee` and the unlock still runs."""
    return (
        DateUnlock.select()
        .where(
            DateUnlock.employee == employee.id,
            DateUnlock.tanggal == tanggal,
            DateUnlock.valid_until >= today,
        )
        .exists()
    )


def date_is_open(
    employee: Employee,
    tanggal: date,
    today: date | None = None,
    deadline_days: int | None = None,
    unlocked: bool | None = None,
) -> bool:
    """Entries for `tanggal` may be written: not in the future, and today is on or before its
    input deadline, or an admin unlocked the date."""
    today = today or local_today()
    if tanggal > today:
        return False
    deadline = input_deadline(tanggal, employee.unit, deadline_days)
    if today <= deadline:
        return True
    return active_unlock(employee, tanggal, today) if unlocked is None else unlocked


def check_open(employee: Employee, tanggal: date, opts: Options) -> None:
    """Refuse (422, on `tanggal`) a date in the future or past its input deadline."""
    today = local_today()
    if tanggal > today:
        raise Invalid(_("The date may not be in the future."), "tanggal")
    if not date_is_open(employee, tanggal, today, opts["deadline_days"]):
        deadline = input_deadline(tanggal, employee.unit, opts["deadline_days"])
        raise Invalid(
            _(
                "The input deadline for this date has passed (%(deadline)s). Ask the admin of "
                "your unit to unlock it.",
                deadline=format_date(deadline),
            ),
            "tanggal",
        )


# --- unlocking a past date ------------------------------------------------------------------


def can_unlock(actor: Any, employee: Employee) -> bool:
    """Admins, and admins OPD of the pegawai's unit, may reopen a pegawai's past date."""
    return can_admin_unit(actor, employee.unit)


def unlock_date(actor: Any, employee: Employee, tanggal: date | None, reason: str) -> DateUnlock:
    """Reopen `tanggal` for `employee` after its input deadline, with a reason (audited); the
    date stays open for the input deadline counted from today."""
    if not can_unlock(actor, employee):
        raise NotFound(_("The pegawai does not exist."))
    reason = visible_text(reason)
    if len(reason) < 10:
        raise Invalid(_("Write the reason (at least 10 characters)."), "alasan")
    today = local_today()
    if tanggal is None or tanggal > today:
        raise Invalid(_("The date may not be in the future."), "tanggal")
    opts = options()
    valid_until = add_working_days(today, max(opts["deadline_days"], 1), employee.unit)
    with write_transaction():
        unlock = DateUnlock.create(
            employee=employee.id,
            tanggal=tanggal,
            reason=reason[:1000],
            granted_by=actor.id,
            valid_until=valid_until,
        )
        audit(
            actor,
            "activity.date_unlocked",
            employee,
            note=reason,
            after={"tanggal": tanggal, "valid_until": valid_until},
        )
    return unlock


def recent_unlocks(actor: Any, limit: int = 50) -> list[DateUnlock]:
    """The latest unlocks of the pegawai `actor` administers (all for an admin, the subtrees of
    their units for an admin OPD), newest first, filtered in SQL before the limit."""
    if not getattr(actor, "is_authenticated", False):
        return []
    Granter = Employee.alias()
    query = (
        DateUnlock.select(DateUnlock, Employee, Granter)
        .join(Employee, on=(DateUnlock.employee == Employee.id))
        .switch(DateUnlock)
        .join(Granter, pw.JOIN.LEFT_OUTER, on=(DateUnlock.granted_by == Granter.id))
    )
    if not is_admin(actor):
        units = admin_units(actor)
        if not units:
            return []
        query = query.join_from(Employee, Unit).where(Unit.path_within(units))
    return list(query.order_by(DateUnlock.created_at.desc(), DateUnlock.id.desc()).limit(limit))


def find_employee(actor: Any, nip: str | None) -> Employee:
    """The pegawai with this NIP in the units `actor` administers (422 on `nip` otherwise)."""
    employee = Employee.get_or_none(Employee.nip == (nip or "").strip())
    if employee is None or not can_unlock(actor, employee):
        raise Invalid(_("No pegawai with this NIP in the units you manage."), "nip")
    return employee


# --- holidays -----------------------------------------------------------------------------


def can_manage_holidays(actor: Any) -> bool:
    return bool(actor and getattr(actor, "is_authenticated", False) and actor.is_admin)


def holidays_of(year: int) -> list[Holiday]:
    return list(Holiday.select().where(Holiday.tanggal.year == year).order_by(Holiday.tanggal))


def add_holiday(actor: Any, tanggal: date | None, jenis: str, keterangan: str) -> Holiday:
    """An admin adds a national holiday or cuti bersama (one per date)."""
    if not can_manage_holidays(actor):
        raise NotFound(_("The page does not exist."))
    keterangan = visible_text(keterangan)
    if tanggal is None:
        raise Invalid(_("Enter a valid date."), "tanggal")
    if not keterangan:
        raise Invalid(_("Write what the holiday is."), "keterangan")
    if jenis not in HOLIDAY_KINDS:
        raise Invalid(_("Choose the kind of holiday."), "jenis")
    with write_transaction():
        if Holiday.select().where(Holiday.tanggal == tanggal).exists():
            raise Invalid(_("This date is already a holiday."), "tanggal")
        holiday = Holiday.create(tanggal=tanggal, jenis=jenis, keterangan=keterangan[:200])
        _forget_holidays()
        after = {"tanggal": tanggal, "jenis": jenis, "keterangan": keterangan}
        audit(actor, "holiday.created", holiday, after=after)
    return holiday


def delete_holiday(actor: Any, holiday_id: int) -> None:
    """An admin removes a holiday (the date becomes a working day again)."""
    if not can_manage_holidays(actor):
        raise NotFound(_("The page does not exist."))
    holiday = Holiday.get_or_none(Holiday.id == holiday_id)
    if holiday is None:
        raise NotFound(_("The holiday does not exist."))
    with write_transaction():
        holiday.delete_instance()
        _forget_holidays()
        before = {"tanggal": holiday.tanggal, "keterangan": holiday.keterangan}
        audit(actor, "holiday.deleted", holiday, before=before)


def import_holidays(rows: Iterable[tuple[date, str, str]]) -> int:
    """Insert (tanggal, jenis, keterangan) rows that are not there yet; returns how many."""
    added = 0
    with write_transaction():
        existing = {row.tanggal for row in Holiday.select(Holiday.tanggal)}
        for tanggal, jenis, keterangan in rows:
            if tanggal in existing:
                continue
            Holiday.create(tanggal=tanggal, jenis=jenis, keterangan=keterangan)
            existing.add(tanggal)
            added += 1
    _forget_holidays()
    return added
