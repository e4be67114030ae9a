"""The shared rules of the performance domain, at the bottom of its import graph: status labels,
the BerAKHLAK values, who acts for whom, and the `can_...` predicates every service, view and
test asks. Deny by default; a pegawai who may not see an SKP gets 404 (`NotFound`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import cast

from flask_babel import gettext as _

from portal.clock import local_today
from portal.errors import NotFound
from portal.org import services as org
from portal.org.models import Employee
from portal.performance.models import (
    APPROVED,
    DRAFT,
    EDITABLE,
    RETURNED,
    SUBMITTED,
    Rhk,
    Skp,
)
from portal.reviews.models import ActingAssignment

DATA = Path(__file__).resolve().parent / "data" / "berakhlak.csv"


def status_labels() -> dict[str, str]:
    return {
        DRAFT: _("Draft"),
        SUBMITTED: _("Submitted"),
        APPROVED: _("Approved"),
        RETURNED: _("Returned"),
    }


STATUS_TONES = {DRAFT: "secondary", SUBMITTED: "info", APPROVED: "success", RETURNED: "warning"}


def status_badge(status: str) -> tuple[str, str]:
    """(label, tone) of an SKP status, for the status_badge macro."""
    return status_labels().get(status, status), STATUS_TONES.get(status, "secondary")


@dataclass(frozen=True)
class Value:
    """One BerAKHLAK value with its three behaviour guides."""

    kode: str
    nilai: str
    panduan: tuple[str, ...]


@cache
def berakhlak() -> tuple[Value, ...]:
    """The seven core values (portal/performance/data/berakhlak.csv, a copy of the national
    list), in the file's order."""
    values: dict[str, tuple[str, list[str]]] = {}
    with DATA.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            entry = values.setdefault(row["kode"], (row["nilai"], []))
            entry[1].append(row["panduan_perilaku"])
    return tuple(Value(kode, nilai, tuple(guides)) for kode, (nilai, guides) in values.items())


def value_codes() -> list[str]:
    return [value.kode for value in berakhlak()]


# --- who acts for whom ---------------------------------------------------------------------


def acting_for(actor: Employee, day: date | None = None) -> list[int]:
    """Ids of the atasan `actor` acts for (Plt/Plh) on `day` (today), loaded once per day (no
    query when the navigation facts have said there are none: `know_acting_for`)."""
    day = day or local_today()
    cache_ = actor.__dict__.setdefault("_skp_acting", {})
    if day not in cache_:
        rows = acting_for_query(actor, day).tuples()
        cache_[day] = [absent_id for (absent_id,) in cast(Iterable[tuple[int]], rows)]
    return cache_[day]


def know_acting_for(actor: Employee, held: int, day: date | None = None) -> None:
    """What an EXISTS of `acting_for_query` answered (a navigation fact): none means
    `acting_for` is empty on that day (most pegawai), with no query of its own."""
    if not held:
        actor.__dict__.setdefault("_skp_acting", {}).setdefault(day or local_today(), [])


def acting_for_query(actor: Employee, day: date | None = None):
    """The query of `acting_for` (absent ids), to be used as a subquery too."""
    return (
        ActingAssignment.active_on(day or local_today())
        .select(ActingAssignment.absent)
        .where(ActingAssignment.acting == actor.id)
    )


def acting_in_period(absent_id: int, start: date, end: date) -> list[int]:
    """Ids of the Plt/Plh appointed for `absent_id` at some time within [start, end]."""
    rows = (
        ActingAssignment.select(ActingAssignment.acting)
        .where(
            ActingAssignment.absent == absent_id,
            ActingAssignment.cancelled_at.is_null(),
            ActingAssignment.start_date <= end,
            ActingAssignment.end_date >= start,
        )
        .tuples()
    )
    return [acting_id for (acting_id,) in cast(Iterable[tuple[int]], rows)]


def identities(actor: Employee) -> set[int]:
    """The atasan ids `actor` decides as today: themself and whoever they act for."""
    return {actor.id, *acting_for(actor)}


def is_atasan(actor: Employee) -> bool:
    return bool(actor.is_atasan or acting_for(actor))


# --- predicates ----------------------------------------------------------------------------


def is_penilai(actor: Employee, skp: Skp) -> bool:
    """The SKP's pejabat penilai, or their Plt/Plh today; when the SKP has no penilai (a head
    without an atasan in the portal), the admin of the unit."""
    if skp.employee_id == actor.id:
        return False
    if skp.penilai_id is None:
        return bool(org.can_admin_unit(actor, skp.unit_id))
    return skp.penilai_id in identities(actor)


def can_view(actor: Employee, skp: Skp) -> bool:
    """The owner, the penilai (or Plt/Plh), the owner's current atasan (or Plt/Plh), an admin
    OPD of the owner's unit tree, an admin."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if skp.employee_id == actor.id or is_penilai(actor, skp):
        return True
    owner = skp.employee
    if owner.supervisor_id and owner.supervisor_id in identities(actor):
        return True
    return bool(org.can_admin_unit(actor, owner.unit_id))


def can_edit(actor: Employee, skp: Skp) -> bool:
    """The owner, while the latest version is a draft or returned."""
    return skp.employee_id == actor.id and skp.editable


def can_decide(actor: Employee, skp: Skp) -> bool:
    """The penilai (or Plt/Plh) of a submitted latest version."""
    return skp.latest and skp.status == SUBMITTED and is_penilai(actor, skp)


def can_set_expectations(actor: Employee, skp: Skp) -> bool:
    """The penilai (or Plt/Plh) writes the ekspektasi khusus until the SKP is approved."""
    return skp.latest and skp.status in (*EDITABLE, SUBMITTED) and is_penilai(actor, skp)


def can_create_for(actor: Employee, employee: Employee) -> bool:
    """A pegawai their own SKP."""
    return actor.id == employee.id and employee.active


def can_revise(actor: Employee, skp: Skp) -> bool:
    """The owner may start a new version of an effective (approved, latest) SKP."""
    return skp.employee_id == actor.id and skp.latest and skp.status == APPROVED


def can_manage_iku(actor: Employee, unit) -> bool:
    return bool(org.can_admin_unit(actor, unit))


def can_monitor(actor: Employee) -> bool:
    return org.is_any_admin(actor)


def require(allowed: bool) -> None:
    """Refuse with 404 (never reveal whether the object exists)."""
    if not allowed:
        raise NotFound(_("The SKP was not found."))


# --- the cascade ---------------------------------------------------------------------------


def link_owners(skp: Skp) -> list[int]:
    """Whose RHK this SKP's RHK may intervene: the penilai, and a Plt/Plh of the penilai
    appointed within the SKP's period."""
    if skp.penilai_id is None:
        return []
    return [skp.penilai_id, *acting_in_period(skp.penilai_id, skp.start_date, skp.end_date)]


def intervenable(skp: Skp):
    """The RHK this SKP's RHK may intervene (a query of Rhk joined with their Skp): RHK of an
    effective (approved, not superseded) SKP of a link owner whose period overlaps this one."""
    owners = link_owners(skp)
    return (
        Rhk.select(Rhk, Skp)
        .join(Skp)
        .where(
            Skp.employee.in_(owners or [0]),
            Skp.status == APPROVED,
            Skp.superseded_at.is_null(),
            Skp.start_date <= skp.end_date,
            Skp.end_date >= skp.start_date,
        )
        .order_by(Skp.employee, Rhk.urutan, Rhk.id)
    )


def link_is_valid(skp: Skp, target: Rhk | None) -> bool:
    """`target` (or a newer version of it) is among the RHK this SKP may intervene."""
    if target is None:
        return False
    lineage = target.lineage or target.id
    return intervenable(skp).where(Rhk.lineage == lineage).exists()
