"""seed-demo: last month's kehadiran of the demo admin OPD's units, imported through the
kehadiran import, and last month closed for those units (a snapshot for the TPP), through the
services and by the demo admin OPD, as a person would."""

from __future__ import annotations

from typing import Any

from portal.org.models import Employee
from portal.org.services import admin_units
from portal.reports import attendance, closing
from portal.reports.recap import Month


def seed(rng: Any, context: dict[str, Any]) -> None:
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
