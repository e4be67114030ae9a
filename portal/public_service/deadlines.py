"""The response deadline of a complaint in working days (the activities' calendar: the unit's
5- or 6-day week, holidays and cuti bersama), the reminders before it and the escalation to the
handler's atasan after it.

`sweep(today)` is run by `flask complaint-deadlines` (and the periodic job): it reminds once per
complaint (`reminded_on`) and escalates once (`escalated_at`), each a conditional UPDATE, so two
runs at once notify nobody twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import peewee as pw
from flask_babel import gettext as _

from portal.activities.calendar import add_working_days, holidays_between, working_days_between
from portal.audit import services as audit
from portal.db import utcnow
from portal.notifications.services import Notice, notify_many
from portal.org.models import ROLE_ADMIN, ROLE_ADMIN_OPD, Employee, RoleAssignment, Unit
from portal.public_service.models import OPEN_STATUSES, Complaint
from portal.public_service.rules import setting
from portal.web.formatting import tanggal as format_date
from portal.web.paths import path_for


def due_date(filed_on: date, unit: Unit | None) -> date:
    """The last day of the answer: `response_days` working days after the filing date."""
    return add_working_days(filed_on, setting("response_days"), unit)


def response_days(filed_on: date, closed_on: date, unit: Unit | None) -> int:
    """Working days from filing to the answer (0: answered on a non-working filing day or the
    same day)."""
    return working_days_between(filed_on, closed_on, unit)


def overdue(complaint: Complaint, today: date) -> bool:
    return complaint.status in OPEN_STATUSES and complaint.due_date < today


@dataclass
class SweepResult:
    reminded: int = 0
    escalated: int = 0


def unit_admins(units: list[Unit | None]) -> dict[int | None, list[int]]:
    """{unit id (None: no unit): [ids of the admins OPD of it or an ancestor, or, when it has
    none, the pemda's admins]} in two queries."""
    rows: list[tuple[Any, ...]] = list(
        RoleAssignment.select(RoleAssignment.employee, RoleAssignment.role, Unit.path)
        .join(Employee, on=(RoleAssignment.employee == Employee.id))
        .switch(RoleAssignment)
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(RoleAssignment.unit == Unit.id))
        .where(
            RoleAssignment.role.in_([ROLE_ADMIN, ROLE_ADMIN_OPD]),
            Employee.active == True,  # noqa: E712
        )
        .tuples()  # type: ignore[arg-type]
    )
    admins = sorted({emp for emp, role, _path in rows if role == ROLE_ADMIN})
    found: dict[int | None, list[int]] = {}
    for unit in units:
        key = unit.id if unit is not None else None
        if key in found:
            continue
        opd = []
        if unit is not None:
            opd = sorted(
                {
                    emp
                    for emp, role, path in rows
                    if role == ROLE_ADMIN_OPD and path and unit.path.startswith(path)
                }
            )
        found[key] = opd or admins
    return found


def _open_complaints(condition: Any) -> list[Complaint]:
    return list(
        Complaint.select(Complaint, Unit)
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(Complaint.unit == Unit.id))
        .where(Complaint.status.in_(OPEN_STATUSES), condition)
        .order_by(Complaint.id)
    )


def sweep(today: date) -> SweepResult:
    """Remind the handler (or the unit's admins while unassigned) `reminder_days` working days
    before the deadline, and tell the handler's atasan (or the admins) once it has passed."""
    result = SweepResult()
    lead = setting("reminder_days")
    horizon = today + timedelta(days=lead * 2 + 14)
    holidays = holidays_between(today + timedelta(days=1), horizon)
    due_soon = [
        complaint
        for complaint in _open_complaints(
            (Complaint.due_date >= today)
            & (Complaint.due_date <= horizon)
            & Complaint.reminded_on.is_null()
        )
        if add_working_days(today, lead, complaint.unit, holidays) >= complaint.due_date
    ]
    late = _open_complaints((Complaint.due_date < today) & Complaint.escalated_at.is_null())
    admins = unit_admins([c.unit for c in due_soon + late])
    supervisors: dict[int, int | None] = dict(
        Employee.select(Employee.id, Employee.supervisor)
        .where(Employee.id.in_([c.assignee_id for c in late if c.assignee_id] or [0]))
        .tuples()
    )
    notices: list[Notice] = []
    for complaint in due_soon:
        claimed = (
            Complaint.update(reminded_on=today)
            .where(Complaint.id == complaint.id, Complaint.reminded_on.is_null())
            .execute()
        )
        if not claimed:
            continue
        result.reminded += 1
        targets = [complaint.assignee_id] if complaint.assignee_id else admins[complaint.unit_id]
        message = _(
            "Complaint %(code)s must be answered by %(date)s.",
            code=complaint.kode,
            date=format_date(complaint.due_date),
        )
        notices += [
            _notice(recipient, "complaint.reminder", message, complaint) for recipient in targets
        ]
    for complaint in late:
        boss = supervisors.get(complaint.assignee_id) if complaint.assignee_id else None
        targets = [boss] if boss else admins[complaint.unit_id]
        claimed = (
            Complaint.update(escalated_at=utcnow(), escalated_to=boss)
            .where(Complaint.id == complaint.id, Complaint.escalated_at.is_null())
            .execute()
        )
        if not claimed:
            continue
        result.escalated += 1
        audit.record(None, "complaint.escalated", complaint, after={"escalated_to": boss})
        message = _(
            "Complaint %(code)s passed its deadline (%(date)s) without an answer.",
            code=complaint.kode,
            date=format_date(complaint.due_date),
        )
        notices += [
            _notice(recipient, "complaint.escalation", message, complaint) for recipient in targets
        ]
    notify_many(notices)
    return result


def _notice(recipient: int, kind: str, message: str, complaint: Complaint) -> Notice:
    return Notice(
        recipient=recipient,
        kind=kind,
        message=message,
        link=path_for("public_service.manage_detail", complaint_id=complaint.id),
        dedupe_key=f"{kind}:{complaint.id}",
    )
