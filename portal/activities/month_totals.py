"""Each pegawai's month of entries, summed (MonthTotal), so that a city's recap and the leaders'
dashboard read one row per pegawai instead of scanning every entry of the month or the year.

Exact, never stale, without locks:
- the transaction that changes an entry (portal.activities.lifecycle, the only writer of
  entries) marks the entry's pegawai-month stale (`mark`: MonthTotalStale, whose version grows
  with each mark), as the last thing it writes;
- `refresh` (a job every minute, portal.activities.tasks) recomputes the stale months and
  removes each mark only if it still has the version it read: a change that commits meanwhile
  leaves its mark for the next refresh;
- readers (`read`, `approved_by_month`) take the marks and the totals in one snapshot and
  compute the marked months live, so they are exact even before the refresh runs.

The sums follow the recap's rules (../shared/DESIGN.md, "Recaps and TPP"): submitted = minutes
of entries Diajukan or Disetujui; approved = menit diakui (or the minutes claimed) of entries
Disetujui; waiting = entries Diajukan; returned = entries Perlu Revisi; a day counts when a live
entry that is not Ditolak falls on it (bit d-1 of `day_mask`); and how many of the month's
entries were decided how many whole days after their submission (the dashboard's median).
"""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any, NamedTuple, cast

import peewee as pw

from portal.activities.models import (
    APPROVED,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    MonthTotal,
    MonthTotalStale,
)
from portal.db import db, is_mysql, key_unless, raw_rows, write_transaction

CHUNK = 500


class Totals(NamedTuple):
    submitted: int = 0
    approved: int = 0
    waiting: int = 0
    returned: int = 0
    day_mask: int = 0
    # ((whole days from submission to decision, entries), ...) of the month's decided entries
    decisions: tuple[tuple[int, int], ...] = ()

    @property
    def days(self) -> int:
        """Days with a live entry that is not Ditolak."""
        return bin(self.day_mask).count("1")


NONE = Totals()
Pair = tuple[int, int, int]  # (employee id, tahun, bulan)


def among(column: Any, ids_query: Any) -> Any:
    """`column IN (ids_query)`, or no condition at all when `ids_query` is None (everyone)."""
    return pw.Value(True) if ids_query is None else column.in_(ids_query)


def month_range(tahun: int, bulan: int) -> tuple[date, date]:
    return date(tahun, bulan, 1), date(tahun, bulan, pycalendar.monthrange(tahun, bulan)[1])


# --- writing: marks and the refresh ---------------------------------------------------------


def mark(changes: Iterable[tuple[int, date]]) -> None:
    """Mark the months of these (employee id, entry date) stale, inside the transaction that
    changed the entries: one statement per CHUNK pegawai-months, in a fixed order (so two
    transactions never wait on each other)."""
    pairs = sorted({(employee_id, day.year, day.month) for employee_id, day in changes})
    grow = {MonthTotalStale.version: MonthTotalStale.version + 1}
    for start in range(0, len(pairs), CHUNK):
        insert = MonthTotalStale.insert_many(
            pairs[start : start + CHUNK],
            fields=[MonthTotalStale.employee, MonthTotalStale.tahun, MonthTotalStale.bulan],
        )
        if is_mysql():
            insert = insert.on_conflict(update=grow)
        else:
            key = [MonthTotalStale.employee, MonthTotalStale.tahun, MonthTotalStale.bulan]
            insert = insert.on_conflict(conflict_target=key, update=grow)
        insert.execute()


def _day_bit() -> Any:
    """SQL: 1 << (day of the month - 1) of the entry's date, on either engine."""
    day = (
        pw.fn.DAYOFMONTH(Activity.tanggal)
        if is_mysql()
        else pw.Cast(pw.fn.strftime("%d", Activity.tanggal), "INTEGER")
    )
    return pw.Expression(pw.Value(1), "<<", day - 1)


def compute(tahun: int, bulan: int, ids_query: Any = None) -> dict[int, Totals]:
    """{employee id: Totals} of one month from the entries themselves (one grouped query);
    pegawai without an entry are absent."""

    def when(condition: Any, value: Any) -> Any:
        return pw.Case(None, [(condition, value)], 0)

    status = Activity.status
    start, end = month_range(tahun, bulan)
    query = (
        Activity.select(
            Activity.employee,
            pw.fn.SUM(when(status.in_([SUBMITTED, APPROVED]), Activity.minutes)),
            pw.fn.SUM(
                when(status == APPROVED, pw.fn.COALESCE(Activity.menit_diakui, Activity.minutes))
            ),
            pw.fn.SUM(when(status == SUBMITTED, 1)),
            pw.fn.SUM(when(status == NEEDS_REVISION, 1)),
            # distinct powers of two: their sum is their union
            pw.fn.SUM(pw.Case(None, [(status != REJECTED, _day_bit())]).distinct()),
        )
        .where(
            among(Activity.employee, ids_query),
            Activity.tanggal.between(start, end),
            Activity.deleted_at.is_null(),
        )
        .group_by(Activity.employee)
        .tuples()
    )
    sums = {row[0]: [int(value or 0) for value in row[1:]] for row in cast(Iterable[tuple], query)}
    days = _days_between()
    decided = (
        Activity.select(Activity.employee, days, pw.fn.COUNT(Activity.id))
        .where(
            among(Activity.employee, ids_query),
            Activity.tanggal.between(start, end),
            Activity.decided_at.is_null(False),
            Activity.submitted_at.is_null(False),
            Activity.deleted_at.is_null(),
        )
        .group_by(Activity.employee, days)
        .tuples()
    )
    histograms: dict[int, dict[int, int]] = defaultdict(dict)
    for employee_id, whole_days, count in cast(Iterable[tuple[int, Any, int]], decided):
        key = max(int(whole_days or 0), 0)
        histograms[employee_id][key] = histograms[employee_id].get(key, 0) + int(count)
    return {
        employee_id: _totals(values, tuple(sorted(histograms.get(employee_id, {}).items())))
        for employee_id, values in sums.items()
    }


def _totals(sums: list[int], decisions: tuple[tuple[int, int], ...]) -> Totals:
    submitted, approved, waiting, returned, day_mask = sums
    return Totals(submitted, approved, waiting, returned, day_mask, decisions)


def _days_between() -> Any:
    """SQL: whole calendar days from submission to decision, on either engine."""
    if is_mysql():
        return pw.fn.DATEDIFF(Activity.decided_at, Activity.submitted_at)
    return pw.Cast(
        pw.fn.julianday(Activity.decided_at) - pw.fn.julianday(Activity.submitted_at), "INTEGER"
    )


def _encode(decisions: tuple[tuple[int, int], ...]) -> str:
    return " ".join(f"{days}:{count}" for days, count in decisions)


def _decode(text: str) -> tuple[tuple[int, int], ...]:
    pairs = (part.split(":") for part in text.split())
    return tuple((int(days), int(count)) for days, count in pairs)


def _store(tahun: int, bulan: int, employee_ids: list[int], totals: dict[int, Totals]) -> None:
    """Replace the MonthTotal rows of these pegawai's month with `totals` (none: no row)."""
    for start in range(0, len(employee_ids), CHUNK):
        chunk = employee_ids[start : start + CHUNK]
        MonthTotal.delete().where(
            MonthTotal.employee.in_(chunk), MonthTotal.tahun == tahun, MonthTotal.bulan == bulan
        ).execute()
        rows = [
            {
                "employee": employee_id,
                "tahun": tahun,
                "bulan": bulan,
                "minutes_submitted": totals[employee_id].submitted,
                "minutes_approved": totals[employee_id].approved,
                "waiting": totals[employee_id].waiting,
                "returned": totals[employee_id].returned,
                "day_mask": totals[employee_id].day_mask,
                "decisions": _encode(totals[employee_id].decisions),
            }
            for employee_id in chunk
            if employee_id in totals
        ]
        if rows:
            MonthTotal.insert_many(rows).execute()


def refresh() -> int:
    """Recompute the stale pegawai-months, a batch of one month's marks per transaction; each
    mark at most once per call. Returns how many were recomputed. One refresh at a time (the
    job holds a lock): two at once could store an older sum over a newer one."""
    months = list(
        cast(
            Iterable[tuple[int, int]],
            MonthTotalStale.select(MonthTotalStale.tahun, MonthTotalStale.bulan)
            .distinct()
            .tuples(),
        )
    )
    done = 0
    for tahun, bulan in sorted(months):
        after = 0
        while True:
            with write_transaction():
                marks = list(
                    cast(
                        Iterable[tuple[int, int, int]],
                        MonthTotalStale.select(
                            MonthTotalStale.id, MonthTotalStale.employee, MonthTotalStale.version
                        )
                        .where(
                            MonthTotalStale.tahun == tahun,
                            MonthTotalStale.bulan == bulan,
                            MonthTotalStale.id > after,
                        )
                        .order_by(MonthTotalStale.id)
                        .limit(CHUNK)
                        .tuples(),
                    )
                )
                if not marks:
                    break
                employee_ids = [employee_id for _id, employee_id, _version in marks]
                _store(tahun, bulan, employee_ids, compute(tahun, bulan, employee_ids))
                for mark_id, _employee, version in marks:
                    # a change committed meanwhile has grown the version: its mark stays
                    MonthTotalStale.delete().where(
                        MonthTotalStale.id == mark_id, MonthTotalStale.version == version
                    ).execute()
            after = marks[-1][0]
            done += len(marks)
    return done


def rebuild(first: date, last: date) -> int:
    """Recompute every pegawai's months from `first`'s month to `last`'s (after a bulk load
    that did not go through the lifecycle: the migration, the benchmark's seeding)."""
    count = 0
    tahun, bulan = first.year, first.month
    while (tahun, bulan) <= (last.year, last.month):
        with write_transaction():
            totals = compute(tahun, bulan)
            MonthTotal.delete().where(
                MonthTotal.tahun == tahun, MonthTotal.bulan == bulan
            ).execute()
            _store(tahun, bulan, sorted(totals), totals)
            MonthTotalStale.delete().where(
                MonthTotalStale.tahun == tahun, MonthTotalStale.bulan == bulan
            ).execute()
        count += len(totals)
        tahun, bulan = (tahun + 1, 1) if bulan == 12 else (tahun, bulan + 1)
    return count


def rebuild_all() -> int:
    """Recompute every month that has entries (after seeding)."""
    first, last = Activity.select(
        pw.fn.MIN(Activity.tanggal), pw.fn.MAX(Activity.tanggal)
    ).tuples()[0]
    if first is None:
        return 0
    return rebuild(_as_date(first), _as_date(last))


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


# --- reading: exact, marks included -----------------------------------------------------------


def read(
    tahun: int, bulan: int, ids_query: Any = None, decisions: bool = True
) -> dict[int, Totals]:
    """{employee id: Totals} of one month for the pegawai of `ids_query` (None: everyone);
    pegawai without entries are absent. Stale months are computed live. Without `decisions`
    the stored totals come without their decision histogram (the recap reads none)."""
    with db.atomic():  # the marks and the totals from one snapshot
        marks = MonthTotalStale.select(MonthTotalStale.employee).where(
            among(MonthTotalStale.employee, ids_query),
            MonthTotalStale.tahun == tahun,
            MonthTotalStale.bulan == bulan,
        )
        stale = [
            pk
            for (pk,) in raw_rows(marks, *key_unless(ids_query, "month_totals.stale", tahun, bulan))
        ]
        query = MonthTotal.select(
            MonthTotal.employee,
            MonthTotal.minutes_submitted,
            MonthTotal.minutes_approved,
            MonthTotal.waiting,
            MonthTotal.returned,
            MonthTotal.day_mask,
            MonthTotal.decisions if decisions else pw.Value(""),
        ).where(
            among(MonthTotal.employee, ids_query),
            MonthTotal.tahun == tahun,
            MonthTotal.bulan == bulan,
        )
        totals = {
            pk: Totals(
                int(submitted),
                int(approved),
                int(waiting),
                int(returned),
                int(day_mask),
                _decode(text) if text else (),
            )
            # a city's rows: read as the driver returns them (integers and a text)
            for pk, submitted, approved, waiting, returned, day_mask, text in raw_rows(
                query, *key_unless(ids_query, "month_totals.totals", tahun, bulan, decisions)
            )
        }
        for start in range(0, len(stale), CHUNK):
            chunk = stale[start : start + CHUNK]
            live = compute(tahun, bulan, chunk)
            for employee_id in chunk:
                totals.pop(employee_id, None)
                if employee_id in live:
                    totals[employee_id] = live[employee_id]
    return totals


def approved_by_month(
    months: list[tuple[int, int]], ids_query: Any = None
) -> dict[tuple[int, int], int]:
    """{(tahun, bulan): approved minutes of the pegawai of `ids_query`} for `months` (a sum
    per month in SQL; stale months corrected live)."""
    wanted = set(months)
    result = dict.fromkeys(months, 0)
    first, last = min(months), max(months)
    with db.atomic():
        stale: dict[tuple[int, int], list[int]] = defaultdict(list)
        query = MonthTotalStale.select(
            MonthTotalStale.employee, MonthTotalStale.tahun, MonthTotalStale.bulan
        ).where(
            among(MonthTotalStale.employee, ids_query),
            MonthTotalStale.tahun.between(first[0], last[0]),
        )
        for employee_id, tahun, bulan in cast(Iterable[Pair], query.tuples()):
            if (tahun, bulan) in wanted:
                stale[(tahun, bulan)].append(employee_id)
        sums = (
            MonthTotal.select(
                MonthTotal.tahun, MonthTotal.bulan, pw.fn.SUM(MonthTotal.minutes_approved)
            )
            .where(
                among(MonthTotal.employee, ids_query),
                MonthTotal.tahun.between(first[0], last[0]),
            )
            .group_by(MonthTotal.tahun, MonthTotal.bulan)
            .tuples()
        )
        for tahun, bulan, total in cast(Iterable[tuple[int, int, Any]], sums):
            if (tahun, bulan) in wanted:
                result[(tahun, bulan)] += int(total or 0)
        for (tahun, bulan), employee_ids in stale.items():
            for start in range(0, len(employee_ids), CHUNK):
                chunk = employee_ids[start : start + CHUNK]
                stored = (
                    MonthTotal.select(pw.fn.SUM(MonthTotal.minutes_approved))
                    .where(
                        MonthTotal.employee.in_(chunk),
                        MonthTotal.tahun == tahun,
                        MonthTotal.bulan == bulan,
                    )
                    .scalar()
                )
                live = sum(t.approved for t in compute(tahun, bulan, chunk).values())
                result[(tahun, bulan)] += live - int(stored or 0)
    return result
