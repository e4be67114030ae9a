"""How a complaint moves between statuses: the one module that writes a complaint's status.

    (filed) -> Diterima -> Diverifikasi -> Diproses -> Selesai
                     \\            \\           \\-> Ditolak (reason, final)

Diproses -> Diproses is a reassignment. Every transition is a conditional UPDATE on the status
and the `version` the caller saw, whose row count is checked: two admins, or an admin and the
handler, end with exactly one winner (the other gets Conflict, 409). Every transition writes a
ComplaintEvent (the citizen's history) and an audit row. Who may do what is checked by the
callers (portal.public_service.handling); this module only owns the state machine.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.audit import services as audit
from portal.db import utcnow, write_transaction
from portal.errors import Conflict
from portal.public_service.models import (
    DONE,
    IN_PROGRESS,
    RECEIVED,
    REJECTED,
    VERIFIED,
    Complaint,
    ComplaintEvent,
)

TRANSITIONS = {
    RECEIVED: (VERIFIED, REJECTED),
    VERIFIED: (IN_PROGRESS, REJECTED),
    IN_PROGRESS: (IN_PROGRESS, DONE, REJECTED),
    DONE: (),
    REJECTED: (),
}
ACTIONS = {
    VERIFIED: "complaint.verified",
    IN_PROGRESS: "complaint.assigned",
    DONE: "complaint.answered",
    REJECTED: "complaint.rejected",
}


def allowed(complaint: Complaint, target: str) -> bool:
    return target in TRANSITIONS.get(complaint.status, ())


def file(values: dict[str, Any]) -> Complaint:
    """A new complaint, Diterima, with its first event (no actor: a citizen)."""
    with write_transaction():
        complaint = Complaint.create(status=RECEIVED, **values)
        ComplaintEvent.create(complaint=complaint.id, status=RECEIVED)
        audit.record(None, "complaint.filed", complaint, after={"status": RECEIVED})
    return complaint


def move(actor: Any, complaint: Complaint, target: str, note: str = "", **values: Any) -> Complaint:
    """Move `complaint` (as the caller read it) to `target`, setting `values` with it."""
    if not allowed(complaint, target):
        raise Conflict(_("This complaint can no longer be changed this way; reload the page."))
    with write_transaction():
        changed = (
            Complaint.update(
                status=target,
                version=Complaint.version + 1,
                updated_at=utcnow(),
                **values,
            )
            .where(
                Complaint.id == complaint.id,
                Complaint.status == complaint.status,
                Complaint.version == complaint.version,
            )
            .execute()
        )
        if changed != 1:
            raise Conflict(_("Someone else changed this complaint meanwhile; reload the page."))
        ComplaintEvent.create(complaint=complaint.id, status=target, note=note, actor=actor)
        after: dict[str, Any] = {"status": target}
        if "assignee" in values:
            after["assignee"] = getattr(values["assignee"], "id", values["assignee"])
        if "unit" in values:
            after["unit"] = getattr(values["unit"], "id", values["unit"])
        audit.record(
            actor, ACTIONS[target], complaint, before={"status": complaint.status}, after=after
        )
    return Complaint.get_by_id(complaint.id)


def set_fields(actor: Any, complaint: Complaint, action: str, **values: Any) -> Complaint:
    """Change columns other than the status (publication, rating, the logged entry) under the
    same version guard, with an audit row (`actor` None: the citizen or the sweep)."""
    with write_transaction():
        changed = (
            Complaint.update(version=Complaint.version + 1, updated_at=utcnow(), **values)
            .where(Complaint.id == complaint.id, Complaint.version == complaint.version)
            .execute()
        )
        if changed != 1:
            raise Conflict(_("Someone else changed this complaint meanwhile; reload the page."))
        audit.record(actor, action, complaint, after={k: _plain(v) for k, v in values.items()})
    return Complaint.get_by_id(complaint.id)


def _plain(value: Any) -> Any:
    return getattr(value, "id", value)
