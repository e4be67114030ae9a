"""Organisation rules every domain asks: who administers which unit, who is penyelenggara where,
who supervises whom, and the units an admin sees. The changes admins make to units, pegawai and
roles are in portal/org/editing.py.

Role helpers other domains call (keep these names):
`can_admin_unit(actor, unit)`, `is_penyelenggara_for(actor, unit)`, `subordinates(employee)`,
`supervisor_chain(employee)`, `units_in_subtree(unit)`.
"""

from __future__ import annotations

import peewee as pw
from flask_babel import gettext as _

from portal.db import kept
from portal.org.models import (
    ROLE_ADMIN,
    ROLE_ADMIN_OPD,
    ROLE_PENYELENGGARA,
    ROLE_PIMPINAN,
    Employee,
    Unit,
)

MAX_CHAIN = 20  # no real hierarchy is deeper; bounds every walk up the supervisor relation


# --- role helpers (used by every domain) -------------------------------------------------------


def _unit_of(unit: Unit | int | None) -> Unit | None:
    if unit is None or isinstance(unit, Unit):
        return unit
    return Unit.get_or_none(Unit.id == unit)


def _role_units(actor, role):
    """The Unit rows where `actor` holds `role`, loaded once per actor object."""
    cache = actor.__dict__.setdefault("_role_unit_rows", {})
    if role not in cache:
        ids = [uid for uid in actor.role_units(role) if uid is not None]
        cache[role] = list(Unit.select().where(Unit.id.in_(ids))) if ids else []
    return cache[role]


def is_admin(actor: Employee | None) -> bool:
    return bool(actor and getattr(actor, "is_authenticated", False) and actor.is_admin)


def is_admin_opd(actor: Employee | None) -> bool:
    return bool(
        actor and getattr(actor, "is_authenticated", False) and actor.has_role(ROLE_ADMIN_OPD)
    )


def is_any_admin(actor: Employee | None) -> bool:
    """Admin or admin OPD: may open /admin."""
    return is_admin(actor) or is_admin_opd(actor)


def admin_units(actor: Employee | None) -> list[Unit]:
    """The units whose subtree `actor` administers as admin OPD."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return []
    return _role_units(actor, ROLE_ADMIN_OPD)


def can_admin_unit(actor: Employee | None, unit: Unit | int | None) -> bool:
    """Admin, or an admin OPD whose unit subtree contains `unit` (a Unit or id)."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_admin:
        return True
    unit = _unit_of(unit)
    if unit is None:
        return False
    return any(root.contains(unit) for root in admin_units(actor))


def is_penyelenggara_for(actor: Employee | None, unit: Unit | int | None) -> bool:
    """Admin, or a penyelenggara of `unit` or of one of its ancestors."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return False
    if actor.is_admin:
        return True
    unit = _unit_of(unit)
    if unit is None:
        return False
    return any(root.contains(unit) for root in _role_units(actor, ROLE_PENYELENGGARA))


def is_penyelenggara(actor: Employee | None) -> bool:
    """Holds the penyelenggara role anywhere (or is admin)."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return False
    return actor.is_admin or actor.has_role(ROLE_PENYELENGGARA)


def penyelenggara_units(actor: Employee) -> list[Unit]:
    """Units where `actor` is penyelenggara (the roots; their subtrees are included)."""
    return _role_units(actor, ROLE_PENYELENGGARA)


def pimpinan_units(actor: Employee | None) -> list[Unit]:
    """The units whose subtree `actor` reads as pimpinan (a read-only leader: the reports only)."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return []
    return _role_units(actor, ROLE_PIMPINAN)


def subordinates(employee: Employee) -> pw.ModelSelect[Employee]:
    """The active pegawai whose atasan langsung is `employee` (a query, ordered by name)."""
    return (
        Employee.select()
        .where(Employee.supervisor == employee.id, Employee.active == True)  # noqa: E712
        .order_by(Employee.nama)
    )


def supervisor_chain(employee: Employee, limit: int = MAX_CHAIN) -> list[Employee]:
    """[atasan langsung, atasan pejabat penilai, ...], bounded and stopping at any cycle."""
    chain: list[Employee] = []
    seen = {employee.id}
    current_id = employee.supervisor_id
    while current_id and current_id not in seen and len(chain) < limit:
        boss = Employee.get_or_none(Employee.id == current_id)
        if boss is None:
            break
        chain.append(boss)
        seen.add(boss.id)
        current_id = boss.supervisor_id
    return chain


def active_units() -> list[Unit]:
    """Every active unit in tree order (the filters' choices): one statement, compiled once."""
    query = Unit.select().where(Unit.active == True).order_by(Unit.path)  # noqa: E712
    return list(kept(query, "org.active_units"))


def active_unit(unit_id: int) -> Unit | None:
    """The active unit of that id, or None (a public page's unit: compiled once)."""
    query = Unit.select().where(Unit.id == unit_id, Unit.active == True).limit(1)  # noqa: E712
    return next(iter(kept(query, "org.active_unit", unit_id)), None)


def units_in_subtree(unit: Unit | int) -> pw.ModelSelect[Unit]:
    """`unit` and every unit below it (a query)."""
    root = unit if isinstance(unit, Unit) else Unit.get_by_id(unit)
    return Unit.select().where(Unit.path.startswith(root.path)).order_by(Unit.path)


def units_administered(actor: Employee | None) -> pw.ModelSelect[Unit]:
    """The units `actor` may administer (a query): all for admin, the subtrees for admin OPD."""
    if is_admin(actor):
        return Unit.select().order_by(Unit.path)
    return Unit.within(admin_units(actor))


def administered_now(actor: Employee) -> list[Unit]:
    """`units_administered` as a list, read afresh, its statement compiled once per reach
    (`portal.db.kept`)."""
    reach = None if is_admin(actor) else tuple(u.path for u in admin_units(actor))
    if reach == ():
        return []  # administers nothing (most pegawai): no statement
    return list(kept(units_administered(actor), "org.units_administered", reach))


def administered(actor: Employee) -> list[Unit]:
    """`administered_now`, read once per actor object (a request's user)."""
    cache = actor.__dict__
    if "_administered_units" not in cache:
        cache["_administered_units"] = administered_now(actor)
    return cache["_administered_units"]


def can_manage_employee(actor: Employee | None, employee: Employee) -> bool:
    """Admin, or admin OPD of the pegawai's unit."""
    return can_admin_unit(actor, employee.unit)


def unit_tree(actor: Employee | None) -> list[tuple[Unit, int]]:
    """[(unit, depth)] of the units `actor` may administer, in tree order."""
    units = administered_now(actor) if actor is not None else []
    if not units:
        return []
    base = min(unit.path.count("/") for unit in units)
    by_parent: dict[int | None, list[Unit]] = {}
    ids = {unit.id for unit in units}
    for unit in units:
        key = unit.parent_id if unit.parent_id in ids else None
        by_parent.setdefault(key, []).append(unit)
    ordered = []

    def walk(parent_id):
        for unit in sorted(by_parent.get(parent_id, []), key=lambda u: u.id):
            ordered.append((unit, unit.path.count("/") - base))
            walk(unit.id)

    walk(None)
    return ordered


# --- roles ----------------------------------------------------------------------------------


def role_label(role: str) -> str:
    return {
        ROLE_ADMIN: _("Admin"),
        ROLE_ADMIN_OPD: _("Admin OPD"),
        ROLE_PENYELENGGARA: _("Penyelenggara"),
        ROLE_PIMPINAN: _("Pimpinan"),
    }.get(role, role)
