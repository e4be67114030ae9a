"""Angka kredit of pejabat fungsional (PerBKN 3/2023) per period and per year, for the admin's
recap: the final evaluations of a year in the units the actor administers, in one query. The
year's figure is the annual evaluation's when there is one, else the sum of the periods'."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.performance.evaluation.rules import angka_kredit, jenjang_of
from portal.performance.models import ANNUAL, EV_FINAL, Evaluation, EvaluationPeriod, Skp


@dataclass
class CreditRow:
    employee: Employee
    jenjang: str
    periods: list[tuple[EvaluationPeriod, str, Decimal]] = field(default_factory=list)
    annual: Decimal | None = None

    @property
    def total(self) -> Decimal:
        if self.annual is not None:
            return self.annual
        return sum((value for _p, _pred, value in self.periods), Decimal(0))


def can_see_recap(actor: Employee) -> bool:
    return org.is_any_admin(actor)


def recap(actor: Employee, tahun: int) -> list[CreditRow]:
    """One row per pejabat fungsional with a final evaluation in `tahun`: one query."""
    units = org.units_administered(actor)
    query = (
        Evaluation.select(Evaluation, EvaluationPeriod, Skp, Employee)
        .join(EvaluationPeriod)
        .switch(Evaluation)
        .join(Skp)
        .switch(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(
            EvaluationPeriod.tahun == tahun,
            Evaluation.status == EV_FINAL,
            Evaluation.unit.in_(Unit.select(Unit.id).where(Unit.id.in_(units.select(Unit.id)))),
        )
        .order_by(Employee.nama, EvaluationPeriod.end_date, EvaluationPeriod.months)
    )
    rows: dict[int, CreditRow] = {}
    for evaluation in query:
        jenjang = jenjang_of(evaluation.skp.jabatan)
        value = angka_kredit(evaluation.predikat, jenjang, evaluation.period.months)
        if jenjang is None or value is None:
            continue
        row = rows.setdefault(evaluation.employee_id, CreditRow(evaluation.employee, jenjang))
        if evaluation.period.jenis == ANNUAL:
            row.annual = value
        else:
            row.periods.append((evaluation.period, evaluation.predikat or "", value))
    return list(rows.values())
