"""Training rules: organizing, sign-up with seats and a waiting list, atasan approval,
attendance, completion with certificates, feedback and the yearly JP ledger.

Seats are never oversold: every step that takes or frees a seat runs in `write_transaction()`
(IMMEDIATE on SQLite) and first reads the training row with `locked()` (FOR UPDATE on MySQL),
so sign-ups of one training queue up behind each other; the unique index (training, employee)
keeps one sign-up per pegawai. Expired offers are processed lazily (pages, sign-up, cancel and
the reminders command), so no background process is needed.
"""

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import peewee as pw
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal import settings
from portal.audit.services import record
from portal.clock import local_today, timezone
from portal.db import db, locked, utcnow, write_transaction
from portal.notifications.services import notify
from portal.org import services as org
from portal.org.models import Employee, Unit
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
    RECORD_REJECTED,
    RECORD_SUBMITTED,
    RECORD_VERIFIED,
    REGISTERED,
    REJECTED,
    SEAT_HOLDING,
    WAITING,
    WITHDRAWN,
    Attendance,
    CalendarToken,
    ExternalRecord,
    Registration,
    Training,
    TrainingSession,
)

GROUP = _l("Training")
settings.define(
    "pelatihan.jam_konfirmasi",
    _l("Hours to confirm a seat offered from the waiting list"),
    int,
    24,
    minimum=1,
    maximum=168,
    group=GROUP,
    help=_l("When a seat frees up, the first on the waiting list must confirm within this time."),
)
settings.define(
    "pelatihan.target_jp",
    _l("JP target per pegawai per year"),
    int,
    20,
    minimum=1,
    maximum=200,
    group=GROUP,
    help=_l("1 JP = 45 minutes of competence development."),
)
settings.define(
    "pelatihan.batas_batal_jam",
    _l("Cancellation cut-off (hours before the training starts)"),
    int,
    24,
    minimum=0,
    maximum=720,
    group=GROUP,
    help=_l("A pegawai may cancel their sign-up until this many hours before the first session."),
)


class TrainingError(Exception):
    """A rule of the training domain was broken; the message is shown to the user."""

    status = 409

    def __init__(self, message, status=None):
        super().__init__(message)
        if status:
            self.status = status


class InvalidTraining(TrainingError):
    status = 422

    def __init__(self, errors):
        super().__init__(" ".join(str(e) for e in errors.values()), 422)
        self.errors = errors


def status_labels():
    return {
        DRAFT: _("Draft"),
        OPEN: _("Open"),
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


def jp_target():
    return settings.get("pelatihan.target_jp")


# --- permissions ---------------------------------------------------------------------------


def can_create(actor):
    """Admins and penyelenggara (of any unit) may create trainings."""
    return org.is_penyelenggara(actor)


def can_manage(actor, training):
    """Admin, or penyelenggara of the training's unit (or an ancestor)."""
    return org.is_penyelenggara_for(actor, training.unit_id)


def can_view(actor, training):
    """Drafts only for those who manage them; everything else for every signed-in pegawai."""
    return training.status != DRAFT or can_manage(actor, training)


def organizer_units(actor):
    """The units `actor` may organize trainings for (a list, in tree order)."""
    if org.is_admin(actor):
        return list(Unit.select().where(Unit.active == True).order_by(Unit.path))  # noqa: E712
    roots = org.penyelenggara_units(actor)
    if not roots:
        return []
    condition = None
    for root in roots:
        clause = Unit.path.startswith(root.path)
        condition = clause if condition is None else (condition | clause)
    return list(Unit.select().where(condition).order_by(Unit.path))


def in_audience(employee, training, unit=None):
    """All pegawai, or those in the target units (with their subtrees) / jenis jabatan."""
    unit_ids = training.target_unit_ids()
    if unit_ids:
        unit = unit or employee.unit
        path_ids = {int(part) for part in unit.path.strip("/").split("/") if part}
        if not path_ids & set(unit_ids):
            return False
    jabatan = training.target_jabatan_list()
    return not (jabatan and employee.jenis_jabatan not in jabatan)


def registration_open(training, now=None):
    now = now or utcnow()
    return (
        training.status == OPEN
        and training.registration_opens_at <= now <= training.registration_closes_at
    )


def cancel_deadline(training):
    """Until when a pegawai may cancel (UTC), or None when there is no session yet."""
    if training.starts_at is None:
        return None
    return training.starts_at - timedelta(hours=settings.get("pelatihan.batas_batal_jam"))


# --- organizing ----------------------------------------------------------------------------


@dataclass
class SessionInput:
    tanggal: date
    mulai: object  # time
    selesai: object  # time
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
    sessions: list = field(default_factory=list)
    deskripsi: str = ""
    penyelenggara: str = ""
    narasumber: str = ""
    tempat: str = ""
    link_daring: str = ""
    target_units: list = field(default_factory=list)
    target_jabatan: list = field(default_factory=list)
    needs_approval: bool = False


def local_to_utc(moment):
    """A naive local date-time (what a form gives) as a naive UTC timestamp."""
    from datetime import UTC

    aware = moment.replace(tzinfo=timezone())
    return aware.astimezone(UTC).replace(tzinfo=None)


def _validate(data, actor):
    errors = {}
    if not (data.judul or "").strip():
        errors["judul"] = _("Enter the title.")
    if data.jenis not in JENIS:
        errors["jenis"] = _("Choose a type of training.")
    if data.jp is None or data.jp <= 0:
        errors["jp"] = _("JP must be a positive number.")
    if data.kuota is None or data.kuota <= 0:
        errors["kuota"] = _("The quota must be at least 1.")
    if not any(unit.id == data.unit_id for unit in organizer_units(actor)):
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


def _apply(training, data):
    sessions = sorted(
        (
            local_to_utc(datetime.combine(s.tanggal, s.mulai)),
            local_to_utc(datetime.combine(s.tanggal, s.selesai)),
            (s.topik or "").strip()[:200],
        )
        for s in data.sessions
    )
    training.judul = data.judul.strip()[:200]
    training.deskripsi = (data.deskripsi or "").strip()
    training.jenis = data.jenis
    training.unit = data.unit_id
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


def _snapshot(training):
    return {
        "judul": training.judul,
        "status": training.status,
        "jp": training.jp,
        "kuota": training.kuota,
        "starts_at": training.starts_at,
        "needs_approval": training.needs_approval,
    }


def _replace_sessions(training, sessions):
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


def create_training(actor, data):
    """A penyelenggara (or admin) creates a training as Draf for a unit they organize."""
    if not can_create(actor):
        raise TrainingError(_("You may not organize trainings."), 403)
    errors = _validate(data, actor)
    if errors:
        raise InvalidTraining(errors)
    with write_transaction():
        training = Training(status=DRAFT, created_by=actor.id)
        sessions = _apply(training, data)
        training.save()
        _replace_sessions(training, sessions)
        record(actor, "training.create", training, after=_snapshot(training))
    return training


def update_training(actor, training, data):
    """Edit a training that is not finished; the quota never drops below the seats taken."""
    if not can_manage(actor, training):
        raise TrainingError(_("You may not edit this training."), 404)
    errors = _validate(data, actor)
    if errors:
        raise InvalidTraining(errors)
    with write_transaction():
        training = _lock(training.id)
        if training.status in (DONE, CANCELLED):
            raise TrainingError(_("A completed or cancelled training can no longer be edited."))
        taken = _seats_taken(training)
        if data.kuota < taken:
            raise InvalidTraining(
                {
                    "kuota": _(
                        "The quota cannot be lowered to %(kuota)s: %(taken)s seats are "
                        "already taken.",
                        kuota=data.kuota,
                        taken=taken,
                    )
                }
            )
        before = _snapshot(training)
        sessions = _apply(training, data)
        training.save()
        _replace_sessions(training, sessions)
        record(actor, "training.update", training, before=before, after=_snapshot(training))
        _fill_seats(training, actor)
    return training


def _transition(actor, training, allowed_from, to_status, action):
    if not can_manage(actor, training):
        raise TrainingError(_("You may not manage this training."), 404)
    with write_transaction():
        training = _lock(training.id)
        if training.status not in allowed_from:
            raise TrainingError(
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


def publish(actor, training):
    """Draf -> Dibuka: the training appears in the catalogue and sign-up opens in its window."""
    if not training.sessions.exists():
        raise TrainingError(_("Add at least one session before publishing."), 422)
    return _transition(actor, training, (DRAFT,), OPEN, "training.publish")


def close_registration(actor, training):
    """Dibuka -> Ditutup: no new sign-ups; the waiting list still moves up."""
    return _transition(actor, training, (OPEN,), CLOSED, "training.close")


def reopen_registration(actor, training):
    """Ditutup -> Dibuka."""
    return _transition(actor, training, (CLOSED,), OPEN, "training.reopen")


def cancel_training(actor, training, reason=""):
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


def complete(actor, training):
    """Selesai: attendees present at every session are credited the JP and get a certificate."""
    if not can_manage(actor, training):
        raise TrainingError(_("You may not manage this training."), 404)
    now = utcnow()
    with write_transaction():
        training = _lock(training.id)
        if training.status not in (OPEN, CLOSED):
            raise TrainingError(_("Only an open or closed training can be completed."))
        if training.starts_at is None or training.starts_at > now:
            raise TrainingError(_("A training can be completed only after it has started."))
        session_count = training.sessions.count()
        present = {
            row.registration_id: row.n
            for row in Attendance.select(
                Attendance.registration, pw.fn.COUNT(Attendance.id).alias("n")
            )
            .join(Registration)
            .where(Registration.training == training.id, Attendance.present == True)  # noqa: E712
            .group_by(Attendance.registration)
        }
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


# --- seats -----------------------------------------------------------------------------------


def _lock(training_id):
    training = locked(Training.select().where(Training.id == training_id)).first()
    if training is None:
        raise TrainingError(_("The training does not exist."), 404)
    return training


def _seats_taken(training):
    return (
        Registration.select()
        .where(Registration.training == training.id, Registration.status.in_(SEAT_HOLDING))
        .count()
    )


def _first_waiting(training):
    return (
        Registration.select()
        .where(Registration.training == training.id, Registration.status == WAITING)
        .order_by(Registration.queued_at, Registration.id)
        .first()
    )


def _fill_seats(training, actor=None):
    """Offer each free seat to the first in line (inside the caller's locked transaction)."""
    if training.status not in (OPEN, CLOSED):
        return 0
    hours = settings.get("pelatihan.jam_konfirmasi")
    offered = 0
    free = training.kuota - _seats_taken(training)
    while free > 0:
        nxt = _first_waiting(training)
        if nxt is None:
            break
        nxt.status = OFFERED
        nxt.offer_expires_at = utcnow() + timedelta(hours=hours)
        nxt.save()
        record(
            actor,
            "registration.offer",
            nxt,
            before={"status": WAITING},
            after={"status": OFFERED, "expires": nxt.offer_expires_at},
        )
        notify(
            nxt.employee_id,
            "training_promoted",
            _(
                'A seat is free in "%(judul)s". Confirm it within %(hours)s hours or it '
                "passes to the next in line.",
                judul=training.judul,
                hours=hours,
            ),
            f"/pelatihan/{training.id}",
            dedupe_key=f"training-offer-{nxt.id}-{nxt.offer_expires_at:%Y%m%d%H%M%S}",
        )
        free -= 1
        offered += 1
    return offered


def _expire_offers_locked(training, now):
    expired = list(
        Registration.select().where(
            Registration.training == training.id,
            Registration.status == OFFERED,
            Registration.offer_expires_at < now,
        )
    )
    for reg in expired:
        reg.status = WITHDRAWN
        reg.save()
        record(
            None,
            "registration.offer_expired",
            reg,
            before={"status": OFFERED},
            after={"status": WITHDRAWN},
        )
        notify(
            reg.employee_id,
            "training_offer_expired",
            _(
                'Your seat offer for "%(judul)s" expired because it was not confirmed in time.',
                judul=training.judul,
            ),
            f"/pelatihan/{training.id}",
            dedupe_key=f"training-offer-expired-{reg.id}-{reg.offer_expires_at:%Y%m%d%H%M%S}",
        )
    if expired:
        _fill_seats(training)
    return len(expired)


def process_expired_offers(training_id=None, now=None):
    """Pass on every offer whose confirmation time is over (cheap when there is none)."""
    now = now or utcnow()
    query = Registration.select(Registration.training).where(
        Registration.status == OFFERED, Registration.offer_expires_at < now
    )
    if training_id is not None:
        query = query.where(Registration.training == training_id)
    training_ids = sorted({row.training_id for row in query})
    count = 0
    for tid in training_ids:
        with write_transaction():
            count += _expire_offers_locked(_lock(tid), now)
    return count


def _retry_when_busy(function):
    """SQLite answers "database is locked" when a writer waited longer than busy_timeout (a
    burst of sign-ups on a slow machine): the whole step is retried a few times."""
    import functools

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        for attempt in range(3):
            try:
                return function(*args, **kwargs)
            except pw.OperationalError as error:
                if "locked" not in str(error) or attempt == 2:
                    raise
        return None  # pragma: no cover

    return wrapper


@_retry_when_busy
def sign_up(actor, training):
    """Take a free seat (Terdaftar) or join the waiting list (Daftar Tunggu); with atasan
    approval on, wait for the atasan first. Inside the window, once, and only in the audience."""
    now = utcnow()
    try:
        with write_transaction():
            training = _lock(training.id)
            if training.status == CANCELLED:
                raise TrainingError(_("This training has been cancelled."))
            if training.status == DRAFT:
                raise TrainingError(_("The training does not exist."), 404)
            if not registration_open(training, now):
                raise TrainingError(_("Registration for this training is not open."))
            if not in_audience(actor, training):
                raise TrainingError(_("This training is meant for other units or positions."), 403)
            existing = Registration.get_or_none(
                Registration.training == training.id, Registration.employee == actor.id
            )
            if existing is not None and existing.status in ACTIVE:
                raise TrainingError(_("You have already signed up for this training."))
            if existing is not None and existing.status == REJECTED:
                raise TrainingError(_("Your atasan did not approve this sign-up."))
            _expire_offers_locked(training, now)
            reg = existing or Registration(training=training.id, employee=actor.id)
            reg.offer_expires_at = None
            reg.decided_by = None
            if training.needs_approval and actor.supervisor_id:
                reg.status = AWAITING_APPROVAL
                reg.queued_at = now.replace(microsecond=0)
            else:
                _place(training, reg, now)
            reg.save()
            record(actor, "registration.sign_up", reg, after={"status": reg.status})
            if reg.status == AWAITING_APPROVAL:
                notify(
                    actor.supervisor_id,
                    "training_approval",
                    _(
                        '%(nama)s asks your approval to join "%(judul)s".',
                        nama=actor.nama,
                        judul=training.judul,
                    ),
                    "/pelatihan/persetujuan",
                    dedupe_key=f"training-approval-{reg.id}-{now:%Y%m%d%H%M%S}",
                )
            else:
                _tell_placed(training, reg)
    except pw.IntegrityError as error:
        raise TrainingError(_("You have already signed up for this training.")) from error
    return reg


def _place(training, reg, now):
    """Terdaftar when a seat is free and nobody waits; otherwise the end of the waiting list."""
    queue_empty = _first_waiting(training) is None
    if queue_empty and _seats_taken(training) < training.kuota:
        reg.status = REGISTERED
        reg.queued_at = None
    else:
        reg.status = WAITING
        reg.queued_at = now.replace(microsecond=0)  # as MySQL stores it; ties go by id


def _tell_placed(training, reg):
    if reg.status == REGISTERED:
        message = _('You are registered for "%(judul)s".', judul=training.judul)
    else:
        message = _(
            '"%(judul)s" is full; you are on the waiting list (number %(position)s).',
            judul=training.judul,
            position=waiting_position(reg),
        )
    notify(
        reg.employee_id,
        "training_signed_up",
        message,
        f"/pelatihan/{training.id}",
        dedupe_key=f"training-signup-{reg.id}-{reg.status}-{utcnow():%Y%m%d%H%M%S%f}",
    )


def waiting_position(reg):
    """1 for the first in line."""
    if reg.status != WAITING:
        return None
    ahead = (
        Registration.select()
        .where(
            Registration.training == reg.training_id,
            Registration.status == WAITING,
            (Registration.queued_at < reg.queued_at)
            | ((Registration.queued_at == reg.queued_at) & (Registration.id < reg.id)),
        )
        .count()
    )
    return ahead + 1


@_retry_when_busy
def cancel_registration(actor, training):
    """A pegawai cancels their own sign-up until the cut-off; a freed seat goes to the next."""
    now = utcnow()
    with write_transaction():
        training = _lock(training.id)
        reg = Registration.get_or_none(
            Registration.training == training.id, Registration.employee == actor.id
        )
        if reg is None or reg.status not in ACTIVE:
            raise TrainingError(_("You are not signed up for this training."), 404)
        if training.status in (DONE, CANCELLED):
            raise TrainingError(_("This training is already over."))
        deadline = cancel_deadline(training)
        if reg.status in SEAT_HOLDING and deadline is not None and now > deadline:
            raise TrainingError(
                _("The cancellation deadline has passed. Contact the organizer."), 422
            )
        before = reg.status
        reg.status = WITHDRAWN
        reg.offer_expires_at = None
        reg.save()
        record(
            actor,
            "registration.cancel",
            reg,
            before={"status": before},
            after={"status": WITHDRAWN},
        )
        notify(
            actor.id,
            "training_cancelled_by_you",
            _('Your sign-up for "%(judul)s" is cancelled.', judul=training.judul),
            f"/pelatihan/{training.id}",
            dedupe_key=f"training-withdrawn-{reg.id}-{now:%Y%m%d%H%M%S%f}",
        )
        _expire_offers_locked(training, now)
        _fill_seats(training, actor)
    return reg


@_retry_when_busy
def confirm_offer(actor, training):
    """The pegawai offered a freed seat takes it, before the offer expires."""
    now = utcnow()
    with write_transaction():
        training = _lock(training.id)
        reg = Registration.get_or_none(
            Registration.training == training.id, Registration.employee == actor.id
        )
        if reg is None or reg.status != OFFERED:
            raise TrainingError(_("There is no seat offer for you to confirm."), 404)
        expired = reg.offer_expires_at < now
        if not expired:
            reg.status = REGISTERED
            reg.offer_expires_at = None
            reg.save()
            record(
                actor, "registration.confirm", reg,
                before={"status": OFFERED}, after={"status": REGISTERED},
            )  # fmt: skip
            _tell_placed(training, reg)
    if expired:
        process_expired_offers(training.id, now)  # committed before the error is raised
        raise TrainingError(_("The seat offer has expired."))
    return reg


# --- atasan approval ---------------------------------------------------------------------


def can_decide(actor, reg):
    """The pegawai's atasan langsung (or an admin) decides a sign-up that waits for approval."""
    return reg.employee.supervisor_id == actor.id or org.is_admin(actor)


def pending_approvals(actor):
    """Sign-ups waiting for `actor` as atasan (with the pegawai and the training, one query)."""
    return list(
        Registration.select(Registration, Employee, Training)
        .join(Employee, on=(Registration.employee == Employee.id))
        .switch(Registration)
        .join(Training)
        .where(Registration.status == AWAITING_APPROVAL, Employee.supervisor == actor.id)
        .order_by(Registration.queued_at)
    )


def pending_approval_count(actor):
    return (
        Registration.select()
        .join(Employee, on=(Registration.employee == Employee.id))
        .where(Registration.status == AWAITING_APPROVAL, Employee.supervisor == actor.id)
        .count()
    )


def decide(actor, reg, approve):
    """Approve (the sign-up then takes a seat or a waiting place) or reject it."""
    if not can_decide(actor, reg):
        raise TrainingError(_("This sign-up is not waiting for you."), 404)
    now = utcnow()
    with write_transaction():
        training = _lock(reg.training_id)
        reg = Registration.get_by_id(reg.id)
        if reg.status != AWAITING_APPROVAL:
            raise TrainingError(_("This sign-up has already been decided."))
        if training.status not in (OPEN, CLOSED):
            raise TrainingError(_("This training no longer takes sign-ups."))
        reg.decided_by = actor.id
        if approve:
            _place(training, reg, now)
        else:
            reg.status = REJECTED
        reg.save()
        record(
            actor,
            "registration.approve" if approve else "registration.reject",
            reg,
            before={"status": AWAITING_APPROVAL},
            after={"status": reg.status},
        )
        if approve:
            _tell_placed(training, reg)
        else:
            notify(
                reg.employee_id,
                "training_rejected",
                _(
                    'Your atasan did not approve your sign-up for "%(judul)s".',
                    judul=training.judul,
                ),
                f"/pelatihan/{training.id}",
                dedupe_key=f"training-rejected-{reg.id}",
            )
    return reg


# --- attendance, feedback ---------------------------------------------------------------


def participants(training):
    """Registrations with their pegawai (one query), in name order."""
    return list(
        Registration.select(Registration, Employee)
        .join(Employee, on=(Registration.employee == Employee.id))
        .where(Registration.training == training.id)
        .order_by(Employee.nama)
    )


def attendance_map(training):
    """{(registration_id, session_id): present}."""
    return {
        (row.registration_id, row.session_id): row.present
        for row in Attendance.select()
        .join(Registration)
        .where(Registration.training == training.id)
    }


def mark_attendance(actor, training, session, present_ids, registration_ids):
    """The organizer marks Hadir / Tidak Hadir of registered participants for one session."""
    if not can_manage(actor, training):
        raise TrainingError(_("You may not mark attendance for this training."), 404)
    if session.training_id != training.id:
        raise TrainingError(_("The session does not exist."), 404)
    with write_transaction():
        training = _lock(training.id)
        if training.status not in (OPEN, CLOSED):
            raise TrainingError(
                _("Attendance can be marked only before the training is completed.")
            )
        regs = {
            reg.id: reg
            for reg in Registration.select().where(
                Registration.training == training.id,
                Registration.status == REGISTERED,
                Registration.id.in_(list(registration_ids) or [0]),
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
                row.marked_by = actor.id
                row.save()
                changed += 1
        record(
            actor,
            "training.attendance",
            training,
            after={
                "session": session.id,
                "present": sorted(set(present_ids) & set(regs)),
                "absent": sorted(set(regs) - set(present_ids)),
            },
        )
    return changed


def can_give_feedback(actor, training, reg):
    return (
        reg is not None
        and reg.employee_id == actor.id
        and training.status == DONE
        and reg.status == REGISTERED
    )


def submit_feedback(actor, training, rating, comment):
    """A participant of a completed training rates it 1-5 with an optional comment."""
    reg = Registration.get_or_none(
        Registration.training == training.id, Registration.employee == actor.id
    )
    if not can_give_feedback(actor, training, reg):
        raise TrainingError(_("Only participants of a completed training can give feedback."))
    if rating not in (1, 2, 3, 4, 5):
        raise TrainingError(_("Choose a rating from 1 to 5."), 422)
    with db.atomic():
        before = {"rating": reg.rating, "comment": reg.comment}
        reg.rating = rating
        reg.comment = (comment or "").strip()[:2000] or None
        reg.save()
        record(
            actor,
            "registration.feedback",
            reg,
            before=before,
            after={"rating": reg.rating, "comment": reg.comment},
        )
    return reg


def feedback_summary(registrations):
    rated = [r for r in registrations if r.rating]
    counts = dict.fromkeys(range(5, 0, -1), 0)
    for reg in rated:
        counts[reg.rating] += 1
    average = sum(r.rating for r in rated) / len(rated) if rated else None
    comments = [r.comment for r in rated if r.comment]
    return {"count": len(rated), "average": average, "counts": counts, "comments": comments}


# --- the catalogue -------------------------------------------------------------------------


@dataclass
class CatalogueRow:
    training: Training
    taken: int
    waiting: int
    mine: object  # Registration or None
    eligible: bool

    @property
    def seats_left(self):
        return max(self.training.kuota - self.taken, 0)


def catalogue(actor, jenis="", unit_id=None, month="", eligible_only=False, now=None):
    """Published trainings that are upcoming or running, with seats and my status (3 queries
    whatever the number of trainings)."""
    now = now or utcnow()
    process_expired_offers(now=now)
    query = Training.select(Training, Unit).join(Unit)
    query = query.where(Training.status.in_((OPEN, CLOSED)), Training.ends_at >= now)
    if jenis in JENIS:
        query = query.where(Training.jenis == jenis)
    if unit_id:
        query = query.where(Training.unit == unit_id)
    if month:
        try:
            start = datetime.strptime(month, "%Y-%m")  # noqa: DTZ007 (a local month)
        except ValueError:
            start = None
        if start:
            end = (start + timedelta(days=32)).replace(day=1)
            query = query.where(
                Training.starts_at >= local_to_utc(start), Training.starts_at < local_to_utc(end)
            )
    trainings = list(query.order_by(Training.starts_at, Training.id).limit(200))
    return _rows(actor, trainings, now, eligible_only)


def _rows(actor, trainings, now, eligible_only=False):
    ids = [t.id for t in trainings] or [0]
    counts = {}
    for row in (
        Registration.select(
            Registration.training, Registration.status, pw.fn.COUNT(Registration.id).alias("n")
        )
        .where(Registration.training.in_(ids), Registration.status.in_((*SEAT_HOLDING, WAITING)))
        .group_by(Registration.training, Registration.status)
        .tuples()
    ):
        counts[(row[0], row[1])] = row[2]
    mine = {
        reg.training_id: reg
        for reg in Registration.select().where(
            Registration.training.in_(ids), Registration.employee == actor.id
        )
    }
    unit = actor.unit
    rows = []
    for t in trainings:
        taken = counts.get((t.id, REGISTERED), 0) + counts.get((t.id, OFFERED), 0)
        eligible = in_audience(actor, t, unit) and registration_open(t, now)
        if eligible_only and not eligible:
            continue
        waiting = counts.get((t.id, WAITING), 0)
        rows.append(CatalogueRow(t, taken, waiting, mine.get(t.id), eligible))
    return rows


def managed_trainings(actor):
    """Every training `actor` organizes (all states), newest first, with seat counts."""
    units = organizer_units(actor)
    if not units:
        return []
    trainings = list(
        Training.select(Training, Unit)
        .join(Unit)
        .where(Training.unit.in_([u.id for u in units]))
        .order_by(Training.starts_at.desc(), Training.id.desc())
        .limit(300)
    )
    return _rows(actor, trainings, utcnow())


def my_registration(actor, training):
    return Registration.get_or_none(
        Registration.training == training.id, Registration.employee == actor.id
    )


def seat_counts(training):
    rows = dict(
        Registration.select(Registration.status, pw.fn.COUNT(Registration.id))
        .where(Registration.training == training.id)
        .group_by(Registration.status)
        .tuples()
    )
    return {
        "taken": rows.get(REGISTERED, 0) + rows.get(OFFERED, 0),
        "waiting": rows.get(WAITING, 0),
        "awaiting": rows.get(AWAITING_APPROVAL, 0),
    }


def my_upcoming(actor, limit=5):
    """My active sign-ups of trainings that have not ended (one query)."""
    return list(
        Registration.select(Registration, Training)
        .join(Training)
        .where(
            Registration.employee == actor.id,
            Registration.status.in_(ACTIVE),
            Training.status.in_((OPEN, CLOSED)),
            Training.ends_at >= utcnow(),
        )
        .order_by(Training.starts_at)
        .limit(limit)
    )


# --- certificates ------------------------------------------------------------------------


def can_see_certificate(actor, reg):
    return reg.employee_id == actor.id or can_manage(actor, reg.training)


def verify_certificate(code):
    """The certificate with this verification code (with pegawai and training), or None."""
    if not code or len(code) > 32:
        return None
    return (
        Registration.select(Registration, Employee, Training)
        .join(Employee, on=(Registration.employee == Employee.id))
        .switch(Registration)
        .join(Training)
        .where(Registration.verification_code == code, Registration.completed == True)  # noqa: E712
        .first()
    )


# --- the JP ledger ----------------------------------------------------------------------


def _year_bounds(year):
    first, after = datetime(year, 1, 1), datetime(year + 1, 1, 1)  # noqa: DTZ001 (local)
    return local_to_utc(first), local_to_utc(after)


def jp_ledger(employee, year=None):
    """JP this year: completed trainings here plus verified external records."""
    year = year or local_today().year
    start, end = _year_bounds(year)
    internal = list(
        Registration.select(Registration, Training)
        .join(Training)
        .where(
            Registration.employee == employee.id,
            Registration.completed == True,  # noqa: E712
            Training.ends_at >= start,
            Training.ends_at < end,
        )
        .order_by(Training.ends_at)
    )
    external = list(
        ExternalRecord.select()
        .where(
            ExternalRecord.employee == employee.id,
            ExternalRecord.tanggal >= date(year, 1, 1),
            ExternalRecord.tanggal < date(year + 1, 1, 1),
        )
        .order_by(ExternalRecord.tanggal)
    )
    total = sum(r.jp_credited for r in internal) + sum(
        r.jp for r in external if r.status == RECORD_VERIFIED
    )
    target = jp_target()
    return {
        "year": year,
        "internal": internal,
        "external": external,
        "total": total,
        "target": target,
        "short": max(target - total, 0),
        "percent": min(100, round(100 * total / target)) if target else 100,
    }


def jp_totals(employee_ids, year):
    """{employee_id: JP} for many pegawai in two queries."""
    start, end = _year_bounds(year)
    ids = list(employee_ids) or [0]
    totals = dict.fromkeys(ids, 0)
    for emp_id, jp in (
        Registration.select(Registration.employee, pw.fn.SUM(Registration.jp_credited))
        .join(Training)
        .where(
            Registration.employee.in_(ids),
            Registration.completed == True,  # noqa: E712
            Training.ends_at >= start,
            Training.ends_at < end,
        )
        .group_by(Registration.employee)
        .tuples()
    ):
        totals[emp_id] = totals.get(emp_id, 0) + int(jp or 0)
    for emp_id, jp in (
        ExternalRecord.select(ExternalRecord.employee, pw.fn.SUM(ExternalRecord.jp))
        .where(
            ExternalRecord.employee.in_(ids),
            ExternalRecord.status == RECORD_VERIFIED,
            ExternalRecord.tanggal >= date(year, 1, 1),
            ExternalRecord.tanggal < date(year + 1, 1, 1),
        )
        .group_by(ExternalRecord.employee)
        .tuples()
    ):
        totals[emp_id] = totals.get(emp_id, 0) + int(jp or 0)
    return totals


def can_see_report(actor):
    return actor.is_atasan or org.is_any_admin(actor)


def report_units(actor):
    """Units an admin (or admin OPD) may pick in the JP report."""
    return list(org.units_administered(actor)) if org.is_any_admin(actor) else []


def jp_report(actor, unit=None, year=None):
    """Who is below target: an admin's chosen unit subtree, or the atasan's subordinates."""
    year = year or local_today().year
    if unit is not None and org.can_admin_unit(actor, unit):
        employees = list(
            Employee.select()
            .join(Unit, on=(Employee.unit == Unit.id))
            .where(Unit.path.startswith(unit.path), Employee.active == True)  # noqa: E712
            .order_by(Employee.nama)
        )
    elif actor.is_atasan:
        employees = list(org.subordinates(actor))
    else:
        raise TrainingError(_("You have no pegawai to report on."), 403)
    totals = jp_totals([e.id for e in employees], year)
    target = jp_target()
    rows = sorted(
        ({"employee": e, "jp": totals.get(e.id, 0)} for e in employees),
        key=lambda row: (row["jp"], row["employee"].nama),
    )
    return {
        "year": year,
        "target": target,
        "rows": rows,
        "below": [row for row in rows if row["jp"] < target],
        "max": max([target] + [row["jp"] for row in rows]),
    }


def add_external_record(actor, judul, penyelenggara, tanggal, jp, stored):
    """A pegawai records training done elsewhere, with the certificate file; an admin verifies."""
    errors = {}
    if not (judul or "").strip():
        errors["judul"] = _("Enter the title.")
    if not (penyelenggara or "").strip():
        errors["penyelenggara"] = _("Enter the organizer.")
    if jp is None or jp <= 0:
        errors["jp"] = _("JP must be a positive number.")
    if tanggal is None or tanggal > local_today():
        errors["tanggal"] = _("The date may not be in the future.")
    if errors:
        raise InvalidTraining(errors)
    with db.atomic():
        rec = ExternalRecord.create(
            employee=actor.id,
            judul=judul.strip()[:200],
            penyelenggara=penyelenggara.strip()[:200],
            tanggal=tanggal,
            jp=jp,
            stored_name=stored.stored_name,
            original_name=stored.original_name,
            kind=stored.kind,
        )
        record(actor, "jp_record.create", rec, after={"judul": rec.judul, "jp": jp})
    return rec


def can_verify_record(actor, rec):
    """Admin, or admin OPD of the pegawai's unit."""
    return org.can_admin_unit(actor, rec.employee.unit_id)


def can_see_record(actor, rec):
    return rec.employee_id == actor.id or can_verify_record(actor, rec)


def records_to_verify(actor):
    """Submitted external records in the units `actor` administers (one query)."""
    if not org.is_any_admin(actor):
        return []
    query = (
        ExternalRecord.select(ExternalRecord, Employee, Unit)
        .join(Employee, on=(ExternalRecord.employee == Employee.id))
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(ExternalRecord.status == RECORD_SUBMITTED)
    )
    if not org.is_admin(actor):
        condition = None
        for root in org.admin_units(actor):
            clause = Unit.path.startswith(root.path)
            condition = clause if condition is None else (condition | clause)
        query = query.where(condition)
    return list(query.order_by(ExternalRecord.created_at))


def verify_record(actor, rec, approve, note=""):
    """Admin verifies (JP counts) or rejects (with a note) an external record."""
    if not can_verify_record(actor, rec):
        raise TrainingError(_("You may not verify this record."), 404)
    if not approve and not (note or "").strip():
        raise TrainingError(_("Write why the record is rejected."), 422)
    with write_transaction():
        updated = (
            ExternalRecord.update(
                status=RECORD_VERIFIED if approve else RECORD_REJECTED,
                verified_by=actor.id,
                verified_at=utcnow(),
                note=(note or "").strip() or None,
            )
            .where(ExternalRecord.id == rec.id, ExternalRecord.status == RECORD_SUBMITTED)
            .execute()
        )
        if not updated:
            raise TrainingError(_("This record has already been decided."))
        rec = ExternalRecord.get_by_id(rec.id)
        record(
            actor,
            "jp_record.verify" if approve else "jp_record.reject",
            rec,
            before={"status": RECORD_SUBMITTED},
            after={"status": rec.status},
        )
        notify(
            rec.employee_id,
            "jp_record_decided",
            _('Your JP record "%(judul)s" was verified.', judul=rec.judul)
            if approve
            else _(
                'Your JP record "%(judul)s" was rejected: %(note)s', judul=rec.judul, note=rec.note
            ),
            "/pelatihan/jp-saya",
            dedupe_key=f"jp-record-{rec.id}",
        )
    return rec


# --- calendars and reminders -------------------------------------------------------------


def calendar_token(employee, renew=False):
    """The secret token of the pegawai's personal calendar feed (created on first use)."""
    row = CalendarToken.get_or_none(CalendarToken.employee == employee.id)
    if row is not None and not renew:
        return row.token
    token = secrets.token_urlsafe(24)
    with db.atomic():
        if row is None:
            CalendarToken.create(employee=employee.id, token=token)
        else:
            row.token = token
            row.save()
        record(
            employee,
            "calendar_token.renew" if renew else "calendar_token.create",
            employee,
            object_type="Employee",
        )
    return token


def employee_for_token(token):
    if not token or len(token) > 64:
        return None
    row = (
        CalendarToken.select(CalendarToken, Employee)
        .join(Employee)
        .where(CalendarToken.token == token, Employee.active == True)  # noqa: E712
        .first()
    )
    return row.employee if row else None


def _calendar():
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Portal Kinerja ASN//Pelatihan//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-timezone", str(timezone()))
    return cal


def _add_events(cal, training, sessions, base_url):
    from datetime import UTC

    from icalendar import Event

    tz = timezone()
    for index, session in enumerate(sessions, start=1):
        event = Event()
        event.add("uid", f"pelatihan-{training.id}-sesi-{session.id}@portal-kinerja")
        event.add("dtstamp", utcnow().replace(tzinfo=UTC))
        event.add("dtstart", session.starts_at.replace(tzinfo=UTC).astimezone(tz))
        event.add("dtend", session.ends_at.replace(tzinfo=UTC).astimezone(tz))
        title = training.judul if len(sessions) == 1 else f"{training.judul} ({index})"
        event.add("summary", title)
        description = training.deskripsi or ""
        if training.link_daring:
            description = f"{description}\n{training.link_daring}".strip()
        event.add("description", description)
        event.add("location", training.tempat or training.link_daring or "")
        event.add("url", f"{base_url}/pelatihan/{training.id}")
        event.add("status", "CANCELLED" if training.status == CANCELLED else "CONFIRMED")
        cal.add_component(event)


def training_ics(training, base_url=""):
    cal = _calendar()
    _add_events(
        cal, training, list(training.sessions.order_by(TrainingSession.starts_at)), base_url
    )
    cal.add_missing_timezones()
    return cal.to_ical()


def personal_ics(employee, base_url=""):
    """Every training the pegawai is registered for (or offered), two queries."""
    regs = list(
        Registration.select(Registration, Training)
        .join(Training)
        .where(
            Registration.employee == employee.id,
            Registration.status.in_((REGISTERED, OFFERED)),
            Training.status.in_((OPEN, CLOSED, DONE, CANCELLED)),
        )
    )
    trainings = {reg.training_id: reg.training for reg in regs}
    sessions = {}
    for session in (
        TrainingSession.select()
        .where(TrainingSession.training.in_(list(trainings) or [0]))
        .order_by(TrainingSession.starts_at)
    ):
        sessions.setdefault(session.training_id, []).append(session)
    cal = _calendar()
    cal.add("x-wr-calname", "Pelatihan saya")
    for tid, training in trainings.items():
        _add_events(cal, training, sessions.get(tid, []), base_url)
    cal.add_missing_timezones()
    return cal.to_ical()


def send_reminders(now=None):
    """Expired offers pass on; every participant of a training starting tomorrow (local) is
    reminded once (dedupe key per registration)."""
    now = now or utcnow()
    process_expired_offers(now=now)
    from datetime import UTC

    tz = timezone()
    tomorrow = now.replace(tzinfo=UTC).astimezone(tz).date() + timedelta(days=1)
    start = local_to_utc(datetime.combine(tomorrow, datetime.min.time()))
    end = start + timedelta(days=1)
    regs = list(
        Registration.select(Registration, Training)
        .join(Training)
        .where(
            Registration.status == REGISTERED,
            Training.status.in_((OPEN, CLOSED)),
            Training.starts_at >= start,
            Training.starts_at < end,
        )
    )
    sent = 0
    for reg in regs:
        local_start = reg.training.starts_at.replace(tzinfo=UTC).astimezone(tz)
        created = notify(
            reg.employee_id,
            "training_reminder",
            _(
                'Reminder: "%(judul)s" starts tomorrow at %(jam)s.',
                judul=reg.training.judul,
                jam=local_start.strftime("%H.%M"),
            ),
            f"/pelatihan/{reg.training_id}",
            dedupe_key=f"training-reminder-{reg.id}-{reg.training.starts_at:%Y%m%d%H%M}",
        )
        if created is not None:
            sent += 1
    return sent
