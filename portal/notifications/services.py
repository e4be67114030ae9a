"""Telling people things. Every domain calls `notify()`; the centre shows them, e-mail is optional.

`dedupe_key` makes a notice idempotent per recipient (reminders run twice a day send nothing new;
a batch of decisions makes one notice, not fifty).
"""

import peewee as pw

from portal.db import db
from portal.notifications.models import Notification


def notify(recipient, kind, message, link="", dedupe_key=None):
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


def unread_count(recipient):
    return (
        Notification.select()
        .where(Notification.recipient == recipient.id, Notification.read_at.is_null())
        .count()
    )
