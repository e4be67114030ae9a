"""The daily log's shared rules, at the bottom of the domain's imports: its settings, time
arithmetic, who may see a pegawai's entries, and loading one's own entry.

Concurrency: every write to a pegawai's day first locks that pegawai's row (`lock_employee`:
IMMEDIATE on SQLite, FOR UPDATE on MySQL); every change to an entry is a conditional UPDATE in
portal.activities.lifecycle.
"""

from datetime import date, time
from typing import Any, TypedDict

from flask_babel import gettext as _

from portal import settings
from portal.activities.models import EDITABLE, Activity
from portal.activities.statuses import status_label
from portal.db import is_mysql, locked
from portal.errors import Conflict, NotFound
from portal.org.models import Employee
from portal.org.services import can_admin_unit

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_TEMPLATES = 30
SETTING_KEYS = (
    "activities.max_minutes_per_day",
    "activities.input_deadline_days",
    "activities.monthly_target_minutes",
    "activities.counted_minutes_per_day",
    "activities.workday_start",
    "activities.workday_end",
    "activities.rhk_required",
)


class Options(TypedDict):
    """The activity settings, read once per action (`options()`)."""

    max_minutes: int
    deadline_days: int
    monthly_target: int
    counted_per_day: int
    workday_start: time
    workday_end: time
    rhk_required: bool


def parse_clock(text: object, fallback: str) -> time:
    """'07:30' or '07.30' -> time; `fallback` (a 'HH:MM' string) when unreadable."""
    for candidate in (text, fallback):
        try:
            hours, minutes = str(candidate).replace(".", ":").split(":")[:2]
            return time(int(hours), int(minutes))
        except (TypeError, ValueError):
            continue
    return time(7, 30)


def options() -> Options:
    """The activity settings, in one query."""
    values = settings.get_many(SETTING_KEYS)
    return {
        "max_minutes": values["activities.max_minutes_per_day"],
        "deadline_days": values["activities.input_deadline_days"],
        "monthly_target": values["activities.monthly_target_minutes"],
        "counted_per_day": values["activities.counted_minutes_per_day"],
        "workday_start": parse_clock(values["activities.workday_start"], "07:30"),
        "workday_end": parse_clock(values["activities.workday_end"], "16:00"),
        "rhk_required": bool(values["activities.rhk_required"]),
    }


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def add_minutes(moment: time, minutes: int) -> time:
    total = min(max(moment.hour * 60 + moment.minute + minutes, 0), 23 * 60 + 59)
    return time(total // 60, total % 60)


def find_overlap(intervals: Any, start: time, end: time) -> tuple[time, time, Any] | None:
    """The first (start, end, payload) in `intervals` that overlaps [start, end); touching
    intervals (one ends when the other starts) do not overlap."""
    for other_start, other_end, payload in intervals:
        if other_start < end and start < other_end:
            return other_start, other_end, payload
    return None


def parse_date(text: object, default: date | None = None) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except (TypeError, ValueError):
        return default


# --- who sees what ----------------------------------------------------------------------------


def in_atasan_chain(actor: Employee, employee: Employee, depth: int = 10) -> bool:
    """True when `actor` is the atasan, the atasan's atasan, ... of `employee`."""
    current = employee.supervisor_id
    seen = set()
    while current and depth and current not in seen:
        if current == actor.id:
            return True
        seen.add(current)
        depth -= 1
        row = Employee.select(Employee.supervisor).where(Employee.id == current).first()
        current = row.supervisor_id if row else None
    return False


def can_view_entries_of(actor: Any, employee: Employee) -> bool:
    """The owner, their atasan chain, and admins of their unit may see their entries."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.id == employee.id:
        return True
    return in_atasan_chain(actor, employee) or can_admin_unit(actor, employee.unit)


# --- one's own entry ---------------------------------------------------------------------------


def live() -> Any:
    """The condition "not deleted"."""
    return Activity.deleted_at.is_null()


def lock_employee(employee: Employee) -> None:
    """Serialize writes to one pegawai's log (SQLite: the IMMEDIATE transaction does it, with
    no statement of its own)."""
    if is_mysql():
        locked(Employee.select(Employee.id).where(Employee.id == employee.id)).first()


def own_entry(actor: Employee, activity_id: object) -> Activity:
    """The actor's own live entry, or NotFound (another pegawai's id answers 404)."""
    try:
        wanted = int(str(activity_id))
    except (TypeError, ValueError):
        raise NotFound(_("The activity does not exist.")) from None
    row = Activity.get_or_none(Activity.id == wanted, Activity.employee == actor.id, live())
    if row is None:
        raise NotFound(_("The activity does not exist."))
    return row


def conflict() -> Conflict:
    return Conflict(
        _(
            "This activity was changed or decided by someone else in the meantime. "
            "Reload the page to see its current state."
        )
    )


def check_editable(current: Activity, expected_version: object = None) -> None:
    """Only Draf and Perlu Revisi entries change, and only the version the pegawai saw."""
    if current.status not in EDITABLE:
        raise Conflict(
            _(
                "Activities with status %(status)s can no longer be changed.",
                status=status_label(current.status),
            )
        )
    if expected_version is not None and int(str(expected_version)) != current.version:
        raise conflict()


def snapshot(activity: Activity) -> dict[str, Any]:
    """What the audit log keeps of an entry."""
    return {
        "tanggal": activity.tanggal,
        "jam": f"{activity.jam_mulai:%H:%M}-{activity.jam_selesai:%H:%M}",
        "uraian": activity.uraian,
        "output": f"{activity.volume} {activity.satuan}",
        "lokasi": activity.lokasi,
        "rhk_id": activity.rhk_id,
        "status": activity.status,
        "version": activity.version,
    }
