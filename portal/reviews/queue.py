"""The verification queue: the entries waiting for (or decided by) a verifier, grouped by
pegawai and day, the badge count, and the entry page (details, history). Read-only; a fixed
number of queries whatever the queue's size."""

from collections import OrderedDict, defaultdict
from dataclasses import astuple, dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import peewee as pw
from flask_babel import gettext as _

from portal.activities.calendar import calendar_for
from portal.activities.models import (
    APPROVED,
    DRAFT,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    ActivityEvent,
    Evidence,
)
from portal.activities.rules import find_overlap, options
from portal.clock import local_today, timezone, to_local
from portal.db import kept
from portal.errors import NotFound
from portal.org.models import Employee, Unit
from portal.performance.models import Rhk
from portal.reviews.acting import acting_kinds
from portal.reviews.feedback import messages
from portal.reviews.scope import (
    Scope,
    can_decide,
    can_view_entry,
    counting_scope,
    route,
    scope_for,
    waited_enough,
)
from portal.web.formatting import tanggal

QUEUE_LIMIT = 500  # entries shown at once; the oldest first


@dataclass
class Day:
    tanggal: date
    entries: list = field(default_factory=list)
    day_minutes: int = 0  # everything of the day that is submitted or approved
    over_cap: int = 0  # the daily maximum when day_minutes exceed it, else 0

    @property
    def claimed(self) -> int:
        return sum(entry.minutes for entry in self.entries)

    @property
    def items(self) -> str:
        return ",".join(f"{entry.id}:{entry.version}" for entry in self.entries)


@dataclass
class PegawaiGroup:
    employee: Employee
    days: list = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(day.entries) for day in self.days)

    @property
    def items(self) -> str:
        return ",".join(day.items for day in self.days)


@dataclass
class Queue:
    groups: list
    total: int
    shown: int
    employees: list  # (id, nama) for the pegawai filter
    status: str
    limited: bool
    warned: int = 0  # entries shown with a warning (overlap, day over the cap, late)

    @property
    def items(self) -> str:
        return ",".join(group.items for group in self.groups)


@dataclass
class QueueFilter:
    employee_id: int | None = None
    start: date | None = None
    end: date | None = None
    status: str = SUBMITTED


def _base_query(scope: Scope, status: str) -> Any:
    """Entries of the direct subordinates of the queues `actor` works, plus (for waiting
    entries) those of the subordinates' subordinates, candidates for escalation."""
    direct = scope.direct_query()
    owner_in_scope = Activity.employee.in_(direct)
    query = (
        Activity.select(Activity, Employee, Unit)
        .join(Employee, on=(Activity.employee == Employee.id))
        .join(Unit)  # the owner's unit (Employee.unit)
        .where(Activity.deleted_at.is_null(), Activity.employee != scope.actor.id)
    )
    if status == SUBMITTED:
        # escalation candidates: waited at least N calendar days (working days are fewer)
        floor = scope.today - timedelta(days=scope.escalation_days)
        escalated = Employee.supervisor.in_(direct) & (
            Activity.submitted_at < _utc_start_of(floor + timedelta(days=1))
        )
        # The owners, as an id list the (employee, date) index can drive: the direct
        # subordinates and theirs. Without it the OR across the join leaves the database only
        # the status index: every waiting entry of the city (370 ms a page at 20,000 pegawai).
        team = Employee.select(Employee.id).where(
            Employee.id.in_(direct) | Employee.supervisor.in_(direct)
        )
        query = query.where(
            Activity.status == SUBMITTED,
            Activity.employee.in_(team),
            owner_in_scope | escalated,
        )
    elif status in (APPROVED, NEEDS_REVISION, REJECTED):
        query = query.where(Activity.status == status, owner_in_scope)
    else:
        query = query.where(Activity.status != DRAFT, owner_in_scope)
    return query


def _utc_start_of(day: date) -> datetime:
    """The UTC timestamp (naive) of local midnight at the start of `day`."""
    local = datetime(day.year, day.month, day.day, tzinfo=timezone())
    return local.astimezone(UTC).replace(tzinfo=None)


def queue(actor: Employee, filters: QueueFilter | None = None, today: date | None = None) -> Queue:
    """The verification queue of `actor`, grouped by pegawai and day, oldest first.

    A fixed number of queries whatever its size: acting appointments, subordinates, the entries
    (with owner, unit and RHK), holidays, the day totals, evidence, and a count when limited.
    """
    filters = filters or QueueFilter()
    scope = scope_for(actor, today)
    query = _base_query(scope, filters.status) if scope.direct else None
    employees = sorted(scope.names.items(), key=lambda item: item[1])
    if query is None:
        return Queue([], 0, 0, employees, filters.status, False)
    # The RHK each entry serves, in the same query (its text is shown beside the entry).
    query = (
        query.select_extend(Rhk.id, Rhk.uraian)
        .switch(Activity)
        .join(Rhk, pw.JOIN.LEFT_OUTER, on=(Activity.rhk == Rhk.id))
    )
    if filters.employee_id:
        query = query.where(Activity.employee == filters.employee_id)
    if filters.start:
        query = query.where(Activity.tanggal >= filters.start)
    if filters.end:
        query = query.where(Activity.tanggal <= filters.end)
    ordering: tuple[Any, ...] = (Activity.tanggal, Activity.jam_mulai, Activity.id)
    if filters.status != SUBMITTED:
        ordering = (Activity.tanggal.desc(), Activity.jam_mulai, Activity.id)
    page = query.order_by(*ordering).limit(QUEUE_LIMIT + 1)
    rows = list(kept(page, "reviews.queue", scope.key, astuple(filters)))
    limited = len(rows) > QUEUE_LIMIT
    rows = rows[:QUEUE_LIMIT]
    calendar = calendar_for(scope.today)
    shown = []
    for row in rows:
        allowed, acting_for, escalated = route(scope, row, row.employee, calendar)
        if filters.status != SUBMITTED:
            allowed = row.employee_id in scope.direct
        if allowed:
            row.escalated = escalated
            row.acting_for_id = acting_for
            shown.append(row)
    _attach_evidence(shown)
    totals, overlapping = _day_totals(shown)
    opts = options()
    for row in shown:
        row.warnings = _warnings(row, totals, overlapping, opts, calendar)
    groups: OrderedDict[int, PegawaiGroup] = OrderedDict()
    for row in shown:
        group = groups.get(row.employee_id)
        if group is None:
            group = groups[row.employee_id] = PegawaiGroup(row.employee)
        if not group.days or group.days[-1].tanggal != row.tanggal:
            minutes = totals.get(row.employee_id, {}).get(row.tanggal, 0)
            over = opts["max_minutes"] if minutes > opts["max_minutes"] else 0
            group.days.append(Day(row.tanggal, day_minutes=minutes, over_cap=over))
        group.days[-1].entries.append(row)
    total = len(shown)
    if limited:
        total = query.count()
    elif filters == QueueFilter():
        # the whole waiting queue, counted: the menu badge (`waiting_count`) needs no statement
        _waiting_cache(actor)[scope.today] = total
    for employee_id, nama in [(row.employee_id, row.employee.nama) for row in shown]:
        if employee_id not in scope.names:
            scope.names[employee_id] = nama
    employees = sorted(scope.names.items(), key=lambda item: item[1])
    warned = sum(1 for row in shown if row.warnings)
    return Queue(
        list(groups.values()), total, len(shown), employees, filters.status, limited, warned
    )


def warned_entries(actor: Employee, filters: QueueFilter, ids: set[int]) -> list[Activity]:
    """The entries among `ids` of `actor`'s queue (as filtered) that carry a warning."""
    shown = queue(actor, filters)
    return [
        entry
        for group in shown.groups
        for day in group.days
        for entry in day.entries
        if entry.id in ids and entry.warnings
    ]


def _warnings(row, totals, overlapping, opts, calendar) -> list[str]:
    """What the atasan should look at before approving `row`: it overlaps another entry of the
    day, the day's total is over the maximum, or it was submitted after the input deadline
    (through an unlock; a resubmission after a return is not late)."""
    found = []
    if row.id in overlapping:
        found.append(_("Overlaps another entry of the day."))
    if totals.get(row.employee_id, {}).get(row.tanggal, 0) > opts["max_minutes"]:
        found.append(_("The day is over the maximum of %(max)s minutes.", max=opts["max_minutes"]))
    if row.status == SUBMITTED and row.submitted_at and not row.decided_by_id:
        submitted = to_local(row.submitted_at).date()
        late = calendar.count_after(row.tanggal, submitted, row.employee.unit)
        if late > opts["deadline_days"]:
            found.append(_("Submitted late, on %(date)s.", date=tanggal(submitted, "d MMMM y")))
    return found


def _attach_evidence(rows):
    by_activity = defaultdict(list)
    if rows:
        ids = [row.id for row in rows]
        for evidence in Evidence.select().where(Evidence.activity.in_(ids)).order_by(Evidence.id):
            by_activity[evidence.activity_id].append(evidence)
    for row in rows:
        row.evidence_list = by_activity.get(row.id, [])


def _day_totals(rows: list[Activity]) -> tuple[dict[int, dict[date, int]], set[int]]:
    """({employee id: {date: minutes}} of submitted and approved entries, {ids of shown entries
    that overlap another counted entry of their day}) on the days of the shown entries (their
    pegawai x their dates: not every day between the oldest and the newest), one query."""
    if not rows:
        return {}, set()
    employee_ids = sorted({row.employee_id for row in rows})
    dates = sorted({row.tanggal for row in rows})
    query: Any = (
        Activity.select(
            Activity.id,
            Activity.employee,
            Activity.tanggal,
            Activity.jam_mulai,
            Activity.jam_selesai,
            Activity.minutes,
        )
        .where(
            Activity.employee.in_(employee_ids),
            Activity.tanggal.in_(dates),
            Activity.status.in_([SUBMITTED, APPROVED]),
            Activity.deleted_at.is_null(),
        )
        .tuples()
    )
    totals: defaultdict[int, dict[date, int]] = defaultdict(dict)
    days: defaultdict[tuple[int, date], list] = defaultdict(list)
    for activity_id, employee_id, day, start_at, end_at, minutes in query:
        totals[employee_id][day] = totals[employee_id].get(day, 0) + int(minutes or 0)
        days[(employee_id, day)].append((start_at, end_at, activity_id))
    shown = {row.id for row in rows}
    overlapping = set()
    for intervals in days.values():
        for index, (start_at, end_at, activity_id) in enumerate(intervals):
            others = intervals[:index] + intervals[index + 1 :]
            if (activity_id in shown) and find_overlap(others, start_at, end_at):
                overlapping.add(activity_id)
    return totals, overlapping


def waiting_count(actor: Employee, today: date | None = None) -> int:
    """How many entries wait for `actor` (the navigation badge, the dasbor panel): computed once
    per actor object (one request) and day."""
    cache = _waiting_cache(actor)
    key = today or local_today()
    if key not in cache:
        cache[key] = _waiting_count(actor, today)
    return cache[key]


def _waiting_cache(actor: Employee) -> dict[date, int]:
    """{day: waiting count} of `actor` (this request's user object)."""
    return actor.__dict__.setdefault("_waiting_cache", {})


def _waiting_count(actor: Employee, today: date | None = None) -> int:
    scope = counting_scope(actor, today or local_today())
    if scope.listed and not scope.direct:
        return 0  # nobody to wait for: no statement
    query = _base_query(scope, SUBMITTED)
    rows = (
        query.select(
            Activity.id,
            Activity.submitted_at,
            Employee.id,
            Employee.supervisor,
            Employee.unit,
            Unit.work_days,
        )
        .order_by()
        .tuples()
    )
    rows = kept(rows, "reviews.waiting", scope.key)
    calendar = None
    count = 0
    for _id, submitted_at, _owner, supervisor_id, unit_id, work_days in rows:
        if supervisor_id in scope.ids:
            count += 1
            continue
        calendar = calendar or calendar_for(scope.today)
        unit = Unit(id=unit_id, work_days=work_days)
        fake = Activity(submitted_at=submitted_at)
        if waited_enough(scope, fake, unit, calendar):
            count += 1
    return count


def entry_history(activity: Activity) -> list[ActivityEvent]:
    """The entry's events with actor and acting-for names (one query)."""
    Actor = Employee.alias("actor")
    ActingFor = Employee.alias("acting_for")
    return list(
        ActivityEvent.select(ActivityEvent, Actor, ActingFor)
        .join(Actor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.actor == Actor.id))
        .switch(ActivityEvent)
        .join(ActingFor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.acting_for == ActingFor.id))
        .where(ActivityEvent.activity == activity.id)
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    )


def viewable_entry(actor: Employee, activity_id: int) -> Activity:
    """The live entry with its owner and unit, if `actor` may see it (else 404)."""
    activity = Activity.get_or_none(Activity.id == activity_id, Activity.deleted_at.is_null())
    if activity is None:
        raise NotFound(_("The activity does not exist."))
    activity.employee = (
        Employee.select(Employee, Unit).join(Unit).where(Employee.id == activity.employee_id).get()
    )
    if not can_view_entry(actor, activity):
        raise NotFound(_("The activity does not exist."))
    return activity


def entry_page(actor: Employee, activity: Activity) -> dict[str, Any]:
    """What the entry page shows: details, evidence, history (with Plt/Plh kinds), the decider,
    the feedback thread, and whether `actor` may decide it now (a fixed number of queries)."""
    people_ids = {activity.decided_by_id, activity.decided_as_id} - {None}
    people: dict[int | None, Employee] = {
        e.id: e for e in Employee.select().where(Employee.id.in_(people_ids or {0}))
    }
    history = entry_history(activity)
    pairs = {(event.actor_id, event.acting_for_id) for event in history}
    pairs.add((activity.decided_by_id, activity.decided_as_id))
    kinds = acting_kinds(pairs)
    return {
        "activity": activity,
        "owner": activity.employee,
        "evidence": list(Evidence.select().where(Evidence.activity == activity.id)),
        "history": history,
        "kinds": kinds,
        "decided_kind": kinds.get((activity.decided_by_id, activity.decided_as_id), "Plh"),
        "messages": messages(activity.employee, activity=activity),
        # A resubmitted entry waits again: its previous decision is history, not its state.
        "decided_by": None if activity.status == SUBMITTED else people.get(activity.decided_by_id),
        "decided_as": people.get(activity.decided_as_id),
        "can_decide": activity.status == SUBMITTED and can_decide(actor, activity),
        "own": activity.employee_id == actor.id,
    }
