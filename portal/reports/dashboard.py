"""The leaders' dashboard: per OPD (the units one level down from where the reader stands) for a
month, the share of pegawai who logged every working day, the median days from submission to
decision, the share with an approved SKP, the predikat distribution, the share at the yearly JP
target, the public-dialog follow-ups done against those due; and the trend of the average
approved minutes against the target over the last 12 months. Each as numbers for a
server-rendered SVG chart with its text table.

Who: the admin (the whole pemda), an admin OPD and a pimpinan (their trees); anyone else 404.
A fixed number of queries whatever the number of pegawai: every figure is grouped in SQL by unit
or by pegawai, and the units are mapped to their OPD in Python by path.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, cast

import peewee as pw
from flask_babel import gettext as _

from portal import settings
from portal.activities import calendar, month_totals
from portal.activities.month_totals import NONE, Totals, among
from portal.db import raw_rows
from portal.dialogs.models import FU_DONE, FollowUp
from portal.errors import NotFound
from portal.org.models import Employee, Unit
from portal.performance.models import APPROVED as SKP_APPROVED
from portal.performance.models import Skp
from portal.reports.predikat import latest_predikat
from portal.reports.recap import Month, child_units, collector_paused
from portal.reports.scope import Scope, scope_for
from portal.trainings.ledger import jp_totals
from portal.trainings.rules import jp_target

TREND_MONTHS = 12


def can_view_dashboard(actor: Any) -> bool:
    """The admin, an admin OPD or a pimpinan (the leaders'); an atasan alone has only a team."""
    scope = scope_for(actor)
    return scope.all or bool(scope.roots)


@dataclass
class OpdFigures:
    unit: Unit
    pegawai: int = 0
    logged_every_day: int = 0
    decision_days: dict[int, int] = field(default_factory=dict)  # days -> count
    with_skp: int = 0
    at_jp_target: int = 0
    predikat: dict[str, int] = field(default_factory=dict)
    follow_ups_due: int = 0
    follow_ups_done: int = 0

    @staticmethod
    def share(part: int, whole: int) -> float:
        return round(part * 100 / whole, 1) if whole else 0.0

    @property
    def logged_share(self) -> float:
        return self.share(self.logged_every_day, self.pegawai)

    @property
    def skp_share(self) -> float:
        return self.share(self.with_skp, self.pegawai)

    @property
    def jp_share(self) -> float:
        return self.share(self.at_jp_target, self.pegawai)

    @property
    def follow_up_share(self) -> float:
        return self.share(self.follow_ups_done, self.follow_ups_due)

    @property
    def median_days(self) -> float | None:
        """The median of the days from submission to decision (None without decisions)."""
        values: list[int] = []
        for days, count in sorted(self.decision_days.items()):
            values.extend([days] * count)
        return float(statistics.median(values)) if values else None


@dataclass
class Dashboard:
    month: Month
    unit: Unit | None
    opds: list[OpdFigures]
    trend: list[dict[str, Any]]
    jp_target: int


def _finder(opds: list[OpdFigures]) -> Callable[[str], OpdFigures | None]:
    """unit path -> the OPD figures whose subtree holds it, or None (each path looked up once:
    a city's pegawai share a few hundred units)."""
    found: dict[str, OpdFigures | None] = {}

    def find(path: str) -> OpdFigures | None:
        if path not in found:
            found[path] = next((o for o in opds if path.startswith(o.unit.path)), None)
        return found[path]

    return find


def build(actor: Any, month: Month, unit: Unit | None = None) -> Dashboard:
    """The dashboard of `month` below `unit` (or the top of the reader's scope)."""
    scope = scope_for(actor)
    if not can_view_dashboard(actor):
        raise NotFound(_("The page does not exist."))
    if unit is not None and not scope.may_open_unit(unit):
        raise NotFound(_("The unit was not found."))
    opds = [OpdFigures(opd) for opd in child_units(scope, unit)]
    find = _finder(opds)
    base = (
        Employee.select(Employee.id, Employee.active, Unit.path, Unit.work_days)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(_condition(scope, unit))
    )
    people: dict[int, tuple[OpdFigures, int]] = {}  # the active pegawai: their OPD and week
    opd_of: dict[int, OpdFigures] = {}  # everyone in scope (decisions of those gone count too)
    active_count = 0  # every active pegawai in scope, the trend's denominator
    with collector_paused():  # a city's small objects (see recap.collector_paused)
        for employee_id, active, path, work_days in raw_rows(base):  # a city's rows, unconverted
            active_count += bool(active)
            figures = find(path)
            if figures is not None:
                opd_of[employee_id] = figures
                if active:
                    figures.pegawai += 1
                    people[employee_id] = (figures, 6 if work_days == 6 else 5)
        everyone = scope.all and unit is None
        in_scope = None if everyone else base.select(Employee.id)
        totals = month_totals.read(month.tahun, month.bulan, in_scope)
        active_ids = base.where(Employee.active == True).select(Employee.id)  # noqa: E712
        _logged(people, totals, month)
        _decisions(opd_of, totals)
        _skp(people, None if everyone else active_ids, month)
        target = jp_target()
        for employee_id, jp in jp_totals(list(people), month.tahun, active_ids).items():
            if jp >= target and employee_id in people:
                people[employee_id][0].at_jp_target += 1
        for employee_id, label in latest_predikat(list(people), month.tahun, active_ids).items():
            figures = people[employee_id][0]
            figures.predikat[label] = figures.predikat.get(label, 0) + 1
    _follow_ups(find, scope, unit, month)
    return Dashboard(month, unit, opds, _trend(active_count, in_scope, month), target)


def _condition(scope: Scope, unit: Unit | None) -> Any:
    condition = scope.condition()
    if unit is not None:
        condition = condition & Unit.path.startswith(unit.path)
    return condition


def _logged(
    people: dict[int, tuple[OpdFigures, int]], totals: dict[int, Totals], month: Month
) -> None:
    """Pegawai with an entry (not Ditolak) on every working day of the month, by the week of
    their unit (5 or 6 days), from the monthly totals' day masks."""
    holidays = calendar.holidays_between(month.start, month.end)
    masks = {
        week: sum(
            1 << (day.day - 1)
            for day, working, _holiday in calendar.calendar(
                month.start, month.end, Unit(work_days=week), holidays
            )
            if working
        )
        for week in (5, 6)
    }
    if not masks[6]:
        return
    for employee_id, (figures, week) in people.items():
        if totals.get(employee_id, NONE).day_mask & masks[week] == masks[week]:
            figures.logged_every_day += 1


def _decisions(opd_of: dict[int, OpdFigures], totals: dict[int, Totals]) -> None:
    """Histogram of days from submission to decision of the month's entries, per OPD."""
    for employee_id, month_total in totals.items():
        figures = opd_of.get(employee_id)
        if figures is None:
            continue
        for days, count in month_total.decisions:
            figures.decision_days[days] = figures.decision_days.get(days, 0) + count


def _skp(people: dict[int, tuple[OpdFigures, int]], ids_query: Any, month: Month) -> None:
    query = (
        Skp.select(Skp.employee)
        .where(
            among(Skp.employee, ids_query),
            Skp.tahun == month.tahun,
            Skp.status == SKP_APPROVED,
        )
        .distinct()
        .tuples()
    )
    for (employee_id,) in cast(Iterable[tuple[int]], query):
        if employee_id in people:
            people[employee_id][0].with_skp += 1


def _follow_ups(find: Any, scope: Scope, unit: Unit | None, month: Month) -> None:
    """Follow-ups of public dialogs due by the month's end, and how many of them are done."""
    query = (
        FollowUp.select(Unit.path, FollowUp.status, pw.fn.COUNT(FollowUp.id))
        .join(Unit, on=(FollowUp.owner_unit == Unit.id))
        .where(FollowUp.due_date <= month.end)
        .group_by(Unit.path, FollowUp.status)
        .tuples()
    )
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path))
    elif not scope.all:
        query = query.where(Unit.path_within(scope.roots))
    for path, status, count in cast(Iterable[tuple[str, str, int]], query):
        figures = find(path)
        if figures is not None:
            figures.follow_ups_due += int(count)
            if status == FU_DONE:
                figures.follow_ups_done += int(count)


def _trend(active: int, in_scope: Any, month: Month) -> list[dict[str, Any]]:
    """[{month, approved, percent}] for the 12 months up to `month`: the approved minutes of
    the pegawai in scope (`in_scope`, a subquery of their ids, or None for the whole city)
    against the monthly target of its `active` pegawai (the monthly totals, summed per month
    in SQL)."""
    first = month.shifted(-(TREND_MONTHS - 1))
    whole = active * settings.get("activities.monthly_target_minutes")
    months = [first.shifted(index) for index in range(TREND_MONTHS)]
    approved = month_totals.approved_by_month([(m.tahun, m.bulan) for m in months], in_scope)
    result = []
    for m in months:
        minutes = approved[(m.tahun, m.bulan)]
        percent = round(minutes * 100 / whole, 1) if whole else 0.0
        result.append({"month": m, "approved": minutes, "percent": min(percent, 100.0)})
    return result


def bar_chart(values: list[tuple[str, float]], width: int = 560, row: int = 26) -> dict[str, Any]:
    """Horizontal bars of percentages (0..100) for the SVG: label, value, bar width, y."""
    label_w = 220
    plot = width - label_w - 60
    bars = [
        {
            "label": label,
            "value": value,
            "y": index * row + 4,
            "w": round(plot * max(min(value, 100.0), 0.0) / 100, 1),
        }
        for index, (label, value) in enumerate(values)
    ]
    return {
        "bars": bars,
        "width": width,
        "height": max(len(values), 1) * row + 8,
        "x0": label_w,
        "plot": plot,
    }


def line_chart(points: list[dict[str, Any]], width: int = 560, height: int = 200) -> dict[str, Any]:
    """The trend as a polyline (0..100 on the y axis) with its month labels."""
    left, bottom, top = 40, height - 28, 10
    step = (width - left - 10) / max(len(points) - 1, 1)
    dots = []
    for index, point in enumerate(points):
        x = round(left + index * step, 1)
        y = round(bottom - (bottom - top) * point["percent"] / 100, 1)
        dots.append({**point, "x": x, "y": y})
    return {
        "dots": dots,
        "polyline": " ".join(f"{dot['x']},{dot['y']}" for dot in dots),
        "width": width,
        "height": height,
        "left": left,
        "bottom": bottom,
        "top": top,
    }
