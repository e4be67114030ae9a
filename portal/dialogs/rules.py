"""The shared rules of public dialogs, at the bottom of the domain's imports: the labels of the
states, who may organise and who answers for a follow-up, the pemda's local time, the cleaning
of typed text, and when a dialog takes registrations, questions and survey answers.

Every refusal of the domain is a `portal.errors` error: `Invalid` (422: the form is shown again
with the message), `NotFound` for an object that is not the actor's (404, never revealing it
exists) and `Forbidden` for a page the actor may not use (403).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time
from typing import Any, cast

import peewee as pw
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.clock import timezone
from portal.db import utcnow
from portal.dialogs.models import (
    ANNOUNCED,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    FU_DONE,
    FU_IN_PROGRESS,
    FU_PLANNED,
    POSTPONED,
    Q_APPROVED,
    Q_MERGED,
    Q_PENDING,
    Q_REJECTED,
    RESULTS,
    Dialog,
    FollowUp,
)
from portal.errors import Forbidden, Invalid, NotFound
from portal.org import services as org
from portal.org.models import ROLE_ADMIN_OPD, ROLE_PENYELENGGARA, Unit
from portal.web.validators import visible_text

# Unit's primary key, typed: org's models do not declare `id` to the type checker (peewee adds
# it at runtime); once they do, `Unit.id` can replace this.
UNIT_ID = cast(pw.Field, Unit._meta.primary_key)

MAX_NAME = 120
MAX_ORGANISATION = 150
MAX_CONTACT = 120
MAX_QUESTION = 1000
MAX_REASON = 300
MAX_FOLLOW_UP = 1000
MAX_VOTER = 64  # the browser's random cookie id (questions' support, the survey)

STATUS_LABELS = {
    DRAFT: _l("Draft"),
    ANNOUNCED: _l("Announced"),
    CLOSED: _l("Registration closed"),
    DONE: _l("Finished"),
    RESULTS: _l("Results published"),
    CANCELLED: _l("Cancelled"),
    POSTPONED: _l("Postponed"),
}
STATUS_TONES = {
    DRAFT: "secondary",
    ANNOUNCED: "success",
    CLOSED: "warning",
    DONE: "info",
    RESULTS: "primary",
    CANCELLED: "danger",
    POSTPONED: "warning",
}
FOLLOW_UP_LABELS = {
    FU_PLANNED: _l("Planned"),
    FU_IN_PROGRESS: _l("In progress"),
    FU_DONE: _l("Done"),
}
FOLLOW_UP_TONES = {FU_PLANNED: "secondary", FU_IN_PROGRESS: "warning", FU_DONE: "success"}
QUESTION_LABELS = {
    Q_PENDING: _l("Awaiting moderation"),
    Q_APPROVED: _l("Approved"),
    Q_REJECTED: _l("Rejected"),
    Q_MERGED: _l("Merged"),
}


# --- time --------------------------------------------------------------------------------------


def local_to_utc(day: date, clock: time) -> datetime:
    """A local date and time of the pemda as a naive UTC timestamp (how it is stored)."""
    moment = datetime.combine(day, clock).replace(tzinfo=timezone())
    return moment.astimezone(UTC).replace(tzinfo=None)


def utc_to_local(moment: datetime) -> datetime:
    """A stored (naive UTC) timestamp as the pemda's local, aware time."""
    return moment.replace(tzinfo=UTC).astimezone(timezone())


# --- text ----------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_text(value: str | None, limit: int, multiline: bool = False) -> str:
    """Trim, drop control characters (not newlines in multi-line text); refused if over `limit`.

    Text is stored as typed otherwise (HTML is not interpreted: it is escaped on output).
    """
    text = unicodedata.normalize("NFC", value or "")
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = " ".join(text.split())
    text = visible_text(text)
    if len(text) > limit:
        raise Invalid(_("The text is too long (at most %(limit)s characters).", limit=limit))
    return text


def normalize_contact(value: str | None) -> str:
    """An e-mail address (lower-case) or an Indonesian phone number as 62xxxxxxxxx."""
    text = clean_text(value, MAX_CONTACT)
    if "@" in text:
        if not _EMAIL.match(text):
            raise Invalid(_("Enter a valid e-mail address or phone number."))
        return text.lower()
    digits = re.sub(r"[\s\-.()]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not digits.startswith("62") or not 10 <= len(digits) <= 15:
        raise Invalid(_("Enter a valid e-mail address or phone number."))
    return digits


# --- permissions -------------------------------------------------------------------------------


def can_organize(actor: Any) -> bool:
    """Admin, or a penyelenggara of some unit: may open the organizer's dashboard."""
    return bool(org.is_penyelenggara(actor))


def can_edit(actor: Any, dialog: Dialog) -> bool:
    """Admin, or a penyelenggara of the dialog's unit (or one of its ancestors)."""
    return bool(org.is_penyelenggara_for(actor, dialog.unit_id))


def can_update_follow_up(actor: Any, follow_up: FollowUp) -> bool:
    """The owner unit updates the status: its penyelenggara or admin OPD (or an ancestor's),
    the admin, and the dialog's organizers."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return False
    owner = follow_up.owner_unit
    return bool(
        org.is_penyelenggara_for(actor, owner)
        or org.can_admin_unit(actor, owner)
        or can_edit(actor, follow_up.dialog)
    )


def has_follow_up_role(actor: Any) -> bool:
    """Admin, penyelenggara or admin OPD: sees the organisers' page and the dasbor card."""
    return bool(
        org.is_admin(actor) or actor.has_role(ROLE_PENYELENGGARA) or actor.has_role(ROLE_ADMIN_OPD)
    )


def require(allowed: bool) -> None:
    """An object-level check: not the actor's dialog answers 404 (never reveal it exists)."""
    if not allowed:
        raise NotFound(_("You may not do this."))


def require_organizer(actor: Any) -> None:
    """A page-level check: only organisers may open it (403)."""
    if not can_organize(actor):
        raise Forbidden(_("You may not do this."))


def organizer_units(actor: Any) -> pw.ModelSelect[Unit]:
    """The units `actor` may organise dialogs for (a query in tree order; none for no roots)."""
    if org.is_admin(actor):
        return Unit.select().where(Unit.active == True).order_by(Unit.path)  # noqa: E712
    return Unit.within(org.penyelenggara_units(actor)).where(Unit.active == True)  # noqa: E712


def follow_up_units(actor: Any) -> list[Unit] | None:
    """Units whose follow-ups `actor` updates (penyelenggara or admin OPD subtrees); None: all."""
    if org.is_admin(actor):
        return None
    return list(org.penyelenggara_units(actor)) + list(org.admin_units(actor))


# --- what a dialog takes, and when ---------------------------------------------------------------


def public_condition() -> pw.Expression:
    """Published dialogs: announced at some point (a draft cancelled before that never shows)."""
    return Dialog.announced_at.is_null(False) & (Dialog.status != DRAFT)


def registration_state(dialog: Dialog, now: datetime | None = None) -> tuple[bool, str]:
    """(open, reason): whether citizens may register now, and why not."""
    now = now or utcnow()
    if dialog.status != ANNOUNCED:
        return False, _("Registration is not open for this dialog.")
    closes = dialog.registration_closes_at or dialog.starts_at
    if now >= closes:
        return False, _("Registration for this dialog has closed.")
    if dialog.kuota is not None and dialog.registered_count >= dialog.kuota:
        return False, _("The quota of this dialog is full.")
    return True, ""


def questions_open(dialog: Dialog, now: datetime | None = None) -> bool:
    """Citizens may send questions before the dialog ends, while it is announced."""
    now = now or utcnow()
    return dialog.status in (ANNOUNCED, CLOSED) and now < dialog.ends_at


def survey_open(dialog: Dialog) -> bool:
    """Citizens rate the service once the dialog is finished (and its results are public)."""
    return dialog.status in (DONE, RESULTS)
