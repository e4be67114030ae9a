"""Shared rules of the public-service domain: status labels and tones, the length limits, the
tracking code, and who may handle which complaint. Deny by default."""

from __future__ import annotations

import secrets
from typing import Any

from flask_babel import lazy_gettext as _l

from portal import settings
from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.public_service.models import (
    DONE,
    IN_PROGRESS,
    OPEN_STATUSES,
    RECEIVED,
    REJECTED,
    VERIFIED,
    Complaint,
)

MAX_TEXT = 2000
MAX_NAME = 150
MAX_CONTACT = 254
MAX_REASON = 1000
MAX_ANSWER = 4000
MAX_SUMMARY = 1000
MAX_RATING_NOTE = 500
RATINGS = [
    (1, _l("Very dissatisfied")),
    (2, _l("Dissatisfied")),
    (3, _l("Fair")),
    (4, _l("Satisfied")),
    (5, _l("Very satisfied")),
]

STATUS_LABELS = {
    RECEIVED: _l("Received"),
    VERIFIED: _l("Verified"),
    IN_PROGRESS: _l("Being processed"),
    DONE: _l("Completed"),
    REJECTED: _l("Rejected"),
}
STATUS_TONES = {
    RECEIVED: "secondary",
    VERIFIED: "info",
    IN_PROGRESS: "warning",
    DONE: "success",
    REJECTED: "danger",
}

CODE_PREFIX = "ADU-"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8  # 32**8: about 10**12 codes, never guessed within the rate limit


def new_code() -> str:
    return CODE_PREFIX + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(value: str | None) -> str:
    """What a citizen types ('adu-abcd 2345', 'ABCD2345') as a stored code, or ''."""
    text = "".join(ch for ch in (value or "").upper() if ch.isalnum())[:20]
    if text.startswith("ADU"):
        text = text[3:]
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return ""
    return CODE_PREFIX + text


def setting(name: str) -> Any:
    return settings.get(f"public_service.{name}")


# --- permissions -------------------------------------------------------------------------------


def _signed_in(actor: Any) -> bool:
    return bool(actor and getattr(actor, "is_authenticated", False))


def can_manage(actor: Any, complaint: Complaint) -> bool:
    """Verify, route, assign, reject, publish: the admin of the complaint's unit (an admin OPD
    of it or an ancestor); a complaint without a unit ("tidak tahu"): the pemda's admin."""
    if not _signed_in(actor):
        return False
    if org.is_admin(actor):
        return True
    return complaint.unit_id is not None and org.can_admin_unit(actor, complaint.unit_id)


def can_handle(actor: Any, complaint: Complaint) -> bool:
    """Answer and log it as work: the pegawai it is assigned to, while it is in progress."""
    return (
        _signed_in(actor) and complaint.assignee_id == actor.id and complaint.status == IN_PROGRESS
    )


def can_view(actor: Any, complaint: Complaint) -> bool:
    """Its unit's admins, and the pegawai it is (or was) assigned to."""
    if not _signed_in(actor):
        return False
    return can_manage(actor, complaint) or complaint.assignee_id == actor.id


def has_complaint_role(actor: Any, assigned: int | None = None) -> bool:
    """Shows the handlers' menu: an admin, an admin OPD, or a pegawai with complaints.
    `assigned`: whether `assigned_complaints(actor)` has a row, when already known (the
    navigation reads it with its other facts); asked here otherwise."""
    if not _signed_in(actor):
        return False
    if org.is_any_admin(actor):
        return True
    if assigned is None:
        assigned = assigned_complaints(actor).exists()
    return bool(assigned)


def assigned_complaints(actor: Any):
    """The complaints assigned (now or before) to `actor` (ids)."""
    return Complaint.select(Complaint.id).where(Complaint.assignee == actor.id)


def units_for(actor: Any) -> list[Unit]:
    """The units a complaint can be routed to by `actor` (every active unit for the admin)."""
    if org.is_admin(actor):
        return list(Unit.select().where(Unit.active == True).order_by(Unit.path))  # noqa: E712
    return [unit for unit in org.units_administered(actor) if unit.active]


def assignable(unit_id: int | None) -> list[Employee]:
    """The active pegawai of the unit's subtree (by name), who may be given the complaint."""
    if unit_id is None:
        return []
    unit = Unit.get_or_none(Unit.id == unit_id)
    if unit is None:
        return []
    return list(
        Employee.in_units([unit])
        .where(Employee.active == True)  # noqa: E712
        .order_by(Employee.nama)
    )


def is_open(complaint: Complaint) -> bool:
    return complaint.status in OPEN_STATUSES
