"""Demo data and the bulk seeding command."""

import random
from collections import defaultdict
from datetime import time

import pytest

from portal.activities import demo, entries
from portal.activities.calendar import date_is_open
from portal.activities.models import (
    APPROVED,
    DRAFT,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    ActivityEvent,
)
from portal.activities.rules import add_minutes, find_overlap, minutes_between, options
from portal.clock import local_today
from portal.errors import Invalid
from portal.org.models import Employee
from portal.performance.pages import approved_rhk_choices
from tests.activities.conftest import TODAY, entry_data


def test_demo_seed_gives_the_atasan_work_and_never_breaks_a_rule(app, people, frozen):
    context = {
        "employees": [people[k] for k in ("kepala", "atasan", "pegawai", "rekan", "outsider")],
        "atasan": people["atasan"],
        "pegawai": people["pegawai"],
        "today": TODAY,
        "units": [people["unit"]],
        "admin": people["admin"],
        "penyelenggara": None,
    }
    demo.seed(random.Random(1), context)
    waiting = Activity.select().where(
        Activity.status == SUBMITTED, Activity.employee.in_([people["pegawai"], people["rekan"]])
    )
    assert waiting.count() >= 10
    assert ActivityEvent.select().count() > Activity.select().count()
    for row in Activity.select():
        assert row.jam_selesai > row.jam_mulai and row.tanggal <= TODAY
        if row.tanggal == TODAY:
            assert row.status == DRAFT and row.jam_selesai <= time(15, 0)  # frozen at 15.00


def test_seed_activities_command_fills_a_year(app, runner, people, frozen):
    result = runner.invoke(args=["seed-activities", "--days", "30", "--per-day", "3"])
    assert result.exit_code == 0, result.output
    count = Activity.select().count()
    assert count > 7 * 15 * 2
    assert Activity.select().where(Activity.tanggal >= TODAY).count() == 0


def _free_slot(employee, tanggal, minutes=30):
    """The first `minutes` gap of `employee`'s day between 07.00 and 20.00."""
    taken = sorted(
        (r.jam_mulai, r.jam_selesai)
        for r in Activity.select().where(
            Activity.employee == employee.id,
            Activity.tanggal == tanggal,
            Activity.status != REJECTED,
            Activity.deleted_at.is_null(),
        )
    )
    start = time(7, 0)
    for other_start, other_end in [*taken, (time(20, 0), time(20, 0))]:
        if minutes_between(start, other_start) >= minutes:
            return start, add_minutes(start, minutes)
        start = max(start, other_end)
    return None


@pytest.mark.slow
def test_the_seeded_demo_obeys_the_portals_own_rules_and_leaves_room_for_a_newcomer(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "gagal" not in result.output
    opts = {**options(), "deadline_days": 10_000}  # old entries are past their deadline
    today = local_today()
    month_start = today.replace(day=1)
    approved_in_month = defaultdict(int)
    rows = list(Activity.select().where(Activity.deleted_at.is_null()))
    assert len(rows) > 100
    pegawai = Employee.get(Employee.email.startswith("siti.rahmawati"))
    atasan = Employee.get_by_id(pegawai.supervisor_id)
    days = defaultdict(list)
    for row in rows:
        if row.status != REJECTED:
            days[(row.employee_id, row.tanggal)].append(row)
    for (employee_id, tanggal), day in days.items():
        if employee_id in (pegawai.id, atasan.id):  # the demo accounts: the services' own check
            employee = Employee.get_by_id(employee_id)
            for row in day:
                try:
                    minutes = entries.check_rules(
                        employee, tanggal, row.jam_mulai, row.jam_selesai, row.id, opts
                    )
                except Invalid as error:
                    raise AssertionError(f"{tanggal} {row.jam_mulai}: {error}") from None
                assert minutes == row.minutes
            continue
        # Everybody else: the same rules, without a query per entry (thousands of them).
        assert tanggal <= today
        assert sum(row.minutes for row in day) <= opts["max_minutes"], (employee_id, tanggal)
        for index, row in enumerate(day):
            assert row.jam_selesai > row.jam_mulai
            assert row.minutes == minutes_between(row.jam_mulai, row.jam_selesai)
            others = [(o.jam_mulai, o.jam_selesai, o) for o in day[index + 1 :]]
            assert find_overlap(others, row.jam_mulai, row.jam_selesai) is None, (row.id,)
    events = defaultdict(list)
    for event in ActivityEvent.select().order_by(ActivityEvent.created_at, ActivityEvent.id):
        events[event.activity_id].append(event.action)
    for row in rows:
        actions = events[row.id]
        if row.status in (APPROVED, NEEDS_REVISION, REJECTED):
            assert row.submitted_at is not None and row.decided_by_id is not None
            assert "submitted" in actions
            decided = [a for a in actions if a in ("approved", "returned", "rejected")]
            assert decided and actions.index("submitted") < actions.index(decided[-1])
        if row.status == SUBMITTED:
            assert row.submitted_at is not None and row.decided_by_id is None
        if row.status == APPROVED:
            assert 0 <= row.menit_diakui <= row.minutes
            if row.tanggal >= month_start:
                approved_in_month[row.employee_id] += row.menit_diakui
    assert max(approved_in_month.values(), default=0) <= opts["monthly_target"]
    # Entries that serve an RHK name one of their pegawai's approved RHK valid on their date.
    linked = [row for row in rows if row.rhk_id]
    assert linked
    valid = {}
    for row in linked:
        key = (row.employee_id, row.tanggal)
        if key not in valid:
            valid[key] = {rhk for rhk, _label in approved_rhk_choices(*key)}
        assert row.rhk_id in valid[key], key

    # A newcomer (the demo pegawai) adds an entry to a past open day, and fixes the returned one.
    past_open = [
        day
        for day in sorted({r.tanggal for r in rows if r.employee_id == pegawai.id})
        if day < today and date_is_open(pegawai, day, today)
    ]
    assert past_open
    day = past_open[-1]
    slot = _free_slot(pegawai, day)
    assert slot is not None
    entries.create_entry(
        pegawai, entry_data(tanggal=day, start=f"{slot[0]:%H:%M}", end=f"{slot[1]:%H:%M}")
    )
    returned = Activity.get(Activity.employee == pegawai.id, Activity.status == NEEDS_REVISION)
    fixed = entries.update_entry(
        pegawai,
        returned,
        entry_data(
            tanggal=returned.tanggal,
            start=f"{returned.jam_mulai:%H:%M}",
            end=f"{returned.jam_selesai:%H:%M}",
            uraian=returned.uraian + " (daftar hadir terlampir)",
        ),
        returned.version,
    )
    assert fixed.uraian.endswith("terlampir)")
