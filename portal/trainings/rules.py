"""The shared rules of the training domain, at the bottom of its import graph.

Who may organize, manage and see a training; who is in its audience; when its registration is
open and until when a sign-up may be cancelled; the status labels; the locked read of a training
row that every seat-changing step starts with. Every other trainings module imports this one;
it imports none of them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _

from portal import settings
from portal.clock import timezone
from portal.db import locked, utcnow
from portal.errors import NotFound
from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.trainings import CANCEL_DEADLINE_HOURS, TARGET_JP, TARGET_JP_FLOOR
from portal.trainings.models import (
    AWAITING_APPROVAL,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    OFFERED,
    OPEN,
    RECORD_REJECTED,
    RECORD_SUBMITTED,
    RECORD_VERIFIED,
    REGISTERED,
    REJECTED,
    SEAT_HOLDING,
    WAITING,
    WITHDRAWN,
    Registration,
    Training,
)
from portal.web.formatting import durasi


def status_labels() -> dict[str, str]:
    return {
        DRAFT: _("Draft"),
        OPEN: _("Open for registration"),
        CLOSED: _("Closed"),
        DONE: _("Completed"),
        CANCELLED: _("Cancelled"),
        AWAITING_APPROVAL: _("Awaiting atasan approval"),
        REGISTERED: _("Registered"),
        WAITING: _("Waiting list"),
        OFFERED: _("Seat offered"),
        WITHDRAWN: _("Cancelled"),
        REJECTED: _("Rejected"),
        RECORD_SUBMITTED: _("Submitted"),
        RECORD_VERIFIED: _("Verified"),
        RECORD_REJECTED: _("Rejected"),
    }


STATUS_TONES = {
    DRAFT: "secondary",
    OPEN: "success",
    CLOSED: "warning",
    DONE: "primary",
    CANCELLED: "danger",
    AWAITING_APPROVAL: "info",
    REGISTERED: "success",
    WAITING: "warning",
    OFFERED: "info",
    WITHDRAWN: "secondary",
    REJECTED: "danger",
    RECORD_SUBMITTED: "info",
    RECORD_VERIFIED: "success",
    RECORD_REJECTED: "danger",
}


def status_badge(status: str) -> tuple[str, str]:
    """(label, tone) of a training, sign-up or record status, for the status_badge macro."""
    return status_labels().get(status, status), STATUS_TONES.get(status, "secondary")


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a JP page may show (a query string is clamped)
MAX_ID = 2**31 - 1  # the id columns' range on both engines


def query_year(text: str | None, default: int) -> int:
    """A year from a query string, clamped to FIRST_YEAR..LAST_YEAR; missing or junk: default."""
    try:
        year = int(text or "")
    except ValueError:
        return default
    return min(max(year, FIRST_YEAR), LAST_YEAR)


def query_id(text: str) -> int:
    """An id from a query string (`request.args.get(name, type=query_id)`): 1..2**31-1, else
    ValueError (which makes the lookup answer its default)."""
    number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValueError(text)
    return number


def jp_target() -> int:
    """The yearly JP target per pegawai (setting trainings.target_jp)."""
    return max(int(settings.get(TARGET_JP)), TARGET_JP_FLOOR)


MINUTES_PER_JP = 45  # 1 JP (jam pelajaran) = 45 minutes


def jp_warning(jp: int | None, minutes: int) -> str | None:
    """A warning for the organiser when the JP claimed exceed what the sessions' length can hold
    (minutes / 45); None when they fit or there is nothing to compare. Never a refusal: a
    training may count preparation or assignments, but the organiser should look again."""
    if not jp or minutes <= 0 or jp * MINUTES_PER_JP <= minutes:
        return None
    return _(
        "This training claims %(jp)s JP, but its sessions last %(time)s, which holds %(fit)s JP "
        "(1 JP = 45 minutes). Check the JP or the schedule.",
        jp=jp,
        time=durasi(minutes),
        fit=minutes // MINUTES_PER_JP,
    )


def training_minutes(training: Training) -> int:
    """The length of a training's sessions together, in minutes."""
    return sum(
        max(0, int((s.ends_at - s.starts_at).total_seconds() // 60)) for s in training.sessions
    )


def local_to_utc(moment: datetime) -> datetime:
    """A naive local date-time (what a form gives) as a naive UTC timestamp."""
    aware = moment.replace(tzinfo=timezone())
    return aware.astimezone(UTC).replace(tzinfo=None)


# --- permissions ---------------------------------------------------------------------------


def can_create(actor: Employee) -> bool:
    """Admins and penyelenggara (of any unit) may create trainings."""
    return bool(org.is_penyelenggara(actor))


def can_manage(actor: Employee, training: Training) -> bool:
    """Admin, or penyelenggara of the training's unit (or an ancestor)."""
    return bool(org.is_penyelenggara_for(actor, training.unit_id))


def can_view(actor: Employee, training: Training) -> bool:
    """Drafts only for those who manage them; everything else for every signed-in pegawai."""
    return training.status != DRAFT or can_manage(actor, training)


def organizer_units(actor: Employee) -> list[Unit]:
    """The units `actor` may organize trainings for (a list, in tree order)."""
    if org.is_admin(actor):
        return list(Unit.select().where(Unit.active == True).order_by(Unit.path))  # noqa: E712
    roots = org.penyelenggara_units(actor)
    if not roots:
        return []
    return list(Unit.within(roots))


def in_audience(employee: Employee, training: Training, unit: Unit | None = None) -> bool:
    """All pegawai, or those in the target units (with their subtrees) / jenis jabatan."""
    unit_ids = training.target_unit_ids()
    if unit_ids:
        unit = unit or employee.unit
        path_ids = {int(part) for part in unit.path.strip("/").split("/") if part}
        if not path_ids & set(unit_ids):
            return False
    jabatan = training.target_jabatan_list()
    return not (jabatan and employee.jenis_jabatan not in jabatan)


def registration_open(training: Training, now: datetime | None = None) -> bool:
    """Dibuka, and `now` (UTC) inside the registration window."""
    now = now or utcnow()
    return bool(
        training.status == OPEN
        and training.registration_opens_at <= now <= training.registration_closes_at
    )


def cancel_deadline(training: Training) -> datetime | None:
    """Until when a pegawai may cancel (UTC), or None when there is no session yet."""
    if training.starts_at is None:
        return None
    hours = settings.get(CANCEL_DEADLINE_HOURS)
    return training.starts_at - timedelta(hours=hours)


# --- the locked read and the seat count, shared by seats and organising --------------------


def lock_training(training_id: int) -> Training:
    """The training row, locked for this transaction (FOR UPDATE on MySQL; SQLite locks at
    BEGIN IMMEDIATE): call inside `write_transaction()`."""
    training = locked(Training.select().where(Training.id == training_id)).first()
    if training is None:
        raise NotFound(_("The training does not exist."))
    return training


def seats_taken(training: Training) -> int:
    """Seats held: Terdaftar plus offers that wait for their confirmation."""
    return int(
        Registration.select()
        .where(Registration.training == training.id, Registration.status.in_(SEAT_HOLDING))
        .count()
    )
