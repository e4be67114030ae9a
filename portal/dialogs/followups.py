"""Follow-ups (tindak lanjut): the commitments the organisers record once a dialog is finished,
each owned by a unit that updates its status (Direncanakan, Dalam Proses, Selesai) with a
progress note; the list of the follow-ups a user answers for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import db, utcnow
from portal.dialogs.models import DONE, FOLLOW_UP_STATUSES, FU_DONE, RESULTS, Dialog, FollowUp
from portal.dialogs.rules import (
    MAX_FOLLOW_UP,
    UNIT_ID,
    can_edit,
    can_update_follow_up,
    clean_text,
    follow_up_units,
    require,
)
from portal.errors import Invalid
from portal.org.models import Unit


@dataclass
class FollowUpInput:
    """A commitment: what will be done, by which unit, by when."""

    uraian: str
    owner_unit: Any  # a Unit or its id
    due_date: date | None


def add_follow_up(actor: Any, dialog: Dialog, data: FollowUpInput) -> FollowUp:
    """The organisers record a follow-up commitment once the dialog is finished."""
    require(can_edit(actor, dialog))
    uraian = clean_text(data.uraian, MAX_FOLLOW_UP, multiline=True)
    if not uraian:
        raise Invalid(_("Describe the follow-up."))
    if dialog.status not in (DONE, RESULTS):
        raise Invalid(_("Follow-ups can be added once the dialog is finished."))
    owner = Unit.get_or_none(getattr(data.owner_unit, "id", data.owner_unit) == UNIT_ID)
    if owner is None:
        raise Invalid(_("Choose the unit responsible."))
    due_date = data.due_date
    if not isinstance(due_date, date):
        raise Invalid(_("Enter the due date."))
    with db.atomic():
        follow_up = FollowUp.create(
            dialog=dialog.id,
            uraian=uraian,
            owner_unit=owner,
            due_date=due_date,
            updated_by=actor.id,
        )
        record(
            actor,
            "dialog.follow_up_added",
            follow_up,
            after={"uraian": uraian, "unit": owner.get_id(), "due": due_date},
        )
    return follow_up


def update_follow_up(actor: Any, follow_up: FollowUp, status: str, note: str = "") -> FollowUp:
    """The owner unit (or the organisers) updates a follow-up: Direncanakan, Dalam Proses,
    Selesai, with a progress note."""
    require(can_update_follow_up(actor, follow_up))
    if status not in FOLLOW_UP_STATUSES:
        raise Invalid(_("Choose a status."))
    note = clean_text(note, MAX_FOLLOW_UP, multiline=True)
    with db.atomic():
        before = {"status": follow_up.status, "note": follow_up.progress_note}
        FollowUp.update(
            status=status, progress_note=note, updated_by=actor.id, updated_at=utcnow()
        ).where(FollowUp.id == follow_up.id).execute()
        record(
            actor,
            "dialog.follow_up_updated",
            follow_up,
            before=before,
            after={"status": status, "note": note},
        )
    return FollowUp.get_by_id(follow_up.id)


def follow_ups_for_actor(actor: Any) -> list[FollowUp]:
    """Follow-ups owned by the units `actor` answers for (penyelenggara/admin OPD subtrees),
    open ones first, with the dialog and unit (one query)."""
    owner = Unit.alias()
    query = (
        FollowUp.select(FollowUp, Dialog, owner)
        .join(Dialog)
        .switch(FollowUp)
        .join(owner, on=(FollowUp.owner_unit == owner.id))
    )
    roots = follow_up_units(actor)
    if roots is not None:
        if not roots:
            return []
        query = query.where(Unit.path_within(roots, field=owner.path))
    return list(query.order_by(FollowUp.status == FU_DONE, FollowUp.due_date).limit(100))


def get_follow_up(actor: Any, follow_up_id: int) -> FollowUp | None:
    """The follow-up with its dialog if `actor` may update it, else None (the view: 404)."""
    follow_up = (
        FollowUp.select(FollowUp, Dialog).join(Dialog).where(FollowUp.id == follow_up_id).first()
    )
    if follow_up is None or not can_update_follow_up(actor, follow_up):
        return None
    return follow_up
