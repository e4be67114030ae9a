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
come from portal.activities.month_totals (one row per pegawai, exact). A city's rows are lean
(plain tuples read as the driver returns them, no model objects; capaian computed once per
row), and the recap page reads JP, predikat and kehadiran only for the page's rows
(`fill_details`): the totals, the unit summaries, the filters and the sort need none of them.
"""

from __future__ import annotations

import calendar as pycalendar
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, cast

from portal import settings
from portal.activities import calendar, month_totals
from portal.activities.month_totals import among
from portal.clock import local_today
from portal.db import kept, key_unless, raw_rows
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


class Place(NamedTuple):
    """What a recap row shows of a unit (plain values: a city's rows build no model objects)."""

    id: int
    nama: str
    path: str
    work_days: int


class Person(NamedTuple):
    """What a recap row shows of a pegawai, with their unit."""

    id: int
    nip: str
    nama: str
    jabatan: str
    jenis_jabatan: str
    unit: Place


def capaian_of(approved: int, target: int) -> float:
    """Approved minutes against the target, in percent, capped at 100."""
    if not target:
        return 0.0
    return min(100.0, round(approved * 100 / target, 2))


@dataclass(slots=True)
class Row:
    """One pegawai's month. Read-only once built: `capaian` is computed from the minutes and
    the target when the row is made (a city's sort, filter and sums read it many times)."""

    employee: Any  # a Person (the recap's rows) or an Employee with its unit (one pegawai)
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
    capaian: float = field(init=False)

    def __post_init__(self) -> None:
        self.capaian = capaian_of(self.minutes_approved, self.target)

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


# What a recap row shows of a pegawai and their unit (a city's rows: not every column), in the
# order of Person and Place
ROW_COLUMNS = (
    Employee.id,
    Employee.nip,
    Employee.nama,
    Employee.jabatan,
    Employee.jenis_jabatan,
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


def people(query: Any, *key: Any) -> list[Person]:
    """The rows of a ROW_COLUMNS query as Person (one Place per unit), read as plain tuples;
    with `key`, its statement compiled once per key (see `portal.db.kept`)."""
    places: dict[int, Place] = {}
    result = []
    rows = raw_rows(query, *key)
    for pk, nip, nama, jabatan, jenis, unit_id, unit_nama, path, work_days in rows:
        place = places.get(unit_id)
        if place is None:
            place = places[unit_id] = Place(unit_id, unit_nama, path, work_days)
        result.append(Person(pk, nip, nama, jabatan, jenis, place))
    return result


def _working_days(month: Month) -> dict[int, int]:
    """{work days per week (5 or 6): working days in the month} with one holiday query."""
    holidays = calendar.holidays_between(month.start, month.end)
    result = {}
    for week in (5, 6):
        unit = Unit(work_days=week)
        days = calendar.calendar(month.start, month.end, unit, holidays)
        result[week] = sum(1 for _day, working, _holiday in days if working)
    return result


# the snapshot's columns in the order of Row's fields from working_days to returned
SNAPSHOT_COLUMNS = (
    RecapSnapshot.working_days,
    RecapSnapshot.days_with_entries,
    RecapSnapshot.minutes_submitted,
    RecapSnapshot.minutes_approved,
    RecapSnapshot.target,
    RecapSnapshot.waiting,
    RecapSnapshot.returned,
)


def compute_rows(
    employees: Iterable[Any],
    ids_query: Any,
    month: Month,
    rules: Rules,
    use_snapshots: bool = True,
    details: bool = True,
) -> list[Row]:
    """The recap rows of `employees` (Person, or Employee with its unit; their ids also as
    `ids_query`, a subquery, None for every pegawai) in a fixed number of queries. Without
    `details` the rows have no JP, predikat or kehadiran yet (`fill_details` adds them to the
    rows shown)."""
    working = _working_days(month)
    totals = month_totals.read(month.tahun, month.bulan, ids_query, decisions=False)
    snapshots: dict[int, tuple[int, ...]] = {}
    if use_snapshots:
        query = RecapSnapshot.select(RecapSnapshot.employee, *SNAPSHOT_COLUMNS).where(
            among(RecapSnapshot.employee, ids_query),
            RecapSnapshot.tahun == month.tahun,
            RecapSnapshot.bulan == month.bulan,
        )
        key = key_unless(ids_query, "recap.snapshots", month.tahun, month.bulan)
        snapshots = {row[0]: row[1:] for row in raw_rows(query, *key)}
    none = month_totals.NONE
    target = rules.target
    rows = []
    for employee in employees:
        snapshot = snapshots.get(employee.id)
        if snapshot is not None:
            days, with_entries, submitted, approved, snapshot_target, waiting, returned = snapshot
            rows.append(
                Row(
                    employee,
                    days,
                    with_entries,
                    submitted,
                    approved,
                    snapshot_target,
                    waiting,
                    returned,
                    closed=True,
                    rules=rules,
                )
            )
            continue
        total = totals.get(employee.id, none)
        rows.append(
            Row(
                employee,
                working[6 if employee.unit.work_days == 6 else 5],
                total.days,
                total.submitted,
                total.approved,
                target,
                total.waiting,
                total.returned,
                rules=rules,
            )
        )
    if details:
        # a subquery, not a city's ids bound one by one
        fill_details(rows, month, Employee.select(Employee.id) if ids_query is None else ids_query)
    return rows


def fill_details(rows: list[Row], month: Month, ids_query: Any = None) -> None:
    """Set the rows' JP of the year, latest predikat and kehadiran (a fixed number of queries):
    for the pegawai of `ids_query` (a subquery of the rows' ids, for many rows), or, without
    it, of the rows' ids bound one by one (a page of rows)."""
    if not rows:
        return
    ids = [row.employee.id for row in rows]
    within = ids if ids_query is None else ids_query
    jp = jp_totals(ids, month.tahun, ids_query)
    predikat = latest_predikat(ids, month.tahun, ids_query)
    query = (
        Attendance.select(Attendance.employee, Attendance.basis_points)
        .where(
            Attendance.employee.in_(within),
            Attendance.tahun == month.tahun,
            Attendance.bulan == month.bulan,
        )
        .tuples()
    )
    key = key_unless(ids_query, "recap.attendance", month.tahun, month.bulan, *ids)
    attendance: dict[int, int] = dict(cast(Iterable[tuple[int, int]], kept(query, *key)))
    for row in rows:
        pk = row.employee.id
        row.jp = jp.get(pk, 0)
        row.predikat = predikat.get(pk, "")
        row.kehadiran = attendance.get(pk)


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
    totals: UnitSummary | None = None  # every row summed (month_recap sums it with the units)

    @property
    def total(self) -> UnitSummary:
        if self.totals is None:
            self.totals = UnitSummary(unit=self.filters.unit or Unit(nama=""))
            for row in self.rows:
                _add(self.totals, row)
        return self.totals


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
        children = Unit.select().where(Unit.parent == unit.id).order_by(Unit.nama)
        return list(kept(children, "recap.child_units", unit.id))
    if scope.all:
        tops = Unit.select().where(Unit.parent.is_null()).order_by(Unit.nama)
        return list(kept(tops, "recap.top_units"))
    return sorted(scope.roots, key=lambda root: root.nama)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused while a city's rows are built: they are tens
    of thousands of small acyclic objects, whose allocation would otherwise set off several
    full collections of the whole process (measured: a third of the recap's time at 20,000
    pegawai). Reference counting still frees everything; the collector resumes after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def month_recap(scope: Scope, month: Month, filters: Filters, details: bool = True) -> Recap:
    """The recap of the pegawai in scope for `month`, filtered and sorted, with the summaries
    of the units one level down (a fixed number of queries). Without `details` the rows lack
    JP, predikat and kehadiran: the page adds them to the rows it shows (`fill_details`)."""
    rules = Rules.load()
    query = employees_in(scope, filters.unit, filters.jabatan)
    everyone = scope.all and filters.unit is None and not filters.jabatan
    ids_query = None if everyone else query.select(Employee.id)
    with collector_paused():
        unit_path = filters.unit.path if filters.unit else ""
        key = ("recap.people", *scope.key(), unit_path, filters.jabatan)
        rows = compute_rows(people(query, *key), ids_query, month, rules, details=details)
        if filters.band:
            rows = [row for row in rows if row.band == filters.band]
        rows = _sort(rows, filters)
    units = [] if scope.team_only else child_units(scope, filters.unit)
    closures = MonthClosure.select().where(
        MonthClosure.tahun == month.tahun,
        MonthClosure.bulan == month.bulan,
        MonthClosure.status == CLOSED,
    )
    closed_units = {
        closure.unit_id: closure
        for closure in kept(closures, "recap.closures", month.tahun, month.bulan)
    }
    summaries = [UnitSummary(unit, closed=unit.id in closed_units) for unit in units]
    total = UnitSummary(unit=filters.unit or Unit(nama=""))
    # the summary of each unit path met, found once (the first child unit whose subtree holds it)
    summary_of: dict[str, UnitSummary | None] = {}
    for row in rows:  # in the recap's order, so that the sums are those of the rows as shown
        _add(total, row)
        path = row.employee.unit.path
        if path not in summary_of:
            summary_of[path] = next(
                (summary for summary in summaries if path.startswith(summary.unit.path)), None
            )
        summary = summary_of[path]
        if summary is not None:
            _add(summary, row)
    closure = closed_units.get(filters.unit.id) if filters.unit else None
    return Recap(month, filters, rows, summaries, closure, rules, total)


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
    """Every active pegawai of `unit`'s subtree, live (no snapshot): what a closing copies (the
    month's figures; no JP, predikat or kehadiran)."""
    query = (
        Employee.select(*ROW_COLUMNS)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Employee.active == True, Unit.path.startswith(unit.path))  # noqa: E712
    )
    ids_query = query.select(Employee.id)
    return compute_rows(people(query), ids_query, month, rules, use_snapshots=False, details=False)


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
