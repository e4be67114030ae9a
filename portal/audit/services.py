"""Writing the audit log. Call `record()` inside the transaction of the change it describes.

The client address is taken from the request when there is one (the one place a service looks
at Flask's request: passing it through every service call would clutter every signature).
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import has_request_context, request

from portal.audit.models import AuditLog
from portal.clock import utcnow


def dump(value: Any) -> str | None:
    """A value as stored in the log's before/after columns (JSON text, or the string itself)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value

    def default(obj):
        if isinstance(obj, date | datetime):
            return obj.isoformat()
        return str(obj)

    return json.dumps(value, default=default, ensure_ascii=False, sort_keys=True)


def _client_address():
    return request.remote_addr or "" if has_request_context() else "cli"


def _row(actor, action, obj, before=None, after=None, note=None, object_type=None, ip=None):
    if object_type is None:
        object_type = type(obj).__name__ if hasattr(obj, "_meta") else "object"
    object_id = getattr(obj, "id", obj)
    return {
        "actor": getattr(actor, "id", actor),
        "actor_label": str(actor.nama) if hasattr(actor, "nama") else str(actor or "sistem"),
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id if object_id is not None else ""),
        "before": dump(before),
        "after": dump(after),
        "note": note,
        "ip": ip if ip is not None else _client_address(),
    }


def record(
    actor: Any,
    action: str,
    obj: Any,
    before: Any = None,
    after: Any = None,
    note: str | None = None,
    object_type: str | None = None,
) -> AuditLog:
    """Append one audit row: `actor` did `action` to `obj` (a model row, or an id)."""
    return AuditLog.create(**_row(actor, action, obj, before, after, note, object_type))


@dataclass(frozen=True)
class Entry:
    """One row for `record_many`: what `record()` takes, for a batch."""

    actor: Any
    action: str
    obj: Any
    before: Any = None
    after: Any = None
    note: str | None = None
    object_type: str | None = None


def record_many(entries: Iterable[Entry], chunk: int = 200) -> int:
    """Append many audit rows in a few INSERTs (bulk decisions, imports); returns the count."""
    ip = _client_address()
    now = utcnow()
    rows = [
        {
            **_row(e.actor, e.action, e.obj, e.before, e.after, e.note, e.object_type, ip),
            "created_at": now,
            "updated_at": now,
        }
        for e in entries
    ]
    for start in range(0, len(rows), chunk):
        AuditLog.insert_many(rows[start : start + chunk]).execute()
    return len(rows)
