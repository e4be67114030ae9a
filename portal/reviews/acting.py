"""Acting verifiers (Plt/Plh): who acts for an absent atasan on a day, and appointing or
cancelling one. At the bottom of the reviews imports: routing (portal.reviews.scope) asks it
whose queues an actor works."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit.services import record
from portal.clock import local_today, utcnow
from portal.db import locked, write_transaction
from portal.errors import Conflict, Forbidden, Invalid
from portal.notifications.services import notify
from portal.org.models import Employee, Unit
from portal.org.services import admin_units, can_admin_unit, is_admin, is_any_admin
from portal.reviews.models import ACTING_KINDS, ActingAssignment
from portal.web.formatting import tanggal
from portal.web.paths import path_for
from portal.web.validators import visible_text


def acting_assignments(actor: Employee, day: date | None = None) -> list[ActingAssignment]:
    """The Plt/Plh appointments `actor` holds on `day` (today), loaded once per actor and day."""
    day = day or local_today()
    cache = actor.__dict__.setdefault("_acting_cache", {})
    if day not in cache:
        cache[day] = list(appointments_query(actor, day).order_by(ActingAssignment.start_date))
    return cache[day]


def appointments_query(actor: Employee, day: date | None = None):
    """The query of `acting_assignments` (an EXISTS of it is a navigation fact)."""
    return ActingAssignment.active_on(day or local_today()).where(
        ActingAssignment.acting == actor.id
    )


def know_acting(actor: Employee, held: int, day: date | None = None) -> None:
    """What an EXISTS of `appointments_query` answered: none means `acting_assignments` is
    empty on that day (most pegawai), with no query of its own."""
    if not held:
        actor.__dict__.setdefault("_acting_cache", {}).setdefault(day or local_today(), [])


def can_appoint_for(actor: Employee, absent: Employee) -> bool:
    """The atasan themself, an admin, or an admin OPD of the atasan's unit."""
    return actor.id == absent.id or can_admin_unit(actor, absent.unit)


@dataclass
class Appointment:
    """A Plt/Plh appointment as asked for: `acting` stands in for `absent` (either None when
    no active pegawai has the NIP typed) from `start_date` to `end_date`."""

    absent: Employee | None
    acting: Employee | None
    kind: str
    start_date: date | None
    end_date: date | None
    reason: str | None = ""


def appoint_acting(actor: Employee, appointment: Appointment) -> ActingAssignment:
    """Appoint the acting pegawai as Plt/Plh of the absent atasan for [start_date, end_date]:
    one appointment per atasan at a time; never oneself; audited and announced to the acting
    verifier."""
    absent, acting, kind = appointment.absent, appointment.acting, appointment.kind
    start_date, end_date = appointment.start_date, appointment.end_date
    if absent is None or acting is None:
        raise Invalid(_("No active pegawai has this NIP."))
    if not can_appoint_for(actor, absent):
        raise Forbidden(_("You may not appoint a Plt/Plh for this atasan."))
    if kind not in ACTING_KINDS:
        raise Invalid(_("Choose Plt or Plh."))
    if acting.id == absent.id:
        raise Invalid(_("The Plt/Plh must be someone other than the absent atasan."))
    if not acting.active or not absent.active:
        raise Invalid(_("Both pegawai must be active."))
    if start_date is None or end_date is None or end_date < start_date:
        raise Invalid(_("The last day must be on or after the first day."))
    if end_date < local_today():
        raise Invalid(_("The period has already ended."))
    if (end_date - start_date).days > 366:
        raise Invalid(_("An appointment lasts at most one year."))
    reason = visible_text(appointment.reason)[:300]
    with write_transaction():
        overlapping = locked(
            ActingAssignment.select().where(
                ActingAssignment.absent == absent.id,
                ActingAssignment.cancelled_at.is_null(),
                ActingAssignment.start_date <= end_date,
                ActingAssignment.end_date >= start_date,
            )
        )
        if overlapping.exists():
            raise Invalid(_("This atasan already has a Plt/Plh in that period."))
        assignment = ActingAssignment.create(
            absent=absent,
            acting=acting,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            reason=reason,
            appointed_by=actor,
        )
        record(actor, "acting.appoint", assignment, after=_acting_snapshot(assignment))
        with force_locale(acting.language or "id"):
            message = _(
                "You are %(kind)s of %(name)s from %(start)s to %(end)s and verify their queue.",
                kind=kind,
                name=absent.nama,
                start=tanggal(start_date),
                end=tanggal(end_date),
            )
        notify(acting, "acting_appointed", message, path_for("reviews.queue"))
    return assignment


def _acting_snapshot(assignment: ActingAssignment) -> dict[str, Any]:
    return {
        "absent": assignment.absent_id,
        "acting": assignment.acting_id,
        "kind": assignment.kind,
        "start": assignment.start_date,
        "end": assignment.end_date,
        "cancelled": bool(assignment.cancelled_at),
    }


def can_cancel_acting(actor: Employee, assignment: ActingAssignment) -> bool:
    return assignment.appointed_by_id == actor.id or can_appoint_for(actor, assignment.absent)


def cancel_acting(actor: Employee, assignment: ActingAssignment) -> ActingAssignment:
    """End an appointment early (the appointer, the atasan or an admin of the unit)."""
    if not can_cancel_acting(actor, assignment):
        raise Forbidden(_("You may not cancel this appointment."))
    with write_transaction():
        changed = (
            ActingAssignment.update(
                cancelled_at=utcnow(), cancelled_by=actor.id, updated_at=utcnow()
            )
            .where(ActingAssignment.id == assignment.id, ActingAssignment.cancelled_at.is_null())
            .execute()
        )
        if not changed:
            raise Conflict(_("This appointment was already cancelled."))
        record(actor, "acting.cancel", assignment, before=_acting_snapshot(assignment))
    return assignment


def acting_list(actor: Employee) -> list[ActingAssignment]:
    """Appointments `actor` may see: theirs (either side), those they appointed, and for admins
    those of their units. Joined, one query."""
    Absent = Employee.alias("absent")
    Acting = Employee.alias("acting")
    query = (
        ActingAssignment.select(ActingAssignment, Absent, Acting)
        .join(Absent, on=(ActingAssignment.absent == Absent.id))
        .switch(ActingAssignment)
        .join(Acting, on=(ActingAssignment.acting == Acting.id))
    )
    condition = (
        (ActingAssignment.absent == actor.id)
        | (ActingAssignment.acting == actor.id)
        | (ActingAssignment.appointed_by == actor.id)
    )
    if not is_admin(actor):
        units = admin_units(actor)
        if units:
            AbsentUnit = Unit.alias("absent_unit")
            unit_ids = AbsentUnit.select(AbsentUnit.id).where(
                Unit.path_within(units, AbsentUnit.path)
            )
            condition = condition | Absent.unit.in_(unit_ids)
        query = query.where(condition)
    return list(
        query.order_by(ActingAssignment.start_date.desc(), ActingAssignment.id.desc()).limit(200)
    )


def may_manage_acting(actor: Employee) -> bool:
    """Who may open the Plt/Plh page: atasan, admins, and anyone appointed."""
    return bool(actor.is_atasan or is_any_admin(actor) or acting_assignments(actor))


def employee_by_nip(nip: str | None) -> Employee | None:
    nip = "".join((nip or "").split())
    if not nip:
        return None
    return Employee.get_or_none(Employee.nip == nip, Employee.active == True)  # noqa: E712


def acting_kinds(pairs: Iterable[tuple[Any, Any]]) -> dict[tuple[Any, Any], str]:
    """{(acting id, absent id): "Plt"/"Plh"} for the given pairs (one query)."""
    wanted = {pair for pair in pairs if pair[0] and pair[1]}
    if not wanted:
        return {}
    rows = ActingAssignment.select(
        ActingAssignment.acting, ActingAssignment.absent, ActingAssignment.kind
    ).where(
        ActingAssignment.acting.in_({a for a, _b in wanted}),
        ActingAssignment.absent.in_({b for _a, b in wanted}),
    )
    return {(row.acting_id, row.absent_id): row.kind for row in rows}
