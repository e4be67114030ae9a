"""Verifikasi: who verifies whose entries, the queue, and the decisions (single and bulk).

Rules in one place:
- An entry is verified by its owner's atasan langsung; during a Plt/Plh appointment also by the
  acting verifier (recorded "oleh X sebagai Plh Y"); entries waiting longer than the escalation
  setting (working days) also by the atasan's atasan (and whoever acts for them).
- Nobody verifies their own entries, admins included. Anyone else gets 404.
- A decision is a conditional UPDATE (status = diajukan and the version the verifier saw) in a
  write transaction, so two verifiers (or a verifier and an editing pegawai) end with exactly one
  outcome; it writes one ActivityEvent and one audit row per entry and one notice per pegawai.
"""

import uuid
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import peewee as pw
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import settings
from portal.activities.models import (
    APPROVED,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    ActivityEvent,
    Evidence,
)
from portal.audit.models import AuditLog
from portal.clock import local_today, timezone, to_local
from portal.db import locked, utcnow, write_transaction
from portal.notifications.models import Notification
from portal.org.models import Employee, Unit
from portal.reviews.models import ActingAssignment
from portal.reviews.workdays import calendar_for
from portal.web.paths import path_for

GROUP = _l("Verification")
settings.define(
    "reviews.escalation_days", _l("Escalation to the atasan's atasan (working days)"), int, 5,
    minimum=1, maximum=60, group=GROUP,
    help=_l("Entries waiting longer than this also appear in the queue of the atasan's atasan."),
)  # fmt: skip

QUEUE_LIMIT = 500  # entries shown at once; the oldest first
BULK_LIMIT = 1000
NOTE_MAX = 2000

APPROVE, RETURN, REJECT = "approve", "return", "reject"
ACTIONS = {APPROVE: APPROVED, RETURN: NEEDS_REVISION, REJECT: REJECTED}
EVENT_ACTIONS = {APPROVE: "approved", RETURN: "returned", REJECT: "rejected"}


class ReviewError(Exception):
    """A decision that breaks a rule; the message is shown to the verifier (422)."""

    status = 422


class NotAllowed(ReviewError):
    """Refused for this user (403), e.g. deciding one's own entry."""

    status = 403


class Conflict(ReviewError):
    """Someone else changed or decided the entry first (409)."""

    status = 409


# --- who verifies whom ----------------------------------------------------------------------


def acting_assignments(actor, day=None):
    """The Plt/Plh appointments `actor` holds on `day` (today), loaded once per actor and day."""
    day = day or local_today()
    cache = actor.__dict__.setdefault("_acting_cache", {})
    if day not in cache:
        cache[day] = list(
            ActingAssignment.active_on(day)
            .where(ActingAssignment.acting == actor.id)
            .order_by(ActingAssignment.start_date)
        )
    return cache[day]


def identities(actor, day=None):
    """{employee id whose queue `actor` works: None for themself, else the appointment}."""
    ids = {actor.id: None}
    for assignment in acting_assignments(actor, day):
        if assignment.absent_id != actor.id:
            ids.setdefault(assignment.absent_id, assignment)
    return ids


def is_verifier(user, day=None):
    """An atasan (with active subordinates) or an acting Plt/Plh today."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_atasan or acting_assignments(user, day))


@dataclass
class Scope:
    """What `actor` may verify today: the queues they work (their own and those they act for),
    their direct subordinates per queue, and the escalation cutoff."""

    actor: object
    today: object
    ids: dict  # identity id -> None | ActingAssignment
    direct: dict  # subordinate id -> identity id (whose queue)
    names: dict  # subordinate id -> nama
    escalation_days: int

    def acting_for(self, identity_id):
        return None if identity_id == self.actor.id else identity_id


def scope_for(actor, today=None, fresh=False):
    """Three queries (acting appointments, direct subordinates of each queue, the escalation
    setting), computed once per actor object and day unless `fresh`."""
    today = today or local_today()
    cache = actor.__dict__.setdefault("_scope_cache", {})
    if not fresh and today in cache:
        return cache[today]
    cache[today] = _scope(actor, today)
    return cache[today]


def _scope(actor, today):
    ids = identities(actor, today)
    direct, names = {}, {}
    rows = (
        Employee.select(Employee.id, Employee.nama, Employee.supervisor)
        .where(Employee.supervisor.in_(list(ids)))
        .order_by(Employee.nama)
        .tuples()
    )
    for employee_id, nama, supervisor_id in rows:
        if employee_id == actor.id:
            continue  # a Plh who is the absent atasan's subordinate: not their own entries
        direct.setdefault(employee_id, supervisor_id)
        names[employee_id] = nama
    return Scope(actor, today, ids, direct, names, settings.get("reviews.escalation_days"))


def _waited_enough(scope, activity, unit, calendar):
    if activity.submitted_at is None:
        return False
    submitted = to_local(activity.submitted_at).date()
    return submitted <= calendar.cutoff(scope.today, scope.escalation_days, unit)


def _route(scope, activity, owner, calendar):
    """(allowed, acting_for id or None, escalated) for one entry of `owner`."""
    if owner.id == scope.actor.id:
        return False, None, False
    if owner.supervisor_id in scope.ids:
        return True, scope.acting_for(owner.supervisor_id), False
    middle = owner.supervisor_id
    if middle in scope.direct and _waited_enough(scope, activity, owner.unit, calendar):
        return True, scope.acting_for(scope.direct[middle]), True
    return False, None, False


# --- the queue ------------------------------------------------------------------------------


@dataclass
class Day:
    tanggal: object
    entries: list = field(default_factory=list)
    day_minutes: int = 0  # everything of the day that is submitted or approved

    @property
    def claimed(self):
        return sum(entry.minutes for entry in self.entries)

    @property
    def items(self):
        return ",".join(f"{entry.id}:{entry.version}" for entry in self.entries)


@dataclass
class PegawaiGroup:
    employee: object
    days: list = field(default_factory=list)

    @property
    def count(self):
        return sum(len(day.entries) for day in self.days)

    @property
    def items(self):
        return ",".join(day.items for day in self.days)


@dataclass
class Queue:
    groups: list
    total: int
    shown: int
    employees: list  # (id, nama) for the pegawai filter
    status: str
    limited: bool

    @property
    def items(self):
        return ",".join(group.items for group in self.groups)


@dataclass
class QueueFilter:
    employee_id: int | None = None
    start: object = None
    end: object = None
    status: str = SUBMITTED


def _base_query(scope, status):
    """Entries of the direct subordinates of the queues `actor` works, plus (for waiting
    entries) those of the subordinates' subordinates, candidates for escalation."""
    direct_ids = list(scope.direct)
    if not direct_ids:
        return None
    owner_in_scope = Activity.employee.in_(direct_ids)
    query = (
        Activity.select(Activity, Employee, Unit)
        .join(Employee, on=(Activity.employee == Employee.id))
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Activity.deleted_at.is_null(), Activity.employee != scope.actor.id)
    )
    if status == SUBMITTED:
        # escalation candidates: waited at least N calendar days (working days are fewer)
        floor = scope.today - timedelta(days=scope.escalation_days)
        escalated = Employee.supervisor.in_(direct_ids) & (
            Activity.submitted_at < _utc_start_of(floor + timedelta(days=1))
        )
        query = query.where(Activity.status == SUBMITTED, owner_in_scope | escalated)
    elif status in (APPROVED, NEEDS_REVISION, REJECTED):
        query = query.where(Activity.status == status, owner_in_scope)
    else:
        query = query.where(Activity.status != "draf", owner_in_scope)
    return query


def _utc_start_of(day):
    """The UTC timestamp (naive) of local midnight at the start of `day`."""
    local = datetime(day.year, day.month, day.day, tzinfo=timezone())
    return local.astimezone(UTC).replace(tzinfo=None)


def queue(actor, filters=None, today=None):
    """The verification queue of `actor`, grouped by pegawai and day, oldest first.

    A fixed number of queries whatever its size: acting appointments, subordinates, the entries
    (with owner and unit), holidays, the day totals, evidence, and a count when limited.
    """
    filters = filters or QueueFilter()
    scope = scope_for(actor, today)
    query = _base_query(scope, filters.status)
    employees = sorted(scope.names.items(), key=lambda item: item[1])
    if query is None:
        return Queue([], 0, 0, employees, filters.status, False)
    if filters.employee_id:
        query = query.where(Activity.employee == filters.employee_id)
    if filters.start:
        query = query.where(Activity.tanggal >= filters.start)
    if filters.end:
        query = query.where(Activity.tanggal <= filters.end)
    ordering = (Activity.tanggal, Activity.jam_mulai, Activity.id)
    if filters.status != SUBMITTED:
        ordering = (Activity.tanggal.desc(), Activity.jam_mulai, Activity.id)
    rows = list(query.order_by(*ordering).limit(QUEUE_LIMIT + 1))
    limited = len(rows) > QUEUE_LIMIT
    rows = rows[:QUEUE_LIMIT]
    calendar = calendar_for(scope.today)
    shown = []
    for row in rows:
        allowed, acting_for, escalated = _route(scope, row, row.employee, calendar)
        if filters.status != SUBMITTED:
            allowed = row.employee_id in scope.direct
        if allowed:
            row.escalated = escalated
            row.acting_for_id = acting_for
            shown.append(row)
    _attach_evidence(shown)
    totals = _day_totals(shown)
    groups = OrderedDict()
    for row in shown:
        group = groups.get(row.employee_id)
        if group is None:
            group = groups[row.employee_id] = PegawaiGroup(row.employee)
        if not group.days or group.days[-1].tanggal != row.tanggal:
            group.days.append(
                Day(row.tanggal, day_minutes=totals.get(row.employee_id, {}).get(row.tanggal, 0))
            )
        group.days[-1].entries.append(row)
    total = len(shown)
    if limited:
        total = query.count()
    for employee_id, nama in [(row.employee_id, row.employee.nama) for row in shown]:
        if employee_id not in scope.names:
            scope.names[employee_id] = nama
    employees = sorted(scope.names.items(), key=lambda item: item[1])
    return Queue(list(groups.values()), total, len(shown), employees, filters.status, limited)


def _attach_evidence(rows):
    by_activity = defaultdict(list)
    if rows:
        ids = [row.id for row in rows]
        for evidence in Evidence.select().where(Evidence.activity.in_(ids)).order_by(Evidence.id):
            by_activity[evidence.activity_id].append(evidence)
    for row in rows:
        row.evidence_list = by_activity.get(row.id, [])


def _day_totals(rows):
    """{employee id: {date: minutes}} of submitted and approved entries, one query."""
    if not rows:
        return {}
    employee_ids = sorted({row.employee_id for row in rows})
    start = min(row.tanggal for row in rows)
    end = max(row.tanggal for row in rows)
    query = (
        Activity.select(Activity.employee, Activity.tanggal, pw.fn.SUM(Activity.minutes))
        .where(
            Activity.employee.in_(employee_ids),
            Activity.tanggal.between(start, end),
            Activity.status.in_([SUBMITTED, APPROVED]),
            Activity.deleted_at.is_null(),
        )
        .group_by(Activity.employee, Activity.tanggal)
        .tuples()
    )
    totals = defaultdict(dict)
    for employee_id, tanggal, minutes in query:
        totals[employee_id][tanggal] = int(minutes or 0)
    return totals


def waiting_count(actor, today=None):
    """How many entries wait for `actor` (the navigation badge, the dasbor panel): computed once
    per actor object (one request) and day."""
    cache = actor.__dict__.setdefault("_waiting_cache", {})
    key = today or local_today()
    if key not in cache:
        cache[key] = _waiting_count(actor, today)
    return cache[key]


def _waiting_count(actor, today=None):
    scope = scope_for(actor, today)
    query = _base_query(scope, SUBMITTED)
    if query is None:
        return 0
    rows = (
        query.select(
            Activity.id,
            Activity.submitted_at,
            Employee.id,
            Employee.supervisor,
            Unit.id,
            Unit.work_days,
        )
        .order_by()
        .tuples()
    )
    calendar = None
    count = 0
    for _id, submitted_at, _owner, supervisor_id, unit_id, work_days in rows:
        if supervisor_id in scope.ids:
            count += 1
            continue
        calendar = calendar or calendar_for(scope.today)
        unit = Unit(id=unit_id, work_days=work_days)
        fake = Activity(submitted_at=submitted_at)
        if _waited_enough(scope, fake, unit, calendar):
            count += 1
    return count


# --- viewing an entry -----------------------------------------------------------------------


def chain_ids(employee):
    """Ids of the atasan chain of `employee` (atasan langsung first), bounded."""
    from portal.org.services import supervisor_chain

    return [boss.id for boss in supervisor_chain(employee)]


def can_view_entry(actor, activity):
    """The owner, anyone in the owner's atasan chain, and whoever acts for one of them today."""
    if activity.deleted_at is not None:
        return False
    if activity.employee_id == actor.id:
        return True
    return in_chain(actor, activity.employee)


def in_chain(actor, employee):
    chain = chain_ids(employee)
    if actor.id in chain:
        return True
    acting_for = {a.absent_id for a in acting_assignments(actor)}
    return bool(acting_for.intersection(chain))


def can_decide(actor, activity, today=None):
    """Allowed to decide on this entry now (whatever its status): see the module rules."""
    if activity.employee_id == actor.id or activity.deleted_at is not None:
        return False
    scope = scope_for(actor, today)
    allowed, _acting, _esc = _route(scope, activity, activity.employee, calendar_for(scope.today))
    return allowed


def entry_history(activity):
    """The entry's events with actor and acting-for names (one query)."""
    Actor = Employee.alias("actor")
    ActingFor = Employee.alias("acting_for")
    return list(
        ActivityEvent.select(ActivityEvent, Actor, ActingFor)
        .join(Actor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.actor == Actor.id))
        .switch(ActivityEvent)
        .join(ActingFor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.acting_for == ActingFor.id))
        .where(ActivityEvent.activity == activity.id)
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    )


# --- decisions ------------------------------------------------------------------------------


@dataclass
class Outcome:
    action: str
    decided: list  # Activity rows, as they were before the decision
    stale: list  # ids changed or decided by someone else meanwhile
    refused: list  # ids not this verifier's (or their own)

    def message(self):
        parts = []
        done = len(self.decided)
        if done:
            parts.append(
                {
                    APPROVE: ngettext("%(num)d entry approved.", "%(num)d entries approved.", done),
                    RETURN: ngettext(
                        "%(num)d entry returned for revision.",
                        "%(num)d entries returned for revision.",
                        done,
                    ),
                    REJECT: ngettext("%(num)d entry rejected.", "%(num)d entries rejected.", done),
                }[self.action]
            )
        if self.stale:
            parts.append(
                ngettext(
                    "%(num)d entry was changed or decided by someone else meanwhile; "
                    "it was left as it is.",
                    "%(num)d entries were changed or decided by someone else meanwhile; "
                    "they were left as they are.",
                    len(self.stale),
                )
            )
        if self.refused:
            parts.append(
                ngettext(
                    "%(num)d entry is not yours to verify.",
                    "%(num)d entries are not yours to verify.",
                    len(self.refused),
                )
            )
        return " ".join(parts) or _("Nothing was selected.")


def parse_items(values):
    """'12:3,13:1' strings (and lists of them) -> [(12, 3), (13, 1)], unique, bounded."""
    items, seen = [], set()
    for value in values:
        for part in str(value or "").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                raw_id, raw_version = part.split(":")
                item = (int(raw_id), int(raw_version))
            except ValueError:
                raise ReviewError(
                    _("The selection is not valid. Please reload the page.")
                ) from None
            if item[0] not in seen:
                seen.add(item[0])
                items.append(item)
    if len(items) > BULK_LIMIT:
        raise ReviewError(_("At most %(num)d entries can be decided at once.", num=BULK_LIMIT))
    return items


def _clean_note(note):
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ReviewError(_("The note may be at most %(num)d characters.", num=NOTE_MAX))
    return note or None


def approve_entries(actor, items, note=None, today=None):
    """Approve many entries at once (selection, a pegawai's day, or everything shown) with the
    full minutes; entries changed meanwhile are left alone and reported."""
    return decide(actor, items, APPROVE, note=note, today=today)


def approve_entry(actor, activity_id, version, menit_diakui=None, note=None, today=None):
    """Approve one entry, optionally accepting fewer minutes (then a note is required)."""
    return decide(actor, [(activity_id, version)], APPROVE, note, menit_diakui, today, single=True)


def return_for_revision(actor, activity_id, version, note, today=None):
    """Send one entry back to the pegawai for revision; the note is required."""
    return decide(actor, [(activity_id, version)], RETURN, note, None, today, single=True)


def reject_entry(actor, activity_id, version, note, today=None):
    """Reject one entry, finally; the note is required."""
    return decide(actor, [(activity_id, version)], REJECT, note, None, today, single=True)


def decide(actor, items, action, note=None, menit_diakui=None, today=None, single=False):
    """Decide entries: one conditional UPDATE per (version, acting-for) group inside one write
    transaction, with one event and one audit row per entry and one notice per pegawai.

    `single` makes problems errors (403/404/409) instead of a report.
    """
    if action not in ACTIONS:
        raise ReviewError(_("Unknown decision."))
    note = _clean_note(note)
    if action in (RETURN, REJECT) and not note:
        raise ReviewError(_("Write a note so the pegawai knows what to fix."))
    if not items:
        raise ReviewError(_("Choose at least one entry."))
    wanted = dict(items)
    now = utcnow()
    outcome = Outcome(action, [], [], [])
    with write_transaction():
        rows = list(
            locked(
                Activity.select().where(
                    Activity.id.in_(list(wanted)), Activity.deleted_at.is_null()
                )
            )
        )
        owners = {
            employee.id: employee
            for employee in Employee.select(Employee, Unit)
            .join(Unit, on=(Employee.unit == Unit.id))
            .where(Employee.id.in_({row.employee_id for row in rows} or {0}))
        }
        scope = scope_for(actor, today, fresh=True)
        calendar = calendar_for(scope.today)
        found = {row.id for row in rows}
        outcome.refused.extend(activity_id for activity_id in wanted if activity_id not in found)
        groups = defaultdict(list)
        for row in rows:
            row.employee = owners[row.employee_id]
            if row.employee_id == actor.id:
                if single:
                    raise NotAllowed(_("You cannot verify your own entries."))
                outcome.refused.append(row.id)
                continue
            allowed, acting_for, _escalated = _route(scope, row, row.employee, calendar)
            if not allowed:
                outcome.refused.append(row.id)
                continue
            if row.status != SUBMITTED or row.version != wanted[row.id]:
                outcome.stale.append(row.id)
                continue
            row.acting_for_id = acting_for
            groups[(row.version, acting_for)].append(row)
        if single and outcome.refused:
            from werkzeug.exceptions import NotFound

            raise NotFound()
        if single and outcome.stale:
            raise Conflict(_stale_message(rows[0]))
        if single and action == APPROVE and menit_diakui is not None:
            row = rows[0]
            if not 0 <= menit_diakui <= row.minutes:
                raise ReviewError(
                    _("Accepted minutes must be between 0 and %(num)d.", num=row.minutes)
                )
            if menit_diakui < row.minutes and not note:
                raise ReviewError(_("Write a note when you accept fewer minutes than claimed."))
        for (version, acting_for), group in groups.items():
            ids = [row.id for row in group]
            values = {
                Activity.status: ACTIONS[action],
                Activity.version: Activity.version + 1,
                Activity.decided_by: actor.id,
                Activity.decided_as: acting_for,
                Activity.decided_at: now,
                Activity.decision_note: note,
                Activity.updated_at: now,
            }
            if action == APPROVE:
                values[Activity.menit_diakui] = (
                    menit_diakui if single and menit_diakui is not None else Activity.minutes
                )
            else:
                values[Activity.menit_diakui] = None
            changed = (
                Activity.update(values)
                .where(
                    Activity.id.in_(ids),
                    Activity.status == SUBMITTED,
                    Activity.version == version,
                )
                .execute()
            )
            if changed != len(ids):
                raise Conflict(_("Some entries changed while you decided. Please try again."))
            outcome.decided.extend(group)
        if outcome.decided:
            _write_history(actor, outcome, note, menit_diakui if single else None, now)
    return outcome


def _stale_message(row):
    if row.status == SUBMITTED:
        return _("The pegawai changed this entry after you opened it. Please check it again.")
    if row.decided_by_id:
        decider = Employee.get_or_none(Employee.id == row.decided_by_id)
        if decider is not None:
            return _(
                "This entry was already decided by %(name)s (%(status)s).",
                name=decider.nama,
                status=status_label(row.status),
            )
    return _("This entry is no longer waiting for verification (%(status)s).",
             status=status_label(row.status))  # fmt: skip


def status_label(status):
    return {
        "draf": _("Draft"),
        SUBMITTED: _("Submitted"),
        APPROVED: _("Approved"),
        NEEDS_REVISION: _("Needs revision"),
        REJECTED: _("Rejected"),
    }.get(status, status)


STATUS_TONES = {
    "draf": "secondary",
    SUBMITTED: "primary",
    APPROVED: "success",
    NEEDS_REVISION: "warning",
    REJECTED: "danger",
}


def _write_history(actor, outcome, note, menit_diakui, now):
    """Events, audit rows (bulk inserts) and one notice per pegawai for this batch."""
    from flask import has_request_context, request

    to_status = ACTIONS[outcome.action]
    event_rows, audit_rows = [], []
    ip = (request.remote_addr or "") if has_request_context() else "cli"
    for row in outcome.decided:
        accepted = row.minutes if menit_diakui is None else menit_diakui
        event_rows.append(
            {
                "activity": row.id,
                "actor": actor.id,
                "acting_for": _acting_for_of(row, actor),
                "action": EVENT_ACTIONS[outcome.action],
                "from_status": SUBMITTED,
                "to_status": to_status,
                "note": note,
                "created_at": now,
                "updated_at": now,
            }
        )
        after = {"status": to_status, "version": row.version + 1}
        if outcome.action == APPROVE:
            after["menit_diakui"] = accepted
        if _acting_for_of(row, actor):
            after["decided_as"] = _acting_for_of(row, actor)
        audit_rows.append(
            {
                "actor": actor.id,
                "actor_label": actor.nama,
                "action": f"activity.{EVENT_ACTIONS[outcome.action]}",
                "object_type": "Activity",
                "object_id": str(row.id),
                "before": f'{{"status": "{SUBMITTED}", "version": {row.version}}}',
                "after": _json(after),
                "note": note,
                "ip": ip,
                "created_at": now,
                "updated_at": now,
            }
        )
    for chunk in _chunks(event_rows, 200):
        ActivityEvent.insert_many(chunk).execute()
    for chunk in _chunks(audit_rows, 200):
        AuditLog.insert_many(chunk).execute()
    _notify_owners(actor, outcome, note, now)


def _acting_for_of(row, actor):
    """The decided_as value written for this row (set in `decide` through the group key)."""
    return row.__dict__.get("acting_for_id")


def _json(value):
    import json

    return json.dumps(value, sort_keys=True)


def _chunks(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


url = path_for  # a path for links stored in notices (works in requests and CLI commands)


def _notify_owners(actor, outcome, note, now):
    by_owner = defaultdict(list)
    for row in outcome.decided:
        by_owner[row.employee_id].append(row)
    batch = uuid.uuid4().hex[:16]
    kind = {APPROVE: "activity_approved", RETURN: "activity_returned", REJECT: "activity_rejected"}
    notices = []
    for owner_id, rows in by_owner.items():
        owner = rows[0].employee
        with force_locale(owner.language or "id"):
            message = _decision_message(actor, outcome.action, rows, note)
        link = (
            url("reviews.entry", activity_id=rows[0].id)
            if len(rows) == 1 or outcome.action != APPROVE
            else url("notifications.index")
        )
        notices.append(
            {
                "recipient": owner_id,
                "kind": kind[outcome.action],
                "message": message,
                "link": link,
                "dedupe_key": f"decision:{batch}",
                "created_at": now,
                "updated_at": now,
            }
        )
    for chunk in _chunks(notices, 200):
        Notification.insert_many(chunk).execute()


def _decision_message(actor, action, rows, note):
    from portal.web.formatting import tanggal

    count = len(rows)
    if action == APPROVE:
        text = ngettext(
            "%(name)s approved %(num)d of your entries.",
            "%(name)s approved %(num)d of your entries.",
            count,
            name=actor.nama,
        )
        if count == 1:
            text = _(
                "%(name)s approved your entry of %(date)s.",
                name=actor.nama,
                date=tanggal(rows[0].tanggal),
            )
    elif action == RETURN:
        text = ngettext(
            "%(name)s returned your entry of %(date)s for revision: %(note)s",
            "%(name)s returned %(num)d of your entries for revision: %(note)s",
            count,
            name=actor.nama,
            date=tanggal(rows[0].tanggal),
            note=note,
        )
    else:
        text = ngettext(
            "%(name)s rejected your entry of %(date)s: %(note)s",
            "%(name)s rejected %(num)d of your entries: %(note)s",
            count,
            name=actor.nama,
            date=tanggal(rows[0].tanggal),
            note=note,
        )
    return text[:2000]


# --- acting verifiers (Plt/Plh) -------------------------------------------------------------


def can_appoint_for(actor, absent):
    """The atasan themself, an admin, or an admin OPD of the atasan's unit."""
    from portal.org.services import can_admin_unit

    return actor.id == absent.id or can_admin_unit(actor, absent.unit)


def appoint_acting(actor, absent, acting, kind, start_date, end_date, reason=""):
    """Appoint `acting` as Plt/Plh of `absent` for [start_date, end_date]; one appointment per
    atasan at a time; never oneself; audited and announced to the acting verifier."""
    from portal.reviews.models import ACTING_KINDS

    if absent is None or acting is None:
        raise ReviewError(_("No active pegawai has this NIP."))
    if not can_appoint_for(actor, absent):
        raise NotAllowed(_("You may not appoint a Plt/Plh for this atasan."))
    if kind not in ACTING_KINDS:
        raise ReviewError(_("Choose Plt or Plh."))
    if acting.id == absent.id:
        raise ReviewError(_("The Plt/Plh must be someone other than the absent atasan."))
    if not acting.active or not absent.active:
        raise ReviewError(_("Both pegawai must be active."))
    if start_date is None or end_date is None or end_date < start_date:
        raise ReviewError(_("The last day must be on or after the first day."))
    if end_date < local_today():
        raise ReviewError(_("The period has already ended."))
    if (end_date - start_date).days > 366:
        raise ReviewError(_("An appointment lasts at most one year."))
    reason = (reason or "").strip()[:300]
    with write_transaction():
        overlapping = locked(
            ActingAssignment.select().where(
                ActingAssignment.absent == absent.id,
                ActingAssignment.cancelled_at.is_null(),
                ActingAssignment.start_date <= end_date,
                ActingAssignment.end_date >= start_date,
            )
        )
        if overlapping.exists():
            raise ReviewError(_("This atasan already has a Plt/Plh in that period."))
        assignment = ActingAssignment.create(
            absent=absent, acting=acting, kind=kind, start_date=start_date, end_date=end_date,
            reason=reason, appointed_by=actor,
        )  # fmt: skip
        from portal.audit.services import record

        record(actor, "acting.appoint", assignment, after=_acting_snapshot(assignment))
        from portal.notifications.services import notify
        from portal.web.formatting import tanggal

        with force_locale(acting.language or "id"):
            message = _(
                "You are %(kind)s of %(name)s from %(start)s to %(end)s and verify their queue.",
                kind=kind,
                name=absent.nama,
                start=tanggal(start_date),
                end=tanggal(end_date),
            )
        notify(acting, "acting_appointed", message, url("reviews.queue"))
    return assignment


def _acting_snapshot(assignment):
    return {
        "absent": assignment.absent_id,
        "acting": assignment.acting_id,
        "kind": assignment.kind,
        "start": assignment.start_date,
        "end": assignment.end_date,
        "cancelled": bool(assignment.cancelled_at),
    }


def can_cancel_acting(actor, assignment):
    return assignment.appointed_by_id == actor.id or can_appoint_for(actor, assignment.absent)


def cancel_acting(actor, assignment):
    """End an appointment early (the appointer, the atasan or an admin of the unit)."""
    if not can_cancel_acting(actor, assignment):
        raise NotAllowed(_("You may not cancel this appointment."))
    with write_transaction():
        changed = (
            ActingAssignment.update(
                cancelled_at=utcnow(), cancelled_by=actor.id, updated_at=utcnow()
            )
            .where(ActingAssignment.id == assignment.id, ActingAssignment.cancelled_at.is_null())
            .execute()
        )
        if not changed:
            raise Conflict(_("This appointment was already cancelled."))
        from portal.audit.services import record

        record(actor, "acting.cancel", assignment, before=_acting_snapshot(assignment))
    return assignment


def acting_list(actor):
    """Appointments `actor` may see: theirs (either side), those they appointed, and for admins
    those of their units. Joined, one query."""
    from portal.org.services import admin_units, is_admin

    Absent = Employee.alias("absent")
    Acting = Employee.alias("acting")
    query = (
        ActingAssignment.select(ActingAssignment, Absent, Acting)
        .join(Absent, on=(ActingAssignment.absent == Absent.id))
        .switch(ActingAssignment)
        .join(Acting, on=(ActingAssignment.acting == Acting.id))
    )
    condition = (
        (ActingAssignment.absent == actor.id)
        | (ActingAssignment.acting == actor.id)
        | (ActingAssignment.appointed_by == actor.id)
    )
    if not is_admin(actor):
        units = admin_units(actor)
        if units:
            AbsentUnit = Unit.alias("absent_unit")
            unit_ids = AbsentUnit.select(AbsentUnit.id).where(_any_path(AbsentUnit, units))
            condition = condition | Absent.unit.in_(unit_ids)
        query = query.where(condition)
    return list(
        query.order_by(ActingAssignment.start_date.desc(), ActingAssignment.id.desc()).limit(200)
    )


def _any_path(model, units):
    condition = None
    for unit in units:
        clause = model.path.startswith(unit.path)
        condition = clause if condition is None else (condition | clause)
    return condition


def may_manage_acting(actor):
    """Who may open the Plt/Plh page: atasan, admins, and anyone appointed."""
    from portal.org.services import is_any_admin

    return bool(actor.is_atasan or is_any_admin(actor) or acting_assignments(actor))


def employee_by_nip(nip):
    nip = "".join((nip or "").split())
    if not nip:
        return None
    return Employee.get_or_none(Employee.nip == nip, Employee.active == True)  # noqa: E712


def acting_kinds(pairs):
    """{(acting id, absent id): "Plt"/"Plh"} for the given pairs (one query)."""
    pairs = {pair for pair in pairs if pair[0] and pair[1]}
    if not pairs:
        return {}
    rows = ActingAssignment.select(
        ActingAssignment.acting, ActingAssignment.absent, ActingAssignment.kind
    ).where(
        ActingAssignment.acting.in_({a for a, _b in pairs}),
        ActingAssignment.absent.in_({b for _a, b in pairs}),
    )
    return {(row.acting_id, row.absent_id): row.kind for row in rows}


def event_label(action):
    return {
        "created": _("created"),
        "edited": _("edited"),
        "submitted": _("submitted"),
        "approved": _("approved"),
        "returned": _("returned for revision"),
        "rejected": _("rejected"),
        "deleted": _("deleted"),
        "withdrawn": _("withdrawn"),
        "resubmitted": _("resubmitted"),
        "copied": _("copied from an earlier day"),
        "evidence_added": _("added evidence"),
        "evidence_removed": _("removed evidence"),
    }.get(action, action)
