"""Local settings of the pemda [D], stored in the database and edited by admins.

Each domain declares its settings once with `define(...)`; `get(key)` returns the stored value
or the default, typed. The admin settings page lists every definition.
"""

from dataclasses import dataclass

from portal.settings.models import Setting


@dataclass(frozen=True)
class Definition:
    key: str
    label: object  # lazy string
    kind: type  # int, str or bool
    default: object
    minimum: int | None = None
    maximum: int | None = None
    help: object = ""
    group: object = ""


DEFINITIONS: dict[str, Definition] = {}


def define(key, label, kind, default, minimum=None, maximum=None, help="", group=""):
    DEFINITIONS[key] = Definition(key, label, kind, default, minimum, maximum, help, group)


def _convert(definition, raw):
    if definition.kind is bool:
        return raw in ("1", "true", "True", "ya")
    return definition.kind(raw)


def get(key):
    """The setting's value (stored, else the default)."""
    definition = DEFINITIONS[key]
    row = Setting.get_or_none(Setting.key == key)
    if row is None:
        return definition.default
    try:
        return _convert(definition, row.value)
    except (TypeError, ValueError):
        return definition.default


def get_many(keys):
    """Several settings in one query: {key: value}."""
    rows = {row.key: row.value for row in Setting.select().where(Setting.key.in_(list(keys)))}
    values = {}
    for key in keys:
        definition = DEFINITIONS[key]
        try:
            values[key] = _convert(definition, rows[key]) if key in rows else definition.default
        except (TypeError, ValueError):
            values[key] = definition.default
    return values


def put(key, value):
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
