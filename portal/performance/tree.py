"""The pohon kinerja and the monitoring of a unit tree, each in a fixed number of queries
whatever the size of the tree (everything is loaded by unit subtree and assembled in Python).

Pohon: from the unit's head(s) down the atasan chain, each RHK with the RHK that intervene it
(matched by lineage, so links made to an older approved version still count). Gaps: an RHK of
someone with subordinates that no subordinate serves; a pegawai without an approved SKP.

Monitoring: per unit, how many pegawai have no SKP, a draft, a submitted, a returned or an
approved one; who has none; whose SKP waits on an atasan without an approved SKP (the chain up
to the one to chase); atasan that look wrong (outside the unit tree, or of a lower jabatan
level); and a reminder to those without an SKP.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from flask_babel import force_locale
from flask_babel import gettext as _

from portal.clock import local_today
from portal.db import write_transaction
from portal.errors import NotFound
from portal.notifications.services import Notice, notify_many
from portal.org import services as org
from portal.org.models import Employee, Unit
from portal.performance.models import APPROVED, DRAFT, RETURNED, SUBMITTED, UTAMA, Rhk, Skp
from portal.performance.rules import can_monitor
from portal.web.paths import path_for

NONE = "none"
MAX_DEPTH = 20
JABATAN_RANK = {
    "JPT": 5,
    "Administrator": 4,
    "Pengawas": 3,
    "Fungsional Keahlian": 2,
    "Pelaksana": 1,
    "Fungsional Keterampilan": 1,
}


@dataclass
class People:
    """The pegawai of a unit subtree (and the atasan they name outside it), with the SKP that
    stands for each this year: the effective (approved) one, else the latest version."""

    employees: dict[int, Employee]
    inside: set[int]
    skp: dict[int, Skp]
    units: dict[int, Unit]

    def state(self, employee_id: int) -> str:
        skp = self.skp.get(employee_id)
        if skp is None:
            return NONE
        return APPROVED if skp.effective else skp.status

    def subordinates(self, employee_id: int) -> list[Employee]:
        return sorted(
            (
                e
                for e in self.employees.values()
                if e.supervisor_id == employee_id and e.id in self.inside
            ),
            key=lambda e: (-JABATAN_RANK.get(e.jenis_jabatan, 0), e.nama),
        )


def load_people(roots: list[Unit], tahun: int) -> People:
    """Three queries: the pegawai of the subtrees (with units), their atasan outside them, and
    this year's SKP of all of them."""
    employees = {
        e.id: e
        for e in Employee.select(Employee, Unit)
        .join(Unit)
        .where(Unit.path_within(roots), Employee.active == True)  # noqa: E712
    }
    inside = set(employees)
    outside = {e.supervisor_id for e in employees.values() if e.supervisor_id} - inside
    if outside:
        for boss in (
            Employee.select(Employee, Unit).join(Unit).where(Employee.id.in_(list(outside)))
        ):
            employees[boss.id] = boss
    chosen: dict[int, Skp] = {}
    for skp in (
        Skp.select()
        .where(Skp.employee.in_(list(employees) or [0]), Skp.tahun == tahun)
        .order_by(Skp.start_date, Skp.version_no)
    ):
        current = chosen.get(skp.employee_id)
        if skp.effective:
            chosen[skp.employee_id] = skp  # the latest effective wins
        elif skp.latest and (
            current is None or not current.effective or current.start_date < skp.start_date
        ):
            chosen[skp.employee_id] = skp
    units = {e.unit_id: e.unit for e in employees.values()}
    return People(employees, inside, chosen, units)


def heads(people: People) -> list[Employee]:
    """Pegawai of the subtree whose atasan is outside it (or missing): the top of the pohon."""
    tops = [
        e
        for e in people.employees.values()
        if e.id in people.inside
        and (e.supervisor_id is None or e.supervisor_id not in people.inside)
    ]
    return sorted(tops, key=lambda e: (-JABATAN_RANK.get(e.jenis_jabatan, 0), e.nama))


# --- the pohon ------------------------------------------------------------------------------


@dataclass
class RhkNode:
    rhk: Rhk
    owner: Employee
    state: str
    children: list[RhkNode] = field(default_factory=list)
    gap: bool = False  # nobody below serves it


@dataclass
class Tree:
    roots: list[RhkNode]
    without_approved: list[tuple[Employee, str]]
    unlinked: list[RhkNode]
    heads: list[Employee]
    count: int


def pohon(people: People, root_ids: list[int] | None = None) -> Tree:
    """The RHK tree below `root_ids` (the heads by default); one query for the RHK and one for
    the lineage of intervened RHK that belong to older versions."""
    root_ids = root_ids or [e.id for e in heads(people)]
    below: set[int] = set()
    frontier = list(root_ids)
    depth = 0
    while frontier and depth <= MAX_DEPTH:
        below.update(frontier)
        frontier = [
            e.id
            for e in people.employees.values()
            if e.supervisor_id in set(frontier) and e.id in people.inside and e.id not in below
        ]
        depth += 1
    skp_ids = {people.skp[i].id: i for i in below if i in people.skp}
    rows = list(Rhk.select().where(Rhk.skp.in_(list(skp_ids) or [0])).order_by(Rhk.urutan, Rhk.id))
    lineage_of = {r.id: (r.lineage or r.id) for r in rows}
    missing = {r.intervenes_id for r in rows if r.intervenes_id} - set(lineage_of)
    if missing:
        query = Rhk.select(Rhk.id, Rhk.lineage).where(Rhk.id.in_(list(missing))).tuples()
        for rhk_id, lineage in cast(Iterable[tuple[int, int | None]], query):
            lineage_of[rhk_id] = lineage or rhk_id
    nodes: dict[int, RhkNode] = {}
    for r in rows:
        owner_id = skp_ids[r.skp_id]
        nodes[r.id] = RhkNode(r, people.employees[owner_id], people.state(owner_id))
    by_lineage: dict[int, RhkNode] = {lineage_of[r.id]: nodes[r.id] for r in rows}
    attached: set[int] = set()
    for r in rows:
        if r.intervenes_id:
            parent = by_lineage.get(lineage_of.get(r.intervenes_id, r.intervenes_id))
            if parent is not None and parent.rhk.id != r.id:
                parent.children.append(nodes[r.id])
                attached.add(r.id)
    has_subordinates = {e.supervisor_id for e in people.employees.values() if e.id in below}
    for node in nodes.values():
        node.gap = node.owner.id in has_subordinates and not node.children
    roots = [nodes[r.id] for r in rows if skp_ids[r.skp_id] in root_ids and r.id not in attached]
    unlinked = [
        nodes[r.id]
        for r in rows
        if r.id not in attached and skp_ids[r.skp_id] not in root_ids and r.jenis == UTAMA
    ]
    without = sorted(
        ((people.employees[i], people.state(i)) for i in below if people.state(i) != APPROVED),
        key=lambda pair: pair[0].nama,
    )
    return Tree(roots, without, unlinked, [people.employees[i] for i in root_ids], len(rows))


def tree_units(actor: Employee) -> list[Unit]:
    """Units whose pohon `actor` may open: the administered ones (admins), else their own
    unit when they head it or are an atasan in it."""
    if can_monitor(actor):
        return list(org.units_administered(actor))
    return [actor.unit]


def tree_for(actor: Employee, unit_id: int | None, tahun: int) -> tuple[Unit, Tree]:
    """The pohon of a unit the actor administers, or (anyone else) the pohon below themself."""
    if can_monitor(actor):
        units = tree_units(actor)
        unit = next((u for u in units if u.get_id() == unit_id), units[0] if units else None)
        if unit is None or (unit_id and unit.get_id() != unit_id):
            raise NotFound(_("The unit was not found."))
        return unit, pohon(load_people([unit], tahun))
    unit = actor.unit
    people = load_people([unit], tahun)
    return unit, pohon(people, [actor.id])


# --- monitoring -----------------------------------------------------------------------------


@dataclass
class UnitCounts:
    unit: Unit
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Waiting:
    employee: Employee
    chain: list[tuple[Employee, str]]  # atasan upwards with their state
    chase: Employee


@dataclass
class Monitoring:
    rows: list[UnitCounts]
    totals: dict[str, int]
    without: list[Employee]
    waiting: list[Waiting]
    odd_atasan: list[tuple[Employee, Employee | None, str]]


STATES = [NONE, DRAFT, SUBMITTED, RETURNED, APPROVED]


def monitoring(actor: Employee, unit: Unit, tahun: int) -> Monitoring:
    """Counts per unit and state, who has none, who waits on whom, odd atasan (4 queries)."""
    if not org.can_admin_unit(actor, unit):
        raise NotFound(_("The unit was not found."))
    people = load_people([unit], tahun)
    per_unit: dict[int, dict[str, int]] = {}
    totals = dict.fromkeys(STATES, 0)
    without: list[Employee] = []
    waiting: list[Waiting] = []
    odd: list[tuple[Employee, Employee | None, str]] = []
    for employee in sorted((people.employees[i] for i in people.inside), key=lambda e: e.nama):
        state = people.state(employee.id)
        counts = per_unit.setdefault(employee.unit_id, dict.fromkeys(STATES, 0))
        counts[state] += 1
        totals[state] += 1
        if state == NONE:
            without.append(employee)
        if state != APPROVED:
            chain = _chain(people, employee)
            blockers = [boss for boss, boss_state in chain if boss_state != APPROVED]
            if blockers:
                waiting.append(Waiting(employee, chain, blockers[-1]))
        boss = people.employees.get(employee.supervisor_id or 0)
        if employee.supervisor_id and boss is None:
            odd.append((employee, None, _("the recorded atasan is inactive")))
        elif boss is not None:
            if employee.jenis_jabatan != "JPT" and not boss.unit.contains(employee.unit):
                odd.append((employee, boss, _("the atasan works outside the unit tree")))
            if JABATAN_RANK.get(boss.jenis_jabatan, 0) < JABATAN_RANK.get(
                employee.jenis_jabatan, 0
            ):
                odd.append((employee, boss, _("the atasan holds a lower jabatan level")))
    rows = [
        UnitCounts(people.units[unit_id], counts)
        for unit_id, counts in sorted(per_unit.items(), key=lambda item: people.units[item[0]].path)
    ]
    return Monitoring(rows, totals, without, waiting, odd)


def _chain(people: People, employee: Employee) -> list[tuple[Employee, str]]:
    chain: list[tuple[Employee, str]] = []
    seen = {employee.id}
    current = employee.supervisor_id
    while (
        current and current in people.employees and current not in seen and len(chain) < MAX_DEPTH
    ):
        boss = people.employees[current]
        chain.append((boss, people.state(boss.id)))
        seen.add(boss.id)
        current = boss.supervisor_id
    return chain


def remind_missing(actor: Employee, unit: Unit, tahun: int) -> int:
    """Tell every pegawai of the unit tree without an SKP this year to draft one (once a day)."""
    result = monitoring(actor, unit, tahun)
    today = local_today()
    notices = []
    for employee in result.without:
        with force_locale(employee.language or "id"):
            message = _("Please draft your SKP %(year)s: you have none yet.", year=tahun)
        notices.append(
            Notice(
                employee,
                "skp_reminder",
                message,
                path_for("performance.index"),
                dedupe_key=f"skp-reminder:{tahun}:{today.isoformat()}",
            )
        )
    with write_transaction():
        return notify_many(notices)
