"""Writing the audit log. Call `record()` inside the transaction of the change it describes.

The client address is taken from the request when there is one (the one place a service looks
at Flask's request: passing it through every service call would clutter every signature).
"""

import json
from datetime import date, datetime

from flask import has_request_context, request

from portal.audit.models import AuditLog


def _dump(value):
    if value is None:
        return None
    if isinstance(value, str):
        return value

    def default(obj):
        if isinstance(obj, date | datetime):
            return obj.isoformat()
        return str(obj)

    return json.dumps(value, default=default, ensure_ascii=False, sort_keys=True)


def record(actor, action, obj, before=None, after=None, note=None, object_type=None):
    """Append one audit row: `actor` did `action` to `obj` (a model row, or an id)."""
    if object_type is None:
        object_type = type(obj).__name__ if hasattr(obj, "_meta") else "object"
    object_id = getattr(obj, "id", obj)
    ip = request.remote_addr or "" if has_request_context() else "cli"
    return AuditLog.create(
        actor=getattr(actor, "id", actor),
        actor_label=str(actor.nama) if hasattr(actor, "nama") else str(actor or "sistem"),
        action=action,
        object_type=object_type,
        object_id=str(object_id if object_id is not None else ""),
        before=_dump(before),
        after=_dump(after),
        note=note,
        ip=ip,
    )
