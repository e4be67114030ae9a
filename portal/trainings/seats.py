"""Seats: sign-up, the waiting list, seat offers and the atasan's approval of a sign-up.

Seats are never oversold: every step that takes or frees a seat runs in `write_transaction()`
(IMMEDIATE on SQLite) and first reads the training row with `rules.lock_training()` (FOR UPDATE
on MySQL), so sign-ups of one training queue up behind each other; the unique index (training,
employee) keeps one sign-up per pegawai. A freed seat is offered to the first in line, who must
confirm it within `trainings.confirmation_hours`; expired offers are processed lazily (pages,
sign-up, cancel and the reminders command), so no background process is needed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import ParamSpec, TypeVar

import peewee as pw
from flask_babel import gettext as _

from portal import settings
from portal.audit.services import record
from portal.db import utcnow, write_transaction
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications.services import notify
from portal.org import services as org
from portal.org.models import Employee
from portal.trainings import CONFIRMATION_HOURS
from portal.trainings.models import (
    ACTIVE,
    AWAITING_APPROVAL,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    OFFERED,
    OPEN,
    REGISTERED,
    REJECTED,
    SEAT_HOLDING,
    WAITING,
    WITHDRAWN,
    Registration,
    Training,
)
from portal.trainings.rules import (
    cancel_deadline,
    in_audience,
    lock_training,
    registration_open,
    seats_taken,
)

P = ParamSpec("P")
R = TypeVar("R")


# --- the waiting list ------------------------------------------------------------------------


def _first_waiting(training: Training) -> Registration | None:
    return (
        Registration.select()
        .where(Registration.training == training.id, Registration.status == WAITING)
        .order_by(Registration.queued_at, Registration.id)
        .first()
    )


def fill_seats(training: Training, actor: Employee | None = None) -> int:
    """Offer each free seat to the first in line (inside the caller's locked transaction)."""
    if training.status not in (OPEN, CLOSED):
        return 0
    hours = settings.get(CONFIRMATION_HOURS)
    offered = 0
    free = training.kuota - seats_taken(training)
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


def _expire_offers_locked(training: Training, now: datetime) -> int:
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
        fill_seats(training)
    return len(expired)


def process_expired_offers(training_id: int | None = None, now: datetime | None = None) -> int:
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
            count += _expire_offers_locked(lock_training(tid), now)
    return count


def waiting_position(reg: Registration) -> int | None:
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
    return int(ahead) + 1


# --- sign-up, cancel, confirm ----------------------------------------------------------------


def _retry_when_busy(function: Callable[P, R]) -> Callable[P, R]:
    """SQLite answers "database is locked" when a writer waited longer than busy_timeout (a
    burst of sign-ups on a slow machine): the whole step is retried a few times."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(3):
            try:
                return function(*args, **kwargs)
            except pw.OperationalError as error:
                if "locked" not in str(error) or attempt == 2:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper


def _place(training: Training, reg: Registration, now: datetime) -> None:
    """Terdaftar when a seat is free and nobody waits; otherwise the end of the waiting list."""
    queue_empty = _first_waiting(training) is None
    if queue_empty and seats_taken(training) < training.kuota:
        reg.status = REGISTERED
        reg.queued_at = None
    else:
        reg.status = WAITING
        reg.queued_at = now.replace(microsecond=0)  # as MySQL stores it; ties go by id


def _tell_placed(training: Training, reg: Registration) -> None:
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


@_retry_when_busy
def sign_up(actor: Employee, training: Training) -> Registration:
    """Take a free seat (Terdaftar) or join the waiting list (Daftar Tunggu); with atasan
    approval on, wait for the atasan first. Inside the window, once, and only in the audience."""
    now = utcnow()
    try:
        with write_transaction():
            training = lock_training(training.id)
            if training.status == CANCELLED:
                raise Conflict(_("This training has been cancelled."))
            if training.status == DRAFT:
                raise NotFound(_("The training does not exist."))
            if not registration_open(training, now):
                raise Conflict(_("Registration for this training is not open."))
            if not in_audience(actor, training):
                raise Forbidden(_("This training is meant for other units or positions."))
            existing = Registration.get_or_none(
                Registration.training == training.id, Registration.employee == actor.id
            )
            if existing is not None and existing.status in ACTIVE:
                raise Conflict(_("You have already signed up for this training."))
            if existing is not None and existing.status == REJECTED:
                raise Conflict(_("Your atasan did not approve this sign-up."))
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
            if reg.status == AWAITING_APPROVAL and actor.supervisor_id is not None:
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
        raise Conflict(_("You have already signed up for this training.")) from error
    return reg


@_retry_when_busy
def cancel_registration(actor: Employee, training: Training) -> Registration:
    """A pegawai cancels their own sign-up until the cut-off; a freed seat goes to the next."""
    now = utcnow()
    with write_transaction():
        training = lock_training(training.id)
        reg = Registration.get_or_none(
            Registration.training == training.id, Registration.employee == actor.id
        )
        if reg is None or reg.status not in ACTIVE:
            raise NotFound(_("You are not signed up for this training."))
        if training.status in (DONE, CANCELLED):
            raise Conflict(_("This training is already over."))
        deadline = cancel_deadline(training)
        if reg.status in SEAT_HOLDING and deadline is not None and now > deadline:
            raise Invalid(_("The cancellation deadline has passed. Contact the organizer."))
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
        fill_seats(training, actor)
    return reg


@_retry_when_busy
def confirm_offer(actor: Employee, training: Training) -> Registration:
    """The pegawai offered a freed seat takes it, before the offer expires."""
    now = utcnow()
    with write_transaction():
        training = lock_training(training.id)
        reg = Registration.get_or_none(
            Registration.training == training.id, Registration.employee == actor.id
        )
        if reg is None or reg.status != OFFERED:
            raise NotFound(_("There is no seat offer for you to confirm."))
        expired = reg.offer_expires_at is not None and reg.offer_expires_at < now
        if not expired:
            reg.status = REGISTERED
            reg.offer_expires_at = None
            reg.save()
            record(
                actor,
                "registration.confirm",
                reg,
                before={"status": OFFERED},
                after={"status": REGISTERED},
            )
            _tell_placed(training, reg)
    if expired:
        process_expired_offers(training.id, now)  # committed before the error is raised
        raise Conflict(_("The seat offer has expired."))
    return reg


# --- atasan approval -------------------------------------------------------------------------


def can_decide(actor: Employee, reg: Registration) -> bool:
    """The pegawai's atasan langsung (or an admin) decides a sign-up that waits for approval."""
    return bool(reg.employee.supervisor_id == actor.id or org.is_admin(actor))


def pending_approvals(actor: Employee) -> list[Registration]:
    """Sign-ups waiting for `actor` as atasan (with the pegawai and the training, one query)."""
    return list(
        Registration.select(Registration, Employee, Training)
        .join(Employee, on=(Registration.employee == Employee.id))
        .switch(Registration)
        .join(Training)
        .where(Registration.status == AWAITING_APPROVAL, Employee.supervisor == actor.id)
        .order_by(Registration.queued_at)
    )


def pending_approval_query(actor: Employee) -> pw.Select:
    """How many sign-ups of `actor`'s direct subordinates wait for their approval, as a
    scalar subquery (the menu badge, read with the other navigation facts)."""
    return (
        Registration.select(pw.fn.COUNT(Registration.id))
        .join(Employee, on=(Registration.employee == Employee.id))
        .where(Registration.status == AWAITING_APPROVAL, Employee.supervisor == actor.id)
    )


def decide(actor: Employee, reg: Registration, approve: bool) -> Registration:
    """Approve (the sign-up then takes a seat or a waiting place) or reject it."""
    if not can_decide(actor, reg):
        raise NotFound(_("This sign-up is not waiting for you."))
    now = utcnow()
    with write_transaction():
        training = lock_training(reg.training_id)
        reg = Registration.get_by_id(reg.id)
        if reg.status != AWAITING_APPROVAL:
            raise Conflict(_("This sign-up has already been decided."))
        if training.status not in (OPEN, CLOSED):
            raise Conflict(_("This training no longer takes sign-ups."))
        reg.decided_by = actor
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
