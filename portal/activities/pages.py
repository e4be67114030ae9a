"""What the daily log's pages show (read-models): a pegawai's day with its history and
evidence, the week strip, the month against the target, and the dasbor panel. Each is built in
a fixed number of queries, whatever the number of entries.
"""

import calendar as pycalendar
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Any

import peewee as pw

from portal import settings
from portal.activities import calendar
from portal.activities.models import (
    APPROVED,
    DRAFT,
    EDITABLE,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    ActivityEvent,
    Evidence,
    Holiday,
)
from portal.activities.rules import Options, live, options
from portal.clock import local_today
from portal.db import kept, key_unless
from portal.org.models import Employee
from portal.performance.models import Rhk
from portal.web.pagination import Page, paginate


@dataclass
class Day:
    """One day of one pegawai, with everything the day view shows (a fixed number of queries)."""

    employee: Employee
    tanggal: date
    entries: list[Activity]
    is_working: bool
    holiday: Holiday | None
    deadline: date
    open: bool
    opts: Options
    total: int = 0
    events: dict = field(default_factory=dict)
    evidence: dict = field(default_factory=dict)
    week: list["DaySummary"] = field(default_factory=list)

    @property
    def editable_ids(self) -> list[int]:
        return [entry.id for entry in self.entries if entry.status in EDITABLE]

    @property
    def previous_day(self) -> date:
        return self.tanggal - timedelta(days=1)

    @property
    def next_day(self) -> date:
        return self.tanggal + timedelta(days=1)

    @property
    def next_start(self) -> time:
        """The form remembers the last end time as the next start time."""
        if self.entries:
            return max(entry.jam_selesai for entry in self.entries)
        return self.opts["workday_start"]


def day_view(employee: Employee, tanggal: date, history_of: Collection[int] | None = None) -> Day:
    """The pegawai's entries of `tanggal` with their history and evidence (of every entry, or
    only of the entries `history_of` names: an htmx answer shows one row)."""
    opts = options()
    query = (
        Activity.select(Activity, Rhk.id, Rhk.uraian)
        .join(Rhk, pw.JOIN.LEFT_OUTER, on=(Activity.rhk == Rhk.id))
        .where(Activity.employee == employee.id, Activity.tanggal == tanggal, live())
        .order_by(Activity.jam_mulai, Activity.id)
    )
    entries = list(kept(query, "activities.day", employee.id, tanggal))
    events: dict[int, list[ActivityEvent]] = {}
    evidence: dict[int, list[Evidence]] = {}
    ids = None if history_of is None else [e.id for e in entries if e.id in history_of]
    if entries and ids != []:  # an empty day (each morning's first view) asks for no history
        _history(employee, tanggal, ids, events, evidence)
    unit = employee.unit
    # One holiday query for the week strip, the day and its input deadline.
    week_start, week_end = week_bounds(tanggal)
    horizon = tanggal + timedelta(days=calendar.window(opts["deadline_days"]))
    holidays = calendar.holidays_between(week_start, max(week_end, horizon))
    cal = calendar.calendar(tanggal, tanggal, unit, holidays)[0]
    deadline = calendar.input_deadline(tanggal, unit, opts["deadline_days"], holidays)
    today = local_today()
    is_open = tanggal <= today and (
        today <= deadline or calendar.active_unlock(employee, tanggal, today)
    )
    counted = [entry for entry in entries if entry.status != REJECTED]
    return Day(
        employee=employee,
        tanggal=tanggal,
        entries=entries,
        is_working=cal[1],
        holiday=cal[2],
        deadline=deadline,
        open=is_open,
        opts=opts,
        total=sum(entry.minutes for entry in counted),
        events=events,
        evidence=evidence,
        week=summaries(employee, week_start, week_end, holidays),
    )


def _history(
    employee: Employee,
    tanggal: date,
    ids: list[int] | None,
    events: dict[int, list[ActivityEvent]],
    evidence: dict[int, list[Evidence]],
) -> None:
    """The history and evidence of the pegawai's live entries of `tanggal` (or of those `ids`),
    into `events` and `evidence` by entry id: two statements. The day's are named by
    (pegawai, date), not by a list of ids, so that they are compiled once per pegawai and day
    (`kept`); a list of ids is built afresh."""
    if ids is None:
        which = (Activity.employee == employee.id) & (Activity.tanggal == tanggal)
    else:
        which = Activity.id.in_(ids)
    of_entries = Activity.select(Activity.id).where(which, live())
    Actor = Employee.alias()
    ActingFor = Employee.alias()
    history = (
        ActivityEvent.select(ActivityEvent, Actor.id, Actor.nama, ActingFor.id, ActingFor.nama)
        .join(Actor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.actor == Actor.id))
        .switch(ActivityEvent)
        .join(ActingFor, pw.JOIN.LEFT_OUTER, on=(ActivityEvent.acting_for == ActingFor.id))
        .where(ActivityEvent.activity.in_(of_entries))
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    )
    for event in kept(history, *key_unless(ids, "activities.day_history", employee.id, tanggal)):
        events.setdefault(event.activity_id, []).append(event)
    files = Evidence.select().where(Evidence.activity.in_(of_entries)).order_by(Evidence.id)
    for row in kept(files, *key_unless(ids, "activities.day_evidence", employee.id, tanggal)):
        evidence.setdefault(row.activity_id, []).append(row)


def previous_day_with_entries(
    employee: Employee, before: date
) -> tuple[date | None, list[Activity]]:
    """The latest earlier date with entries, and its entries (one query with a subquery)."""
    Earlier = Activity.alias()
    # ORDER BY ... LIMIT 1, not MAX(): MariaDB reads the (employee, tanggal) index backwards
    # and stops at the first live entry; for MAX it read every entry of the pegawai (1 ms)
    latest = (
        Earlier.select(Earlier.tanggal)
        .where(
            Earlier.employee == employee.id, Earlier.tanggal < before, Earlier.deleted_at.is_null()
        )
        .order_by(Earlier.tanggal.desc())
        .limit(1)
    )
    query = (
        Activity.select()
        .where(Activity.employee == employee.id, Activity.tanggal == latest, live())
        .order_by(Activity.jam_mulai)
    )
    entries = list(kept(query, "activities.previous_day", employee.id, before))
    return (entries[0].tanggal if entries else None), entries


def _day_totals(employee, start, end):
    """{date: {status: (count, minutes, menit_diakui)}} in one grouped query."""
    query = (
        Activity.select(
            Activity.tanggal,
            Activity.status,
            pw.fn.COUNT(Activity.id).alias("n"),
            pw.fn.SUM(Activity.minutes).alias("menit"),
            pw.fn.SUM(pw.fn.COALESCE(Activity.menit_diakui, Activity.minutes)).alias("diakui"),
        )
        .where(Activity.employee == employee.id, Activity.tanggal.between(start, end), live())
        .group_by(Activity.tanggal, Activity.status)
        .tuples()
    )
    totals = {}
    for tanggal, status, count, minutes, diakui in kept(
        query, "activities.day_totals", employee.id, start, end
    ):
        if isinstance(tanggal, str):
            tanggal = date.fromisoformat(tanggal)
        totals.setdefault(tanggal, {})[status] = (int(count), int(minutes or 0), int(diakui or 0))
    return totals


@dataclass
class RhkTotal:
    """The minutes of a period's entries that serve one RHK (`rhk_id` None: no RHK named)."""

    rhk_id: int | None
    uraian: str
    count: int
    claimed: int  # minutes of the entries that are not rejected
    approved: int  # menit diakui of the approved entries


def rhk_totals(employee: Employee, start: date, end: date) -> list[RhkTotal]:
    """Per RHK, the pegawai's entries of start..end that are not rejected: their number, the
    minutes claimed and the minutes approved; the RHK with the most approved minutes first, the
    entries without an RHK last (one grouped query)."""
    approved = pw.Case(
        None,
        [(Activity.status == APPROVED, pw.fn.COALESCE(Activity.menit_diakui, Activity.minutes))],
        0,
    )
    query: Any = (
        Activity.select(
            Activity.rhk,
            pw.fn.MIN(Rhk.uraian).alias("uraian"),
            pw.fn.COUNT(Activity.id).alias("n"),
            pw.fn.SUM(Activity.minutes).alias("claimed"),
            pw.fn.SUM(approved).alias("approved"),
        )
        .join(Rhk, pw.JOIN.LEFT_OUTER, on=(Activity.rhk == Rhk.id))
        .where(
            Activity.employee == employee.id,
            Activity.tanggal.between(start, end),
            Activity.status != REJECTED,
            live(),
        )
        .group_by(Activity.rhk)
        .tuples()
    )
    rows = [
        RhkTotal(rhk_id, " ".join((uraian or "").split()), int(n), int(claimed or 0), int(ok or 0))
        for rhk_id, uraian, n, claimed, ok in kept(
            query, "activities.rhk_totals", employee.id, start, end
        )
    ]
    return sorted(rows, key=lambda row: (row.rhk_id is None, -row.approved, row.uraian))


@dataclass
class DaySummary:
    tanggal: date
    is_working: bool
    holiday: Holiday | None
    counts: dict  # status -> count
    minutes: int  # claimed, without rejected
    approved: int  # menit diakui of approved entries
    submitted: int  # minutes of Diajukan + Disetujui entries

    @property
    def entry_count(self) -> int:
        return sum(self.counts.values())

    @property
    def status(self) -> str | None:
        """The day's status for the week view: the least advanced status of its entries."""
        for status in (NEEDS_REVISION, DRAFT, SUBMITTED, APPROVED, REJECTED):
            if self.counts.get(status):
                return status
        return None


def summaries(
    employee: Employee, start: date, end: date, holidays: dict[date, Holiday] | None = None
) -> list["DaySummary"]:
    """One DaySummary per date of start..end (two queries: totals and holidays)."""
    totals = _day_totals(employee, start, end)
    result = []
    for day, working, holiday in calendar.calendar(start, end, employee.unit, holidays):
        per_status = totals.get(day, {})
        counts = {status: value[0] for status, value in per_status.items()}
        minutes = sum(value[1] for status, value in per_status.items() if status != REJECTED)
        approved = per_status.get(APPROVED, (0, 0, 0))[2]
        submitted = sum(per_status.get(s, (0, 0, 0))[1] for s in (SUBMITTED, APPROVED))
        result.append(DaySummary(day, working, holiday, counts, minutes, approved, submitted))
    return result


def week_bounds(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def counted_minutes(approved: int, per_day: int) -> int:
    """Of one day's approved minutes, those that count toward the monthly target."""
    return min(approved, per_day) if per_day else approved


def month_bounds(year: int, month: int) -> tuple[date, date]:
    last = pycalendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


@dataclass
class Month:
    start: date
    end: date
    days: list[DaySummary]
    target: int
    today: date
    per_rhk: list[RhkTotal] = field(default_factory=list)
    counted_per_day: int = 0  # of one day's approved minutes, how many count (0: all)

    @property
    def submitted(self) -> int:
        return sum(day.submitted for day in self.days)

    @property
    def approved(self) -> int:
        return sum(day.approved for day in self.days)

    @property
    def claimed(self) -> int:
        return sum(day.minutes for day in self.days)

    @property
    def counted(self) -> int:
        """The approved minutes that count toward the target: at most `counted_per_day` a day."""
        return sum(counted_minutes(day.approved, self.counted_per_day) for day in self.days)

    @property
    def percent(self) -> int:
        return min(100, round(self.counted * 100 / self.target)) if self.target else 0

    @property
    def working_days(self) -> list[DaySummary]:
        return [day for day in self.days if day.is_working]

    @property
    def empty_working_days(self) -> list[DaySummary]:
        """Working days before today without any entry (today may still be filled in)."""
        return [
            day
            for day in self.days
            if day.is_working and day.tanggal < self.today and not day.entry_count
        ]

    def chart(self, width: int = 480, height: int = 200) -> dict[str, Any]:
        """Bars of minutes per day (approved dark, the rest light) as numbers for the SVG."""
        top = max([day.minutes for day in self.days] + [self.daily_target, 60])
        plot_h = height - 36
        slot = width / len(self.days)
        bars = []
        for index, day in enumerate(self.days):
            x = index * slot
            h_all = plot_h * day.minutes / top
            h_ok = plot_h * min(day.approved, day.minutes) / top
            bars.append(
                {
                    "day": day,
                    "x": round(x + slot * 0.15, 1),
                    "w": round(slot * 0.7, 1),
                    "y_all": round(10 + plot_h - h_all, 1),
                    "h_all": round(h_all, 1),
                    "y_ok": round(10 + plot_h - h_ok, 1),
                    "h_ok": round(h_ok, 1),
                    "label_x": round(x + slot / 2, 1),
                }
            )
        target_y = round(10 + plot_h - plot_h * self.daily_target / top, 1)
        return {
            "bars": bars,
            "width": width,
            "height": height,
            "base": 10 + plot_h,
            "target_y": target_y,
        }

    @property
    def daily_target(self) -> int:
        count = len(self.working_days)
        return round(self.target / count) if count else 0


def month_view(employee: Employee, year: int, month: int) -> "Month":
    """The pegawai's month: minutes submitted and approved against the monthly target, working
    days without any entry, the minutes per day and the minutes per RHK."""
    start, end = month_bounds(year, month)
    opts = options()
    return Month(
        start,
        end,
        summaries(employee, start, end),
        opts["monthly_target"],
        local_today(),
        rhk_totals(employee, start, end),
        opts["counted_per_day"],
    )


def dashboard_context(employee: Employee) -> dict[str, Any]:
    """Today's entries and the month's progress for the dasbor panel (fixed query count)."""
    today = local_today()
    query = (
        Activity.select()
        .where(Activity.employee == employee.id, Activity.tanggal == today, live())
        .order_by(Activity.jam_mulai)
    )
    entries = list(kept(query, "activities.today", employee.id, today))
    start, end = month_bounds(today.year, today.month)
    totals = _day_totals(employee, start, end)
    values = settings.get_many(
        ["activities.monthly_target_minutes", "activities.counted_minutes_per_day"]
    )
    per_day = values["activities.counted_minutes_per_day"]
    approved = sum(counted_minutes(v.get(APPROVED, (0, 0, 0))[2], per_day) for v in totals.values())
    submitted = sum(v.get(s, (0, 0, 0))[1] for v in totals.values() for s in (SUBMITTED, APPROVED))
    target = values["activities.monthly_target_minutes"]
    return {
        "today": today,
        "entries": entries,
        "total_today": sum(e.minutes for e in entries if e.status != REJECTED),
        "approved": approved,
        "submitted": submitted,
        "target": target,
        "percent": min(100, round(approved * 100 / target)) if target else 0,
    }


# --- searching one's own entries ---------------------------------------------------------------

SEARCH_PAGE_SIZE = 25
SEARCH_MAX_WORDS = 8


@dataclass
class Search:
    """What a pegawai looks for among their own entries (every part optional)."""

    words: str = ""
    start: date | None = None
    end: date | None = None
    status: str = ""

    @property
    def args(self) -> dict[str, str]:
        """The query-string arguments that reproduce this search (kept in page links)."""
        return {
            "q": self.words,
            "dari": self.start.isoformat() if self.start else "",
            "sampai": self.end.isoformat() if self.end else "",
            "status": self.status,
        }


def search(employee: Employee, wanted: Search, number: int = 1) -> Page:
    """The pegawai's own live entries whose description holds every word (case-insensitive),
    within the dates and with the status asked for, newest first: page `number`, two queries
    (a count and the page) whatever the number of entries."""
    query = Activity.select().where(Activity.employee == employee.id, live())
    for word in wanted.words.split()[:SEARCH_MAX_WORDS]:
        query = query.where(Activity.uraian.contains(word))
    if wanted.start:
        query = query.where(Activity.tanggal >= wanted.start)
    if wanted.end:
        query = query.where(Activity.tanggal <= wanted.end)
    if wanted.status:
        query = query.where(Activity.status == wanted.status)
    ordered = query.order_by(Activity.tanggal.desc(), Activity.jam_mulai.desc(), Activity.id.desc())
    return paginate(ordered, number, wanted.args, SEARCH_PAGE_SIZE, count_query=query)
