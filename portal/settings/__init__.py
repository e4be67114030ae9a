"""Local settings of the pemda [D], stored in the database and edited by admins.

Each domain declares its settings once with `define(...)` in its package's `__init__.py`, with
keys `<domain>.<name>` (the English domain name: `activities.`, `reviews.`, `trainings.`,
`dialogs.`). `get(key)` returns the stored value or the default, typed. The admin settings page
(portal/admin/services.py: save_settings()) lists and validates every definition.

Within a request every setting is read once: the first `get` loads the whole (small) table in
one query and keeps it in `flask.g` for the rest of the request; `put` forgets it. On every
signed-in request the table comes with the user's own statement instead, as one JSON column
(`snapshot_column`, then `preload`). Outside a request (commands, jobs) each call reads the
database.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import peewee as pw
from flask import g, has_request_context

from portal.db import json_object, raw_rows
from portal.settings.models import Setting


@dataclass(frozen=True)
class Definition:
    key: str
    label: object  # lazy string
    kind: type  # int, str or bool
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    help: object = ""
    group: object = ""


DEFINITIONS: dict[str, Definition] = {}


def define(
    key: str,
    label: object,
    kind: type,
    default: Any,
    minimum: int | None = None,
    maximum: int | None = None,
    help: object = "",
    group: object = "",
) -> None:
    """Declare a setting (once, at import time of the domain that owns it)."""
    DEFINITIONS[key] = Definition(key, label, kind, default, minimum, maximum, help, group)


# Rules between settings (e.g. the minutes that count a day may not exceed the day's cap): each
# takes {key: value} of every setting and returns {key: error message}.
CHECKS: list[Callable[[dict[str, Any]], dict[str, str]]] = []


def check(rule: Callable[[dict[str, Any]], dict[str, str]]) -> None:
    """Declare a rule between settings (once, at import time of the domain that owns them)."""
    CHECKS.append(rule)


def check_all(values: dict[str, Any]) -> dict[str, str]:
    """{key: message} of every rule between settings that `values` breaks."""
    errors: dict[str, str] = {}
    for rule in CHECKS:
        errors.update(rule(values))
    return errors


def _convert(definition: Definition, raw: str) -> Any:
    if definition.kind is bool:
        return raw in ("1", "true", "True", "ya")
    return definition.kind(raw)


def _stored(keys: list[str]) -> dict[str, str]:
    """Stored raw values: the request's copy of the whole table, or a query for `keys`."""
    if has_request_context():
        cached = g.get("_portal_settings")
        if cached is None:
            query = Setting.select(Setting.key, Setting.value).tuples()
            cached = dict(raw_rows(query, "settings"))  # most pages: compiled once
            g._portal_settings = cached
        return cached
    query = Setting.select(Setting.key, Setting.value).where(Setting.key.in_(keys))
    return {row.key: row.value for row in query}


def snapshot_column() -> pw.Select:
    """The whole table as a scalar subquery giving one JSON object {key: value}, for a statement
    that carries it beside its own (the signed-in user's load); `preload`
    takes its answer."""
    return Setting.select(json_object(Setting.key, Setting.value))


def preload(snapshot: str | None) -> None:
    """Keep for this request what `snapshot_column` answered (NULL for an empty table on
    MariaDB): `get` then runs no statement."""
    g._portal_settings = json.loads(snapshot) if snapshot else {}


def get(key: str) -> Any:
    """The setting's value (stored, else the default)."""
    return get_many([key])[key]


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    """Several settings at once: {key: value}."""
    keys = list(keys)
    rows = _stored(keys)
    values: dict[str, Any] = {}
    for key in keys:
        definition = DEFINITIONS[key]
        try:
            values[key] = _convert(definition, rows[key]) if key in rows else definition.default
        except (TypeError, ValueError):
            values[key] = definition.default
    return values


def put(key: str, value: Any) -> Any:
    """Store a setting (the caller checks permission and writes the audit row)."""
    definition = DEFINITIONS[key]
    value = _convert(definition, str(value))
    if definition.minimum is not None and value < definition.minimum:
        raise ValueError(key)
    if definition.maximum is not None and value > definition.maximum:
        raise ValueError(key)
    text = "1" if value is True else "0" if value is False else str(value)
    if has_request_context():
        g.pop("_portal_settings", None)
    updated = Setting.update(value=text).where(Setting.key == key).execute()
    if not updated:
        Setting.create(key=key, value=text)
    return value
