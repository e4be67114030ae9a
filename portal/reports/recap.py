"""The monthly recap: per pegawai the working days, days with entries, minutes submitted and
approved, capaian against the monthly target, entries waiting and returned, JP this year, the
latest predikat, kehadiran and the TPP components; summed per unit for the drill-down.

Rules (../shared/DESIGN.md, "Recaps and TPP"):
- working days: the month's days of the unit's week (5 or 6 days) that are no holiday or cuti
  bersama (`activities.calendar`);
- submitted = minutes of entries Diajukan or Disetujui; approved = menit diakui (or the claimed
  minutes) of entries Disetujui; days with entries = dates with a live entry not Ditolak;
- capaian = approved / the monthly target (setting), capped at 100%;
- TPP kinerja = capaian (at most the cap setting; 0 below the floor setting) x its weight;
  TPP kehadiran = the imported kehadiran x its weight;
- a month closed for the pegawai's unit shows the snapshot taken at closing.

`month_recap` runs a fixed number of queries whatever the number of pegawai; the month's sums
come from portal.activities.month_totals (one row per pegawai, exact).
"""

from __future__ import annotations

import calendar as pycalendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from portal import settings
from portal.activities import calendar, month_totals
from portal.activities.month_totals import among
from portal.clock import local_today
from portal.org.models import JENIS_JABATAN, Employee, Unit
from portal.reports.models import CLOSED, Attendance, MonthClosure, RecapSnapshot
from portal.reports.predikat import latest_predikat
from portal.reports.scope import Scope
from portal.trainings.ledger import jp_totals

BANDS = ("rendah", "sedang", "baik", "penuh")
SORTS = ("nama", "unit", "capaian", "disetujui", "menunggu")
SETTING_KEYS = (
    "activities.monthly_target_minutes",
    "reports.tpp_weight_kinerja",
    "reports.tpp_weight_kehadiran",
    "reports.tpp_cap",
    "reports.tpp_floor",
    "reports.band_low",
    "reports.band_high",
)


@dataclass(frozen=True)
class Month:
    tahun: int
    bulan: int

    @property
    def start(self) -> date:
        return date(self.tahun, self.bulan, 1)

    @property
    def end(self) -> date:
        return date(self.tahun, self.bulan, pycalendar.monthrange(self.tahun, self.bulan)[1])

    @property
    def key(self) -> str:
        return f"{self.tahun:04d}-{self.bulan:02d}"

    def shifted(self, months: int) -> Month:
        index = self.tahun * 12 + self.bulan - 1 + months
        return Month(index // 12, index % 12 + 1)


def parse_month(text: str | None) -> Month:
    """'2026-11' -> Month; anything else (or out of 2000..2100, or after this month) -> this
    month."""
    today = local_today()
    current = Month(today.year, today.month)
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        wanted = Month(year, month)
        wanted.start  # noqa: B018 - validates the month number
    except (ValueError, TypeError):
        return current
    if not 2000 <= year <= 2100 or wanted.start > current.start:
        return current
    return wanted


@dataclass
class Rules:
    """The settings the recap reads, once per recap."""

    target: int
    weight_kinerja: int
    weight_kehadiran: int
    cap: int
    floor: int
    band_low: int
    band_high: int

    @classmethod
    def load(cls) -> Rules:
        values = settings.get_many(SETTING_KEYS)
        return cls(*(values[key] for key in SETTING_KEYS))


@dataclass
class Row:
    """One pegawai's month."""

    employee: Employee
    working_days: int = 0
    days_with_entries: int = 0
    minutes_submitted: int = 0
    minutes_approved: int = 0
    target: int = 0
    waiting: int = 0
    returned: int = 0
    jp: int = 0
    predikat: str = ""
    kehadiran: int | None = None  # basis points
    closed: bool = False
    rules: Rules | None = None

    @property
    def capaian(self) -> float:
        """Approved minutes against the target, in percent, capped at 100."""
        if not self.target:
            return 0.0
        return min(100.0, round(self.minutes_approved * 100 / self.target, 2))

    @property
    def band(self) -> str:
        rules = cast(Rules, self.rules)
        if self.capaian >= 100:
            return "penuh"
        if self.capaian >= rules.band_high:
            return "baik"
        return "sedang" if self.capaian >= rules.band_low else "rendah"

    @property
    def tpp_kinerja(self) -> float:
        """The kinerja component, in percent of the TPP."""
        rules = cast(Rules, self.rules)
        if self.capaian < rules.floor:
            return 0.0
        return round(min(self.capaian, rules.cap) * rules.weight_kinerja / 100, 2)

    @property
    def tpp_kehadiran(self) -> float | None:
        rules = cast(Rules, self.rules)
        if self.kehadiran is None:
            return None
        return round(self.kehadiran / 100 * rules.weight_kehadiran / 100, 2)

    @property
    def tpp_total(self) -> float:
        return round(self.tpp_kinerja + (self.tpp_kehadiran or 0.0), 2)


@dataclass
class Filters:
    unit: Unit | None = None
    jabatan: str = ""
    band: str = ""
    sort: str = "nama"
    descending: bool = False

    @property
    def args(self) -> dict[str, str]:
        return {
            "unit": str(self.unit.id) if self.unit else "",
            "jabatan": self.jabatan,
            "capaian": self.band,
            "urut": self.sort,
            "arah": "turun" if self.descending else "naik",
        }


def clean_filters(jabatan: str, band: str, sort: str, direction: str) -> dict[str, Any]:
    """Unknown values fall back to none / the default."""
    return {
        "jabatan": jabatan if jabatan in JENIS_JABATAN else "",
        "band": band if band in BANDS else "",
        "sort": sort if sort in SORTS else "nama",
        "descending": direction == "turun",
    }


# What a recap row shows of a pegawai and their unit (a city's rows: not every column)
ROW_COLUMNS = (
    Employee.id,
    Employee.nip,
    Employee.nama,
    Employee.jabatan,
    Employee.jenis_jabatan,
    Employee.unit,
    Unit.id,
    Unit.nama,
    Unit.path,
    Unit.work_days,
)


def employees_in(scope: Scope, unit: Unit | None = None, jabatan: str = "") -> Any:
    """The active pegawai in scope (with their unit), within `unit`'s subtree and of `jabatan`."""
    query = (
        Employee.select(*ROW_COLUMNS)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Employee.active == True, scope.condition())  # noqa: E712
    )
    if unit is not None:
        query = query.where(Unit.path.startswith(unit.path))
    if jabatan:
        query = query.where(Employee.jenis_jabatan == jabatan)
    return query


def _working_days(month: Month) -> dict[int, int]:
    """{work days per week (5 or 6): working days in the month} with one holiday query."""
    holidays = calendar.holidays_between(month.start, month.end)
    result = {}
    for week in (5, 6):
        unit = Unit(work_days=week)
        days = calendar.calendar(month.start, month.end, unit, holidays)
        result[week] = sum(1 for _day, working, _holiday in days if working)
    return result


def compute_rows(
    employees: list[Employee],
    ids_query: Any,
    month: Month,
    rules: Rules,
    use_snapshots: bool = True,
) -> list[Row]:
    """The recap rows of `employees` (their ids also as `ids_query`, a subquery) in a fixed
    number of queries."""
    ids = [employee.id for employee in employees]
    working = _working_days(month)
    totals = month_totals.read(month.tahun, month.bulan, ids_query)
    # a subquery, not a city's ids bound one by one
    within = Employee.select(Employee.id) if ids_query is None else ids_query
    jp = jp_totals(ids, month.tahun, within) if ids else {}
    predikat = latest_predikat(ids, month.tahun, within)
    attendance: dict[int, int] = dict(
        cast(
            Iterable[tuple[int, int]],
            Attendance.select(Attendance.employee, Attendance.basis_points)
            .where(
                among(Attendance.employee, ids_query),
                Attendance.tahun == month.tahun,
                Attendance.bulan == month.bulan,
            )
            .tuples(),
        )
    )
    snapshots: dict[int, RecapSnapshot] = {}
    if use_snapshots:
        snapshots = {
            row.employee_id: row
            for row in RecapSnapshot.select().where(
                among(RecapSnapshot.employee, ids_query),
                RecapSnapshot.tahun == month.tahun,
                RecapSnapshot.bulan == month.bulan,
            )
        }
    rows = []
    for employee in employees:
        row = Row(
            employee,
            jp=jp.get(employee.id, 0),
            predikat=predikat.get(employee.id, ""),
            kehadiran=attendance.get(employee.id),
            rules=rules,
        )
        snapshot = snapshots.get(employee.id)
        if snapshot is not None:
            row.closed = True
            row.working_days = snapshot.working_days
            row.days_with_entries = snapshot.days_with_entries
            row.minutes_submitted = snapshot.minutes_submitted
            row.minutes_approved = snapshot.minutes_approved
            row.target = snapshot.target
            row.waiting = snapshot.waiting
            row.returned = snapshot.returned
        else:
            month_total = totals.get(employee.id, month_totals.NONE)
            row.working_days = working[6 if employee.unit.work_days == 6 else 5]
            row.days_with_entries = month_total.days
            row.minutes_submitted = month_total.submitted
            row.minutes_approved = month_total.approved
            row.target = rules.target
            row.waiting = month_total.waiting
            row.returned = month_total.returned
        rows.append(row)
    return rows


@dataclass
class UnitSummary:
    """The figures of a unit's subtree, for the drill-down."""

    unit: Unit
    pegawai: int = 0
    capaian_sum: float = 0.0
    approved: int = 0
    waiting: int = 0
    full: int = 0
    closed: bool = False

    @property
    def capaian(self) -> float:
        return round(self.capaian_sum / self.pegawai, 1) if self.pegawai else 0.0


@dataclass
class Recap:
    month: Month
    filters: Filters
    rows: list[Row]
    units: list[UnitSummary] = field(default_factory=list)
    closure: MonthClosure | None = None
    rules: Rules | None = None

    @property
    def total(self) -> UnitSummary:
        summary = UnitSummary(unit=self.filters.unit or Unit(nama=""))
        for row in self.rows:
            _add(summary, row)
        return summary


def _add(summary: UnitSummary, row: Row) -> None:
    summary.pegawai += 1
    summary.capaian_sum += row.capaian
    summary.approved += row.minutes_approved
    summary.waiting += row.waiting
    summary.full += row.capaian >= 100


def _sort(rows: list[Row], filters: Filters) -> list[Row]:
    keys = {
        "nama": lambda row: (row.employee.nama.lower(), row.employee.id),
        "unit": lambda row: (row.employee.unit.path, row.employee.nama.lower()),
        "capaian": lambda row: (row.capaian, row.employee.nama.lower()),
        "disetujui": lambda row: (row.minutes_approved, row.employee.nama.lower()),
        "menunggu": lambda row: (row.waiting, row.employee.nama.lower()),
    }
    return sorted(rows, key=keys[filters.sort], reverse=filters.descending)


def child_units(scope: Scope, unit: Unit | None) -> list[Unit]:
    """The units one level down: the children of `unit`, or the top of the scope."""
    if unit is not None:
        return list(Unit.select().where(Unit.parent == unit.id).order_by(Unit.nama))
    if scope.all:
        return list(Unit.select().where(Unit.parent.is_null()).order_by(Unit.nama))
    return sorted(scope.roots, key=lambda root: root.nama)


def month_recap(scope: Scope, month: Month, filters: Filters) -> Recap:
    """The recap of the pegawai in scope for `month`, filtered and sorted, with the summaries
    of the units one level down (a fixed number of queries)."""
    rules = Rules.load()
    query = employees_in(scope, filters.unit, filters.jabatan)
    employees = list(query)
    everyone = scope.all and filters.unit is None and not filters.jabatan
    ids_query = None if everyone else query.select(Employee.id)
    rows = compute_rows(employees, ids_query, month, rules)
    if filters.band:
        rows = [row for row in rows if row.band == filters.band]
    rows = _sort(rows, filters)
    units = [] if scope.team_only else child_units(scope, filters.unit)
    closed_units = {
        closure.unit_id: closure
        for closure in MonthClosure.select().where(
            MonthClosure.tahun == month.tahun,
            MonthClosure.bulan == month.bulan,
            MonthClosure.status == CLOSED,
        )
    }
    summaries = [UnitSummary(unit, closed=unit.id in closed_units) for unit in units]
    for row in rows:
        for summary in summaries:
            if row.employee.unit.path.startswith(summary.unit.path):
                _add(summary, row)
                break
    closure = closed_units.get(filters.unit.id) if filters.unit else None
    return Recap(month, filters, rows, summaries, closure, rules)


def ancestors(unit: Unit | None) -> list[Unit]:
    """The units above `unit`, top first (one query), for the breadcrumb."""
    if unit is None:
        return []
    ids = [int(part) for part in unit.path.strip("/").split("/") if part][:-1]
    if not ids:
        return []
    by_id = {row.id: row for row in Unit.select().where(Unit.id.in_(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def rows_for_unit(unit: Unit, month: Month, rules: Rules) -> list[Row]:
    """Every active pegawai of `unit`'s subtree, live (no snapshot): what a closing copies."""
    query = (
        Employee.select(*ROW_COLUMNS)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Employee.active == True, Unit.path.startswith(unit.path))  # noqa: E712
    )
    employees = list(query)
    return compute_rows(employees, query.select(Employee.id), month, rules, use_snapshots=False)


def employee_row(employee: Employee, month: Month) -> Row:
    """One pegawai's recap row (their month page)."""
    query = (
        Employee.select(Employee, Unit)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Employee.id == employee.id)
    )
    employees = cast(list[Employee], list(query))
    return compute_rows(employees, query.select(Employee.id), month, Rules.load())[0]


def trend(rows_by_month: Iterable[tuple[Month, list[Row]]]) -> list[dict[str, Any]]:
    """[{month, pegawai, capaian}] for a chart."""
    result = []
    for month, rows in rows_by_month:
        count = len(rows)
        average = round(sum(row.capaian for row in rows) / count, 1) if count else 0.0
        result.append({"month": month, "pegawai": count, "capaian": average})
    return result
