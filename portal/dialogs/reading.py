"""What the dialog pages read: the public list and its filters, one published dialog with its
questions, follow-ups and attachments, the organisers' list, and the dasbor summary. Queries
only; every page's read is a fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass
from datetime import date, datetime
from typing import Any, cast

import peewee as pw

from portal.db import kept, utcnow
from portal.dialogs.models import (
    ANNOUNCED,
    CLOSED,
    DRAFT,
    FU_DONE,
    POSTPONED,
    Q_APPROVED,
    Q_MERGED,
    Q_PENDING,
    TOPICS,
    Dialog,
    DialogAttachment,
    FollowUp,
    Question,
)
from portal.dialogs.rules import (
    UNIT_ID,
    can_edit,
    can_organize,
    follow_up_units,
    local_to_utc,
    public_condition,
)
from portal.org import services as org
from portal.org.models import Unit
from portal.web import pagination

PAGE_SIZE = 20


def paginate(
    query: pw.ModelSelect,
    number: int,
    args: Mapping[str, Any],
    size: int = PAGE_SIZE,
    count_query: pw.ModelSelect | None = None,
    key: tuple[Any, ...] = (),
) -> pagination.Page:
    return pagination.paginate(query, number, args, size, count_query, key)


def public_page(filters: Filters, number: int) -> pagination.Page:
    """One page of the public list: its two statements compiled once a minute per filter (a
    dialog that ended less than a minute ago may still be listed as upcoming)."""
    now = utcnow().replace(second=0, microsecond=0)
    query: Any = public_dialogs(filters, now=now, columns=list_columns())
    return paginate(query, number, filters.as_args(), key=("dialogs.public", astuple(filters), now))


MAX_ID = 2**31 - 1  # the id columns' range on both engines: a larger number from a URL is junk


def _unit_id(text: str) -> int | None:
    try:
        number = int(text)
    except ValueError:
        return None
    return number if 1 <= number <= MAX_ID else None


@dataclass
class Filters:
    """The public list's filters, read from the query string (anything odd is dropped)."""

    q: str = ""
    unit: int | None = None
    topik: str = ""
    bulan: str = ""  # YYYY-MM
    waktu: str = "mendatang"  # mendatang | lalu | semua

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        unit = args.get("unit", "")
        bulan = args.get("bulan", "")
        waktu = args.get("waktu", "")
        topik = args.get("topik", "")
        return cls(
            q=" ".join((args.get("q") or "").split())[:100],
            unit=_unit_id(unit),
            topik=topik if topik in TOPICS else "",
            bulan=bulan if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", bulan) else "",
            waktu=waktu
            if waktu in ("mendatang", "lalu", "semua")
            else ("semua" if bulan else "mendatang"),
        )

    def as_args(self) -> dict[str, Any]:
        args: dict[str, Any] = {
            "q": self.q,
            "unit": self.unit or "",
            "topik": self.topik,
            "bulan": self.bulan,
        }
        args["waktu"] = self.waktu
        return {key: value for key, value in args.items() if value}


def _month_range(bulan: str) -> tuple[datetime, datetime]:
    year, month = (int(part) for part in bulan.split("-"))
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    midnight = datetime.min.time()
    return local_to_utc(start, midnight), local_to_utc(end, midnight)


def list_columns() -> tuple[Any, ...]:
    """What a list row shows (the long texts stay in the database)."""
    return (
        Dialog.id,
        Dialog.judul,
        Dialog.topik,
        Dialog.status,
        Dialog.starts_at,
        Dialog.ends_at,
        Dialog.tempat,
        Dialog.online_url,
        Dialog.unit,
        UNIT_ID,
        Unit.nama,
    )


def public_dialogs(
    filters: Filters, now: datetime | None = None, columns: Iterable[Any] | None = None
) -> pw.ModelSelect[Dialog]:
    """The published dialogs matching the filters, with their unit (one query)."""
    now = now or utcnow()
    query = Dialog.select(*(columns or (Dialog, Unit))).join(Unit).where(public_condition())
    if filters.q:
        term = filters.q
        query = query.where(
            Dialog.judul.contains(term)
            | Dialog.layanan.contains(term)
            | Dialog.topik.contains(term)
        )
    if filters.unit:
        query = query.where(Dialog.unit == filters.unit)
    if filters.topik:
        query = query.where(Dialog.topik == filters.topik)
    if filters.bulan:
        start, end = _month_range(filters.bulan)
        query = query.where(Dialog.starts_at >= start, Dialog.starts_at < end)
    if filters.waktu == "mendatang":
        query = query.where(Dialog.ends_at >= now).order_by(Dialog.starts_at, Dialog.id)
    elif filters.waktu == "lalu":
        query = query.where(Dialog.ends_at < now).order_by(Dialog.starts_at.desc(), Dialog.id)
    else:
        query = query.order_by(Dialog.starts_at.desc(), Dialog.id)
    return query


def feed_dialogs(limit: int = 50) -> list[Dialog]:
    """The published dialogs of the Atom feed, newest announcement first."""
    return list(
        public_dialogs(Filters(waktu="semua"))
        .order_by(Dialog.announced_at.desc(), Dialog.id.desc())
        .limit(limit)
    )


def public_units() -> list[Unit]:
    """Units that have published dialogs (for the filter), one query."""
    having = Dialog.select(Dialog.unit).where(public_condition())
    query = Unit.select(UNIT_ID, Unit.nama).where(UNIT_ID.in_(having)).order_by(Unit.nama)
    return list(kept(query, "dialogs.public_units"))


def get_public_dialog(dialog_id: Any) -> Dialog | None:
    """The dialog with its unit if the public may see it, else None."""
    try:
        dialog_id = int(dialog_id)
    except (TypeError, ValueError):
        return None
    query = Dialog.select(Dialog, Unit).join(Unit).where(Dialog.id == dialog_id, public_condition())
    return next(iter(kept(query.limit(1), "dialogs.public_dialog", dialog_id)), None)


def public_questions(dialog: Dialog) -> list[Question]:
    """Approved questions only (never pending, rejected or merged text), most supported first,
    each with `merged_count` (how many similar questions were merged into it)."""
    merged = Question.alias()
    merged_count = merged.select(pw.fn.COUNT(merged.id)).where(
        merged.merged_into == Question.id, merged.status == Q_MERGED
    )
    query = (
        Question.select(Question, merged_count.alias("merged_count"))
        .where(Question.dialog == dialog.id, Question.status == Q_APPROVED)
        .order_by(Question.support_count.desc(), Question.id)
    )
    return list(kept(query, "dialogs.public_questions", dialog.id))


def follow_up_progress(dialog_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{dialog id: (done, total)} of the follow-ups of these dialogs (one query)."""
    if not dialog_ids:
        return {}
    done = pw.fn.SUM(pw.Case(None, [(FollowUp.status == FU_DONE, 1)], 0))
    ids = tuple(dialog_ids)
    query = (
        FollowUp.select(FollowUp.dialog, done, pw.fn.COUNT(FollowUp.id))
        .where(FollowUp.dialog.in_(ids))
        .group_by(FollowUp.dialog)
        .tuples()
    )
    rows = cast(Iterable[tuple[int, Any, int]], kept(query, "dialogs.follow_up_progress", ids))
    return {dialog_id: (int(finished or 0), total) for dialog_id, finished, total in rows}


def follow_ups_of(dialog: Dialog) -> list[FollowUp]:
    """The follow-ups of one dialog with their owner unit, by due date (one query)."""
    owner = Unit.alias()
    query = (
        FollowUp.select(FollowUp, owner)
        .join(owner, on=(FollowUp.owner_unit == owner.id))
        .where(FollowUp.dialog == dialog.id)
        .order_by(FollowUp.due_date, FollowUp.id)
    )
    return list(kept(query, "dialogs.follow_ups", dialog.id))


def attachments_of(dialog: Dialog) -> list[DialogAttachment]:
    query = (
        DialogAttachment.select()
        .where(DialogAttachment.dialog == dialog.id)
        .order_by(DialogAttachment.id)
    )
    return list(kept(query, "dialogs.attachments", dialog.id))


# --- the organisers' side ------------------------------------------------------------------------


def managed_dialogs(actor: Any) -> pw.ModelSelect[Dialog]:
    """The dialogs of the units `actor` organises for, newest first, with the unit and the
    number of questions awaiting moderation (one query)."""
    pending = Question.select(pw.fn.COUNT(Question.id)).where(
        Question.dialog == Dialog.id, Question.status == Q_PENDING
    )
    query = Dialog.select(Dialog, Unit, pending.alias("pending_count")).join(Unit)
    if not org.is_admin(actor):
        roots = org.penyelenggara_units(actor)
        if not roots:
            return query.where(Dialog.id == 0)
        query = query.where(Unit.path_within(roots))
    return query.order_by(Dialog.starts_at.desc(), Dialog.id.desc())


def get_managed_dialog(actor: Any, dialog_id: Any) -> Dialog | None:
    """The dialog if `actor` may edit it, else None (the view answers 404)."""
    dialog = Dialog.select(Dialog, Unit).join(Unit).where(Dialog.id == dialog_id).first()
    if dialog is None or not can_edit(actor, dialog):
        return None
    return dialog


def dashboard_summary(actor: Any, today: date) -> dict[str, int]:
    """For the dasbor of organisers and follow-up owners: questions awaiting moderation and
    upcoming dialogs of their units, open and overdue follow-ups (three queries)."""
    summary = {"pending": 0, "upcoming": 0, "open_follow_ups": 0, "overdue": 0}
    if can_organize(actor):
        managed = managed_dialogs(actor).order_by()
        ids = Dialog.select(Dialog.id).where(Dialog.id.in_(managed.select(Dialog.id)))
        summary["pending"] = (
            Question.select().where(Question.dialog.in_(ids), Question.status == Q_PENDING).count()
        )
        summary["upcoming"] = (
            managed.select(Dialog.id)
            .where(
                Dialog.ends_at >= utcnow(), Dialog.status.in_([DRAFT, ANNOUNCED, CLOSED, POSTPONED])
            )
            .count()
        )
    roots = follow_up_units(actor)
    if roots is None or roots:
        owner = Unit.alias()
        query = (
            FollowUp.select(
                pw.fn.COUNT(FollowUp.id),
                pw.fn.SUM(pw.Case(None, [(FollowUp.due_date < today, 1)], 0)),
            )
            .join(owner, on=(FollowUp.owner_unit == owner.id))
            .where(FollowUp.status != FU_DONE)
        )
        if roots:
            query = query.where(Unit.path_within(roots, field=owner.path))
        count, overdue = cast(tuple[Any, Any], query.tuples().get())
        summary["open_follow_ups"], summary["overdue"] = count or 0, int(overdue or 0)
    return summary
