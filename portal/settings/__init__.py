"""Local settings of the pemda [D], stored in the database and edited by admins.

Each domain declares its settings once with `define(...)`, in its own `settings.py` or at the top
of its services module, with keys `<domain>.<name>` (the English domain name: `activities.`,
`trainings.`, `dialogs.`). `get(key)` returns the stored value or the default, typed. The admin
settings page (portal/admin/services.py: save_settings()) lists and validates every definition.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

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


def _convert(definition: Definition, raw: str) -> Any:
    if definition.kind is bool:
        return raw in ("1", "true", "True", "ya")
    return definition.kind(raw)


def get(key: str) -> Any:
    """The setting's value (stored, else the default)."""
    definition = DEFINITIONS[key]
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return definition.default
    try:
        return _convert(definition, row.value)
    except (TypeError, ValueError):
        return definition.default


def get_many(keys: Iterable[str]) -> dict[str, Any]:
    """Several settings in one query: {key: value}."""
    keys = list(keys)
    rows = {row.key: row.value for row in Setting.select().where(Setting.key.in_(keys))}
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
    updated = Setting.update(value=text).where(Setting.key == key).execute()
    if not updated:
        Setting.create(key=key, value=text)
    return value
