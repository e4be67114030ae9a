"""Read models: the handlers' queue, the published answers, and each unit's public complaint
figures. Every function runs a fixed number of queries, however many rows there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee as pw

from portal.db import kept
from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.public_service.models import (
    DONE,
    OPEN_STATUSES,
    REJECTED,
    STATUSES,
    Complaint,
)
from portal.web import pagination

Assignee = Employee.alias()


def _with_names(query: Any) -> Any:
    return query.join_from(
        Complaint, Unit, pw.JOIN.LEFT_OUTER, on=(Complaint.unit == Unit.id)
    ).join_from(Complaint, Assignee, pw.JOIN.LEFT_OUTER, on=(Complaint.assignee == Assignee.id))


PAGE_SIZE = 25  # complaints per page of the handlers' queue


def queue_query(actor: Any, status: str | None = None) -> Any:
    """The complaints `actor` handles: every one for the admin, their units' (and below) for an
    admin OPD, and the ones assigned to them for every pegawai; open ones first, by deadline.
    None for a visitor who is not signed in."""
    if not getattr(actor, "is_authenticated", False):
        return None
    mine = Complaint.assignee == actor.id
    if org.is_admin(actor):
        scope: Any = pw.Value(True)
    elif org.admin_units(actor):
        scope = Unit.path_within(org.admin_units(actor)) | mine
    else:
        scope = mine
    query = _with_names(Complaint.select(Complaint, Unit, Assignee)).where(scope)
    if status in STATUSES:
        query = query.where(Complaint.status == status)
    is_closed = pw.Case(None, [(Complaint.status.in_(OPEN_STATUSES), 0)], 1)
    return query.order_by(is_closed, Complaint.due_date, Complaint.id)


def queue(actor: Any, status: str | None = None, number: int = 1) -> pagination.Page:
    """Page `number` (clamped to the pages there are) of `queue_query()`, PAGE_SIZE complaints
    a page, the status kept in the page links: two queries (a count and the page), however
    many complaints there are."""
    query = queue_query(actor, status)
    if query is None:
        return pagination.Page([], 1, 1, 0)
    args = {"status": status if status in STATUSES else ""}
    return pagination.paginate(query, number, args, PAGE_SIZE)


def published_answers(limit: int = 20, unit: Unit | None = None) -> list[Complaint]:
    """The answers published by a moderator with the citizen's consent, newest first. Only the
    public columns are read: never the name, contact or photo."""
    query = (
        Complaint.select(
            Complaint.id,
            Complaint.kategori,
            Complaint.unit,
            Complaint.public_summary,
            Complaint.answer,
            Complaint.filed_on,
            Complaint.answered_at,
            Complaint.published_at,
            Complaint.response_days,
            Unit.id,
            Unit.nama,
        )
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(Complaint.unit == Unit.id))
        .where(public_condition())
    )
    unit_id = unit.id if unit is not None else None
    if unit_id is not None:
        query = query.where(Complaint.unit == unit_id)
    query = query.order_by(Complaint.published_at.desc(), Complaint.id.desc()).limit(limit)
    return list(kept(query, "public_service.answers", limit, unit_id))


def public_condition() -> Any:
    """What may appear publicly: answered, consented, published by a moderator."""
    return (
        (Complaint.published == True)  # noqa: E712
        & (Complaint.consent_publish == True)  # noqa: E712
        & (Complaint.status == DONE)
    )


@dataclass
class UnitFigures:
    unit_id: int
    nama: str
    filed: int = 0
    done: int = 0
    rejected: int = 0
    open: int = 0
    overdue: int = 0
    mean_response_days: float | None = None
    on_time: int = 0
    rating: float | None = None

    @property
    def closed(self) -> int:
        return self.done + self.rejected

    @property
    def completion_rate(self) -> float | None:
        """Answered (Selesai) out of those filed and not rejected, in percent."""
        counted = self.filed - self.rejected
        return self.done * 100 / counted if counted else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time * 100 / self.done if self.done else None


def unit_figures(
    today: date, start: date | None = None, end: date | None = None, unit_id: int | None = None
) -> list[UnitFigures]:
    """Per unit (with at least one complaint) over filing dates start..end: filed, answered,
    rejected, open, overdue, the mean working days to answer, on-time answers and the mean
    rating. One grouped query."""
    done = Complaint.status == DONE
    query = (
        Complaint.select(
            Unit.id,
            Unit.nama,
            pw.fn.COUNT(Complaint.id),
            pw.fn.SUM(pw.Case(None, [(done, 1)], 0)),
            pw.fn.SUM(pw.Case(None, [(Complaint.status == REJECTED, 1)], 0)),
            pw.fn.SUM(pw.Case(None, [(Complaint.status.in_(OPEN_STATUSES), 1)], 0)),
            pw.fn.SUM(
                pw.Case(
                    None,
                    [((Complaint.status.in_(OPEN_STATUSES)) & (Complaint.due_date < today), 1)],
                    0,
                )
            ),
            pw.fn.AVG(pw.Case(None, [(done, Complaint.response_days)], None)),
            pw.fn.SUM(
                pw.Case(
                    None,
                    [(done & (Complaint.closed_on <= Complaint.due_date), 1)],
                    0,
                )
            ),
            pw.fn.AVG(Complaint.rating),
        )
        .join(Unit, on=(Complaint.unit == Unit.id))
        .group_by(Unit.id, Unit.nama)
        .order_by(Unit.nama)
    )
    if start is not None:
        query = query.where(Complaint.filed_on >= start)
    if end is not None:
        query = query.where(Complaint.filed_on <= end)
    if unit_id is not None:
        query = query.where(Unit.id == unit_id)
    rows = []
    tuples: list[tuple[Any, ...]] = list(
        kept(query.tuples(), "public_service.unit_figures", today, start, end, unit_id)
    )
    for row in tuples:
        uid, nama, filed, n_done, n_rej, n_open, n_over, mean_days, on_time, rating = row
        rows.append(
            UnitFigures(
                unit_id=uid,
                nama=nama,
                filed=int(filed or 0),
                done=int(n_done or 0),
                rejected=int(n_rej or 0),
                open=int(n_open or 0),
                overdue=int(n_over or 0),
                mean_response_days=float(mean_days) if mean_days is not None else None,
                on_time=int(on_time or 0),
                rating=float(rating) if rating is not None else None,
            )
        )
    return rows
