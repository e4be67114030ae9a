"""seed-demo: last month's kehadiran of the demo admin OPD's units, imported through the
kehadiran import, and last month closed for those units (a snapshot for the TPP), through the
services and by the demo admin OPD, as a person would; and the pimpinan role (the leaders'
read-only reports) granted by the demo admin to the head of the PTSP office at that office, and
to the head of the root unit when the pemda has a single root (the Sekda-like reader)."""

from __future__ import annotations

from typing import Any

from portal.org.editing import assign_role
from portal.org.models import ROLE_PIMPINAN, Employee, Unit
from portal.org.services import admin_units
from portal.reports import attendance, closing
from portal.reports.recap import Month

PTSP_KODE = "DPMPTSP"


def _head(unit: Unit) -> Employee | None:
    """The unit's head: its active pegawai whose atasan is outside the unit (or none)."""
    for person in (
        Employee.select()
        .where(Employee.unit == unit.id, Employee.active == True)  # noqa: E712
        .order_by(Employee.id)
    ):
        if person.supervisor_id is None or person.supervisor.unit_id != unit.id:
            return person
    return None


def seed_pimpinan(context: dict[str, Any]) -> None:
    admin = context.get("admin")
    if admin is None:
        return
    roots = list(Unit.select().where(Unit.parent.is_null()))
    targets = [Unit.get_or_none(Unit.kode == PTSP_KODE)]
    if len(roots) == 1:
        targets.append(roots[0])
    for unit in targets:
        head = _head(unit) if unit is not None else None
        if head is not None:
            assign_role(admin, head, ROLE_PIMPINAN, unit)


def seed(rng: Any, context: dict[str, Any]) -> None:
    seed_pimpinan(context)
    actor = context.get("admin_opd")
    if actor is None:
        return
    today = context["today"]
    last = Month(today.year, today.month).shifted(-1)
    roots = admin_units(actor)
    if not roots:
        return
    people = list(Employee.in_units(roots).where(Employee.active == True))  # noqa: E712
    rows = [
        {
            "nip": person.nip,
            "tahun": str(last.tahun),
            "bulan": str(last.bulan),
            "kehadiran": f"{rng.choice([100, 100, 98.5, 97.25, 95, 90, 86.5])}".replace(".", ","),
            "line": line,
        }
        for line, person in enumerate(people, start=2)
    ]
    plan = attendance.validate(actor, rows)
    attendance.apply(actor, plan, "demo-kehadiran.csv")
    for root in roots:
        closing.close_month(actor, root, last)
