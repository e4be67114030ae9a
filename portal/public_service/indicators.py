"""Service indicators of a unit: defined by its admin (name, satuan, which direction is better,
where the realisasi comes from), a target per year, a monthly realisasi entered or imported
(validated whole: one bad row refuses the file), or computed from the complaints. Deny by
default: only the unit's admins (or the pemda's admin) change an indicator; everyone may read
an active one (it is public)."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import peewee as pw
from flask_babel import gettext as _
from openpyxl import load_workbook

from portal.audit import services as audit
from portal.clock import to_local, utcnow
from portal.db import is_mysql, kept, write_transaction
from portal.dialogs.rules import clean_text
from portal.errors import Invalid, NotFound
from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.performance.models import Rhk, Skp
from portal.public_service.models import (
    COMPLETION,
    DIRECTIONS,
    DONE,
    IKM,
    MANUAL,
    REJECTED,
    RESPONSE_DAYS,
    SOURCES,
    Complaint,
    IndicatorTarget,
    IndicatorValue,
    ServiceIndicator,
    SkmResponse,
    SkmService,
)

FIELDS = [f"u{n}" for n in range(1, 10)]
MAX_VALUE = Decimal("999999999999")
MAX_IMPORT_BYTES = 512 * 1024
MAX_IMPORT_ROWS = 120


@dataclass
class IndicatorInput:
    unit_id: Any
    nama: str | None
    satuan: str | None
    direction: str | None
    source: str | None


def can_manage(actor: Any, unit_id: int | None) -> bool:
    return bool(unit_id) and org.can_admin_unit(actor, unit_id)


def managed(actor: Any) -> list[ServiceIndicator]:
    """The indicators of the units `actor` administers, by unit and name (one query)."""
    if not getattr(actor, "is_authenticated", False):
        return []
    if org.is_admin(actor):
        scope: Any = Unit.id.is_null(False)
    else:
        roots = org.admin_units(actor)
        if not roots:
            return []
        scope = Unit.path_within(roots)
    return list(
        ServiceIndicator.select(ServiceIndicator, Unit)
        .join(Unit)
        .where(scope)
        .order_by(Unit.nama, ServiceIndicator.nama)
    )


def get_managed(actor: Any, indicator_id: int) -> ServiceIndicator:
    indicator = (
        ServiceIndicator.select(ServiceIndicator, Unit)
        .join(Unit)
        .where(ServiceIndicator.id == indicator_id)
        .first()
    )
    if indicator is None or not can_manage(actor, indicator.unit_id):
        raise NotFound(_("This indicator was not found."))
    return indicator


def public_of(unit: Unit) -> list[ServiceIndicator]:
    """The unit's active indicators (its public page: compiled once per unit)."""
    query = (
        ServiceIndicator.select(ServiceIndicator, Rhk)
        .join(Rhk, pw.JOIN.LEFT_OUTER, on=(ServiceIndicator.rhk == Rhk.id))
        .where(ServiceIndicator.unit == unit.id, ServiceIndicator.active == True)  # noqa: E712
        .order_by(ServiceIndicator.nama)
    )
    return list(kept(query, "indicators.public_of", unit.id))


def create_indicator(actor: Any, data: IndicatorInput) -> ServiceIndicator:
    """The unit's admin defines an indicator of their unit."""
    try:
        unit_id = int(data.unit_id or 0)
    except (TypeError, ValueError):
        unit_id = 0
    if not can_manage(actor, unit_id):
        raise Invalid(_("Choose a unit you administer."), "unit_id")
    nama = clean_text(data.nama, 200)
    if len(nama) < 3:
        raise Invalid(_("Name the indicator."), "nama")
    satuan = clean_text(data.satuan, 50)
    if not satuan:
        raise Invalid(_("Enter the satuan, e.g. hari or persen."), "satuan")
    if data.direction not in DIRECTIONS:
        raise Invalid(_("Choose whether higher or lower is better."), "direction")
    if data.source not in SOURCES:
        raise Invalid(_("Choose where the realisasi comes from."), "source")
    with write_transaction():
        indicator = ServiceIndicator.create(
            unit=unit_id,
            nama=nama,
            satuan=satuan,
            direction=data.direction,
            source=data.source,
        )
        audit.record(actor, "service_indicator.create", indicator, after={"nama": nama})
    return indicator


def parse_number(value: Any, field: str = "value") -> Decimal:
    text = str(value if value is not None else "").strip().replace(" ", "")
    if "," in text and "." in text:  # 1.234,5 (Indonesian) -> 1234.5
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise Invalid(_("Enter a number."), field) from None
    if not number.is_finite() or abs(number) > MAX_VALUE:
        raise Invalid(_("Enter a number."), field)
    return number.quantize(Decimal("0.01"))


def _check_period(year: Any, month: Any, today: date) -> tuple[int, int]:
    try:
        year, month = int(year), int(month)
    except (TypeError, ValueError):
        raise Invalid(_("Choose a month."), "month") from None
    if not 1 <= month <= 12 or not 2000 <= year <= today.year:
        raise Invalid(_("Choose a month."), "month")
    if (year, month) > (today.year, today.month):
        raise Invalid(_("A month in the future has no realisasi yet."), "month")
    return year, month


def set_target(actor: Any, indicator: ServiceIndicator, year: Any, target: Any) -> None:
    """The target for a year (replaces an earlier one)."""
    if not can_manage(actor, indicator.unit_id):
        raise NotFound(_("This indicator was not found."))
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise Invalid(_("Choose a year."), "year")
    value = parse_number(target, "target")
    with write_transaction():
        query = IndicatorTarget.insert(indicator=indicator.id, year=year, target=value)
        if is_mysql():
            query = query.on_conflict(preserve=[IndicatorTarget.target])
        else:
            query = query.on_conflict(
                conflict_target=[IndicatorTarget.indicator, IndicatorTarget.year],
                preserve=[IndicatorTarget.target],
            )
        query.execute()
        audit.record(
            actor, "service_indicator.target", indicator, after={"year": year, "target": value}
        )


def _upsert_value(indicator_id: int, year: int, month: int, value: Decimal) -> None:
    """Insert or correct a month's realisasi; `updated_at` records when it changed (the public
    feed of changes reads it), and stays when the same value is entered again."""
    now = utcnow()
    query = IndicatorValue.insert(
        indicator=indicator_id, year=year, month=month, value=value, created_at=now, updated_at=now
    )
    changed = pw.Case(None, [(IndicatorValue.value != value, now)], IndicatorValue.updated_at)
    if is_mysql():
        query = query.on_conflict(
            update={IndicatorValue.updated_at: changed, IndicatorValue.value: value}
        )
    else:
        query = query.on_conflict(
            conflict_target=[IndicatorValue.indicator, IndicatorValue.year, IndicatorValue.month],
            update={IndicatorValue.updated_at: changed, IndicatorValue.value: value},
        )
    query.execute()


def record_value(
    actor: Any, indicator: ServiceIndicator, year: Any, month: Any, value: Any, today: date
) -> None:
    """The realisasi of one month of a manual indicator (replaces an earlier one)."""
    if not can_manage(actor, indicator.unit_id):
        raise NotFound(_("This indicator was not found."))
    if indicator.source != MANUAL:
        raise Invalid(_("The portal computes this indicator itself."))
    year, month = _check_period(year, month, today)
    number = parse_number(value)
    with write_transaction():
        _upsert_value(indicator.id, year, month, number)
        audit.record(
            actor,
            "service_indicator.value",
            indicator,
            after={"year": year, "month": month, "value": number},
        )


def _read_rows(stream: Any, filename: str) -> list[list[Any]]:
    data = stream.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise Invalid(_("The file is too large (at most 512 KB)."), "berkas")
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:
            raise Invalid(_("The file could not be read as XLSX."), "berkas") from None
        sheet = book.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 2)]
        book.close()
        return rows
    if name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(_("The CSV file must be UTF-8 text."), "berkas") from None
        dialect = csv.excel_tab if "\t" in text.splitlines()[0] else csv.excel
        if ";" in text.splitlines()[0] and "," not in text.splitlines()[0]:
            return list(csv.reader(io.StringIO(text), delimiter=";"))
        return list(csv.reader(io.StringIO(text), dialect))
    raise Invalid(_("Upload a CSV or XLSX file."), "berkas")


def import_values(
    actor: Any, indicator: ServiceIndicator, stream: Any, filename: str, today: date
) -> int:
    """Monthly realisasi from a file with the columns tahun, bulan, nilai (a header row first).
    Every row is checked before anything is written: one bad row refuses the whole file, with
    the row numbers."""
    if not can_manage(actor, indicator.unit_id):
        raise NotFound(_("This indicator was not found."))
    if indicator.source != MANUAL:
        raise Invalid(_("The portal computes this indicator itself."))
    rows = [row for row in _read_rows(stream, filename) if any(str(c or "").strip() for c in row)]
    if len(rows) < 2:
        raise Invalid(_("The file has no rows below its header (tahun, bulan, nilai)."), "berkas")
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    if header[:3] != ["tahun", "bulan", "nilai"]:
        raise Invalid(_("The first row must be the header: tahun, bulan, nilai."), "berkas")
    if len(rows) - 1 > MAX_IMPORT_ROWS:
        raise Invalid(_("At most 120 rows per file."), "berkas")
    clean, errors, seen = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        cells = [*row, None, None, None][:3]
        try:
            year, month = _check_period(cells[0], cells[1], today)
            value = parse_number(cells[2])
        except Invalid as error:
            errors.append(_("row %(row)s: %(error)s", row=number, error=str(error)))
            continue
        if (year, month) in seen:
            errors.append(_("row %(row)s: the month appears twice.", row=number))
            continue
        seen.add((year, month))
        clean.append((year, month, value))
    if errors:
        raise Invalid(_("Nothing was imported. %(errors)s", errors="; ".join(errors[:5])), "berkas")
    with write_transaction():
        for year, month, value in clean:
            _upsert_value(indicator.id, year, month, value)
        audit.record(actor, "service_indicator.import", indicator, after={"rows": len(clean)})
    return len(clean)


# --- the link to an RHK of the unit head's SKP -----------------------------------------------


def rhk_choices(indicator: ServiceIndicator, year: int) -> list[Rhk]:
    """The RHK of the latest SKP of the year of the unit's head(s): its active pegawai whose
    atasan is outside the unit (or missing). Two queries."""
    unit = Unit.get_by_id(indicator.unit_id)
    boss = Employee.alias()
    boss_unit = Unit.alias()
    heads = (
        Employee.select(Employee.id)
        .join(boss, pw.JOIN.LEFT_OUTER, on=(Employee.supervisor == boss.id))
        .join(boss_unit, pw.JOIN.LEFT_OUTER, on=(boss.unit == boss_unit.id))
        .where(
            Employee.unit == unit.id,
            Employee.active == True,  # noqa: E712
            Employee.supervisor.is_null() | ~boss_unit.path.startswith(unit.path),
        )
    )
    ids = [row.id for row in heads]
    if not ids:
        return []
    return list(
        Rhk.select(Rhk, Skp)
        .join(Skp)
        .where(Skp.employee.in_(ids), Skp.tahun == year, Skp.latest == True)  # noqa: E712
        .order_by(Skp.employee, Rhk.urutan, Rhk.id)
    )


def link_rhk(actor: Any, indicator: ServiceIndicator, rhk_id: Any, year: int) -> None:
    """Link the indicator to an RHK of the unit head's SKP (0: unlink)."""
    if not can_manage(actor, indicator.unit_id):
        raise NotFound(_("This indicator was not found."))
    try:
        wanted = int(rhk_id or 0)
    except (TypeError, ValueError):
        wanted = -1
    if wanted and not any(rhk.id == wanted for rhk in rhk_choices(indicator, year)):
        raise Invalid(_("Choose an RHK of the unit head's SKP."), "rhk_id")
    with write_transaction():
        ServiceIndicator.update(rhk=wanted or None).where(
            ServiceIndicator.id == indicator.id
        ).execute()
        audit.record(actor, "service_indicator.rhk", indicator, after={"rhk": wanted or None})


# --- the series ---------------------------------------------------------------------------------


@dataclass
class Point:
    month: int
    value: float | None


def series(indicator: ServiceIndicator, year: int) -> list[Point]:
    """The twelve months of a year (None where there is no realisasi), in one query."""
    return series_of([indicator], year)[indicator.id]


def series_of(shown: list[ServiceIndicator], year: int) -> dict[int, list[Point]]:
    """{indicator id: its twelve months} of many indicators, in at most three queries (the
    manual values, the SKM answers and the complaints of their units), whatever their number."""
    manual = sorted(i.id for i in shown if i.source == MANUAL)
    ikm_units = sorted({i.unit_id for i in shown if i.source == IKM})
    complaint_units = sorted({i.unit_id for i in shown if i.source not in (MANUAL, IKM)})
    typed: dict[int, dict[int, float]] = defaultdict(dict)
    if manual:
        query = IndicatorValue.select(
            IndicatorValue.indicator, IndicatorValue.month, IndicatorValue.value
        ).where(IndicatorValue.indicator.in_(manual), IndicatorValue.year == year)
        for row in kept(query, "indicators.values", year, *manual):
            typed[row.indicator_id][row.month] = float(row.value)
    ikm = _monthly_ikm(ikm_units, year) if ikm_units else {}
    complaints = _monthly_complaints(complaint_units, year) if complaint_units else {}
    result = {}
    for indicator in shown:
        values: dict[int, float] = {}
        if indicator.source == MANUAL:
            values = typed[indicator.id]
        elif indicator.source == IKM:
            values = ikm.get(indicator.unit_id, {})
        else:
            days, filed, done = complaints.get(indicator.unit_id, ({}, {}, {}))
            if indicator.source == RESPONSE_DAYS:
                values = {m: sum(v) / len(v) for m, v in days.items()}
            elif indicator.source == COMPLETION:
                values = {m: done.get(m, 0) * 100 / n for m, n in filed.items() if n}
        result[indicator.id] = [Point(month, values.get(month)) for month in range(1, 13)]
    return result


MonthlyComplaints = tuple[dict[int, list[int]], dict[int, int], dict[int, int]]


def _monthly_complaints(unit_ids: list[int], year: int) -> dict[int, MonthlyComplaints]:
    """{unit id: (response days of the complaints closed Selesai, complaints filed (not
    Ditolak), of those the ones Selesai) per month of `year`}, one query."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    query = (
        Complaint.select(
            Complaint.unit,
            Complaint.status,
            Complaint.filed_on,
            Complaint.closed_on,
            Complaint.response_days,
        )
        .where(
            Complaint.unit.in_(unit_ids),
            ((Complaint.filed_on >= start) & (Complaint.filed_on <= end))
            | ((Complaint.closed_on >= start) & (Complaint.closed_on <= end)),
        )
        .tuples()
    )
    rows: list[tuple[Any, ...]] = list(kept(query, "indicators.complaints", year, *unit_ids))
    result: dict[int, MonthlyComplaints] = {}
    for unit_id, status, filed_on, closed_on, response in rows:
        days, filed, done = result.setdefault(unit_id, (defaultdict(list), {}, {}))
        if status == DONE and closed_on and closed_on.year == year and response is not None:
            days[closed_on.month].append(response)
        if filed_on.year == year and status != REJECTED:
            filed[filed_on.month] = filed.get(filed_on.month, 0) + 1
            done[filed_on.month] = done.get(filed_on.month, 0) + (status == DONE)
    return result


def _monthly_ikm(unit_ids: list[int], year: int) -> dict[int, dict[int, float]]:
    """{unit id: the IKM of each month's SKM answers of the unit's services (local month)},
    one query."""
    query = (
        SkmResponse.select(
            SkmService.unit, SkmResponse.created_at, *[getattr(SkmResponse, f) for f in FIELDS]
        )
        .join(SkmService)
        .where(
            SkmService.unit.in_(unit_ids),
            SkmResponse.period.in_([f"{year}-S1", f"{year}-S2"]),
        )
        .tuples()
    )
    rows: list[tuple[Any, ...]] = list(kept(query, "indicators.monthly_ikm", year, *unit_ids))
    sums: dict[tuple[int, int], list[float]] = defaultdict(lambda: [0.0] * len(FIELDS))
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for unit_id, created, *answers in rows:
        local = to_local(created).date()
        if local.year != year:
            continue
        counts[unit_id, local.month] += 1
        for index, value in enumerate(answers):
            sums[unit_id, local.month][index] += value
    result: dict[int, dict[int, float]] = defaultdict(dict)
    for (unit_id, month), count in counts.items():
        total = sum(value / count for value in sums[unit_id, month]) / len(FIELDS) * 25
        result[unit_id][month] = total
    return result


def target_of(indicator: ServiceIndicator, year: int) -> float | None:
    row = IndicatorTarget.get_or_none(
        IndicatorTarget.indicator == indicator.id, IndicatorTarget.year == year
    )
    return float(row.target) if row else None


def targets_of(indicators: list[ServiceIndicator], year: int) -> dict[int, float]:
    """{indicator id: target} for the year, one query."""
    if not indicators:
        return {}
    ids = sorted(i.id for i in indicators)
    query = IndicatorTarget.select().where(
        IndicatorTarget.indicator.in_(ids), IndicatorTarget.year == year
    )
    return {
        row.indicator_id: float(row.target) for row in kept(query, "indicators.targets", year, *ids)
    }


def meets(indicator: ServiceIndicator, value: float | None, target: float | None) -> bool | None:
    if value is None or target is None:
        return None
    return value >= target if indicator.direction == "naik" else value <= target
