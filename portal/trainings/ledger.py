"""The JP ledger: competence hours per pegawai per year, external records and certificates.

A pegawai's JP of a year = the JP credited by trainings completed here (`organising.complete`)
that ended in that local year + the JP of their external records an admin verified, dated in
that year. The yearly target is the setting trainings.target_jp (`rules.jp_target`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, cast

import peewee as pw
from flask_babel import gettext as _

from portal.audit.services import record
from portal.clock import local_today
from portal.db import db, kept, key_unless, utcnow, write_transaction
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications.services import notify
from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.trainings.models import (
    RECORD_REJECTED,
    RECORD_SUBMITTED,
    RECORD_VERIFIED,
    ExternalRecord,
    Registration,
    Training,
)
from portal.trainings.rules import can_manage, jp_target, local_to_utc
from portal.web.validators import visible_text

if TYPE_CHECKING:  # the stored certificate file comes from the view, through portal.web.uploads
    from portal.web.uploads import StoredFile

# --- certificates ----------------------------------------------------------------------------


def can_see_certificate(actor: Employee, reg: Registration) -> bool:
    return bool(reg.employee_id == actor.id or can_manage(actor, reg.training))


def verify_certificate(code: str) -> Registration | None:
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


# --- JP per pegawai --------------------------------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    first, after = datetime(year, 1, 1), datetime(year + 1, 1, 1)  # noqa: DTZ001 (local)
    return local_to_utc(first), local_to_utc(after)


def jp_ledger(employee: Employee, year: int | None = None) -> dict[str, Any]:
    """JP this year: completed trainings here plus verified external records."""
    year = year or local_today().year
    internal = list(
        Registration.select(Registration, Training)
        .join(Training)
        .where(_completed(employee, year))
        .order_by(Training.ends_at)
    )
    external = list(
        ExternalRecord.select().where(_recorded(employee, year)).order_by(ExternalRecord.tanggal)
    )
    total = sum(r.jp_credited for r in internal) + sum(
        r.jp for r in external if r.status == RECORD_VERIFIED
    )
    return {**_progress(year, total), "internal": internal, "external": external}


def jp_summary(employee: Employee, year: int | None = None) -> dict[str, Any]:
    """The JP of `jp_ledger` without its lists (the dasbor's panel): one statement of the two
    sums."""
    year = year or local_today().year
    internal = (
        Registration.select(pw.fn.COALESCE(pw.fn.SUM(Registration.jp_credited), 0))
        .join(Training)
        .where(_completed(employee, year))
    )
    external = ExternalRecord.select(pw.fn.COALESCE(pw.fn.SUM(ExternalRecord.jp), 0)).where(
        _recorded(employee, year), ExternalRecord.status == RECORD_VERIFIED
    )
    both = pw.Select(columns=[internal, external]).bind(db).tuples()
    row = next(iter(kept(both, "trainings.jp_summary", employee.id, year)))
    return _progress(year, int(row[0] or 0) + int(row[1] or 0))


def _completed(employee: Employee, year: int) -> Any:
    """Their registrations completed in trainings that ended in `year` (joined to Training)."""
    start, end = _year_bounds(year)
    return (
        (Registration.employee == employee.id)
        & (Registration.completed == True)  # noqa: E712
        & (Training.ends_at >= start)
        & (Training.ends_at < end)
    )


def _recorded(employee: Employee, year: int) -> Any:
    """Their external records dated in `year` (any status)."""
    return (
        (ExternalRecord.employee == employee.id)
        & (ExternalRecord.tanggal >= date(year, 1, 1))
        & (ExternalRecord.tanggal < date(year + 1, 1, 1))
    )


def _progress(year: int, total: int) -> dict[str, Any]:
    target = jp_target()
    return {
        "year": year,
        "total": total,
        "target": target,
        "short": max(target - total, 0),
        "percent": min(100, round(100 * total / target)) if target else 100,
    }


def jp_totals(employee_ids: Iterable[int], year: int, ids_query: Any = None) -> dict[int, int]:
    """{employee_id: JP} for many pegawai in two queries. `ids_query` (a subquery of the same
    ids) stands in for the list in the SQL (a city's ids are too many to bind one by one)."""
    start, end = _year_bounds(year)
    ids = list(employee_ids) or [0]
    totals = dict.fromkeys(ids, 0)
    within = ids if ids_query is None else ids_query
    internal = (
        Registration.select(Registration.employee, pw.fn.SUM(Registration.jp_credited))
        .join(Training)
        .where(
            Registration.employee.in_(within),
            Registration.completed == True,  # noqa: E712
            Training.ends_at >= start,
            Training.ends_at < end,
        )
        .group_by(Registration.employee)
        .tuples()
    )
    external = (
        ExternalRecord.select(ExternalRecord.employee, pw.fn.SUM(ExternalRecord.jp))
        .where(
            ExternalRecord.employee.in_(within),
            ExternalRecord.status == RECORD_VERIFIED,
            ExternalRecord.tanggal >= date(year, 1, 1),
            ExternalRecord.tanggal < date(year + 1, 1, 1),
        )
        .group_by(ExternalRecord.employee)
        .tuples()
    )
    for name, query in (("ledger.jp_internal", internal), ("ledger.jp_external", external)):
        rows = kept(query, *key_unless(ids_query, name, year, *ids))
        for emp_id, jp in cast(Iterable[tuple[int, int | None]], rows):
            totals[emp_id] = totals.get(emp_id, 0) + int(jp or 0)
    return totals


# --- the JP report ---------------------------------------------------------------------------


def can_see_report(actor: Employee) -> bool:
    return bool(actor.is_atasan or org.is_any_admin(actor))


def report_units(actor: Employee) -> list[Unit]:
    """Units an admin (or admin OPD) may pick in the JP report."""
    return list(org.units_administered(actor)) if org.is_any_admin(actor) else []


def jp_report(actor: Employee, unit: Unit | None = None, year: int | None = None) -> dict[str, Any]:
    """Who is below target: an admin's chosen unit subtree, or the atasan's subordinates."""
    year = year or local_today().year
    if unit is not None and org.can_admin_unit(actor, unit):
        employees = list(
            Employee.in_units([unit])
            .where(Employee.active == True)  # noqa: E712
            .order_by(Employee.nama)
        )
    elif actor.is_atasan:
        employees = list(org.subordinates(actor))
    else:
        raise Forbidden(_("You have no pegawai to report on."))
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


# --- external records ------------------------------------------------------------------------


@dataclass
class ExternalRecordInput:
    """Training done elsewhere, as the pegawai reports it (the certificate file comes apart)."""

    judul: str
    penyelenggara: str
    tanggal: date | None
    jp: int | None


def add_external_record(
    actor: Employee, data: ExternalRecordInput, stored: StoredFile
) -> ExternalRecord:
    """A pegawai records training done elsewhere, with the certificate file; an admin verifies."""
    errors = {}
    if not visible_text(data.judul):
        errors["judul"] = _("Enter the title.")
    if not visible_text(data.penyelenggara):
        errors["penyelenggara"] = _("Enter the organizer.")
    if data.jp is None or data.jp <= 0:
        errors["jp"] = _("JP must be a positive number.")
    if data.tanggal is None or data.tanggal > local_today():
        errors["tanggal"] = _("The date may not be in the future.")
    if errors:
        raise Invalid(errors=errors)
    with db.atomic():
        rec = ExternalRecord.create(
            employee=actor.id,
            judul=visible_text(data.judul)[:200],
            penyelenggara=visible_text(data.penyelenggara)[:200],
            tanggal=data.tanggal,
            jp=data.jp,
            stored_name=stored.stored_name,
            original_name=stored.original_name,
            kind=stored.kind,
        )
        record(actor, "jp_record.create", rec, after={"judul": rec.judul, "jp": data.jp})
    return rec


def can_verify_record(actor: Employee, rec: ExternalRecord) -> bool:
    """Admin, or admin OPD of the pegawai's unit."""
    return bool(org.can_admin_unit(actor, rec.employee.unit_id))


def can_see_record(actor: Employee, rec: ExternalRecord) -> bool:
    return bool(rec.employee_id == actor.id or can_verify_record(actor, rec))


def records_to_verify(actor: Employee) -> list[ExternalRecord]:
    """Submitted external records in the units `actor` administers (one query)."""
    if not org.is_any_admin(actor):
        return []
    query = (
        ExternalRecord.select(ExternalRecord, Employee, Unit)
        .join(Employee, on=(ExternalRecord.employee == Employee.id))
        .join(Unit)  # the pegawai's unit
        .where(ExternalRecord.status == RECORD_SUBMITTED)
    )
    if not org.is_admin(actor):
        query = query.where(Unit.path_within(org.admin_units(actor)))
    return list(query.order_by(ExternalRecord.created_at))


def verify_record(
    actor: Employee, rec: ExternalRecord, approve: bool, note: str = ""
) -> ExternalRecord:
    """Admin verifies (JP counts) or rejects (with a note) an external record."""
    if not can_verify_record(actor, rec):
        raise NotFound(_("You may not verify this record."))
    if not approve and not visible_text(note):
        raise Invalid(_("Write why the record is rejected."))
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
            raise Conflict(_("This record has already been decided."))
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
