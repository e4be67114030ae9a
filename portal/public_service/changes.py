"""The changes of the public figures, for the Atom feeds: a unit's monthly realisasi of a
service indicator (entered, imported, or computed by the portal from the complaints or the SKM
answers) and the IKM of each surveyed service per period. Only what the public pages show:
active units, active indicators and services, aggregates, never a person.

Each change has a stable key (one per indicator and month, or per service and period); a
correction keeps the key and moves its time, so a feed reader updates the entry. A fixed number
of queries, however many rows there are: manual values (1), computed indicators (1) with their
complaints (1) and SKM answers (1), the IKM per service and period (1), the targets (1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import peewee as pw
from flask_babel import format_date, format_decimal
from flask_babel import gettext as _

from portal.clock import to_local
from portal.dialogs.survey import ikm_band
from portal.org.models import Unit
from portal.public_service.models import (
    COMPLETION,
    DONE,
    IKM,
    MANUAL,
    REJECTED,
    RESPONSE_DAYS,
    Complaint,
    IndicatorTarget,
    IndicatorValue,
    ServiceIndicator,
    SkmResponse,
    SkmService,
)

FIELDS = [f"u{n}" for n in range(1, 10)]
COMPUTED = (RESPONSE_DAYS, COMPLETION, IKM)


@dataclass(frozen=True)
class Change:
    key: str  # stable: the same figure keeps its key when it is corrected
    title: str
    summary: str
    unit_id: int
    unit_name: str
    changed_at: datetime  # UTC, naive (as stored)
    category: str


@dataclass
class _Realisasi:
    indicator: ServiceIndicator
    unit_name: str
    year: int
    month: int
    value: float
    changed_at: datetime


def _number(value: float) -> str:
    return format_decimal(round(value, 2), format="#,##0.##")


def _month_label(year: int, month: int) -> str:
    return f"{format_date(date(year, month, 1), 'MMMM')} {year}"


def _in_scope(query: Any, unit_field: Any, unit: Unit | None) -> Any:
    query = query.where(Unit.active == True)  # noqa: E712
    return query.where(unit_field == unit.id) if unit is not None else query


def _manual(limit: int, unit: Unit | None) -> list[_Realisasi]:
    """The latest entered or imported realisasi (their `updated_at` moves on a correction)."""
    query = _in_scope(
        IndicatorValue.select(IndicatorValue, ServiceIndicator, Unit.id, Unit.nama)
        .join(ServiceIndicator)
        .join(Unit)
        .where(ServiceIndicator.active == True, ServiceIndicator.source == MANUAL),  # noqa: E712
        ServiceIndicator.unit,
        unit,
    )
    rows = query.order_by(IndicatorValue.updated_at.desc(), IndicatorValue.id.desc()).limit(limit)
    return [
        _Realisasi(
            row.indicator,
            row.indicator.unit.nama,
            row.year,
            row.month,
            float(row.value),
            row.updated_at,
        )
        for row in rows
    ]


def _computed(since: date, until: date, unit: Unit | None) -> list[_Realisasi]:
    """The monthly realisasi the portal computes (complaint response time and completion rate,
    the unit's monthly IKM) from `since` on, each stamped with the latest change it counts."""
    indicators = list(
        _in_scope(
            ServiceIndicator.select(ServiceIndicator, Unit.id, Unit.nama)
            .join(Unit)
            .where(ServiceIndicator.active == True, ServiceIndicator.source.in_(COMPUTED)),  # noqa: E712
            ServiceIndicator.unit,
            unit,
        )
    )
    complaint_units = {i.unit_id for i in indicators if i.source != IKM}
    ikm_units = {i.unit_id for i in indicators if i.source == IKM}
    days: dict[tuple[int, int, int], list[int]] = defaultdict(list)
    days_at: dict[tuple[int, int, int], datetime] = {}
    filed: dict[tuple[int, int, int], list[int]] = defaultdict(lambda: [0, 0])
    filed_at: dict[tuple[int, int, int], datetime] = {}
    if complaint_units:
        rows: list[tuple[Any, ...]] = list(
            Complaint.select(
                Complaint.unit,
                Complaint.status,
                Complaint.filed_on,
                Complaint.closed_on,
                Complaint.response_days,
                Complaint.created_at,
                Complaint.answered_at,
                Complaint.updated_at,
            )
            .where(
                Complaint.unit.in_(sorted(complaint_units)),
                (Complaint.filed_on >= since) | (Complaint.closed_on >= since),
            )
            .tuples()  # type: ignore[arg-type]
        )
        for unit_id, status, filed_on, closed_on, response, created, answered, updated in rows:
            if status == DONE and closed_on and closed_on >= since and response is not None:
                key = (unit_id, closed_on.year, closed_on.month)
                days[key].append(response)
                moment = answered or updated
                days_at[key] = max(days_at.get(key, moment), moment)
            if filed_on >= since and status != REJECTED:
                key = (unit_id, filed_on.year, filed_on.month)
                filed[key][0] += 1
                filed[key][1] += status == DONE
            if filed_on >= since:  # filing, answering and rejecting all move the rate
                key = (unit_id, filed_on.year, filed_on.month)
                moment = max(
                    created, answered or created, updated if status == REJECTED else created
                )
                filed_at[key] = max(filed_at.get(key, moment), moment)
    ikm: dict[tuple[int, int, int], list[float]] = defaultdict(lambda: [0.0] * (len(FIELDS) + 1))
    ikm_at: dict[tuple[int, int, int], datetime] = {}
    if ikm_units:
        answers: list[tuple[Any, ...]] = list(
            SkmResponse.select(
                SkmService.unit, SkmResponse.created_at, *[getattr(SkmResponse, f) for f in FIELDS]
            )
            .join(SkmService)
            .where(
                SkmService.unit.in_(sorted(ikm_units)),
                SkmResponse.period.in_(
                    [
                        f"{year}-S{half}"
                        for year in range(since.year, until.year + 1)
                        for half in (1, 2)
                    ]
                ),
            )
            .tuples()  # type: ignore[arg-type]
        )
        for unit_id, created, *values in answers:
            local = to_local(created).date()
            if local < since:
                continue
            key = (unit_id, local.year, local.month)
            sums = ikm[key]
            sums[0] += 1
            for index, value in enumerate(values, start=1):
                sums[index] += value
            ikm_at[key] = max(ikm_at.get(key, created), created)
    found = []
    for indicator in indicators:
        name = indicator.unit.nama
        if indicator.source == RESPONSE_DAYS:
            for (unit_id, year, month), values in days.items():
                if unit_id == indicator.unit_id:
                    value = sum(values) / len(values)
                    at = days_at[(unit_id, year, month)]
                    found.append(_Realisasi(indicator, name, year, month, value, at))
        elif indicator.source == COMPLETION:
            for (unit_id, year, month), (count, done) in filed.items():
                if unit_id == indicator.unit_id and count:
                    at = filed_at[(unit_id, year, month)]
                    found.append(_Realisasi(indicator, name, year, month, done * 100 / count, at))
        else:
            for (unit_id, year, month), sums in ikm.items():
                if unit_id == indicator.unit_id:
                    value = sum(total / sums[0] for total in sums[1:]) / len(FIELDS) * 25
                    at = ikm_at[(unit_id, year, month)]
                    found.append(_Realisasi(indicator, name, year, month, value, at))
    return found


def _targets(items: list[_Realisasi]) -> dict[tuple[int, int], float]:
    """{(indicator id, year): target} of the realisasi shown, one query."""
    if not items:
        return {}
    query = IndicatorTarget.select().where(
        IndicatorTarget.indicator.in_(sorted({item.indicator.id for item in items})),
        IndicatorTarget.year.in_(sorted({item.year for item in items})),
    )
    return {(row.indicator_id, row.year): float(row.target) for row in query}


def _realisasi_change(item: _Realisasi, target: float | None) -> Change:
    indicator = item.indicator
    values = {
        "indicator": indicator.nama,
        "month": _month_label(item.year, item.month),
        "value": _number(item.value),
        "satuan": indicator.satuan,
    }
    if target is None:
        title = _("%(indicator)s — %(month)s: %(value)s %(satuan)s", **values)
    else:
        title = _(
            "%(indicator)s — %(month)s: %(value)s %(satuan)s (target %(target)s)",
            target=_number(target),
            **values,
        )
    summary = (
        _("Realisasi entered or imported by %(unit)s.", unit=item.unit_name)
        if indicator.source == MANUAL
        else _("Realisasi computed by the portal for %(unit)s.", unit=item.unit_name)
    )
    return Change(
        key=f"realisasi:{indicator.id}:{item.year}-{item.month:02d}",
        title=title,
        summary=summary,
        unit_id=indicator.unit_id,
        unit_name=item.unit_name,
        changed_at=item.changed_at,
        category=_("Service indicator"),
    )


def _period_label(period: str) -> str:
    year, _sep, half = period.partition("-S")
    return _("semester %(half)s %(year)s", half="I" if half == "1" else "II", year=year)


def _ikm_changes(limit: int, unit: Unit | None) -> list[Change]:
    """The IKM of each active service per period, stamped with its latest answer; one query."""
    latest = pw.fn.MAX(SkmResponse.created_at)
    means = [pw.fn.AVG(getattr(SkmResponse, name)) for name in FIELDS]
    query = _in_scope(
        SkmResponse.select(
            SkmService.id,
            SkmService.nama,
            Unit.id,
            Unit.nama,
            SkmResponse.period,
            pw.fn.COUNT(SkmResponse.id),
            latest,
            *means,
        )
        .join(SkmService)
        .join(Unit)
        .where(SkmService.active == True),  # noqa: E712
        SkmService.unit,
        unit,
    )
    rows: list[tuple[Any, ...]] = list(
        query.group_by(SkmService.id, SkmService.nama, Unit.id, Unit.nama, SkmResponse.period)
        .order_by(latest.desc(), SkmService.id.desc())
        .limit(limit)
        .tuples()
    )
    changes = []
    for service_id, service, unit_id, unit_name, period, count, at, *averages in rows:
        ikm = sum(float(value) for value in averages) / len(FIELDS) * 25
        letter, label = ikm_band(ikm)
        title = _(
            "IKM %(service)s — %(period)s: %(ikm)s (%(band)s, %(label)s)",
            service=service,
            period=_period_label(period),
            ikm=_number(ikm),
            band=letter,
            label=str(label),
        )
        summary = _("From %(count)s respondents of the satisfaction survey.", count=count)
        if isinstance(at, str):  # SQLite returns MAX() of a datetime as text
            at = datetime.fromisoformat(at)
        changes.append(
            Change(
                key=f"ikm:{service_id}:{period}",
                title=title,
                summary=summary,
                unit_id=unit_id,
                unit_name=unit_name,
                changed_at=at,
                category="IKM",
            )
        )
    return changes


def recent(today: date, limit: int = 50, unit: Unit | None = None) -> list[Change]:
    """The latest `limit` changes of the public figures (of one unit, or of every unit), newest
    first. Computed realisasi count from January of last year."""
    items = _manual(limit, unit) + _computed(date(today.year - 1, 1, 1), today, unit)
    targets = _targets(items)
    changes = [
        _realisasi_change(item, targets.get((item.indicator.id, item.year))) for item in items
    ]
    changes += _ikm_changes(limit, unit)
    changes.sort(key=lambda change: (change.changed_at, change.key), reverse=True)
    return changes[:limit]
