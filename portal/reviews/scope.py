"""Who verifies whom (routing), and who may see or decide an entry.

- An entry is verified by its owner's atasan langsung; during a Plt/Plh appointment also by the
  acting verifier (recorded "oleh X sebagai Plh Y"); entries waiting longer than the escalation
  setting (working days) also by the atasan's atasan (and whoever acts for them).
- Nobody verifies their own entries, admins included. Anyone else gets 404.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from portal import settings
from portal.activities.calendar import Calendar, calendar_for
from portal.activities.models import Activity
from portal.clock import local_today, to_local
from portal.db import kept
from portal.org.models import Employee
from portal.org.services import supervisor_chain
from portal.reviews.acting import acting_assignments
from portal.reviews.models import ActingAssignment


def identities(actor: Employee, day: date | None = None) -> dict[int, ActingAssignment | None]:
    """{employee id whose queue `actor` works: None for themself, else the appointment}."""
    ids: dict[int, ActingAssignment | None] = {actor.id: None}
    for assignment in acting_assignments(actor, day):
        if assignment.absent_id != actor.id:
            ids.setdefault(assignment.absent_id, assignment)
    return ids


def is_verifier(user: Any, day: date | None = None) -> bool:
    """An atasan (with active subordinates) or an acting Plt/Plh today."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_atasan or acting_assignments(user, day))


@dataclass
class Scope:
    """What `actor` may verify today: the queues they work (their own and those they act for),
    their direct subordinates per queue, and the escalation cutoff."""

    actor: Employee
    today: date
    ids: dict  # identity id -> None | ActingAssignment
    direct: dict  # subordinate id -> identity id (whose queue)
    names: dict  # subordinate id -> nama
    escalation_days: int
    listed: bool = True  # False: `direct` and `names` were not loaded (`counting_scope`)

    def acting_for(self, identity_id: int) -> int | None:
        return None if identity_id == self.actor.id else identity_id

    @property
    def key(self) -> tuple[Any, ...]:
        """Every value the queue's statements are built from (see `portal.db.kept`)."""
        return (self.actor.id, self.today, tuple(self.ids), self.escalation_days)

    def direct_query(self) -> Any:
        """The ids of `direct` as a subquery: an atasan of a big unit has hundreds of direct
        subordinates, and binding them one by one costs more to build than to run."""
        return Employee.select(Employee.id).where(
            Employee.supervisor.in_(list(self.ids)), Employee.id != self.actor.id
        )


def scope_for(actor: Employee, today: date | None = None, fresh: bool = False) -> Scope:
    """Three queries (acting appointments, direct subordinates of each queue, the escalation
    setting), computed once per actor object and day unless `fresh`."""
    today = today or local_today()
    cache = actor.__dict__.setdefault("_scope_cache", {})
    if not fresh and today in cache:
        return cache[today]
    cache[today] = _scope(actor, today)
    return cache[today]


def _scope(actor: Employee, today: date) -> Scope:
    ids = identities(actor, today)
    direct: dict[int, int] = {}
    names: dict[int, str] = {}
    queues = tuple(ids)
    rows = (
        Employee.select(Employee.id, Employee.nama, Employee.supervisor)
        .where(Employee.supervisor.in_(queues))
        .order_by(Employee.nama)
        .tuples()
    )
    for employee_id, nama, supervisor_id in kept(rows, "reviews.direct", queues):
        if employee_id == actor.id:
            continue  # a Plh who is the absent atasan's subordinate: not their own entries
        direct.setdefault(employee_id, supervisor_id)
        names[employee_id] = nama
    return Scope(actor, today, ids, direct, names, settings.get("reviews.escalation_days"))


def counting_scope(actor: Employee, today: date) -> Scope:
    """What counting `actor`'s waiting entries needs: the full scope when this request has
    loaded it (the queue page), else the queues they work and the escalation setting without
    the list of their subordinates (`listed` False), for the count's own statement finds them
    (the menu badge on every other page of an atasan runs one statement, not two)."""
    loaded = actor.__dict__.get("_scope_cache", {}).get(today)
    if loaded is not None:
        return loaded
    escalation = settings.get("reviews.escalation_days")
    return Scope(actor, today, identities(actor, today), {}, {}, escalation, listed=False)


def waited_enough(scope: Scope, activity: Activity, unit: Any, calendar: Calendar) -> bool:
    """The entry has waited the escalation setting's working days since its submission."""
    if activity.submitted_at is None:
        return False
    submitted = to_local(activity.submitted_at).date()
    return submitted <= calendar.cutoff(scope.today, scope.escalation_days, unit)


def route(
    scope: Scope, activity: Activity, owner: Employee, calendar: Calendar
) -> tuple[bool, int | None, bool]:
    """(allowed, acting_for id or None, escalated) for one entry of `owner`."""
    if owner.id == scope.actor.id:
        return False, None, False
    middle = owner.supervisor_id
    if middle is None:
        return False, None, False
    if middle in scope.ids:
        return True, scope.acting_for(middle), False
    if middle in scope.direct and waited_enough(scope, activity, owner.unit, calendar):
        return True, scope.acting_for(scope.direct[middle]), True
    return False, None, False


def chain_ids(employee: Employee) -> list[int]:
    """Ids of the atasan chain of `employee` (atasan langsung first), bounded."""
    return [boss.id for boss in supervisor_chain(employee)]


def in_chain(actor: Employee, employee: Employee) -> bool:
    """`actor` is in the atasan chain of `employee`, or acts for someone in it today."""
    chain = chain_ids(employee)
    if actor.id in chain:
        return True
    acting_for = {a.absent_id for a in acting_assignments(actor)}
    return bool(acting_for.intersection(chain))


def can_view_entry(actor: Employee, activity: Activity) -> bool:
    """The owner, anyone in the owner's atasan chain, and whoever acts for one of them today."""
    if activity.deleted_at is not None:
        return False
    if activity.employee_id == actor.id:
        return True
    return in_chain(actor, activity.employee)


def can_decide(actor: Employee, activity: Activity, today: date | None = None) -> bool:
    """Allowed to decide on this entry now (whatever its status): see the module rules."""
    if activity.employee_id == actor.id or activity.deleted_at is not None:
        return False
    scope = scope_for(actor, today)
    allowed, _acting, _esc = route(scope, activity, activity.employee, calendar_for(scope.today))
    return allowed
