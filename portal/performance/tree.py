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
from typing import Any, NamedTuple, cast

from flask_babel import force_locale
from flask_babel import gettext as _
from peewee import Expression

from portal.clock import local_today
from portal.db import kept, raw_rows, write_transaction
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


class Place(NamedTuple):
    """What the pohon and the monitoring show of a unit."""

    id: int
    nama: str
    path: str

    def contains(self, other: Place) -> bool:
        """`other` is this unit or lies below it."""
        return other.path.startswith(self.path)


class Person(NamedTuple):
    """What the pohon and the monitoring show of a pegawai (plain values: a unit's worth of
    rows builds no model objects)."""

    id: int
    nip: str
    nama: str
    jabatan: str
    jenis_jabatan: str
    unit_id: int
    supervisor_id: int | None
    language: str | None  # the reminder's language
    unit: Place


# The columns of a Person and their Place, in order
PERSON = (
    Employee.id,
    Employee.nip,
    Employee.nama,
    Employee.jabatan,
    Employee.jenis_jabatan,
    Employee.unit,
    Employee.supervisor,
    Employee.language,
    Unit.id,
    Unit.nama,
    Unit.path,
)


def persons(query: Any, *key: Any) -> dict[int, Person]:
    """{id: Person} of a query of the PERSON columns, read as the driver returns them (with
    `key`, its text compiled once per key: `portal.db.kept`)."""
    places: dict[int, Place] = {}
    result: dict[int, Person] = {}
    for row in raw_rows(query, *key):
        pk, nip, nama, jabatan, jenis, unit_id, supervisor_id, language, _, unit_nama, path = row
        place = places.get(unit_id)
        if place is None:
            place = places[unit_id] = Place(unit_id, unit_nama, path)
        result[pk] = Person(pk, nip, nama, jabatan, jenis, unit_id, supervisor_id, language, place)
    return result


@dataclass
class People:
    """The pegawai of a unit subtree (and the atasan they name outside it), with the SKP that
    stands for each this year: the effective (approved) one, else the latest version."""

    employees: dict[int, Person]
    inside: set[int]
    skp: dict[int, Skp]
    units: dict[int, Place]

    def state(self, employee_id: int) -> str:
        skp = self.skp.get(employee_id)
        if skp is None:
            return NONE
        return APPROVED if skp.effective else skp.status


def load_people(roots: list[Unit], tahun: int) -> People:
    """Three queries: the pegawai of the subtrees (with units), their atasan outside them, and
    this year's SKP of all of them."""
    paths = tuple(root.path for root in roots)
    query = Employee.select(*PERSON).join(Unit).where(_members(roots))
    employees = persons(query, "performance.people", paths)
    inside = set(employees)
    outside = tuple(
        sorted({e.supervisor_id for e in employees.values() if e.supervisor_id} - inside)
    )
    if outside:
        query = Employee.select(*PERSON).join(Unit).where(Employee.id.in_(outside))
        employees.update(persons(query, "performance.people_outside", outside))
    # the members as a subquery, not a unit's ids bound one by one
    whose = Skp.employee.in_(_member_ids(roots)) | Skp.employee.in_(outside or (0,))
    units = {e.unit_id: e.unit for e in employees.values()}
    skp = _chosen_skp(whose, tahun, "people", paths, outside)
    return People(employees, inside, skp, units)


def _members(roots: list[Unit]) -> Expression:
    """The condition "an active pegawai of the subtrees" (on a query joined to Unit)."""
    return Unit.path_within(roots) & (Employee.active == True)  # noqa: E712


def _member_ids(roots: list[Unit]) -> Any:
    return Employee.select(Employee.id).join(Unit).where(_members(roots))


def _chosen_skp(whose: Expression, tahun: int, *key: Any) -> dict[int, Skp]:
    """The SKP that stands in `tahun` for each pegawai `whose` (a condition on Skp.employee):
    the effective (approved) one, else the latest version (one query; `key` names every value
    of `whose`: `portal.db.kept`)."""
    chosen: dict[int, Skp] = {}
    query = Skp.select().where(whose, Skp.tahun == tahun).order_by(Skp.start_date, Skp.version_no)
    for skp in kept(query, "performance.chosen_skp", tahun, *key):
        current = chosen.get(skp.employee_id)
        if skp.effective:
            chosen[skp.employee_id] = skp  # the latest effective wins
        elif skp.latest and (
            current is None or not current.effective or current.start_date < skp.start_date
        ):
            chosen[skp.employee_id] = skp
    return chosen


def heads(people: People) -> list[Person]:
    """Pegawai of the subtree whose atasan is outside it (or missing): the top of the pohon."""
    tops = [
        e
        for e in people.employees.values()
        if e.id in people.inside
        and (e.supervisor_id is None or e.supervisor_id not in people.inside)
    ]
    return sorted(tops, key=_rank)


def _rank(employee: Person) -> tuple[int, str]:
    return (-JABATAN_RANK.get(employee.jenis_jabatan, 0), employee.nama)


# --- the pohon ------------------------------------------------------------------------------

# Levels of pegawai a pohon shows from its top (at least 2); a pegawai of the last level with
# staff links to the pohon from them down (a city's pohon is tens of thousands of RHK)
LEVELS = 4


@dataclass
class RhkNode:
    rhk: Rhk
    owner: Person
    state: str
    children: list[RhkNode] = field(default_factory=list)
    gap: bool = False  # nobody below serves it (unknown for an owner on the cut)
    below: int = 0  # the owner is on the cut: pegawai below them, opened from the owner


@dataclass
class Tree:
    roots: list[RhkNode]
    without_approved: list[tuple[Person, str]]
    unlinked: list[RhkNode]
    heads: list[Person]
    count: int
    above: list[Person] = field(default_factory=list)  # the atasan above a pohon opened lower
    cut: dict[int, int] = field(default_factory=dict)  # last level's pegawai with staff: how many


@dataclass
class Structure:
    """Who reports to whom among the active pegawai of a unit subtree: ids only, one light
    query for the whole subtree."""

    supervisor: dict[int, int | None]
    children: dict[int, list[int]]

    @classmethod
    def of(cls, unit: Unit) -> Structure:
        query = (
            Employee.select(Employee.id, Employee.supervisor)
            .join(Unit, on=(Employee.unit == Unit.id))
            .where(_members([unit]))
            .tuples()
        )
        rows = kept(query, "performance.structure", unit.path)
        supervisor = dict(cast(Iterable[tuple[int, int | None]], rows))
        children: dict[int, list[int]] = {}
        for employee_id, boss in supervisor.items():
            if boss in supervisor:
                children.setdefault(boss, []).append(employee_id)
        return cls(supervisor, children)

    def tops(self) -> list[int]:
        return [i for i, boss in self.supervisor.items() if boss not in self.supervisor]

    def reaches(self, top: int, employee_id: int) -> bool:
        """`employee_id` is `top` or below them (within MAX_DEPTH)."""
        return top in self.chain(employee_id)

    def chain(self, employee_id: int) -> list[int]:
        """`employee_id` and their atasan upwards, inside the subtree."""
        chain = [employee_id]
        current = self.supervisor.get(employee_id)
        while current in self.supervisor and current not in chain and len(chain) <= MAX_DEPTH:
            chain.append(current)
            current = self.supervisor.get(current)
        return chain

    def count_below(self, employee_id: int) -> int:
        count, frontier, seen = 0, [employee_id], {employee_id}
        while frontier:
            frontier = [c for i in frontier for c in self.children.get(i, []) if c not in seen]
            seen.update(frontier)
            count += len(frontier)
        return count


def pohon_of(
    unit: Unit,
    tahun: int,
    top: int | None = None,
    levels: int | None = None,
    ceiling: int | None = None,
) -> Tree:
    """The pohon of `unit`'s subtree from its heads (or from the pegawai `top`, who must be in
    it, and at or below the pegawai `ceiling` when given, who then heads the breadcrumb) down
    `levels` levels of pegawai, in a fixed number of queries: the subtree's structure, the
    shown pegawai, their SKP, their RHK and the lineage of older intervened RHK."""
    levels = max(levels or LEVELS, 2)  # from the last level down must go further down
    structure = Structure.of(unit)
    if top is not None and (
        top not in structure.supervisor
        or (ceiling is not None and not structure.reaches(ceiling, top))
    ):
        raise NotFound(_("The pegawai was not found."))
    root_ids = [top] if top is not None else structure.tops()
    level: dict[int, int] = {}
    frontier = list(root_ids)
    depth = 0
    while frontier and depth < levels:
        level.update((i, depth) for i in frontier)
        frontier = [c for i in frontier for c in structure.children.get(i, []) if c not in level]
        depth += 1
    above = structure.chain(top)[1:] if top is not None else []
    if ceiling is not None and ceiling in above:
        above = above[: above.index(ceiling) + 1]  # nobody above the ceiling
    everyone = len(level) == len(structure.supervisor)
    people = _load_shown(unit if everyone else None, set(level), above, tahun)
    last = levels - 1
    cut = {
        i: structure.count_below(i)
        for i, depth in level.items()
        if depth == last and structure.children.get(i)
    }
    result = pohon(people, root_ids, cut)
    result.above = [people.employees[i] for i in reversed(above) if i in people.employees]
    return result


def _load_shown(whole: Unit | None, shown: set[int], above: list[int], tahun: int) -> People:
    """The shown pegawai (with units) and the atasan above the top, and this year's SKP of the
    shown ones (two queries). When the whole subtree `whole` is shown, it is named by its path,
    not by its ids bound one by one."""
    ids = tuple(sorted(shown)) or (0,)
    if whole is not None:
        who, whose = _members([whole]), Skp.employee.in_(_member_ids([whole]))
        key: tuple[Any, ...] = ("whole", whole.path)
    else:
        who, whose = Employee.id.in_(ids), Skp.employee.in_(ids)
        key = ("shown", ids)
    query = (
        Employee.select(*PERSON)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(who | Employee.id.in_(tuple(above) or (0,)))
    )
    employees = persons(query, "performance.shown", *key, tuple(above))
    skp = _chosen_skp(whose, tahun, *key)
    units = {e.unit_id: e.unit for e in employees.values()}
    return People(employees, shown, skp, units)


def pohon(
    people: People, root_ids: list[int] | None = None, cut: dict[int, int] | None = None
) -> Tree:
    """The RHK tree of `people` below `root_ids` (the heads by default); one query for the RHK
    and one for the lineage of intervened RHK that belong to older versions. `cut`: the shown
    pegawai whose staff are not loaded, with how many are below them (no gap is known there)."""
    cut = cut or {}
    root_ids = root_ids or [e.id for e in heads(people)]
    children: dict[int, list[int]] = {}
    for e in people.employees.values():
        if e.id in people.inside and e.supervisor_id:
            children.setdefault(e.supervisor_id, []).append(e.id)
    below: set[int] = set()
    frontier = list(root_ids)
    depth = 0
    while frontier and depth <= MAX_DEPTH:
        below.update(frontier)
        frontier = [c for i in frontier for c in children.get(i, []) if c not in below]
        depth += 1
    skp_ids = {people.skp[i].id: i for i in below if i in people.skp}
    ids = tuple(sorted(skp_ids)) or (0,)
    query = Rhk.select().where(Rhk.skp.in_(ids)).order_by(Rhk.urutan, Rhk.id)
    rows = list(kept(query, "performance.tree_rhk", ids))
    lineage_of = {r.id: (r.lineage or r.id) for r in rows}
    missing = {r.intervenes_id for r in rows if r.intervenes_id} - set(lineage_of)
    if missing:
        query = Rhk.select(Rhk.id, Rhk.lineage).where(Rhk.id.in_(list(missing))).tuples()
        for rhk_id, lineage in cast(Iterable[tuple[int, int | None]], query):
            lineage_of[rhk_id] = lineage or rhk_id
    nodes: dict[int, RhkNode] = {}
    for r in rows:
        owner_id = skp_ids[r.skp_id]
        owner = people.employees[owner_id]
        nodes[r.id] = RhkNode(r, owner, people.state(owner_id), below=cut.get(owner_id, 0))
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
        node.gap = node.owner.id in has_subordinates and not node.children and not node.below
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
    tops = sorted((people.employees[i] for i in root_ids if i in people.employees), key=_rank)
    return Tree(roots, without, unlinked, tops, len(rows), cut=cut)


def tree_units(actor: Employee) -> list[Unit]:
    """Units whose pohon `actor` may open: the administered ones (admins), else their own
    unit when they head it or are an atasan in it."""
    if can_monitor(actor):
        return org.administered(actor)
    return [actor.unit]


def tree_for(
    actor: Employee, unit_id: int | None, tahun: int, top: int | None = None
) -> tuple[Unit, Tree]:
    """The pohon of a unit the actor administers (from its heads, or from the pegawai `top`
    in it), or, for anyone else, the pohon from themself (or from `top` below them) down."""
    if can_monitor(actor):
        units = tree_units(actor)
        unit = next((u for u in units if u.get_id() == unit_id), units[0] if units else None)
        if unit is None or (unit_id and unit.get_id() != unit_id):
            raise NotFound(_("The unit was not found."))
        return unit, pohon_of(unit, tahun, top)
    return actor.unit, pohon_of(actor.unit, tahun, top or actor.id, ceiling=actor.id)


# --- monitoring -----------------------------------------------------------------------------


@dataclass
class UnitCounts:
    unit: Place
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Waiting:
    employee: Person
    chain: list[tuple[Person, str]]  # atasan upwards with their state
    chase: Person


@dataclass
class Monitoring:
    rows: list[UnitCounts]
    totals: dict[str, int]
    without: list[Person]
    waiting: list[Waiting]
    odd_atasan: list[tuple[Person, Person | None, str]]

    def listing(self, name: str) -> list[Any]:
        """One of the monitoring's lists by its query-string name (see LISTS)."""
        lists: dict[str, list[Any]] = {
            "tanpa": self.without,
            "menunggu": self.waiting,
            "cek": self.odd_atasan,
        }
        return lists[name]


STATES = [NONE, DRAFT, SUBMITTED, RETURNED, APPROVED]
# The monitoring's lists (?daftar=): without an SKP, waiting on an atasan, atasan to check;
# one shown at a time, LIST_SIZE rows a page (a city has thousands in each)
LISTS = ("tanpa", "menunggu", "cek")
LIST_SIZE = 50


def monitoring(actor: Employee, unit: Unit, tahun: int) -> Monitoring:
    """Counts per unit and state, who has none, who waits on whom, odd atasan (4 queries)."""
    if not org.can_admin_unit(actor, unit):
        raise NotFound(_("The unit was not found."))
    people = load_people([unit], tahun)
    per_unit: dict[int, dict[str, int]] = {}
    totals = dict.fromkeys(STATES, 0)
    without: list[Person] = []
    waiting: list[Waiting] = []
    odd: list[tuple[Person, Person | None, str]] = []
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


def _chain(people: People, employee: Person) -> list[tuple[Person, str]]:
    chain: list[tuple[Person, str]] = []
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
