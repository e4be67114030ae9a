"""Read-models of the /kinerja pages (each a constant number of queries, whatever the number of
RHK), and the two helpers the daily entries use: `approved_rhk_choices` and `rhk_labels`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import peewee as pw
from flask_babel import gettext as _

from portal.clock import local_today
from portal.db import kept
from portal.org.models import Employee, Unit
from portal.performance.models import (
    APPROVED,
    SUBMITTED,
    BehaviourExpectation,
    Iku,
    Indicator,
    Rhk,
    Skp,
)
from portal.performance.rules import (
    Value,
    acting_for_query,
    berakhlak,
    can_decide,
    can_edit,
    can_revise,
    can_set_expectations,
    identities,
    intervenable,
)

LABEL_MAX = 120


def _label(uraian: str) -> str:
    text = " ".join(uraian.split())
    return text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"


def approved_rhk_choices(employee: Employee | int, on_date: date) -> list[tuple[int, str]]:
    """[(rhk id, label)] of the RHK of `employee`'s SKP effective on `on_date` (approved, not
    superseded, the date within its period), utama first: the choices of a daily entry."""
    employee_id = getattr(employee, "id", employee)
    query = (
        Rhk.select(Rhk.id, Rhk.uraian, Rhk.jenis, Rhk.urutan)
        .join(Skp)
        .where(
            Skp.employee == employee_id,
            Skp.status == APPROVED,
            Skp.superseded_at.is_null(),
            Skp.start_date <= on_date,
            Skp.end_date >= on_date,
        )
    )
    rows = list(kept(query, "performance.rhk_choices", employee_id, on_date))
    rows.sort(key=lambda row: row.order)
    return [(row.id, _label(row.uraian)) for row in rows]


def rhk_labels(ids) -> dict[int, str]:
    """{rhk id: label} for the given ids (one query; unknown ids are left out)."""
    wanted = {int(i) for i in ids if i}
    if not wanted:
        return {}
    rows = Rhk.select(Rhk.id, Rhk.uraian).where(Rhk.id.in_(list(wanted)))
    return {row.id: _label(row.uraian) for row in rows}


# --- the SKP page ------------------------------------------------------------------------------


@dataclass
class RhkRow:
    rhk: Rhk
    indicators: list[Indicator] = field(default_factory=list)
    parent: Rhk | None = None
    parent_owner: str = ""


@dataclass
class ValueRow:
    value: Value
    ekspektasi: str


@dataclass
class SkpPage:
    skp: Skp
    owner: Employee
    penilai: Employee | None
    unit: Unit
    utama: list[RhkRow]
    tambahan: list[RhkRow]
    values: list[ValueRow]
    versions: list[Skp]
    link_choices: list[tuple[int, str]]
    iku_choices: list[Iku]
    can_edit: bool
    can_decide: bool
    can_revise: bool
    can_set_expectations: bool

    @property
    def groups(self) -> list[tuple[str, list[RhkRow]]]:
        """RHK utama by perspektif (a JPT's SKP), else one group."""
        if not self.skp.jpt:
            return [("", self.utama)]
        grouped: dict[str, list[RhkRow]] = {}
        for row in self.utama:
            grouped.setdefault(row.rhk.perspektif or _("Without perspektif"), []).append(row)
        return list(grouped.items())


def skp_page(actor: Employee, skp: Skp) -> SkpPage:
    """Everything the SKP page shows, in a fixed number of queries."""
    Owner = Employee.alias("owner")
    rows = list(Rhk.select().where(Rhk.skp == skp.id).order_by(Rhk.urutan, Rhk.id))
    ids = [r.id for r in rows] or [0]
    by_rhk: dict[int, list[Indicator]] = {}
    for indicator in (
        Indicator.select().where(Indicator.rhk.in_(ids)).order_by(Indicator.urutan, Indicator.id)
    ):
        by_rhk.setdefault(indicator.rhk_id, []).append(indicator)
    parent_ids = [r.intervenes_id for r in rows if r.intervenes_id] or [0]
    parents = {
        p.id: p
        for p in Rhk.select(Rhk, Skp, Owner)
        .join(Skp)
        .join(Owner, on=(Skp.employee == Owner.id))
        .where(Rhk.id.in_(parent_ids))
    }
    people = {
        e.id: e
        for e in Employee.select(Employee, Unit)
        .join(Unit)
        .where(Employee.id.in_([skp.employee_id, skp.penilai_id or 0]))
    }
    owner = people[skp.employee_id]
    utama: list[RhkRow] = []
    tambahan: list[RhkRow] = []
    for rhk in rows:
        parent = parents.get(rhk.intervenes_id) if rhk.intervenes_id else None
        row = RhkRow(
            rhk, by_rhk.get(rhk.id, []), parent, parent.skp.employee.nama if parent else ""
        )
        (utama if rhk.jenis == "utama" else tambahan).append(row)
    expectations = {
        e.kode: e.ekspektasi
        for e in BehaviourExpectation.select().where(BehaviourExpectation.skp == skp.id)
    }
    versions = list(
        Skp.select(Skp.id, Skp.version_no, Skp.status, Skp.superseded_at, Skp.latest)
        .where(Skp.employee == skp.employee_id, Skp.start_date == skp.start_date)
        .order_by(Skp.version_no.desc())
    )
    editable = can_edit(actor, skp)
    link_choices: list[tuple[int, str]] = []
    if editable and not skp.jpt:
        targets = list(intervenable(skp))
        owners = {r.skp.employee_id for r in targets}
        names: dict[int, str] = {}
        if len(owners) > 1:  # the atasan and a Plt/Plh: say whose RHK each is
            names = {
                e.id: e.nama
                for e in Employee.select(Employee.id, Employee.nama).where(
                    Employee.id.in_(list(owners))
                )
            }
        link_choices = [
            (
                r.id,
                f"{_label(r.uraian)} ({names[r.skp.employee_id]})" if names else _label(r.uraian),
            )
            for r in targets
        ]
    iku_choices = []
    if editable and skp.jpt:
        iku_choices = list(
            Iku.select()
            .where(Iku.unit == skp.unit_id, Iku.tahun == skp.tahun, Iku.active == True)  # noqa: E712
            .order_by(Iku.perspektif, Iku.id)
        )
    return SkpPage(
        skp=skp,
        owner=owner,
        penilai=people.get(skp.penilai_id or 0),
        unit=owner.unit,
        utama=utama,
        tambahan=tambahan,
        values=[ValueRow(v, expectations.get(v.kode, "")) for v in berakhlak()],
        versions=versions,
        link_choices=link_choices,
        iku_choices=iku_choices,
        can_edit=editable,
        can_decide=can_decide(actor, skp),
        can_revise=can_revise(actor, skp),
        can_set_expectations=can_set_expectations(actor, skp),
    )


# --- my SKP and my team's ------------------------------------------------------------------------


@dataclass
class TeamRow:
    employee: Employee
    skp: Skp | None


def my_skps(actor: Employee) -> list[Skp]:
    """The latest version of each of `actor`'s SKP, newest period first."""
    query = (
        Skp.select()
        .where(Skp.employee == actor.id, Skp.latest == True)  # noqa: E712
        .order_by(Skp.start_date.desc())
    )
    return list(kept(query, "performance.my_skps", actor.id))


def team(actor: Employee, tahun: int | None = None) -> list[TeamRow]:
    """The subordinates of `actor` (and of whom they act for today) with their latest SKP of
    the year: two queries."""
    tahun = tahun or local_today().year
    leaders = list(identities(actor))
    people_query = (
        Employee.select()
        .where(
            Employee.supervisor.in_(leaders),
            Employee.active == True,  # noqa: E712
            Employee.id != actor.id,
        )
        .order_by(Employee.nama)
    )
    people = list(kept(people_query, "performance.team", actor.id, *leaders))
    ids = [p.id for p in people] or [0]
    skps = (
        Skp.select()
        .where(Skp.employee.in_(ids), Skp.tahun == tahun, Skp.latest == True)  # noqa: E712
        .order_by(Skp.start_date)
    )
    latest: dict[int, Skp] = {}
    for skp in kept(skps, "performance.team_skps", tahun, *ids):
        latest[skp.employee_id] = skp
    return [TeamRow(p, latest.get(p.id)) for p in people]


def waiting_query(actor: Employee, day: date | None = None) -> pw.ColumnBase:
    """How many SKP wait for `actor`'s decision (as themself or as Plt/Plh on `day`, today by
    default), as a scalar expression (the menu badge, read with the other navigation facts).

    Two counts added, each through the (penilai, status) index: with "penilai = me OR penilai
    IN (whom I act for)" MariaDB reads the whole table, on every page of every user."""
    waiting = (
        (Skp.status == SUBMITTED) & (Skp.latest == True) & (Skp.employee != actor.id)  # noqa: E712
    )
    own = Skp.select(pw.fn.COUNT(Skp.id)).where(Skp.penilai == actor.id, waiting)
    acting = Skp.select(pw.fn.COUNT(Skp.id)).where(
        Skp.penilai.in_(acting_for_query(actor, day)), Skp.penilai != actor.id, waiting
    )
    return pw.NodeList((own, pw.SQL("+"), acting), parens=True)
