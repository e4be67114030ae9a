"""Daily reminders (`flask --app portal send-reminders`, run by cron each working morning).

- Pegawai: the working days of the open input window (dates whose input deadline has not
  passed, before today) that have no entry at all.
- Verifiers (atasan, and a Plt/Plh for the absent atasan): how many entries wait, how many are
  new since the last run (the submissions digest), and how long the oldest has waited.

Weekends and holidays count as the unit's calendar says; nothing is sent on a day off. Each
notice carries a dedupe key with the date, so running the command twice a day sends nothing new.
A fixed number of queries whatever the number of pegawai.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import peewee as pw
from flask_babel import force_locale, ngettext

from portal import settings
from portal.activities.calendar import calendar_for
from portal.activities.models import SUBMITTED, Activity
from portal.clock import to_local
from portal.db import utcnow
from portal.notifications.models import Notification
from portal.notifications.services import Notice, notify_many
from portal.org.models import Employee, Unit
from portal.reviews.models import ActingAssignment
from portal.web.formatting import tanggal
from portal.web.paths import path_for


@dataclass
class Result:
    pegawai: int = 0
    verifiers: int = 0
    skipped_day_off: bool = False


def _open_days(calendar, today, deadline_days, unit):
    """Working days d < today whose input deadline (the N-th working day after d) is today or
    later, newest first."""
    days = []
    day = today - timedelta(days=1)
    while day >= calendar.start and calendar.count_after(day, today, unit) <= deadline_days:
        if calendar.is_working_day(day, unit):
            days.append(day)
        day -= timedelta(days=1)
    return days


def send(today: date, now: datetime | None = None) -> Result:
    """Send today's reminders once; returns how many pegawai and verifiers were told."""
    now = now or utcnow()
    result = Result()
    calendar = calendar_for(today, back_days=60)
    default_unit = Unit(work_days=5)
    six_day = Unit(work_days=6)
    if not calendar.is_working_day(today, default_unit) and not calendar.is_working_day(
        today, six_day
    ):
        result.skipped_day_off = True
        return result
    deadline_days = settings.get("activities.input_deadline_days")
    windows = {
        5: _open_days(calendar, today, deadline_days, default_unit),
        6: _open_days(calendar, today, deadline_days, six_day),
    }
    earliest = min([day for days in windows.values() for day in days], default=today)
    employees = list(
        Employee.select(Employee, Unit).join(Unit).where(Employee.active == True)  # noqa: E712
    )
    filled: dict[int, set[date]] = defaultdict(set)
    days_with_entries: Any = (
        Activity.select(Activity.employee, Activity.tanggal)
        .where(Activity.tanggal.between(earliest, today), Activity.deleted_at.is_null())
        .distinct()
        .tuples()
    )
    for employee_id, tanggal_ in days_with_entries:
        filled[employee_id].add(tanggal_)
    stamp = today.isoformat()
    missing_key = f"reminder:missing:{stamp}"
    queue_key = f"reminder:queue:{stamp}"
    existing = _existing_today(stamp)
    notices = []
    for employee in employees:
        unit = employee.unit
        work_days = 6 if unit.work_days == 6 else 5
        if not calendar.is_working_day(today, unit):
            continue
        joined = employee.created_at.date() if employee.created_at else earliest
        missing = [
            day for day in windows[work_days] if day not in filled[employee.id] and day >= joined
        ]
        if not missing or (employee.id, missing_key) in existing:
            continue
        with force_locale(employee.language or "id"):
            days = ", ".join(tanggal(day, "EEEE d MMM") for day in sorted(missing))
            message = ngettext(
                "No activity has been reported yet for %(num)d working day: %(days)s.",
                "No activity has been reported yet for %(num)d working days: %(days)s.",
                len(missing),
                days=days,
            )
        notices.append(
            Notice(
                employee.id, "reminder_missing", message, path_for("activities.day"), missing_key
            )
        )
    result.pegawai = len(notices)
    verifier_notices = _verifier_notices(today, now, calendar, queue_key, existing, employees)
    result.verifiers = len(verifier_notices)
    notify_many(notices + verifier_notices)
    return result


def _existing_today(stamp):
    return {
        (row.recipient_id, row.dedupe_key)
        for row in Notification.select(Notification.recipient, Notification.dedupe_key).where(
            Notification.dedupe_key.in_([f"reminder:missing:{stamp}", f"reminder:queue:{stamp}"])
            | Notification.dedupe_key.startswith(f"reminder:queue:{stamp}:")
        )
    }


def _verifier_notices(today, now, calendar, queue_key, existing, employees):
    """One notice per atasan with waiting entries, and one per Plt/Plh for each atasan they act
    for today: count, new since yesterday, the oldest's wait in working days."""
    since = now - timedelta(days=1)
    Owner = Employee.alias("owner")
    rows = (
        Activity.select(
            Owner.supervisor,
            pw.fn.COUNT(Activity.id),
            pw.fn.MIN(Activity.submitted_at),
            pw.fn.SUM(pw.Case(None, [(Activity.submitted_at >= since, 1)], 0)),
        )
        .join(Owner, on=(Activity.employee == Owner.id))
        .where(
            Activity.status == SUBMITTED,
            Activity.deleted_at.is_null(),
            Owner.supervisor.is_null(False),
        )
        .group_by(Owner.supervisor)
        .tuples()
    )
    waiting = {
        supervisor: (count, oldest, int(new or 0)) for supervisor, count, oldest, new in rows
    }
    if not waiting:
        return []
    people = {employee.id: employee for employee in employees}
    recipients = []  # (recipient, absent or None)
    for supervisor_id in waiting:
        if supervisor_id in people:
            recipients.append((people[supervisor_id], None, supervisor_id))
    for assignment in ActingAssignment.active_on(today).where(
        ActingAssignment.absent.in_(list(waiting))
    ):
        acting = people.get(assignment.acting_id)
        absent = people.get(assignment.absent_id)
        if acting is not None and absent is not None:
            recipients.append((acting, absent, absent.id))
    notices = []
    link = path_for("reviews.queue")
    for recipient, absent, queue_owner in recipients:
        key = queue_key if absent is None else f"{queue_key}:{absent.id}"
        if (recipient.id, key) in existing:
            continue
        count, oldest, new = waiting[queue_owner]
        waited = 0
        if isinstance(oldest, str):  # SQLite hands MIN() of a timestamp back as text
            oldest = datetime.fromisoformat(oldest)
        if isinstance(oldest, datetime):
            waited = calendar.count_after(to_local(oldest).date(), today, recipient.unit)
        with force_locale(recipient.language or "id"):
            message = ngettext(
                "%(num)d entry waits for your verification",
                "%(num)d entries wait for your verification",
                count,
            )
            if absent is not None:
                message = ngettext(
                    "%(num)d entry waits in the queue of %(name)s, for whom you act",
                    "%(num)d entries wait in the queue of %(name)s, for whom you act",
                    count,
                    name=absent.nama,
                )
            parts = [message]
            if new:
                parts.append(
                    ngettext("%(num)d new since yesterday", "%(num)d new since yesterday", new)
                )
            if waited:
                parts.append(
                    ngettext(
                        "the oldest has waited %(num)d working day",
                        "the oldest has waited %(num)d working days",
                        waited,
                    )
                )
            text = "; ".join(parts) + "."
        notices.append(Notice(recipient.id, "reminder_queue", text, link, key))
    return notices
