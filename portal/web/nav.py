"""The navigation, assembled from what each domain registers; shown by role.

Its menus and badges depend on facts about the signed-in user (has subordinates, unread
notifications, sign-ups waiting for approval, ...). Each domain registers its facts as scalar
subqueries (`add_fact`), and a request reads them all in one statement,
`SELECT (subquery 1) AS a, (subquery 2) AS b, ...`, once, when a menu, a badge or a dasbor panel
first asks (`fact(user, name)`). A page without a signed-in user, or an htmx fragment (no
layout), never runs it. A GET view may read them first (their answers also fill the caches
of `is_atasan`, `role_rows`, the Plt/Plh appointments); a POST reads them only when it
renders, after its change. Visibility is presentation only: the services still check access
themselves.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import peewee as pw
from flask import has_request_context, request

from portal.db import db


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy string
    endpoint: str
    order: int = 100
    visible: Callable[[Any], bool] = field(default=lambda user: user.is_authenticated)
    badge: Callable[[Any], int] | None = None
    icon: str = ""


_ITEMS: list[NavItem] = []


def add(
    label: object,
    endpoint: str,
    order: int = 100,
    visible: Callable[[Any], bool] | None = None,
    badge: Callable[[Any], int] | None = None,
) -> None:
    """Register a navigation entry (called once at import time by a domain's views)."""
    if any(item.endpoint == endpoint for item in _ITEMS):
        return
    item = NavItem(label, endpoint, order, visible or (lambda user: user.is_authenticated), badge)
    _ITEMS.append(item)
    _ITEMS.sort(key=lambda entry: entry.order)


def items_for(user: Any) -> list[tuple[NavItem, int]]:
    """The entries this user may see, with their badge counts."""
    facts(user)  # first: one statement, and the caches it settles serve the checks below
    shown = []
    for item in _ITEMS:
        if item.visible(user):
            count = item.badge(user) if item.badge else 0
            shown.append((item, count))
    return shown


# Sections of the admin area (/admin): each domain adds its own admin pages here, and the
# admin index lists those the signed-in admin may open.
_ADMIN_SECTIONS: list[NavItem] = []


def add_admin_section(
    label: object, endpoint: str, order: int = 100, visible: Callable[[Any], bool] | None = None
) -> None:
    """Register a page of the admin area (listed on /admin for whom `visible(user)`)."""
    if any(item.endpoint == endpoint for item in _ADMIN_SECTIONS):
        return
    item = NavItem(label, endpoint, order, visible or (lambda user: user.is_authenticated))
    _ADMIN_SECTIONS.append(item)
    _ADMIN_SECTIONS.sort(key=lambda entry: entry.order)


def admin_sections_for(user: Any) -> list[NavItem]:
    return [item for item in _ADMIN_SECTIONS if item.visible(user)]


# --- facts of the signed-in user, read in one statement per request ---------------------------


Then = Callable[[int], None]
Scalar = pw.ColumnBase | pw.SelectBase  # an EXISTS(...) or a (SELECT COUNT(...) ...)
Ask = Scalar | tuple[Scalar, Then] | None

_FACTS: dict[str, Callable[[Any], Ask]] = {}
_CACHE_KEY = "portal.nav_facts"  # in request.environ: g outlives requests inside one app context


def add_fact(name: str, build: Callable[[Any], Ask]) -> None:
    """Register a fact of the signed-in user. `build(user)` returns a peewee scalar subquery
    giving one integer (a COUNT, or an EXISTS read as 0/1); or a pair (subquery, then), where
    `then(value)` lets the owning domain fill its own per-object cache with what the answer
    settles (say: no Plt/Plh appointment today), so the page does not ask again; or None when
    there is nothing to ask (the fact is 0). Called once at import time by a domain's views."""
    _FACTS.setdefault(name, build)


def facts(user: Any) -> dict[str, int]:
    """Every registered fact of `user`: {name: integer}. One statement, once per request and
    user; all zero, without a query, for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return dict.fromkeys(_FACTS, 0)
    cache = request.environ.setdefault(_CACHE_KEY, {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = _read(user)
    return cache[user.id]


def fact(user: Any, name: str) -> int:
    """One fact of `user` (see `facts`); a KeyError names a fact nobody registered."""
    return facts(user)[name]


def _read(user: Any) -> dict[str, int]:
    values = dict.fromkeys(_FACTS, 0)
    columns = []
    callbacks: dict[str, Then] = {}
    for name, build in _FACTS.items():
        ask = build(user)
        if isinstance(ask, tuple):
            ask, callbacks[name] = ask
        if ask is not None:
            columns.append(ask.alias(name))
    if columns:
        (row,) = pw.Select(columns=columns).bind(db).dicts()
        values.update({name: int(value or 0) for name, value in row.items()})
    for name, then in callbacks.items():
        then(values[name])
    return values
