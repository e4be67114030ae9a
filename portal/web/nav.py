"""The navigation, assembled from what each domain registers; shown by role.

Its menus and badges depend on facts about the signed-in user (has subordinates, unread
notifications, sign-ups waiting for approval, ...). Each domain registers its facts as scalar
subqueries (`add_fact`), and a request reads them all in one statement,
`SELECT (subquery 1) AS a, (subquery 2) AS b, ...`, once, when a menu, a badge or a dasbor panel
first asks (`fact(user, name)`). The statement's text depends only on the user's id and the
day, so each process compiles it once per user and day and keeps it (building SQL with Peewee
costs far more than running this statement); the answers are read fresh on every request.
A page without a signed-in user, or an htmx fragment (no layout), never runs it. On a full
page (a GET without htmx: `ride_with_user()`) they are not even a statement of their own: the
signed-in user's load carries them as extra columns (`columns`, then `settle`). A GET view
may read them first (their answers also fill the caches of `is_atasan`, `role_rows`, the
Plt/Plh appointments); a POST reads them only when it renders, after its change. Visibility
is presentation only: the services still check access themselves.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import peewee as pw
from flask import has_request_context, request

from portal.clock import local_today
from portal.db import db, kept_sql


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


Scalar = pw.ColumnBase | pw.SelectBase  # an EXISTS(...) or a (SELECT COUNT(...) ...)
Build = Callable[[Any, date], Scalar | None]
Then = Callable[[Any, Any, date], None]
Read = Callable[[Any], Any]


def _integer(answer: Any) -> int:
    return int(answer or 0)


_FACTS: dict[str, tuple[Build, Read]] = {}
_THEN: dict[str, list[Then]] = {}  # per fact: its owner's callback, then other domains'
_CACHE_KEY = "portal.nav_facts"  # in request.environ: g outlives requests inside one app context


def add_fact(name: str, build: Build, then: Then | None = None, read: Read = _integer) -> None:
    """Register a fact of the signed-in user. `build(user, day)` returns a peewee scalar
    subquery giving one integer (a COUNT, or an EXISTS read as 0/1), or None when there is
    nothing to ask (the fact is 0). It may depend only on the user's id and on `day` (today):
    its SQL is kept per user and day. `read(answer)` turns the column's answer into the fact
    (by default an integer; a few rows gathered as JSON, say). `then(user, value, day)` lets
    the owning domain fill its own per-object cache with what the answer settles (say: no
    Plt/Plh appointment today), so the page does not ask again. Called once at import time by
    a domain's views."""
    if name not in _FACTS:
        _FACTS[name] = (build, read)
        if then is not None:
            also_then(name, then)


def also_then(name: str, then: Then) -> None:
    """Let another domain fill its own cache from a fact someone else registered (the same
    question is then asked once): `then(user, value, day)` after the fact's own."""
    callbacks = _THEN.setdefault(name, [])
    if then not in callbacks:
        callbacks.append(then)


def facts(user: Any) -> dict[str, Any]:
    """Every registered fact of `user`: {name: value}. One statement, once per request and
    user; nothing asked, without a query, for an anonymous visitor."""
    if not getattr(user, "is_authenticated", False):
        return {name: read(None) for name, (_build, read) in _FACTS.items()}
    cache = request.environ.setdefault(_CACHE_KEY, {}) if has_request_context() else {}
    if user.id not in cache:
        cache[user.id] = _read(user)
    return cache[user.id]


def fact(user: Any, name: str) -> Any:
    """One fact of `user` (see `facts`); a KeyError names a fact nobody registered."""
    return facts(user)[name]


COLUMN_PREFIX = "nav_"  # the facts' column names in a statement that carries them (`columns`)


def columns(user: Any, day: date) -> tuple[list[pw.Node], tuple[str, ...]]:
    """The facts asked of `user` on `day` as scalar columns named `COLUMN_PREFIX + name`, for
    a statement that carries them beside its own (the signed-in user's load on a full page),
    and the names of the facts asked. `user` may be a stand-in holding only the id."""
    asked: list[pw.Node] = []
    names: list[str] = []
    for name, (build_fact, _read) in _FACTS.items():
        ask = build_fact(user, day)
        if ask is not None:
            asked.append(ask.alias(COLUMN_PREFIX + name))
            names.append(name)
    return asked, tuple(names)


def ride_with_user() -> bool:
    """Whether this request's facts are read with the signed-in user's own statement: a GET
    that is no htmx request shows the layout, which asks for them (a POST reads them after its
    change, an htmx fragment not at all)."""
    return has_request_context() and request.method == "GET" and "HX-Request" not in request.headers


def settle(user: Any, answers: dict[str, Any], day: date) -> None:
    """Keep for this request the facts of `user` that another statement read (`columns`):
    {name: value} of the facts asked; `facts` then runs no statement."""
    cache = request.environ.setdefault(_CACHE_KEY, {})
    cache[user.id] = _answered(user, answers, day)


def _statement(user: Any, day: date) -> tuple[str, tuple[Any, ...], tuple[str, ...]]:
    """The SQL, its parameters and the names of the facts asked, compiled once per user and
    day (`kept_sql`: the subqueries are not even built again)."""

    def build() -> tuple[str, tuple[Any, ...], tuple[str, ...]]:
        asked, names = columns(user, day)
        sql, params = pw.Select(columns=asked).bind(db).sql() if asked else ("", [])
        return sql, tuple(params), names

    return kept_sql(("nav facts", user.id, day), build)


def _read(user: Any) -> dict[str, Any]:
    day = local_today()  # once: the statement and the callbacks speak of the same day
    sql, params, names = _statement(user, day)
    row = db.execute_sql(sql, params).fetchone() if names else ()
    return _answered(user, dict(zip(names, row, strict=True)), day)


def _answered(user: Any, answers: dict[str, Any], day: date) -> dict[str, Any]:
    """Every fact (as if answered NULL where not asked) from the answers, and each owner told
    what it settles."""
    values = {}
    for name, (_build, read) in _FACTS.items():
        values[name] = read(answers.get(name))
        for then in _THEN.get(name, ()):
            then(user, values[name], day)
    return values
