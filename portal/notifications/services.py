"""Telling people things. Every domain calls `notify()`; the centre shows them, e-mail is optional.

`dedupe_key` makes a notice idempotent per recipient (reminders run twice a day send nothing new;
a batch of decisions makes one notice, not fifty).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import peewee as pw

from portal.clock import utcnow
from portal.db import db
from portal.notifications.models import Notification
from portal.org.models import Employee


def notify(
    recipient: Employee | int,
    kind: str,
    message: str,
    link: str = "",
    dedupe_key: str | None = None,
) -> Notification | None:
    """Create a notification for `recipient` (an Employee or id); None when deduplicated."""
    recipient_id = getattr(recipient, "id", recipient)
    if dedupe_key is not None:
        exists = Notification.select(Notification.id).where(
            Notification.recipient == recipient_id, Notification.dedupe_key == dedupe_key
        )
        if exists.exists():
            return None
    try:
        with db.atomic():
            return Notification.create(
                recipient=recipient_id,
                kind=kind,
                message=str(message),
                link=link,
                dedupe_key=dedupe_key,
            )
    except pw.IntegrityError:
        return None  # the same dedupe_key arrived in parallel


@dataclass(frozen=True)
class Notice:
    """One notice for `notify_many`."""

    recipient: Any
    kind: str
    message: str
    link: str = ""
    dedupe_key: str | None = None


def notify_many(notices: Iterable[Notice], chunk: int = 200, replace: bool = False) -> int:
    """Create many notices in a few INSERTs (batches of decisions); returns how many were new.

    A `dedupe_key` already used for a recipient is skipped, or with `replace` that notice is
    rewritten (message and link) and marked unread again: several decisions in a short window
    then read as one notice."""
    notices = list(notices)
    keys = {n.dedupe_key for n in notices if n.dedupe_key}
    seen: set[tuple[Any, str | None]] = set()
    if keys:
        query = (
            Notification.select(Notification.recipient, Notification.dedupe_key)
            .where(Notification.dedupe_key.in_(list(keys)))
            .tuples()
        )
        seen = set(cast(Iterable[tuple[Any, str | None]], query))
    now = utcnow()
    rows = []
    for n in notices:
        recipient_id = getattr(n.recipient, "id", n.recipient)
        if n.dedupe_key and (recipient_id, n.dedupe_key) in seen:
            if replace:
                Notification.update(
                    message=str(n.message), link=n.link, read_at=None, updated_at=now
                ).where(
                    Notification.recipient == recipient_id,
                    Notification.dedupe_key == n.dedupe_key,
                ).execute()
            continue
        seen.add((recipient_id, n.dedupe_key))
        rows.append(
            {
                "recipient": recipient_id,
                "kind": n.kind,
                "message": str(n.message),
                "link": n.link,
                "dedupe_key": n.dedupe_key,
                "created_at": now,
                "updated_at": now,
            }
        )
    for start in range(0, len(rows), chunk):
        # A run overlapping another (two reminder jobs) may insert the same key meanwhile:
        # the unique (recipient, dedupe_key) index keeps one, the other is skipped.
        Notification.insert_many(rows[start : start + chunk]).on_conflict_ignore().execute()
    return len(rows)


def unread_count(recipient: Employee) -> int:
    return _unread(recipient).count()


def unread_count_query(recipient: Employee) -> pw.Select:
    """`unread_count` as a scalar subquery (the bell's navigation fact)."""
    return _unread(recipient).select(pw.fn.COUNT(Notification.id))


def _unread(recipient: Employee) -> "pw.ModelSelect[Notification]":
    return Notification.select().where(
        Notification.recipient == recipient.id, Notification.read_at.is_null()
    )


PAGE_SIZE = 30


def for_recipient(
    recipient: Employee, page: int = 1, unread_only: bool = False
) -> tuple[list[Notification], bool]:
    """(notices of one page, has_more): newest first, one query."""
    query = Notification.select().where(Notification.recipient == recipient.id)
    if unread_only:
        query = query.where(Notification.read_at.is_null())
    rows = list(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    )
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def mark_read(recipient: Employee, notification_id: int) -> Notification | None:
    """Mark one of `recipient`'s notices read; returns it (None when it is not theirs)."""
    notice = Notification.get_or_none(
        Notification.id == notification_id, Notification.recipient == recipient.id
    )
    if notice is None:
        return None
    if notice.read_at is None:
        Notification.update(read_at=utcnow(), updated_at=utcnow()).where(
            Notification.id == notice.id, Notification.read_at.is_null()
        ).execute()
    return notice


def mark_all_read(recipient: Employee) -> int:
    """Mark every unread notice of `recipient` read; returns how many."""
    return (
        Notification.update(read_at=utcnow(), updated_at=utcnow())
        .where(Notification.recipient == recipient.id, Notification.read_at.is_null())
        .execute()
    )
