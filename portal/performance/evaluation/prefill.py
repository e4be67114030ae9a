"""What the daily entries (laporan kegiatan harian) linked to an SKP's RHK show for a period:
how many entries, the approved minutes, the approved output volume per satuan. For a whole team
in two queries (one aggregate over the entries, one for the RHK lineages), whatever its size.

Entries are linked by `Activity.rhk_id` to an RHK of an approved SKP version; RHK of later
versions share the `lineage` of the first, so the numbers are keyed by lineage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import cast

import peewee as pw

from portal.activities.models import APPROVED, DRAFT, REJECTED, Activity
from portal.performance.models import Rhk

# The column whether it is the integer of today or the foreign key of migration 017.
RHK_COLUMN = Activity._meta.columns["rhk_id"]


@dataclass
class RhkStats:
    entries: int = 0
    minutes: int = 0
    volumes: dict[str, int] = field(default_factory=dict)


def team_stats(
    employee_ids: Iterable[int], start: date, end: date
) -> dict[int, dict[int, RhkStats]]:
    """{employee id: {RHK lineage: RhkStats}} for the entries dated in [start, end]: entries
    counts every submitted or approved entry; minutes and volumes only the approved ones
    (minutes as acknowledged by the atasan)."""
    ids = list(employee_ids)
    if not ids:
        return {}
    approved = Activity.status == APPROVED
    minutes = pw.fn.COALESCE(Activity.menit_diakui, Activity.minutes)
    query = (
        Activity.select(
            Activity.employee,
            RHK_COLUMN,
            Activity.satuan,
            pw.fn.COUNT(Activity.id),
            pw.fn.SUM(pw.Case(None, [(approved, minutes)], 0)),
            pw.fn.SUM(pw.Case(None, [(approved, Activity.volume)], 0)),
        )
        .where(
            Activity.employee.in_(ids),
            Activity.tanggal.between(start, end),
            RHK_COLUMN.is_null(False),
            Activity.deleted_at.is_null(),
            Activity.status.not_in([DRAFT, REJECTED]),
        )
        .group_by(Activity.employee, RHK_COLUMN, Activity.satuan)
        .tuples()
    )
    rows = list(cast(Iterable[tuple[int, int, str, int, int, int]], query))
    rhk_ids = {row[1] for row in rows}
    lineage_query = Rhk.select(Rhk.id, Rhk.lineage).where(Rhk.id.in_(list(rhk_ids) or [0])).tuples()
    lineage = {rid: (line or rid) for rid, line in cast(Iterable[tuple[int, int]], lineage_query)}
    result: dict[int, dict[int, RhkStats]] = {}
    for employee_id, rhk_id, satuan, count, approved_minutes, volume in rows:
        key = lineage.get(rhk_id, rhk_id)
        stats = result.setdefault(employee_id, {}).setdefault(key, RhkStats())
        stats.entries += int(count or 0)
        stats.minutes += int(approved_minutes or 0)
        if volume:
            stats.volumes[satuan] = stats.volumes.get(satuan, 0) + int(volume)
    return result


def totals(per_rhk: dict[int, RhkStats]) -> RhkStats:
    """The sum over one pegawai's RHK."""
    total = RhkStats()
    for stats in per_rhk.values():
        total.entries += stats.entries
        total.minutes += stats.minutes
        for satuan, volume in stats.volumes.items():
            total.volumes[satuan] = total.volumes.get(satuan, 0) + volume
    return total
