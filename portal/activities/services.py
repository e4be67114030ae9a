"""The rules of the daily activity log (laporan kegiatan harian).

One function per user action; each takes the acting pegawai, checks permission, runs in one
transaction with its audit row and ActivityEvent, and raises ActivityError (an Indonesian message,
the form field it belongs to, and the HTTP status) when a rule is broken.

Concurrency: every write to a pegawai's day first locks that pegawai's row (IMMEDIATE on SQLite,
FOR UPDATE on MySQL), and every change to an entry is a conditional UPDATE on `version` and an
editable status, so an edit racing a supervisor's decision (portal.reviews) has exactly one winner.
"""

import calendar as pycalendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from urllib.parse import urlparse

import peewee as pw
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import settings
from portal.activities import workdays
from portal.activities.models import (
    APPROVED,
    DRAFT,
    EDITABLE,
    EVIDENCE_LINK,
    LOCATIONS,
    MAX_EVIDENCE,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    ActivityEvent,
    ActivityTemplate,
    DateUnlock,
    Evidence,
    Holiday,
)
from portal.audit.services import record as audit
from portal.clock import local_now, local_today
from portal.db import locked, utcnow, write_transaction
from portal.org.models import Employee
from portal.web import uploads
from portal.web.formatting import rentang_jam

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_TEMPLATES = 30
SETTING_KEYS = (
    "activities.max_minutes_per_day",
    "activities.input_deadline_days",
    "activities.monthly_target_minutes",
    "activities.workday_start",
    "activities.workday_end",
)

STATUS_LABELS = {
    DRAFT: _l("Draft"),
    SUBMITTED: _l("Submitted"),
    APPROVED: _l("Approved"),
    NEEDS_REVISION: _l("Needs revision"),
    REJECTED: _l("Rejected"),
}
STATUS_TONES = {
    DRAFT: "secondary",
    SUBMITTED: "primary",
    APPROVED: "success",
    NEEDS_REVISION: "warning",
    REJECTED: "danger",
}
LOCATION_LABELS = {"WFO": _l("Office (WFO)"), "WFH": _l("Home (WFH)"), "DL": _l("Official trip")}
EVENT_LABELS = {
    "created": _l("Created"),
    "edited": _l("Edited"),
    "copied": _l("Copied from an earlier day"),
    "submitted": _l("Submitted"),
    "resubmitted": _l("Resubmitted"),
    "approved": _l("Approved"),
    "returned": _l("Returned for revision"),
    "rejected": _l("Rejected"),
    "deleted": _l("Deleted"),
    "evidence_added": _l("Evidence added"),
    "evidence_removed": _l("Evidence removed"),
}


def labels(lazy_map):
    """A dict of lazy labels translated once (templates look them up per row)."""
    return {key: str(value) for key, value in lazy_map.items()}


class ActivityError(Exception):
    """A broken rule: `str(error)` is the Indonesian message, `field` the form field (or None)."""

    status = 422

    def __init__(self, message, field=None, status=None):
        super().__init__(message)
        self.field = field
        if status:
            self.status = status


class ConflictError(ActivityError):
    status = 409


class NotFound(ActivityError):
    status = 404


# --- settings and small helpers ---------------------------------------------------------------


def parse_clock(text, fallback):
    """'07:30' or '07.30' -> time; `fallback` (a 'HH:MM' string) when unreadable."""
    for candidate in (text, fallback):
        try:
            hours, minutes = str(candidate).replace(".", ":").split(":")[:2]
            return time(int(hours), int(minutes))
        except (TypeError, ValueError):
            continue
    return time(7, 30)


def options():
    """The activity settings, in one query."""
    values = settings.get_many(SETTING_KEYS)
    return {
        "max_minutes": values["activities.max_minutes_per_day"],
        "deadline_days": values["activities.input_deadline_days"],
        "monthly_target": values["activities.monthly_target_minutes"],
        "workday_start": parse_clock(values["activities.workday_start"], "07:30"),
        "workday_end": parse_clock(values["activities.workday_end"], "16:00"),
    }


def minutes_between(start: time, end: time) -> int:
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


def add_minutes(moment: time, minutes: int) -> time:
    total = min(max(moment.hour * 60 + moment.minute + minutes, 0), 23 * 60 + 59)
    return time(total // 60, total % 60)


def find_overlap(intervals, start: time, end: time):
    """The first (start, end, payload) in `intervals` that overlaps [start, end); touching
    intervals (one ends when the other starts) do not overlap."""
    for other_start, other_end, payload in intervals:
        if other_start < end and start < other_end:
            return other_start, other_end, payload
    return None


def _lock_employee(employee):
    """Serialize writes to one pegawai's log (SQLite: the IMMEDIATE transaction does it)."""
    locked(Employee.select(Employee.id).where(Employee.id == employee.id)).first()


def _live():
    return Activity.deleted_at.is_null()


def _active_unlock(employee, tanggal, today):
    return (
        DateUnlock.select()
        .where(
            DateUnlock.employee == employee.id,
            DateUnlock.tanggal == tanggal,
            DateUnlock.valid_until >= today,
        )
        .exists()
    )


def date_is_open(employee, tanggal, today=None, deadline_days=None, unlocked=None):
    """Entries for `tanggal` may be written: not in the future, and today is on or before its
    input deadline, or an admin unlocked the date."""
    today = today or local_today()
    if tanggal > today:
        return False
    deadline = workdays.input_deadline(tanggal, employee.unit, deadline_days)
    if today <= deadline:
        return True
    return _active_unlock(employee, tanggal, today) if unlocked is None else unlocked


def _check_open(employee, tanggal, opts):
    today = local_today()
    if tanggal > today:
        raise ActivityError(_("The date may not be in the future."), "tanggal")
    if not date_is_open(employee, tanggal, today, opts["deadline_days"]):
        deadline = workdays.input_deadline(tanggal, employee.unit, opts["deadline_days"])
        from portal.web.formatting import tanggal as format_date

        raise ActivityError(
            _(
                "The input deadline for this date has passed (%(deadline)s). Ask the admin of "
                "your unit to unlock it.",
                deadline=format_date(deadline),
            ),
            "tanggal",
        )


def check_rules(employee, tanggal, start, end, exclude_id=None, opts=None):
    """Every rule of one entry's time: end after start, not in the future, within the input
    deadline, no overlap with the pegawai's other entries that day (touching is fine), and the
    day's total within the maximum. Returns the minutes."""
    opts = opts or options()
    if start is None or end is None:
        raise ActivityError(_("Enter the start and end time."), "jam_mulai")
    if end <= start:
        raise ActivityError(_("The end time must be after the start time."), "jam_selesai")
    _check_open(employee, tanggal, opts)
    now = local_now()
    if tanggal == now.date() and end > now.time().replace(second=0, microsecond=0):
        raise ActivityError(_("The end time may not be in the future."), "jam_selesai")
    query = Activity.select(Activity.id, Activity.jam_mulai, Activity.jam_selesai, Activity.minutes)
    query = query.where(
        Activity.employee == employee.id,
        Activity.tanggal == tanggal,
        Activity.status != REJECTED,
        _live(),
    )
    if exclude_id:
        query = query.where(Activity.id != exclude_id)
    others = list(query)
    clash = find_overlap([(row.jam_mulai, row.jam_selesai, row) for row in others], start, end)
    if clash:
        raise ActivityError(
            _("Overlaps the activity %(range)s.", range=rentang_jam(clash[0], clash[1])),
            "jam_mulai",
        )
    minutes = minutes_between(start, end)
    total = sum(row.minutes for row in others) + minutes
    if total > opts["max_minutes"]:
        raise ActivityError(
            _(
                "The day's total would be %(total)s minutes; the maximum is %(max)s minutes.",
                total=total,
                max=opts["max_minutes"],
            ),
            "jam_selesai",
        )
    return minutes


def _clean(data):
    """The entry columns a pegawai may set, checked; anything else in `data` is ignored."""
    uraian = (data.get("uraian") or "").strip()
    if not uraian:
        raise ActivityError(_("Describe the activity."), "uraian")
    if len(uraian) > 2000:
        raise ActivityError(_("The description is too long (at most 2000 characters)."), "uraian")
    try:
        volume = int(data.get("volume") or 0)
    except (TypeError, ValueError):
        volume = 0
    if not 1 <= volume <= 100000:
        raise ActivityError(_("The volume must be a whole number of at least 1."), "volume")
    satuan = (data.get("satuan") or "").strip()[:50]
    if not satuan:
        raise ActivityError(_("Enter the unit of the output, e.g. dokumen."), "satuan")
    lokasi = data.get("lokasi") or "WFO"
    if lokasi not in LOCATIONS:
        raise ActivityError(_("Choose a valid location."), "lokasi")
    rhk_id = data.get("rhk_id") or None
    return {
        "tanggal": data.get("tanggal"),
        "jam_mulai": data.get("jam_mulai"),
        "jam_selesai": data.get("jam_selesai"),
        "uraian": uraian,
        "volume": volume,
        "satuan": satuan,
        "lokasi": lokasi,
        "rhk_id": int(rhk_id) if rhk_id else None,
    }


def _event(activity, actor, action, from_status, to_status, note=None):
    return ActivityEvent.create(
        activity=activity.id,
        actor=getattr(actor, "id", actor),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


def snapshot(activity):
    return {
        "tanggal": activity.tanggal,
        "jam": f"{activity.jam_mulai:%H:%M}-{activity.jam_selesai:%H:%M}",
        "uraian": activity.uraian,
        "output": f"{activity.volume} {activity.satuan}",
        "lokasi": activity.lokasi,
        "status": activity.status,
        "version": activity.version,
    }


def own_entry(actor, activity_id):
    """The actor's own live entry, or NotFound (another pegawai's id answers 404)."""
    try:
        activity_id = int(activity_id)
    except (TypeError, ValueError):
        raise NotFound(_("The activity does not exist.")) from None
    row = Activity.get_or_none(Activity.id == activity_id, Activity.employee == actor.id, _live())
    if row is None:
        raise NotFound(_("The activity does not exist."))
    return row


# --- entries ------------------------------------------------------------------------------------


def create_entry(actor, data, action="created", note=None):
    """A pegawai adds a Draf entry to their own day; every rule of `check_rules` applies."""
    values = _clean(data)
    if not isinstance(values["tanggal"], date):
        raise ActivityError(_("Enter a valid date."), "tanggal")
    opts = options()
    with write_transaction():
        _lock_employee(actor)
        minutes = check_rules(
            actor, values["tanggal"], values["jam_mulai"], values["jam_selesai"], opts=opts
        )
        activity = Activity.create(employee=actor.id, minutes=minutes, status=DRAFT, **values)
        _event(activity, actor, action, None, DRAFT, note)
        audit(actor, "activity.created", activity, after=snapshot(activity), note=note)
    return activity


def update_entry(actor, activity, data, expected_version=None):
    """A pegawai changes their own Draf or Perlu Revisi entry; the same rules as a new one. The
    change lands only if nobody changed or decided the entry since `expected_version`."""
    values = _clean(data)
    if not isinstance(values["tanggal"], date):
        raise ActivityError(_("Enter a valid date."), "tanggal")
    opts = options()
    with write_transaction():
        _lock_employee(actor)
        current = own_entry(actor, activity.id)
        _check_editable(current, expected_version)
        if current.status == DRAFT and current.tanggal != values["tanggal"]:
            _check_open(actor, current.tanggal, opts)
        if current.status == NEEDS_REVISION:
            # A returned entry stays open for its revision whatever the deadline says.
            opts = {**opts, "deadline_days": 10_000}
        minutes = check_rules(
            actor,
            values["tanggal"],
            values["jam_mulai"],
            values["jam_selesai"],
            exclude_id=current.id,
            opts=opts,
        )
        before = snapshot(current)
        changed = (
            Activity.update(
                minutes=minutes,
                version=Activity.version + 1,
                updated_at=utcnow(),
                **values,
            )
            .where(
                Activity.id == current.id,
                Activity.version == current.version,
                Activity.status.in_(EDITABLE),
                _live(),
            )
            .execute()
        )
        if changed != 1:
            raise _conflict()
        updated = Activity.get_by_id(current.id)
        _event(updated, actor, "edited", current.status, updated.status)
        audit(actor, "activity.edited", updated, before=before, after=snapshot(updated))
    return updated


def _conflict():
    return ConflictError(
        _(
            "This activity was changed or decided by someone else in the meantime. "
            "Reload the page to see its current state."
        )
    )


def _check_editable(current, expected_version=None):
    if current.status not in EDITABLE:
        raise ActivityError(
            _(
                "Activities with status %(status)s can no longer be changed.",
                status=STATUS_LABELS[current.status],
            ),
            status=409,
        )
    if expected_version is not None and int(expected_version) != current.version:
        raise _conflict()


def delete_entry(actor, activity, expected_version=None):
    """A pegawai deletes their own Draf or Perlu Revisi entry (soft delete; history is kept)."""
    opts = options()
    with write_transaction():
        _lock_employee(actor)
        current = own_entry(actor, activity.id)
        _check_editable(current, expected_version)
        if current.status == DRAFT:
            _check_open(actor, current.tanggal, opts)
        changed = (
            Activity.update(deleted_at=utcnow(), version=Activity.version + 1, updated_at=utcnow())
            .where(
                Activity.id == current.id,
                Activity.version == current.version,
                Activity.status.in_(EDITABLE),
                _live(),
            )
            .execute()
        )
        if changed != 1:
            raise _conflict()
        _event(current, actor, "deleted", current.status, current.status)
        audit(actor, "activity.deleted", current, before=snapshot(current))
    return current


def submit_day(actor, tanggal, ids=None):
    """The pegawai submits (Ajukan) their Draf and Perlu Revisi entries of `tanggal` (all, or
    the selected `ids`): they become Diajukan and wait for the atasan. Drafts only within the
    input deadline. Returns the number submitted."""
    opts = options()
    with write_transaction():
        _lock_employee(actor)
        query = Activity.select().where(
            Activity.employee == actor.id,
            Activity.tanggal == tanggal,
            Activity.status.in_(EDITABLE),
            _live(),
        )
        if ids is not None:
            wanted = {int(i) for i in ids if str(i).isdigit()}
            query = query.where(Activity.id.in_(wanted or {0}))
        rows = list(query.order_by(Activity.jam_mulai))
        if not rows:
            raise ActivityError(_("Choose at least one Draft or returned activity to submit."))
        if any(row.status == DRAFT for row in rows):
            _check_open(actor, tanggal, opts)
        now = utcnow()
        for row in rows:
            changed = (
                Activity.update(
                    status=SUBMITTED,
                    submitted_at=now,
                    version=Activity.version + 1,
                    updated_at=now,
                )
                .where(
                    Activity.id == row.id,
                    Activity.version == row.version,
                    Activity.status == row.status,
                )
                .execute()
            )
            if changed != 1:
                raise _conflict()
            action = "resubmitted" if row.status == NEEDS_REVISION else "submitted"
            _event(row, actor, action, row.status, SUBMITTED)
            audit(actor, f"activity.{action}", row, before={"status": row.status},
                  after={"status": SUBMITTED})  # fmt: skip
        _notify_supervisor(actor, tanggal, len(rows))
    return len(rows)


def _notify_supervisor(actor, tanggal, count):
    if not actor.supervisor_id:
        return
    try:
        from portal.notifications.services import notify
        from portal.web.formatting import tanggal as format_date
        from portal.web.paths import path_for

        link = path_for("reviews.queue") if _has_endpoint("reviews.queue") else ""
        notify(
            actor.supervisor_id,
            "activity_submitted",
            _(
                "%(name)s submitted %(count)s activities for %(date)s.",
                name=actor.nama,
                count=count,
                date=format_date(tanggal),
            ),
            link,
            dedupe_key=f"activity-submitted:{actor.id}:{tanggal.isoformat()}:{utcnow():%H%M}",
        )
    except ImportError:  # pragma: no cover - notifications always exist
        return


def _has_endpoint(name):
    from flask import current_app, has_app_context

    return has_app_context() and name in current_app.view_functions


def copy_entries(actor, source_ids, target_date):
    """Copy the pegawai's selected entries of an earlier day to `target_date` as new Draf
    entries, skipping any that would break a rule. Returns (copied, [(entry, reason)])."""
    wanted = {int(i) for i in source_ids if str(i).isdigit()}
    if not wanted:
        raise ActivityError(_("Choose at least one activity to copy."))
    sources = list(
        Activity.select()
        .where(Activity.id.in_(wanted), Activity.employee == actor.id, _live())
        .order_by(Activity.tanggal, Activity.jam_mulai)
    )
    if not sources:
        raise NotFound(_("The activity does not exist."))
    copied, skipped = [], []
    for source in sources:
        data = {
            "tanggal": target_date,
            "jam_mulai": source.jam_mulai,
            "jam_selesai": source.jam_selesai,
            "uraian": source.uraian,
            "volume": source.volume,
            "satuan": source.satuan,
            "lokasi": source.lokasi,
            "rhk_id": source.rhk_id,
        }
        try:
            copied.append(create_entry(actor, data, action="copied", note=str(source.tanggal)))
        except ActivityError as error:
            skipped.append((source, str(error)))
    return copied, skipped


# --- routine templates ------------------------------------------------------------------------


def save_template(actor, data, minutes):
    """A pegawai saves a routine activity (kegiatan rutin) to fill the form in one click."""
    values = _clean({**data, "tanggal": None})
    count = ActivityTemplate.select().where(ActivityTemplate.employee == actor.id).count()
    if count >= MAX_TEMPLATES:
        raise ActivityError(_("You can keep at most %(n)s routine activities.", n=MAX_TEMPLATES))
    minutes = max(5, min(int(minutes or 60), 720))
    with write_transaction():
        template = ActivityTemplate.create(
            employee=actor.id,
            uraian=values["uraian"],
            volume=values["volume"],
            satuan=values["satuan"],
            lokasi=values["lokasi"],
            minutes=minutes,
        )
        audit(actor, "activity_template.created", template, after={"uraian": template.uraian})
    return template


def delete_template(actor, template_id):
    """A pegawai removes one of their own routine activities."""
    template = ActivityTemplate.get_or_none(
        ActivityTemplate.id == template_id, ActivityTemplate.employee == actor.id
    )
    if template is None:
        raise NotFound(_("The routine activity does not exist."))
    with write_transaction():
        template.delete_instance()
        audit(actor, "activity_template.deleted", template, before={"uraian": template.uraian})


def templates_of(actor):
    return list(
        ActivityTemplate.select()
        .where(ActivityTemplate.employee == actor.id)
        .order_by(ActivityTemplate.uraian)
    )


# --- evidence (bukti dukung) ------------------------------------------------------------------


def _bump_for_evidence(actor, activity):
    changed = (
        Activity.update(version=Activity.version + 1, updated_at=utcnow())
        .where(
            Activity.id == activity.id,
            Activity.version == activity.version,
            Activity.status.in_(EDITABLE),
            _live(),
        )
        .execute()
    )
    if changed != 1:
        raise _conflict()


def _evidence_room(activity):
    count = Evidence.select().where(Evidence.activity == activity.id).count()
    if count >= MAX_EVIDENCE:
        raise ActivityError(
            _("An activity can have at most %(n)s pieces of evidence.", n=MAX_EVIDENCE), "berkas"
        )


def file_size(file_storage):
    stream = file_storage.stream
    try:
        position = stream.tell()
        stream.seek(0, 2)
        size = stream.tell()
        stream.seek(position)
    except (AttributeError, OSError):
        return 0
    return size


def add_file(actor, activity, file_storage):
    """Attach an uploaded file (PDF, JPG, PNG, DOCX, XLSX; at most 10 MB; checked by content)
    to the pegawai's own Draf or Perlu Revisi entry; at most 5 pieces of evidence per entry."""
    current = own_entry(actor, activity.id)
    _check_editable(current)
    _evidence_room(current)
    if file_size(file_storage) > MAX_UPLOAD_BYTES:
        raise ActivityError(_("The file is larger than 10 MB."), "berkas", status=413)
    try:
        stored = uploads.save(file_storage, max_bytes=MAX_UPLOAD_BYTES)
    except uploads.UploadError as error:
        raise ActivityError(str(error), "berkas") from None
    try:
        with write_transaction():
            _lock_employee(actor)
            current = own_entry(actor, activity.id)
            _check_editable(current)
            _evidence_room(current)
            evidence = Evidence.create(
                activity=current.id,
                kind=stored.kind,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                size=stored.size,
            )
            _bump_for_evidence(actor, current)
            _event(current, actor, "evidence_added", current.status, current.status,
                   stored.original_name)  # fmt: skip
            audit(actor, "activity.evidence_added", current, after={"file": stored.original_name})
    except Exception:
        uploads.delete(stored.stored_name)
        raise
    return evidence


def add_link(actor, activity, url, label=""):
    """Attach a link (http or https only) as evidence to the pegawai's own editable entry."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > 500:
        raise ActivityError(_("Enter a link that starts with http:// or https://."), "tautan")
    label = (label or "").strip()[:200] or parsed.netloc
    with write_transaction():
        _lock_employee(actor)
        current = own_entry(actor, activity.id)
        _check_editable(current)
        _evidence_room(current)
        evidence = Evidence.create(
            activity=current.id, kind=EVIDENCE_LINK, original_name=label, url=url
        )
        _bump_for_evidence(actor, current)
        _event(current, actor, "evidence_added", current.status, current.status, url)
        audit(actor, "activity.evidence_added", current, after={"url": url})
    return evidence


def delete_evidence(actor, activity, evidence_id):
    """Remove evidence from the pegawai's own editable entry (the stored file is deleted)."""
    with write_transaction():
        _lock_employee(actor)
        current = own_entry(actor, activity.id)
        evidence = Evidence.get_or_none(Evidence.id == evidence_id, Evidence.activity == current.id)
        if evidence is None:
            raise NotFound(_("The evidence does not exist."))
        _check_editable(current)
        evidence.delete_instance()
        _bump_for_evidence(actor, current)
        _event(current, actor, "evidence_removed", current.status, current.status,
               evidence.original_name)  # fmt: skip
        audit(actor, "activity.evidence_removed", current, before={"name": evidence.original_name})
    if evidence.stored_name:
        uploads.delete(evidence.stored_name)


def _can_admin_unit(actor, unit):
    try:
        from portal.org.services import can_admin_unit
    except ImportError:  # pragma: no cover - until portal.org.services exists

        def can_admin_unit(actor, unit):
            return bool(actor.is_admin)

    return can_admin_unit(actor, unit)


def in_atasan_chain(actor, employee, depth=10):
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


def can_view_entries_of(actor, employee):
    """The owner, their atasan chain, and admins of their unit may see their entries."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if actor.id == employee.id:
        return True
    return in_atasan_chain(actor, employee) or _can_admin_unit(actor, employee.unit)


def evidence_for_download(actor, evidence_id):
    """The evidence row if `actor` may download it (owner, atasan chain, admins of the owner's
    unit), else NotFound."""
    row = (
        Evidence.select(Evidence, Activity)
        .join(Activity)
        .where(Evidence.id == evidence_id, Activity.deleted_at.is_null())
        .first()
    )
    if row is None or row.kind == EVIDENCE_LINK or not row.stored_name:
        raise NotFound(_("The evidence does not exist."))
    owner = Employee.get_by_id(row.activity.employee_id)
    if not can_view_entries_of(actor, owner):
        raise NotFound(_("The evidence does not exist."))
    return row


# --- unlocking a past date ------------------------------------------------------------------


def can_unlock(actor, employee):
    """Admins, and admins OPD of the pegawai's unit, may reopen a pegawai's past date."""
    return _can_admin_unit(actor, employee.unit)


def unlock_date(actor, employee, tanggal, reason):
    """Reopen `tanggal` for `employee` after its input deadline, with a reason (audited); the
    date stays open for the input deadline counted from today."""
    if not can_unlock(actor, employee):
        raise NotFound(_("The pegawai does not exist."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ActivityError(_("Write the reason (at least 10 characters)."), "alasan")
    today = local_today()
    if tanggal is None or tanggal > today:
        raise ActivityError(_("The date may not be in the future."), "tanggal")
    opts = options()
    valid_until = workdays.add_working_days(today, max(opts["deadline_days"], 1), employee.unit)
    with write_transaction():
        unlock = DateUnlock.create(
            employee=employee.id,
            tanggal=tanggal,
            reason=reason[:1000],
            granted_by=actor.id,
            valid_until=valid_until,
        )
        audit(actor, "activity.date_unlocked", employee, note=reason,
              after={"tanggal": tanggal, "valid_until": valid_until})  # fmt: skip
    return unlock


def recent_unlocks(actor, limit=50):
    Granter = Employee.alias()
    query = (
        DateUnlock.select(DateUnlock, Employee, Granter)
        .join(Employee, on=(DateUnlock.employee == Employee.id))
        .switch(DateUnlock)
        .join(Granter, pw.JOIN.LEFT_OUTER, on=(DateUnlock.granted_by == Granter.id))
        .order_by(DateUnlock.created_at.desc())
        .limit(limit)
    )
    return [row for row in query if _can_admin_unit(actor, row.employee.unit_id)]


def find_employee(actor, nip):
    employee = Employee.get_or_none(Employee.nip == (nip or "").strip())
    if employee is None or not can_unlock(actor, employee):
        raise ActivityError(_("No pegawai with this NIP in the units you manage."), "nip")
    return employee


# --- holidays -----------------------------------------------------------------------------


def can_manage_holidays(actor):
    return bool(actor and getattr(actor, "is_authenticated", False) and actor.is_admin)


def add_holiday(actor, tanggal, jenis, keterangan):
    """An admin adds a national holiday or cuti bersama (one per date)."""
    if not can_manage_holidays(actor):
        raise NotFound(_("The page does not exist."))
    keterangan = (keterangan or "").strip()
    if tanggal is None:
        raise ActivityError(_("Enter a valid date."), "tanggal")
    if not keterangan:
        raise ActivityError(_("Write what the holiday is."), "keterangan")
    if jenis not in ("libur_nasional", "cuti_bersama"):
        raise ActivityError(_("Choose the kind of holiday."), "jenis")
    with write_transaction():
        if Holiday.select().where(Holiday.tanggal == tanggal).exists():
            raise ActivityError(_("This date is already a holiday."), "tanggal")
        holiday = Holiday.create(tanggal=tanggal, jenis=jenis, keterangan=keterangan[:200])
        audit(actor, "holiday.created", holiday, after={"tanggal": tanggal, "jenis": jenis,
                                                       "keterangan": keterangan})  # fmt: skip
    return holiday


def delete_holiday(actor, holiday_id):
    """An admin removes a holiday (the date becomes a working day again)."""
    if not can_manage_holidays(actor):
        raise NotFound(_("The page does not exist."))
    holiday = Holiday.get_or_none(Holiday.id == holiday_id)
    if holiday is None:
        raise NotFound(_("The holiday does not exist."))
    with write_transaction():
        holiday.delete_instance()
        before = {"tanggal": holiday.tanggal, "keterangan": holiday.keterangan}
        audit(actor, "holiday.deleted", holiday, before=before)


def import_holidays(rows):
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
    return added


# --- what the pages show --------------------------------------------------------------------


@dataclass
class Day:
    """One day of one pegawai, with everything the day view shows (a fixed number of queries)."""

    employee: Employee
    tanggal: date
    entries: list
    is_working: bool
    holiday: Holiday | None
    deadline: date
    open: bool
    opts: dict
    total: int = 0
    events: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    week: list = field(default_factory=list)

    @property
    def editable_ids(self):
        return [entry.id for entry in self.entries if entry.status in EDITABLE]

    @property
    def next_start(self):
        """The form remembers the last end time as the next start time."""
        if self.entries:
            return max(entry.jam_selesai for entry in self.entries)
        return self.opts["workday_start"]


def day_view(employee, tanggal):
    """The pegawai's entries of `tanggal` with their history and evidence."""
    opts = options()
    entries = list(
        Activity.select()
        .where(Activity.employee == employee.id, Activity.tanggal == tanggal, _live())
        .order_by(Activity.jam_mulai, Activity.id)
    )
    ids = [entry.id for entry in entries] or [0]
    Actor = Employee.alias()
    ActingFor = Employee.alias()
    events = {}
    query = (
        ActivityEvent.select(ActivityEvent, Actor.id, Actor.nama, ActingFor.id, ActingFor.nama)
        .join(Actor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.actor == Actor.id))
        .switch(ActivityEvent)
        .join(ActingFor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.acting_for == ActingFor.id))
        .where(ActivityEvent.activity.in_(ids))
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    )
    for event in query:
        events.setdefault(event.activity_id, []).append(event)
    evidence = {}
    for row in Evidence.select().where(Evidence.activity.in_(ids)).order_by(Evidence.id):
        evidence.setdefault(row.activity_id, []).append(row)
    unit = employee.unit
    # One holiday query for the week strip, the day and its input deadline.
    week_start, week_end = week_bounds(tanggal)
    horizon = tanggal + timedelta(days=workdays.window(opts["deadline_days"]))
    holidays = workdays.holidays_between(week_start, max(week_end, horizon))
    cal = workdays.calendar(tanggal, tanggal, unit, holidays)[0]
    deadline = workdays.input_deadline(tanggal, unit, opts["deadline_days"], holidays)
    today = local_today()
    is_open = tanggal <= today and (today <= deadline or _active_unlock(employee, tanggal, today))
    live = [entry for entry in entries if entry.status != REJECTED]
    return Day(
        employee=employee,
        tanggal=tanggal,
        entries=entries,
        is_working=cal[1],
        holiday=cal[2],
        deadline=deadline,
        open=is_open,
        opts=opts,
        total=sum(entry.minutes for entry in live),
        events=events,
        evidence=evidence,
        week=summaries(employee, week_start, week_end, holidays),
    )


def previous_day_with_entries(employee, before):
    """The latest earlier date with entries, and its entries (one query with a subquery)."""
    Earlier = Activity.alias()
    latest = Earlier.select(pw.fn.MAX(Earlier.tanggal)).where(
        Earlier.employee == employee.id, Earlier.tanggal < before, Earlier.deleted_at.is_null()
    )
    entries = list(
        Activity.select()
        .where(Activity.employee == employee.id, Activity.tanggal == latest, _live())
        .order_by(Activity.jam_mulai)
    )
    return (entries[0].tanggal if entries else None), entries


def _day_totals(employee, start, end):
    """{date: {status: (count, minutes, menit_diakui)}} in one grouped query."""
    query = (
        Activity.select(
            Activity.tanggal,
            Activity.status,
            pw.fn.COUNT(Activity.id).alias("n"),
            pw.fn.SUM(Activity.minutes).alias("menit"),
            pw.fn.SUM(pw.fn.COALESCE(Activity.menit_diakui, Activity.minutes)).alias("diakui"),
        )
        .where(Activity.employee == employee.id, Activity.tanggal.between(start, end), _live())
        .group_by(Activity.tanggal, Activity.status)
        .tuples()
    )
    totals = {}
    for tanggal, status, count, minutes, diakui in query:
        if isinstance(tanggal, str):
            tanggal = date.fromisoformat(tanggal)
        totals.setdefault(tanggal, {})[status] = (int(count), int(minutes or 0), int(diakui or 0))
    return totals


@dataclass
class DaySummary:
    tanggal: date
    is_working: bool
    holiday: Holiday | None
    counts: dict  # status -> count
    minutes: int  # claimed, without rejected
    approved: int  # menit diakui of approved entries
    submitted: int  # minutes of Diajukan + Disetujui entries

    @property
    def entry_count(self):
        return sum(self.counts.values())

    @property
    def status(self):
        """The day's status for the week view: the least advanced status of its entries."""
        for status in (NEEDS_REVISION, DRAFT, SUBMITTED, APPROVED, REJECTED):
            if self.counts.get(status):
                return status
        return None


def summaries(employee, start, end, holidays=None):
    """One DaySummary per date of start..end (two queries: totals and holidays)."""
    totals = _day_totals(employee, start, end)
    result = []
    for day, working, holiday in workdays.calendar(start, end, employee.unit, holidays):
        per_status = totals.get(day, {})
        counts = {status: value[0] for status, value in per_status.items()}
        minutes = sum(value[1] for status, value in per_status.items() if status != REJECTED)
        approved = per_status.get(APPROVED, (0, 0, 0))[2]
        submitted = sum(per_status.get(s, (0, 0, 0))[1] for s in (SUBMITTED, APPROVED))
        result.append(DaySummary(day, working, holiday, counts, minutes, approved, submitted))
    return result


def week_bounds(day):
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def month_bounds(year, month):
    last = pycalendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


@dataclass
class Month:
    start: date
    end: date
    days: list
    target: int
    today: date

    @property
    def submitted(self):
        return sum(day.submitted for day in self.days)

    @property
    def approved(self):
        return sum(day.approved for day in self.days)

    @property
    def claimed(self):
        return sum(day.minutes for day in self.days)

    @property
    def percent(self):
        return min(100, round(self.approved * 100 / self.target)) if self.target else 0

    @property
    def working_days(self):
        return [day for day in self.days if day.is_working]

    @property
    def empty_working_days(self):
        """Working days before today without any entry (today may still be filled in)."""
        return [
            day for day in self.days
            if day.is_working and day.tanggal < self.today and not day.entry_count
        ]  # fmt: skip

    def chart(self, width=480, height=200):
        """Bars of minutes per day (approved dark, the rest light) as numbers for the SVG."""
        top = max([day.minutes for day in self.days] + [self.daily_target, 60])
        plot_h = height - 36
        slot = width / len(self.days)
        bars = []
        for index, day in enumerate(self.days):
            x = index * slot
            h_all = plot_h * day.minutes / top
            h_ok = plot_h * min(day.approved, day.minutes) / top
            bars.append(
                {
                    "day": day,
                    "x": round(x + slot * 0.15, 1),
                    "w": round(slot * 0.7, 1),
                    "y_all": round(10 + plot_h - h_all, 1),
                    "h_all": round(h_all, 1),
                    "y_ok": round(10 + plot_h - h_ok, 1),
                    "h_ok": round(h_ok, 1),
                    "label_x": round(x + slot / 2, 1),
                }
            )
        target_y = round(10 + plot_h - plot_h * self.daily_target / top, 1)
        return {"bars": bars, "width": width, "height": height, "base": 10 + plot_h,
                "target_y": target_y}  # fmt: skip

    @property
    def daily_target(self):
        count = len(self.working_days)
        return round(self.target / count) if count else 0


def month_view(employee, year, month):
    """The pegawai's month: minutes submitted and approved against the monthly target, working
    days without any entry, and the minutes per day."""
    start, end = month_bounds(year, month)
    opts = options()
    return Month(start, end, summaries(employee, start, end), opts["monthly_target"],
                 local_today())  # fmt: skip


def dashboard_context(employee):
    """Today's entries and the month's progress for the dasbor panel (fixed query count)."""
    today = local_today()
    entries = list(
        Activity.select()
        .where(Activity.employee == employee.id, Activity.tanggal == today, _live())
        .order_by(Activity.jam_mulai)
    )
    start, end = month_bounds(today.year, today.month)
    totals = _day_totals(employee, start, end)
    approved = sum(v.get(APPROVED, (0, 0, 0))[2] for v in totals.values())
    submitted = sum(v.get(s, (0, 0, 0))[1] for v in totals.values() for s in (SUBMITTED, APPROVED))
    target = settings.get("activities.monthly_target_minutes")
    return {
        "today": today,
        "entries": entries,
        "total_today": sum(e.minutes for e in entries if e.status != REJECTED),
        "approved": approved,
        "submitted": submitted,
        "target": target,
        "percent": min(100, round(approved * 100 / target)) if target else 0,
    }


def parse_date(text, default=None):
    try:
        return date.fromisoformat(str(text))
    except (TypeError, ValueError):
        return default


def as_datetime(day, moment):
    return datetime.combine(day, moment)
