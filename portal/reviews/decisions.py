"""Decisions on entries: approve (with menit diakui), return for revision, reject, one entry
or many at once, by the entry's verifier (see portal.reviews.scope).

How a bulk approval stays race-safe: `decide` reads the chosen entries with
`lifecycle.lock_live` inside one write transaction (FOR UPDATE on MySQL, an IMMEDIATE
transaction on SQLite), routes each to the verifier (or reports it refused), compares its
status and version with what the verifier saw (or reports it stale), and hands the rest to
`lifecycle.decide`: one conditional UPDATE per (version, acting-for) group whose row count is
checked. Two verifiers, or a verifier and an editing pegawai, end with exactly one outcome. The
owners get one notice each per batch.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from portal.activities import lifecycle
from portal.activities.calendar import calendar_for
from portal.activities.lifecycle import APPROVE, DECISIONS, REJECT, RETURN
from portal.activities.models import SUBMITTED, Activity
from portal.activities.statuses import status_label
from portal.db import utcnow, write_transaction
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications.services import Notice, notify_many
from portal.org.models import Employee, Unit
from portal.reviews.scope import route, scope_for
from portal.web.formatting import tanggal
from portal.web.paths import path_for
from portal.web.validators import visible_text

BULK_LIMIT = 1000
NOTICE_WINDOW = 10  # minutes: a verifier's decisions for one pegawai within it make one notice
NOTE_MAX = 2000
ACTIONS = DECISIONS  # action -> the status it leads to
NOTICE_KINDS = {
    APPROVE: "activity_approved",
    RETURN: "activity_returned",
    REJECT: "activity_rejected",
}


@dataclass
class Outcome:
    action: str
    decided: list  # Activity rows, as they were before the decision
    stale: list  # ids changed or decided by someone else meanwhile
    refused: list  # ids not this verifier's (or their own)

    def message(self) -> str:
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


def parse_items(values: Iterable[object]) -> list[tuple[int, int]]:
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
                raise Invalid(_("The selection is not valid. Please reload the page.")) from None
            if item[0] not in seen:
                seen.add(item[0])
                items.append(item)
    if len(items) > BULK_LIMIT:
        raise Invalid(_("At most %(num)d entries can be decided at once.", num=BULK_LIMIT))
    return items


def _clean_note(note: str | None) -> str | None:
    note = visible_text(note)
    if len(note) > NOTE_MAX:
        raise Invalid(_("The note may be at most %(num)d characters.", num=NOTE_MAX))
    return note or None


def approve_entries(
    actor: Employee,
    items: Iterable[tuple[int, int]],
    note: str | None = None,
    today: date | None = None,
) -> Outcome:
    """Approve many entries at once (selection, a pegawai's day, or everything shown) with the
    full minutes; entries changed meanwhile are left alone and reported."""
    return decide(actor, items, APPROVE, note=note, today=today)


def approve_entry(
    actor: Employee,
    activity_id: int,
    version: int,
    menit_diakui: int | None = None,
    note: str | None = None,
    today: date | None = None,
) -> Outcome:
    """Approve one entry, optionally accepting fewer minutes (then a note is required)."""
    return decide(actor, [(activity_id, version)], APPROVE, note, menit_diakui, today, single=True)


def return_for_revision(
    actor: Employee, activity_id: int, version: int, note: str | None, today: date | None = None
) -> Outcome:
    """Send one entry back to the pegawai for revision; the note is required."""
    return decide(actor, [(activity_id, version)], RETURN, note, None, today, single=True)


def reject_entry(
    actor: Employee, activity_id: int, version: int, note: str | None, today: date | None = None
) -> Outcome:
    """Reject one entry, finally; the note is required."""
    return decide(actor, [(activity_id, version)], REJECT, note, None, today, single=True)


def decide(
    actor: Employee,
    items: Iterable[tuple[int, int]],
    action: str,
    note: str | None = None,
    menit_diakui: int | None = None,
    today: date | None = None,
    single: bool = False,
) -> Outcome:
    """Decide entries: one conditional UPDATE per (version, acting-for) group inside one write
    transaction, with one event and one audit row per entry and one notice per pegawai.

    `single` makes problems errors (403/404/409) instead of a report.
    """
    if action not in ACTIONS:
        raise Invalid(_("Unknown decision."))
    note = _clean_note(note)
    if action in (RETURN, REJECT) and not note:
        raise Invalid(_("Write a note so the pegawai knows what to fix."))
    wanted = dict(items)
    if not wanted:
        raise Invalid(_("Choose at least one entry."))
    now = utcnow()
    outcome = Outcome(action, [], [], [])
    with write_transaction():
        rows = lifecycle.lock_live(wanted)
        owners = {
            employee.id: employee
            for employee in Employee.select(Employee, Unit)
            .join(Unit)
            .where(Employee.id.in_({row.employee_id for row in rows} or {0}))
        }
        scope = scope_for(actor, today, fresh=True)
        calendar = calendar_for(scope.today)
        found = {row.id for row in rows}
        outcome.refused.extend(activity_id for activity_id in wanted if activity_id not in found)
        acting_for: dict[int, int | None] = {}
        for row in rows:
            row.employee = owners[row.employee_id]
            if row.employee_id == actor.id:
                if single:
                    raise Forbidden(_("You cannot verify your own entries."))
                outcome.refused.append(row.id)
                continue
            allowed, acting_as, _escalated = route(scope, row, row.employee, calendar)
            if not allowed:
                outcome.refused.append(row.id)
                continue
            if row.status != SUBMITTED or row.version != wanted[row.id]:
                outcome.stale.append(row.id)
                continue
            acting_for[row.id] = acting_as
            outcome.decided.append(row)
        if single and outcome.refused:
            raise NotFound(_("The activity does not exist."))
        if single and outcome.stale:
            raise Conflict(_stale_message(rows[0]))
        # Accepting fewer minutes is a decision on one entry (lifecycle checks the amount).
        accepted = menit_diakui if single and action == APPROVE else None
        if outcome.decided:
            lifecycle.decide(actor, outcome.decided, action, acting_for, note, accepted, now)
            _notify_owners(actor, outcome, note, now)
    return outcome


def _stale_message(row: Activity) -> str:
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
    return _(
        "This entry is no longer waiting for verification (%(status)s).",
        status=status_label(row.status),
    )


def _window_start(now: datetime) -> datetime:
    """The start of the NOTICE_WINDOW-minute window `now` falls in."""
    minute = now.minute - now.minute % NOTICE_WINDOW
    return now.replace(minute=minute, second=0, microsecond=0)


def _notify_owners(actor: Employee, outcome: Outcome, note: str | None, now: datetime) -> None:
    """One notice per pegawai, in their language, for all of this verifier's decisions of one
    kind on their entries within a NOTICE_WINDOW-minute window: a second decision in the window
    rewrites the notice (unread again) instead of adding another. Returns and rejections: one
    notice per pegawai per decision batch (each has its own note)."""
    by_owner: dict[int, list[Activity]] = defaultdict(list)
    for row in outcome.decided:
        by_owner[row.employee_id].append(row)
    # Approvals are merged over the window; a return or rejection carries its own note, so each
    # decision batch keeps its notice.
    batched = outcome.action == APPROVE
    since = _window_start(now) if batched else now
    key = f"decision:{actor.id}:{outcome.action}:{since:%Y%m%d%H%M%S%f}"
    # Everything this verifier decided the same way for these pegawai in the window (this
    # decision included: the caller's transaction already holds it).
    decided: dict[int, list[Activity]] = defaultdict(list)
    for row in (
        []
        if not batched
        else (
            Activity.select()
            .where(
                Activity.employee.in_(list(by_owner)),
                Activity.decided_by == actor.id,
                Activity.decided_at >= since,
                Activity.status == DECISIONS[outcome.action],
            )
            .order_by(Activity.tanggal, Activity.jam_mulai)
        )
    ):
        decided[row.employee_id].append(row)
    notices = []
    for owner_id, rows in by_owner.items():
        owner = rows[0].employee
        window_rows = decided.get(owner_id) or rows
        with force_locale(owner.language or "id"):
            message = _decision_message(actor, outcome.action, window_rows, note)
        link = (
            path_for("reviews.entry", activity_id=window_rows[0].id)
            if len(window_rows) == 1 or outcome.action != APPROVE
            else path_for("notifications.index")
        )
        notices.append(Notice(owner_id, NOTICE_KINDS[outcome.action], message, link, key))
    notify_many(notices, replace=True)


def _decision_message(actor: Employee, action: str, rows: list[Activity], note: str | None) -> str:
    count = len(rows)
    if action == APPROVE:
        claimed = sum(row.minutes for row in rows)
        accepted = sum(
            row.minutes if row.menit_diakui is None else row.menit_diakui for row in rows
        )
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
        if accepted < claimed:
            text += " " + _(
                "Accepted %(accepted)s of the %(claimed)s minutes claimed.",
                accepted=accepted,
                claimed=claimed,
            )
            if count == 1 and note:
                text += " " + note
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
