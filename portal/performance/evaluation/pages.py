"""Read-models of the evaluation pages: my evaluations, the team's for a period (with what the
daily entries show), one evaluation, and `latest_predikat` for the reports. Each a fixed number
of queries, whatever the number of pegawai, RHK or indicators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from portal.clock import local_today
from portal.db import kept, key_unless
from portal.org.models import Employee
from portal.performance import rules as skp_rules
from portal.performance.evaluation import periods, prefill
from portal.performance.evaluation.rules import (
    can_decide_objection,
    can_fill,
    can_object,
    can_rate,
    can_view,
    is_penilai,
    objection_deadline,
    require,
)
from portal.performance.models import (
    APPROVED,
    EV_FINAL,
    Evaluation,
    EvaluationPeriod,
    Feedback,
    Indicator,
    Objection,
    Realisasi,
    Rhk,
    Skp,
)


def effective_skps(where, *key: Any) -> list[Skp]:
    """Effective (approved, not superseded) SKPs matching `where`, with their pegawai: one query
    (compiled once per `key` when the caller names every value of `where`: `portal.db.kept`)."""
    query = (
        Skp.select(Skp, Employee)
        .join(Employee, on=(Skp.employee == Employee.id))
        .where(Skp.status == APPROVED, Skp.superseded_at.is_null(), where)
        .order_by(Employee.nama, Skp.start_date)
    )
    return list(kept(query, "evaluation.skps", *key) if key else query)


# --- my evaluations --------------------------------------------------------------------------


@dataclass
class MyRow:
    period: EvaluationPeriod
    skp: Skp
    evaluation: Evaluation | None


def my_rows(
    actor: Employee, tahun: int, year_periods: list[EvaluationPeriod] | None = None
) -> list[MyRow]:
    """Each period of `tahun` (`year_periods` when the caller has read them) x each of `actor`'s
    effective SKP covering it, with its evaluation if opened: three queries, or two."""
    year_periods = periods.of_year(tahun) if year_periods is None else year_periods
    skps = effective_skps(
        (Skp.employee == actor.id) & (Skp.tahun == tahun), "mine", actor.id, tahun
    )
    period_ids = tuple(p.id for p in year_periods) or (0,)
    query = Evaluation.select().where(
        Evaluation.employee == actor.id, Evaluation.period.in_(period_ids)
    )
    evaluations = {
        (e.period_id, e.skp_id): e for e in kept(query, "evaluation.mine", actor.id, period_ids)
    }
    rows = []
    for period in year_periods:
        for skp in skps:
            if skp.start_date <= period.end_date and skp.end_date >= period.start_date:
                rows.append(MyRow(period, skp, evaluations.get((period.id, skp.id))))
    return rows


# --- the team of a period ------------------------------------------------------------------


@dataclass
class TeamRow:
    skp: Skp
    evaluation: Evaluation | None
    stats: prefill.RhkStats


def team_rows(actor: Employee, period: EvaluationPeriod) -> list[TeamRow]:
    """The SKPs `actor` (or whom they act for today) is penilai of that cover `period`, with
    their evaluation and the period's daily-entry totals: four queries for any team size."""
    identities = tuple(skp_rules.identities(actor))
    skps = effective_skps(
        Skp.penilai.in_(identities)
        & (Skp.employee != actor.id)
        & (Skp.start_date <= period.end_date)
        & (Skp.end_date >= period.start_date),
        "team",
        actor.id,
        identities,
        period.start_date,
        period.end_date,
    )
    skp_ids = tuple(s.id for s in skps) or (0,)
    query = Evaluation.select().where(Evaluation.period == period.id, Evaluation.skp.in_(skp_ids))
    evaluations = {e.skp_id: e for e in kept(query, "evaluation.team", period.id, skp_ids)}
    stats = prefill.team_stats({s.employee_id for s in skps}, period.start_date, period.end_date)
    return [
        TeamRow(skp, evaluations.get(skp.id), prefill.totals(stats.get(skp.employee_id, {})))
        for skp in skps
    ]


# --- one evaluation ---------------------------------------------------------------------------


@dataclass
class IndicatorRow:
    indicator: Indicator
    realisasi: Realisasi | None
    suggested: int | None  # the approved volume of the entries in the indicator's satuan


@dataclass
class RhkRow:
    rhk: Rhk
    number: int
    indicators: list[IndicatorRow]
    stats: prefill.RhkStats
    feedback: str

    @property
    def key(self) -> str:
        return f"rhk:{self.rhk.lineage or self.rhk.id}"


@dataclass
class ValueRow:
    value: skp_rules.Value
    feedback: str

    @property
    def key(self) -> str:
        return f"nilai:{self.value.kode}"


@dataclass
class EvaluationPage:
    evaluation: Evaluation
    period: EvaluationPeriod
    skp: Skp
    owner: Employee
    rhk: list[RhkRow]
    values: list[ValueRow]
    objection: Objection | None
    can_fill: bool
    window_open: bool
    can_rate: bool
    can_finalize: bool
    can_object: bool
    can_decide: bool
    is_owner: bool
    objection_deadline: object = None
    unlinked: list[str] = field(default_factory=list)


def evaluation_page(actor: Employee, evaluation: Evaluation) -> EvaluationPage:
    """Everything the evaluation page shows, with the actor's permissions: eight queries."""
    objection = Objection.get_or_none(Objection.evaluation == evaluation.id)
    require(can_view(actor, evaluation, objection))
    skp, period = evaluation.skp, evaluation.period
    rhk_rows = sorted(Rhk.select().where(Rhk.skp == skp.id), key=lambda row: row.order)
    indicators = list(
        Indicator.select()
        .where(Indicator.rhk.in_([r.id for r in rhk_rows] or [0]))
        .order_by(Indicator.urutan, Indicator.id)
    )
    realisasi = {
        r.indicator_id: r for r in Realisasi.select().where(Realisasi.evaluation == evaluation.id)
    }
    feedback = {
        f.key: f.umpan_balik for f in Feedback.select().where(Feedback.evaluation == evaluation.id)
    }
    stats = prefill.team_stats([skp.employee_id], period.start_date, period.end_date).get(
        skp.employee_id, {}
    )
    by_rhk: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_rhk.setdefault(indicator.rhk_id, []).append(indicator)
    rows = []
    for number, rhk in enumerate(rhk_rows, start=1):
        rhk_stats = stats.get(rhk.lineage or rhk.id, prefill.RhkStats())
        rows.append(
            RhkRow(
                rhk,
                number,
                [
                    IndicatorRow(ind, realisasi.get(ind.id), rhk_stats.volumes.get(ind.satuan))
                    for ind in by_rhk.get(rhk.id, [])
                ],
                rhk_stats,
                feedback.get(f"rhk:{rhk.lineage or rhk.id}", ""),
            )
        )
    values = [ValueRow(v, feedback.get(f"nilai:{v.kode}", "")) for v in skp_rules.berakhlak()]
    rater = can_rate(actor, evaluation)
    return EvaluationPage(
        evaluation=evaluation,
        period=period,
        skp=skp,
        owner=evaluation.employee,
        rhk=rows,
        values=values,
        objection=objection,
        can_fill=can_fill(actor, evaluation) and periods.is_open(period),
        window_open=periods.is_open(period),
        can_rate=rater,
        can_finalize=rater and evaluation.predikat is not None,
        can_object=can_object(actor, evaluation, objection),
        can_decide=can_decide_objection(actor, objection),
        is_owner=evaluation.employee_id == actor.id,
        objection_deadline=objection_deadline(evaluation),
    )


def colleagues(evaluation: Evaluation) -> list[Employee]:
    """The pegawai's active colleagues in their unit (not the pegawai, not the penilai)."""
    return list(
        Employee.select()
        .where(
            Employee.unit == evaluation.unit_id,
            Employee.active == True,  # noqa: E712
            Employee.id.not_in([evaluation.employee_id, evaluation.penilai_id or 0]),
        )
        .order_by(Employee.nama)
    )


def is_rater(actor: Employee, evaluation: Evaluation) -> bool:
    return is_penilai(actor, evaluation)


def waiting_objections(actor: Employee) -> list[Objection]:
    """Keberatan waiting for `actor` (or whom they act for) to decide: one query."""
    identities = tuple(skp_rules.identities(actor))
    query = (
        Objection.select(Objection, Employee)
        .join(Employee, on=(Objection.employee == Employee.id))
        .where(Objection.decider.in_(identities), Objection.status == "diajukan")
        .order_by(Objection.created_at)
    )
    return list(kept(query, "evaluation.objections_waiting", identities))


# --- for the reports ---------------------------------------------------------------------------


def latest_predikat(
    employee_ids: Iterable[int], year: int, ids_query: Any = None
) -> dict[int, str]:
    """{employee id: the predikat of their latest final evaluation of `year`} (the annual one
    when there is one, else the latest period's; after a keberatan, the decided one): one
    query. Employees without a final evaluation are left out. `ids_query` (a subquery of the
    same ids) stands in for the list in the SQL."""
    ids = list(employee_ids)
    if not ids:
        return {}
    query = (
        Evaluation.select(Evaluation.employee, Evaluation.predikat)
        .join(EvaluationPeriod)
        .where(
            Evaluation.employee.in_(ids if ids_query is None else ids_query),
            Evaluation.status == EV_FINAL,
            EvaluationPeriod.tahun == year,
            Evaluation.predikat.is_null(False),
        )
        .order_by(
            Evaluation.employee,
            EvaluationPeriod.end_date,
            EvaluationPeriod.months,
            Evaluation.finalized_at,
            Evaluation.id,
        )
        .tuples()
    )
    rows = kept(query, *key_unless(ids_query, "evaluation.latest_predikat", year, *ids))
    result: dict[int, str] = {}
    for employee_id, predikat in cast(Iterable[tuple[int, str]], rows):
        result[employee_id] = predikat  # later rows win
    return result


def this_year() -> int:
    return local_today().year
