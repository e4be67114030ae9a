"""Closing a unit's month (the one writer of MonthClosure and RecapSnapshot).

    close_month(actor, unit, month)      -> MonthClosure (snapshot of the subtree's recap)
    reopen_month(actor, closure, reason) -> MonthClosure (snapshot deleted, reason kept)

A month is closed for a unit and its whole subtree; a closing never overlaps another one of the
same month (an ancestor or a descendant already closed: 409). Only past or current months.
Both steps are audited in their transaction; the unique `live_key` and the snapshot's unique
(pegawai, year, month) stop two closings racing.
"""

from __future__ import annotations

from typing import Any

import peewee as pw
from flask_babel import gettext as _

from portal.audit.services import record
from portal.clock import local_today, utcnow
from portal.db import write_transaction
from portal.errors import Conflict, Invalid, NotFound
from portal.org.models import Unit
from portal.reports.models import CLOSED, REOPENED, MonthClosure, RecapSnapshot
from portal.reports.recap import Month, Rules, rows_for_unit
from portal.reports.scope import can_close_month
from portal.web.validators import visible_text

CHUNK = 500


def _live_key(unit: Unit, month: Month) -> str:
    return f"{unit.id}:{month.key}"


def closure_of(unit: Unit, month: Month) -> MonthClosure | None:
    """The closing that covers `unit` in `month` (its own or an ancestor's), if any."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    return (
        MonthClosure.select()
        .where(
            MonthClosure.unit.in_(ids or [unit.id]),
            MonthClosure.tahun == month.tahun,
            MonthClosure.bulan == month.bulan,
            MonthClosure.status == CLOSED,
        )
        .first()
    )


def close_month(actor: Any, unit: Unit, month: Month) -> MonthClosure:
    """The admin OPD of the unit closes its month: the recap of every active pegawai of the
    subtree is copied, and from now on the recap shows the copy (audited)."""
    if not can_close_month(actor, unit):
        raise NotFound(_("The unit was not found."))
    today = local_today()
    if month.start > today:
        raise Invalid(_("A month can be closed once it has begun."), "bulan")
    with write_transaction():
        if closure_of(unit, month) is not None:
            raise Conflict(_("This month is already closed for this unit."))
        below = (
            MonthClosure.select(MonthClosure.id)
            .join(Unit, on=(MonthClosure.unit == Unit.id))
            .where(
                Unit.path.startswith(unit.path),
                MonthClosure.tahun == month.tahun,
                MonthClosure.bulan == month.bulan,
                MonthClosure.status == CLOSED,
            )
        )
        if below.exists():
            raise Conflict(_("A unit below is already closed for this month; reopen it first."))
        rows = rows_for_unit(unit, month, Rules.load())
        try:
            closure = MonthClosure.create(
                unit=unit.id,
                tahun=month.tahun,
                bulan=month.bulan,
                status=CLOSED,
                live_key=_live_key(unit, month),
                closed_by=actor.id,
                closed_at=utcnow(),
            )
        except pw.IntegrityError:
            raise Conflict(_("This month is already closed for this unit.")) from None
        now = utcnow()
        copies = [
            {
                "closure": closure.id,
                "employee": row.employee.id,
                "tahun": month.tahun,
                "bulan": month.bulan,
                "working_days": row.working_days,
                "days_with_entries": row.days_with_entries,
                "minutes_submitted": row.minutes_submitted,
                "minutes_approved": row.minutes_approved,
                "target": row.target,
                "waiting": row.waiting,
                "returned": row.returned,
                "created_at": now,
                "updated_at": now,
            }
            for row in rows
        ]
        for start in range(0, len(copies), CHUNK):
            RecapSnapshot.insert_many(copies[start : start + CHUNK]).execute()
        record(
            actor,
            "recap.month_closed",
            unit,
            after={"bulan": month.key, "pegawai": len(copies)},
        )
    return closure


def reopen_month(actor: Any, closure: MonthClosure, reason: str | None) -> MonthClosure:
    """Reopen a closed month with a reason (at least 10 characters; audited): the copy goes,
    the recap follows the entries again."""
    unit = Unit.get_by_id(closure.unit_id)
    if not can_close_month(actor, unit):
        raise NotFound(_("The unit was not found."))
    reason = visible_text(reason)
    if len(reason) < 10:
        raise Invalid(_("Write the reason (at least 10 characters)."), "alasan")
    with write_transaction():
        changed = (
            MonthClosure.update(
                status=REOPENED,
                live_key=None,
                reopened_by=actor.id,
                reopened_at=utcnow(),
                reopen_reason=reason[:1000],
                updated_at=utcnow(),
            )
            .where(MonthClosure.id == closure.id, MonthClosure.status == CLOSED)
            .execute()
        )
        if not changed:
            raise Conflict(_("This month is not closed any more."))
        RecapSnapshot.delete().where(RecapSnapshot.closure == closure.id).execute()
        record(
            actor,
            "recap.month_reopened",
            unit,
            before={"bulan": f"{closure.tahun:04d}-{closure.bulan:02d}"},
            note=reason,
        )
    return MonthClosure.get_by_id(closure.id)


def closures_for(actor: Any, month: Month) -> list[MonthClosure]:
    """The closings of `month` in the units `actor` administers (with unit), by unit name."""
    query = (
        MonthClosure.select(MonthClosure, Unit)
        .join(Unit, on=(MonthClosure.unit == Unit.id))
        .where(MonthClosure.tahun == month.tahun, MonthClosure.bulan == month.bulan)
        .order_by(Unit.nama, MonthClosure.id.desc())
    )
    return [closure for closure in query if can_close_month(actor, closure.unit)]
