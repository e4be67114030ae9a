"""The distribution of a unit's annual predikat against the curve of its organisation predikat
(set by the admin per unit and year), for the Kepala OPD who calibrates before the predikat are
final. Counted over the unit's subtree in a fixed number of queries, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

import peewee as pw
from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import kept, write_transaction
from portal.errors import Forbidden, Invalid, NotFound
from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.performance.evaluation.rules import (
    ORG_PREDIKAT,
    can_calibrate,
    distribution_problems,
    predikat_labels,
)
from portal.performance.models import (
    ANNUAL,
    PREDIKAT,
    Evaluation,
    EvaluationPeriod,
    UnitPredikat,
)
from portal.web.pagination import Page, paginate

PAGE_SIZE = 50


def can_set_unit_predikat(actor: Employee) -> bool:
    return org.is_admin(actor)


def set_unit_predikat(actor: Employee, unit: Unit, tahun: int, predikat: str) -> UnitPredikat:
    """The admin sets a unit's organisation predikat for a year (the curve it is checked by)."""
    if not can_set_unit_predikat(actor):
        raise Forbidden(_("Only the admin sets the organisation predikat."))
    if predikat not in ORG_PREDIKAT:
        raise Invalid(_("Choose a predikat."), field="predikat")
    if not 2000 <= tahun <= 2100:
        raise Invalid(_("Choose a year."), field="tahun")
    with write_transaction():
        row = UnitPredikat.get_or_none(UnitPredikat.unit == unit.id, UnitPredikat.tahun == tahun)
        before = row.predikat if row else None
        if row is None:
            row = UnitPredikat.create(unit=unit, tahun=tahun, predikat=predikat)
        else:
            UnitPredikat.update(predikat=predikat).where(UnitPredikat.id == row.id).execute()
            row.predikat = predikat
        record(
            actor,
            "evaluation.unit_predikat",
            row,
            before={"predikat": before},
            after={"predikat": predikat, "unit": unit.id, "tahun": tahun},
        )
    return row


@dataclass
class Bar:
    predikat: str
    label: str
    count: int
    share: Decimal


@dataclass
class Distribution:
    unit: Unit
    tahun: int
    org_predikat: str | None
    bars: list[Bar]
    total: int
    problems: list[str]
    evaluations: Page  # one page of the annual ones, for calibration

    @property
    def widest(self) -> int:
        return max([bar.count for bar in self.bars] + [1])


def units_for(actor: Employee) -> list[Unit]:
    """The units whose distribution `actor` may see: administered ones, or the Kepala OPD's."""
    units = org.administered_now(actor)
    if not units and actor.jenis_jabatan == "JPT":
        units = [actor.unit]
    return units


def distribution(actor: Employee, unit: Unit, tahun: int, page: int = 1) -> Distribution:
    """Counts and shares per predikat of the annual evaluations in `unit`'s subtree (rated, final
    or not), the rules of the curve they break, and one page of the evaluations: four queries."""
    if not can_calibrate(actor, unit.id):
        raise NotFound(_("The unit was not found."))
    setting = UnitPredikat.get_or_none(UnitPredikat.unit == unit.id, UnitPredikat.tahun == tahun)
    in_subtree = Evaluation.unit.in_(Unit.select(Unit.id).where(Unit.path.startswith(unit.path)))
    annual = (EvaluationPeriod.tahun == tahun) & (EvaluationPeriod.jenis == ANNUAL)
    count_query = (
        Evaluation.select(Evaluation.predikat, pw.fn.COUNT(Evaluation.id))
        .join(EvaluationPeriod)
        .where(in_subtree, annual, Evaluation.predikat.is_null(False))
        .group_by(Evaluation.predikat)
        .tuples()
    )
    key = (unit.path, tahun)  # every value of the statements below (`portal.db.kept`)
    counts = dict(
        cast(Iterable[tuple[str, int]], kept(count_query, "evaluation.distribution", *key))
    )
    total = sum(counts.values())
    labels = predikat_labels()
    bars = [
        Bar(
            key,
            labels[key],
            counts.get(key, 0),
            (Decimal(counts.get(key, 0) * 100) / total).quantize(Decimal("0.1"))
            if total
            else Decimal(0),
        )
        for key in PREDIKAT
    ]
    # only what a row shows: MariaDB sorts this join in a temporary table, which long text
    # columns (the notes) would make an on-disk one
    shown = (Evaluation.id, Evaluation.predikat, Evaluation.status, Employee.id, Employee.nama)
    evaluations = paginate(
        Evaluation.select(*shown)
        .join(EvaluationPeriod)
        .switch(Evaluation)
        .join(Employee, on=(Evaluation.employee == Employee.id))
        .where(in_subtree, annual)
        .order_by(Employee.nama, Evaluation.id),
        page,
        {"unit": unit.id, "tahun": tahun},
        PAGE_SIZE,
        key=("evaluation.distribution_page", *key),
    )
    org_predikat = setting.predikat if setting else None
    return Distribution(
        unit=unit,
        tahun=tahun,
        org_predikat=org_predikat,
        bars=bars,
        total=total,
        problems=distribution_problems(counts, org_predikat),
        evaluations=evaluations,
    )
