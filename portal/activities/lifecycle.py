"""How an entry moves between statuses: the one module that writes Activity rows.

    (new) -> Draf -> Diajukan -> Disetujui (menit diakui)
                                | Perlu Revisi (note) -> Diajukan
                                | Ditolak (note, final)

Every transition here is guarded: a conditional UPDATE on the status (and the `version`) the
caller saw, whose row count is checked, inside the caller's write transaction; a row that moved
meanwhile raises Conflict (409), so an edit racing a decision, or two verifiers, end with exactly
one winner. Every transition writes its ActivityEvent rows and audit rows. Who may do what is
checked by the callers (portal.activities.entries for the pegawai, portal.reviews.decisions for
the verifier); this module only owns the state machine. Every change marks the entry's month
stale for the monthly totals (portal.activities.month_totals) in the same transaction.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from portal.activities import month_totals
from portal.activities.calendar import check_open
from portal.activities.models import (
    APPROVED,
    DRAFT,
    EDITABLE,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    ActivityEvent,
)
from portal.activities.rules import conflict, live, lock_employee, options, snapshot
from portal.audit import services as audit
from portal.db import locked, utcnow, write_transaction
from portal.errors import Conflict, Invalid
from portal.notifications.services import notify
from portal.org.models import Employee
from portal.web.formatting import tanggal as format_date
from portal.web.paths import path_for

APPROVE, RETURN, REJECT = "approve", "return", "reject"
DECISIONS = {APPROVE: APPROVED, RETURN: NEEDS_REVISION, REJECT: REJECTED}
EVENT_ACTIONS = {APPROVE: "approved", RETURN: "returned", REJECT: "rejected"}
CHUNK = 200


def record_event(
    activity: Activity,
    actor: Any,
    action: str,
    from_status: str | None,
    to_status: str | None,
    note: str | None = None,
) -> ActivityEvent:
    """One line of the entry's history."""
    return ActivityEvent.create(
        activity=activity.id,
        actor=getattr(actor, "id", actor),
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
    )


# --- the pegawai's side: create, edit, delete, evidence, submit --------------------------------


def create(
    actor: Employee,
    values: Mapping[str, Any],
    minutes: int,
    action: str = "created",
    note: str | None = None,
) -> Activity:
    """A new Draf entry of `actor` (rules already checked by the caller)."""
    activity = Activity.create(employee=actor.id, minutes=minutes, status=DRAFT, **values)
    month_totals.mark([(actor.id, activity.tanggal)])
    record_event(activity, actor, action, None, DRAFT, note)
    audit.record(actor, "activity.created", activity, after=snapshot(activity), note=note)
    return activity


def _change_editable(current: Activity, **values: Any) -> None:
    """UPDATE the entry only while it is editable and still at `current.version` (the version
    grows); Conflict when someone changed or decided it meanwhile."""
    now = utcnow()
    changed = (
        Activity.update(version=Activity.version + 1, updated_at=now, **values)
        .where(
            Activity.id == current.id,
            Activity.version == current.version,
            Activity.status.in_(EDITABLE),
            live(),
        )
        .execute()
    )
    if changed != 1:
        raise conflict()


def edit(actor: Employee, current: Activity, values: Mapping[str, Any], minutes: int) -> Activity:
    """Change an editable entry, if it is still at `current.version`; returns the new row."""
    before = snapshot(current)
    _change_editable(current, minutes=minutes, **values)
    updated = Activity.get_by_id(current.id)
    month_totals.mark(
        [(current.employee_id, current.tanggal), (updated.employee_id, updated.tanggal)]
    )
    record_event(updated, actor, "edited", current.status, updated.status)
    audit.record(actor, "activity.edited", updated, before=before, after=snapshot(updated))
    return updated


def remove(actor: Employee, current: Activity) -> Activity:
    """Soft-delete an editable entry still at `current.version` (its history is kept)."""
    _change_editable(current, deleted_at=utcnow())
    month_totals.mark([(current.employee_id, current.tanggal)])
    record_event(current, actor, "deleted", current.status, current.status)
    audit.record(actor, "activity.deleted", current, before=snapshot(current))
    return current


def touch(
    actor: Employee,
    current: Activity,
    action: str,
    note: str | None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Record a change beside the entry (evidence added or removed): the entry's version grows,
    if it is still editable at `current.version`, so a verifier who saw the old one is stale."""
    _change_editable(current)
    record_event(current, actor, action, current.status, current.status, note)
    audit.record(actor, f"activity.{action}", current, before=before, after=after)


def submit_day(actor: Employee, tanggal: date, ids: Iterable[object] | None = None) -> int:
    """The pegawai submits (Ajukan) their Draf and Perlu Revisi entries of `tanggal` (all, or
    the selected `ids`): they become Diajukan and wait for the atasan. Drafts only within the
    input deadline: one conditional UPDATE per (version, status) group, one event and one
    audit row per entry (bulk inserts). Returns the number submitted."""
    opts = options()
    with write_transaction():
        lock_employee(actor)
        query = Activity.select().where(
            Activity.employee == actor.id,
            Activity.tanggal == tanggal,
            Activity.status.in_(EDITABLE),
            live(),
        )
        if ids is not None:
            wanted = {int(str(i)) for i in ids if str(i).isdigit()}
            query = query.where(Activity.id.in_(wanted or {0}))
        rows = list(query.order_by(Activity.jam_mulai))
        if not rows:
            raise Invalid(_("Choose at least one Draft or returned activity to submit."))
        if any(row.status == DRAFT for row in rows):
            check_open(actor, tanggal, opts)
        now = utcnow()
        groups: dict[tuple[int, str], list[int]] = defaultdict(list)
        for row in rows:
            groups[(row.version, row.status)].append(row.id)
        for (version, status), group in groups.items():
            changed = (
                Activity.update(
                    status=SUBMITTED, submitted_at=now, version=Activity.version + 1, updated_at=now
                )
                .where(
                    Activity.id.in_(group),
                    Activity.version == version,
                    Activity.status == status,
                )
                .execute()
            )
            if changed != len(group):
                raise conflict()
        _submission_history(actor, rows, now)
        month_totals.mark([(actor.id, tanggal)])
        _notify_supervisor(actor, tanggal, len(rows))
    return len(rows)


def _submission_history(actor: Employee, rows: list[Activity], now: datetime) -> None:
    events, entries = [], []
    for row in rows:
        action = "resubmitted" if row.status == NEEDS_REVISION else "submitted"
        events.append(
            {
                "activity": row.id,
                "actor": actor.id,
                "action": action,
                "from_status": row.status,
                "to_status": SUBMITTED,
                "created_at": now,
                "updated_at": now,
            }
        )
        entries.append(
            audit.Entry(
                actor=actor,
                action=f"activity.{action}",
                obj=row,
                before={"status": row.status},
                after={"status": SUBMITTED},
                object_type="Activity",
            )
        )
    _record_history(events, entries)


def _record_history(events: list[dict[str, Any]], entries: list[audit.Entry]) -> None:
    """A batch's events and audit rows, in a few INSERTs."""
    for start in range(0, len(events), CHUNK):
        ActivityEvent.insert_many(events[start : start + CHUNK]).execute()
    audit.record_many(entries)


def _notify_supervisor(actor: Employee, tanggal: date, count: int) -> None:
    if not actor.supervisor_id:
        return
    notify(
        actor.supervisor_id,
        "activity_submitted",
        _(
            "%(name)s submitted %(count)s activities for %(date)s.",
            name=actor.nama,
            count=count,
            date=format_date(tanggal),
        ),
        path_for("reviews.queue"),
        dedupe_key=f"activity-submitted:{actor.id}:{tanggal.isoformat()}:{utcnow():%H%M}",
    )


# --- the verifier's side: approve, return, reject, one or many at once ------------------------


def lock_live(ids: Iterable[int]) -> list[Activity]:
    """The live entries with these ids, read for a decision inside its write transaction
    (`SELECT ... FOR UPDATE` on MySQL, so nobody changes them until it commits)."""
    return list(locked(Activity.select().where(Activity.id.in_(list(ids)), live())))


def check_accepted_minutes(activity: Activity, menit_diakui: int, note: str | None) -> None:
    """Menit diakui lie in 0..minutes claimed; fewer than claimed needs a note."""
    if not 0 <= menit_diakui <= activity.minutes:
        raise Invalid(_("Accepted minutes must be between 0 and %(num)d.", num=activity.minutes))
    if menit_diakui < activity.minutes and not note:
        raise Invalid(_("Write a note when you accept fewer minutes than claimed."))


def decide(
    actor: Employee,
    rows: list[Activity],
    action: str,
    acting_for: Mapping[int, int | None],
    note: str | None = None,
    menit_diakui: int | None = None,
    now: datetime | None = None,
) -> None:
    """Move Diajukan entries (`rows`, as the verifier saw them, read with `lock_live`) to the
    decision's status: one conditional UPDATE per (version, acting-for) group, one event and
    one audit row per entry (bulk inserts). `acting_for` maps an entry id to the atasan the
    verifier acts for as Plt/Plh (None: as themself). `menit_diakui` (approve only) applies to
    every row; without it an approval accepts the minutes claimed. Call inside the write
    transaction that read the rows; Conflict when any row moved meanwhile."""
    if action not in DECISIONS or (menit_diakui is not None and action != APPROVE):
        raise Invalid(_("Unknown decision."))
    if menit_diakui is not None:
        for row in rows:
            check_accepted_minutes(row, menit_diakui, note)
    now = now or utcnow()
    groups: dict[tuple[int, int | None], list[Activity]] = defaultdict(list)
    for row in rows:
        groups[(row.version, acting_for.get(row.id))].append(row)
    for (version, acting_as), group in groups.items():
        values: dict[Any, Any] = {
            Activity.status: DECISIONS[action],
            Activity.version: Activity.version + 1,
            Activity.decided_by: actor.id,
            Activity.decided_as: acting_as,
            Activity.decided_at: now,
            Activity.decision_note: note,
            Activity.updated_at: now,
        }
        if action == APPROVE:
            values[Activity.menit_diakui] = (
                menit_diakui if menit_diakui is not None else Activity.minutes
            )
        else:
            values[Activity.menit_diakui] = None
        changed = (
            Activity.update(values)
            .where(
                Activity.id.in_([row.id for row in group]),
                Activity.status == SUBMITTED,
                Activity.version == version,
            )
            .execute()
        )
        if changed != len(group):
            raise Conflict(_("Some entries changed while you decided. Please try again."))
    month_totals.mark((row.employee_id, row.tanggal) for row in rows)
    _decision_history(actor, rows, action, acting_for, note, menit_diakui, now)


def _decision_history(
    actor: Employee,
    rows: list[Activity],
    action: str,
    acting_for: Mapping[int, int | None],
    note: str | None,
    menit_diakui: int | None,
    now: datetime,
) -> None:
    to_status = DECISIONS[action]
    events, entries = [], []
    for row in rows:
        acting_as = acting_for.get(row.id)
        events.append(
            {
                "activity": row.id,
                "actor": actor.id,
                "acting_for": acting_as,
                "action": EVENT_ACTIONS[action],
                "from_status": SUBMITTED,
                "to_status": to_status,
                "note": note,
                "created_at": now,
                "updated_at": now,
            }
        )
        after: dict[str, Any] = {"status": to_status, "version": row.version + 1}
        if action == APPROVE:
            after["menit_diakui"] = row.minutes if menit_diakui is None else menit_diakui
        if acting_as:
            after["decided_as"] = acting_as
        entries.append(
            audit.Entry(
                actor=actor,
                action=f"activity.{EVENT_ACTIONS[action]}",
                obj=row,
                before={"status": SUBMITTED, "version": row.version},
                after=after,
                note=note,
                object_type="Activity",
            )
        )
    _record_history(events, entries)
