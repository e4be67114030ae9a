"""Who sees whose recap, at the bottom of the reports imports.

- Admin: every pegawai (the whole pemda).
- Admin OPD: the pegawai of their unit trees.
- Pimpinan (a read-only leader: Wali Kota and Sekda at the root unit, a Kepala OPD at their
  OPD): the pegawai of the unit trees where they hold the role; reading only.
- Atasan: their team, i.e. the pegawai whose atasan langsung they are, and while they act as
  Plt/Plh, the team of the atasan they stand in for.
Anyone else sees no recap (404). The roles add up (a pimpinan who is also an atasan sees both).
Closing a month and the kehadiran import are for the admin and the admin OPD of the unit
(`can_admin_unit`), never for a pimpinan. A pegawai outside the scope is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import peewee as pw
from flask_babel import gettext as _

from portal.errors import NotFound
from portal.org.models import Employee, Unit
from portal.org.services import admin_units, can_admin_unit, is_admin, pimpinan_units
from portal.reviews.acting import acting_assignments


@dataclass
class Scope:
    """What `actor` may see: everything (`all`), unit trees (`roots`), teams (`leaders`)."""

    actor: Any
    all: bool = False
    roots: list[Unit] = field(default_factory=list)
    leaders: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.all or self.roots or self.leaders)

    @property
    def team_only(self) -> bool:
        """An atasan without an admin role: a team, no unit tree to drill into."""
        return not self.all and not self.roots

    def key(self) -> tuple[Any, ...]:
        """Every value `condition()` is built from (a compiled statement's key)."""
        if self.all:
            return ("all",)
        return ("roots", *[root.path for root in self.roots], "leaders", *self.leaders)

    def condition(self) -> Any:
        """The SQL condition on Employee (joined with Unit) for the pegawai in scope."""
        if self.all:
            return pw.Value(True)
        parts = []
        if self.roots:
            parts.append(Unit.path_within(self.roots))
        if self.leaders:
            parts.append(Employee.supervisor.in_(self.leaders))
        condition = parts[0] if parts else pw.Value(False)
        for part in parts[1:]:
            condition = condition | part
        return condition

    def may_open_unit(self, unit: Unit) -> bool:
        return self.all or any(root.contains(unit) for root in self.roots)

    def may_see(self, employee: Employee) -> bool:
        if self.all or employee.supervisor_id in self.leaders:
            return True
        return any(root.path and employee.unit.path.startswith(root.path) for root in self.roots)


def scope_for(actor: Any) -> Scope:
    """The recap scope of `actor` (a few queries, cached on the actor object)."""
    if not getattr(actor, "is_authenticated", False):
        return Scope(actor)
    cached = actor.__dict__.get("_recap_scope")
    if cached is not None:
        return cached
    if is_admin(actor):
        scope = Scope(actor, all=True)
    else:
        leaders = [actor.id] if actor.is_atasan else []
        for assignment in acting_assignments(actor):
            if assignment.absent_id not in leaders:
                leaders.append(assignment.absent_id)
        scope = Scope(
            actor, roots=_outermost([*admin_units(actor), *pimpinan_units(actor)]), leaders=leaders
        )
    actor.__dict__["_recap_scope"] = scope
    return scope


def _outermost(units: list[Unit]) -> list[Unit]:
    """The units not inside another of `units` (a tree held twice, or a unit inside one held
    higher up, is read once)."""
    unique = list({unit.id: unit for unit in units}.values())
    return [
        unit
        for unit in unique
        if not any(other.id != unit.id and other.contains(unit) for other in unique)
    ]


def can_view_recap(actor: Any) -> bool:
    """Admin, admin OPD, pimpinan, or an atasan (also while acting as Plt/Plh)."""
    return not scope_for(actor).empty


def require_recap(actor: Any) -> Scope:
    scope = scope_for(actor)
    if scope.empty:
        raise NotFound(_("The page does not exist."))
    return scope


def can_close_month(actor: Any, unit: Unit) -> bool:
    """The admin, or an admin OPD whose tree holds the unit."""
    return can_admin_unit(actor, unit)


def can_import_attendance(actor: Any) -> bool:
    return is_admin(actor) or bool(admin_units(actor))
