"""Organising: create and edit a training, its status (publish, close, reopen, cancel,
complete), attendance per session, and the participants' feedback.

Training states: Draf -> Dibuka <-> Ditutup -> Selesai, or Dibatalkan from any but Selesai.
Every transition is guarded under the locked training row (`rules.lock_training`) and writes one
audit row. Completing credits the JP and issues the certificates (see `complete`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, cast

import peewee as pw
from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import db, utcnow, write_transaction
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications.services import notify
from portal.org.models import Employee
from portal.trainings.models import (
    ACTIVE,
    AWAITING_APPROVAL,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    JENIS,
    OFFERED,
    OPEN,
    REGISTERED,
    WAITING,
    WITHDRAWN,
    Attendance,
    Registration,
    Training,
    TrainingSession,
)
from portal.trainings.rules import (
    can_create,
    can_manage,
    local_to_utc,
    lock_training,
    organizer_units,
    seats_taken,
    status_labels,
)
from portal.trainings.seats import fill_seats
from portal.web.formatting import waktu
from portal.web.validators import visible_text

# --- the inputs ------------------------------------------------------------------------------


@dataclass
class SessionInput:
    tanggal: date
    mulai: time
    selesai: time
    topik: str = ""


@dataclass
class TrainingInput:
    judul: str
    jenis: str
    unit_id: int
    jp: int
    kuota: int
    registration_opens_at: datetime  # local, naive
    registration_closes_at: datetime  # local, naive
    sessions: list[SessionInput] = field(default_factory=list)
    deskripsi: str = ""
    penyelenggara: str = ""
    narasumber: str = ""
    tempat: str = ""
    link_daring: str = ""
    target_units: list[int] = field(default_factory=list)
    target_jabatan: list[str] = field(default_factory=list)
    needs_approval: bool = False


@dataclass
class AttendanceInput:
    """One session's marks: who was listed on the form, and who of them was ticked present."""

    present_ids: set[int]
    registration_ids: set[int]


@dataclass
class FeedbackInput:
    rating: int | None
    comment: str = ""


# --- create and edit -------------------------------------------------------------------------


def _validate(data: TrainingInput, actor: Employee) -> dict[str, str]:
    errors = {}
    if not visible_text(data.judul):
        errors["judul"] = _("Enter the title.")
    if data.jenis not in JENIS:
        errors["jenis"] = _("Choose a type of training.")
    if data.jp is None or data.jp <= 0:
        errors["jp"] = _("JP must be a positive number.")
    if data.kuota is None or data.kuota <= 0:
        errors["kuota"] = _("The quota must be at least 1.")
    if not any(unit.get_id() == data.unit_id for unit in organizer_units(actor)):
        errors["unit_id"] = _("You may not organize trainings for this unit.")
    opens, closes = data.registration_opens_at, data.registration_closes_at
    if not opens or not closes:
        errors["registration_closes_at"] = _("Enter when registration opens and closes.")
    elif closes <= opens:
        errors["registration_closes_at"] = _("Registration must close after it opens.")
    if not data.sessions:
        errors["sessions"] = _("Add at least one session.")
    for session in data.sessions:
        if session.selesai <= session.mulai:
            errors["sessions"] = _("A session may not end before it starts.")
    return errors


def _apply(training: Training, data: TrainingInput) -> list[tuple[datetime, datetime, str]]:
    sessions = sorted(
        (
            local_to_utc(datetime.combine(s.tanggal, s.mulai)),
            local_to_utc(datetime.combine(s.tanggal, s.selesai)),
            (s.topik or "").strip()[:200],
        )
        for s in data.sessions
    )
    training.judul = visible_text(data.judul)[:200]
    training.deskripsi = (data.deskripsi or "").strip()
    training.jenis = data.jenis
    training.unit_id = data.unit_id
    training.penyelenggara = (data.penyelenggara or "").strip()[:200]
    training.narasumber = (data.narasumber or "").strip()[:300]
    training.tempat = (data.tempat or "").strip()[:200]
    training.link_daring = (data.link_daring or "").strip()[:500]
    training.jp = data.jp
    training.kuota = data.kuota
    training.registration_opens_at = local_to_utc(data.registration_opens_at)
    training.registration_closes_at = local_to_utc(data.registration_closes_at)
    training.target_units = ",".join(str(int(u)) for u in data.target_units)
    training.target_jabatan = ",".join(data.target_jabatan)
    training.needs_approval = bool(data.needs_approval)
    training.starts_at = sessions[0][0]
    training.ends_at = max(s[1] for s in sessions)
    return sessions


def _snapshot(training: Training) -> dict[str, Any]:
    return {
        "judul": training.judul,
        "status": training.status,
        "jp": training.jp,
        "kuota": training.kuota,
        "starts_at": training.starts_at,
        "needs_approval": training.needs_approval,
    }


def _replace_sessions(training: Training, sessions: list[tuple[datetime, datetime, str]]) -> None:
    existing = list(training.sessions.order_by(TrainingSession.starts_at))
    for index, (start, end, topik) in enumerate(sessions):
        if index < len(existing):
            row = existing[index]
            row.starts_at, row.ends_at, row.topik = start, end, topik
            row.save()
        else:
            TrainingSession.create(training=training, starts_at=start, ends_at=end, topik=topik)
    for row in existing[len(sessions) :]:
        row.delete_instance(recursive=True)


def create_training(actor: Employee, data: TrainingInput) -> Training:
    """A penyelenggara (or admin) creates a training as Draf for a unit they organize."""
    if not can_create(actor):
        raise Forbidden(_("You may not organize trainings."))
    errors = _validate(data, actor)
    if errors:
        raise Invalid(errors=errors)
    with write_transaction():
        training = Training(status=DRAFT, created_by=actor.id)
        sessions = _apply(training, data)
        training.save()
        _replace_sessions(training, sessions)
        record(actor, "training.create", training, after=_snapshot(training))
    return training


def update_training(actor: Employee, training: Training, data: TrainingInput) -> Training:
    """Edit a training that is not finished; the quota never drops below the seats taken."""
    if not can_manage(actor, training):
        raise NotFound(_("You may not edit this training."))
    errors = _validate(data, actor)
    if errors:
        raise Invalid(errors=errors)
    with write_transaction():
        training = lock_training(training.id)
        if training.status in (DONE, CANCELLED):
            raise Conflict(_("A completed or cancelled training can no longer be edited."))
        taken = seats_taken(training)
        if data.kuota < taken:
            message = _(
                "The quota cannot be lowered to %(kuota)s: %(taken)s seats are already taken.",
                kuota=data.kuota,
                taken=taken,
            )
            raise Invalid(errors={"kuota": message})
        before = _snapshot(training)
        sessions = _apply(training, data)
        training.save()
        _replace_sessions(training, sessions)
        record(actor, "training.update", training, before=before, after=_snapshot(training))
        fill_seats(training, actor)
    return training


# --- the training's status -------------------------------------------------------------------


def _transition(
    actor: Employee, training: Training, allowed_from: tuple[str, ...], to_status: str, action: str
) -> Training:
    if not can_manage(actor, training):
        raise NotFound(_("You may not manage this training."))
    with write_transaction():
        training = lock_training(training.id)
        if training.status not in allowed_from:
            raise Conflict(
                _(
                    "This is not possible while the training is %(status)s.",
                    status=status_labels()[training.status],
                )
            )
        before = training.status
        training.status = to_status
        training.save()
        record(actor, action, training, before={"status": before}, after={"status": to_status})
    return training


def publish(actor: Employee, training: Training) -> Training:
    """Draf -> Dibuka: the training appears in the catalogue and sign-up opens in its window."""
    if not training.sessions.exists():
        raise Invalid(_("Add at least one session before publishing."))
    return _transition(actor, training, (DRAFT,), OPEN, "training.publish")


def close_registration(actor: Employee, training: Training) -> Training:
    """Dibuka -> Ditutup: no new sign-ups; the waiting list still moves up."""
    return _transition(actor, training, (OPEN,), CLOSED, "training.close")


def reopen_registration(actor: Employee, training: Training) -> Training:
    """Ditutup -> Dibuka."""
    return _transition(actor, training, (CLOSED,), OPEN, "training.reopen")


def cancel_training(actor: Employee, training: Training, reason: str = "") -> Training:
    """Dibatalkan from Draf, Dibuka or Ditutup; everyone signed up is told."""
    training = _transition(actor, training, (DRAFT, OPEN, CLOSED), CANCELLED, "training.cancel")
    with write_transaction():
        training.cancel_reason = (reason or "").strip() or None
        training.save()
        rows = list(
            Registration.select().where(
                Registration.training == training.id, Registration.status.in_(ACTIVE)
            )
        )
        for row in rows:
            notify(
                row.employee_id,
                "training_cancelled",
                _('The training "%(judul)s" has been cancelled.', judul=training.judul)
                + (f" {training.cancel_reason}" if training.cancel_reason else ""),
                f"/pelatihan/{training.id}",
                dedupe_key=f"training-cancelled-{training.id}",
            )
    return training


def complete(actor: Employee, training: Training) -> int:
    """Selesai: attendees present at every session are credited the JP and get a certificate.
    Returns how many completed."""
    if not can_manage(actor, training):
        raise NotFound(_("You may not manage this training."))
    now = utcnow()
    with write_transaction():
        training = lock_training(training.id)
        if training.status not in (OPEN, CLOSED):
            raise Conflict(_("Only an open or closed training can be completed."))
        if training.starts_at is None or training.starts_at > now:
            raise Conflict(_("A training can be completed only after it has started."))
        session_count = training.sessions.count()
        present_counts = (
            Attendance.select(Attendance.registration, pw.fn.COUNT(Attendance.id))
            .join(Registration)
            .where(Registration.training == training.id, Attendance.present == True)  # noqa: E712
            .group_by(Attendance.registration)
            .tuples()
        )
        present = dict(cast(Iterable[tuple[int, int]], present_counts))
        year = training.starts_at.year
        completed = 0
        for reg in Registration.select().where(
            Registration.training == training.id, Registration.status == REGISTERED
        ):
            if present.get(reg.id, 0) >= session_count > 0:
                reg.completed = True
                reg.jp_credited = training.jp
                reg.certificate_number = f"SERT-{year}-{training.id:04d}-{reg.id:05d}"
                reg.verification_code = secrets.token_hex(8)
                reg.certificate_issued_at = now
                reg.save()
                completed += 1
                notify(
                    reg.employee_id,
                    "training_completed",
                    _(
                        'You completed "%(judul)s": %(jp)s JP credited, certificate %(nomor)s.',
                        judul=training.judul,
                        jp=training.jp,
                        nomor=reg.certificate_number,
                    ),
                    f"/pelatihan/sertifikat/{reg.id}",
                    dedupe_key=f"training-completed-{reg.id}",
                )
        # Offers and waiting places of a finished training lapse.
        Registration.update(status=WITHDRAWN, offer_expires_at=None).where(
            Registration.training == training.id,
            Registration.status.in_((WAITING, OFFERED, AWAITING_APPROVAL)),
        ).execute()
        before = training.status
        training.status = DONE
        training.save()
        record(
            actor,
            "training.complete",
            training,
            before={"status": before},
            after={"status": DONE, "completed": completed},
        )
    return completed


# --- participants and attendance -------------------------------------------------------------


def participants(training: Training) -> list[Registration]:
    """Registrations with their pegawai (one query), in name order."""
    return list(
        Registration.select(Registration, Employee)
        .join(Employee, on=(Registration.employee == Employee.id))
        .where(Registration.training == training.id)
        .order_by(Employee.nama)
    )


def attendance_map(training: Training) -> dict[tuple[int, int], bool]:
    """{(registration_id, session_id): present}."""
    return {
        (row.registration_id, row.session_id): row.present
        for row in Attendance.select()
        .join(Registration)
        .where(Registration.training == training.id)
    }


def attendance_open(session: TrainingSession, now: datetime | None = None) -> bool:
    """Attendance of a session can be saved once it has started (not for one still ahead)."""
    return session.starts_at <= (now or utcnow())


def mark_attendance(
    actor: Employee, training: Training, session: TrainingSession, marks: AttendanceInput
) -> int:
    """The organizer marks Hadir / Tidak Hadir of registered participants for one session.
    Returns how many marks changed."""
    if not can_manage(actor, training):
        raise NotFound(_("You may not mark attendance for this training."))
    if session.training_id != training.id:
        raise NotFound(_("The session does not exist."))
    if not attendance_open(session):
        raise Invalid(
            _(
                "The session has not started yet: attendance can be saved from %(when)s.",
                when=waktu(session.starts_at),
            )
        )
    present_ids = set(marks.present_ids)
    with write_transaction():
        training = lock_training(training.id)
        if training.status not in (OPEN, CLOSED):
            raise Conflict(_("Attendance can be marked only before the training is completed."))
        regs = {
            reg.id: reg
            for reg in Registration.select().where(
                Registration.training == training.id,
                Registration.status == REGISTERED,
                Registration.id.in_(list(marks.registration_ids) or [0]),
            )
        }
        existing = {
            row.registration_id: row
            for row in Attendance.select().where(
                Attendance.session == session.id, Attendance.registration.in_(list(regs) or [0])
            )
        }
        changed = 0
        for reg_id in regs:
            present = reg_id in present_ids
            row = existing.get(reg_id)
            if row is None:
                Attendance.create(
                    registration=reg_id, session=session.id, present=present, marked_by=actor.id
                )
                changed += 1
            elif row.present != present:
                row.present = present
                row.marked_by = actor
                row.save()
                changed += 1
        record(
            actor,
            "training.attendance",
            training,
            after={
                "session": session.id,
                "present": sorted(present_ids & set(regs)),
                "absent": sorted(set(regs) - present_ids),
            },
        )
    return changed


# --- feedback --------------------------------------------------------------------------------


def can_give_feedback(actor: Employee, training: Training, reg: Registration | None) -> bool:
    return bool(
        reg is not None
        and reg.employee_id == actor.id
        and training.status == DONE
        and reg.status == REGISTERED
    )


def submit_feedback(actor: Employee, training: Training, data: FeedbackInput) -> Registration:
    """A participant of a completed training rates it 1-5 with an optional comment."""
    reg = Registration.get_or_none(
        Registration.training == training.id, Registration.employee == actor.id
    )
    if reg is None or not can_give_feedback(actor, training, reg):
        raise Conflict(_("Only participants of a completed training can give feedback."))
    if data.rating not in (1, 2, 3, 4, 5):
        raise Invalid(_("Choose a rating from 1 to 5."))
    with db.atomic():
        before = {"rating": reg.rating, "comment": reg.comment}
        reg.rating = data.rating
        reg.comment = (data.comment or "").strip()[:2000] or None
        reg.save()
        record(
            actor,
            "registration.feedback",
            reg,
            before=before,
            after={"rating": reg.rating, "comment": reg.comment},
        )
    return reg


def feedback_summary(registrations: Iterable[Registration]) -> dict[str, Any]:
    """Count, average, stars histogram (5 to 1) and the comments of the rated sign-ups."""
    rated = [r for r in registrations if r.rating]
    ratings = [rating for r in rated if (rating := r.rating)]
    counts = dict.fromkeys(range(5, 0, -1), 0)
    for rating in ratings:
        counts[rating] += 1
    average = sum(ratings) / len(ratings) if ratings else None
    comments = [r.comment for r in rated if r.comment]
    return {"count": len(rated), "average": average, "counts": counts, "comments": comments}
