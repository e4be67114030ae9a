"""How questions are moderated: a citizen's question waits (menunggu) until the dialog's
organisers approve it (only then it is public), reject it with an internal reason, or merge it
into an approved question of the same dialog. Each decision takes the question row locked and
refuses one that was already moderated, so two organisers cannot both decide.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import locked, utcnow, write_transaction
from portal.dialogs.models import Q_APPROVED, Q_MERGED, Q_PENDING, Q_REJECTED, Dialog, Question
from portal.dialogs.rules import MAX_REASON, can_edit, clean_text, require
from portal.errors import Invalid


def questions_for_moderation(actor: Any, dialog: Dialog) -> list[Question]:
    """Every question of the dialog, in the order they came (organisers only)."""
    require(can_edit(actor, dialog))
    return list(Question.select().where(Question.dialog == dialog).order_by(Question.id))


def _pending_question(actor: Any, question: Question) -> Question:
    require(can_edit(actor, question.dialog))
    current = locked(Question.select().where(Question.id == question.id)).get()
    if current.status != Q_PENDING:
        raise Invalid(_("This question has already been moderated."))
    return current


def _decide(
    actor: Any, current: Question, status: str, note: str | None = None, **changes: Any
) -> Question:
    """Write one decision on a locked pending question, with its audit row."""
    current.status, current.moderated_by, current.moderated_at = status, actor.id, utcnow()
    for name, value in changes.items():
        setattr(current, name, value)
    current.save()
    after: dict[str, Any] = {"status": status}
    if status == Q_MERGED:
        after["into"] = current.merged_into_id
    record(
        actor,
        f"dialog.question_{AUDIT_ACTIONS[status]}",
        current,
        before={"status": Q_PENDING},
        after=after,
        note=note,
    )
    return current


AUDIT_ACTIONS = {Q_APPROVED: "approved", Q_REJECTED: "rejected", Q_MERGED: "merged"}


def approve_question(actor: Any, question: Question) -> Question:
    """The organisers approve a pending question; only then it appears publicly."""
    with write_transaction():
        return _decide(actor, _pending_question(actor, question), Q_APPROVED)


def reject_question(actor: Any, question: Question, reason: str) -> Question:
    """Reject a pending question with a reason (kept internal; the text is never published)."""
    reason = clean_text(reason, MAX_REASON)
    if not reason:
        raise Invalid(_("Write the reason for rejecting."))
    with write_transaction():
        current = _pending_question(actor, question)
        return _decide(actor, current, Q_REJECTED, note=reason, reject_reason=reason)


def merge_question(actor: Any, question: Question, target_id: int) -> Question:
    """Merge a pending question into an approved one of the same dialog (similar questions)."""
    with write_transaction():
        current = _pending_question(actor, question)
        target = Question.get_or_none(
            Question.id == target_id,
            Question.dialog == current.dialog_id,
            Question.status == Q_APPROVED,
        )
        if target is None:
            raise Invalid(_("Choose an approved question of this dialog to merge into."))
        return _decide(actor, current, Q_MERGED, merged_into=target.id)


def moderate(
    actor: Any, question: Question, action: str, reason: str = "", target: str = ""
) -> str:
    """One moderation decision by name (approve, reject, merge), as the moderation form sends it;
    returns the action done."""
    if action == "approve":
        approve_question(actor, question)
    elif action == "reject":
        reject_question(actor, question, reason)
    elif action == "merge":
        merge_question(actor, question, int(target) if target.isdigit() else 0)
    else:
        raise Invalid(_("Unknown action."))
    return action
