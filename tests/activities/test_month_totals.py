"""The monthly totals (portal.activities.month_totals): every transition of the lifecycle keeps
them exact, before the refresh (read live) and after it (stored); a change that lands during a
refresh keeps its mark; the migration marks the months that already have entries."""

import importlib
from datetime import date, datetime, time, timedelta

import pytest

from portal.activities import entries, lifecycle, month_totals
from portal.activities.models import MonthTotal, MonthTotalStale
from portal.activities.month_totals import NONE, Totals
from portal.db import db
from portal.reviews import decisions
from tests.activities.conftest import TODAY, entry_data

MONDAY_BIT = 1 << (TODAY.day - 1)  # Monday 23 November 2026


def stored(employee, tahun=2026, bulan=11):
    row = MonthTotal.get_or_none(
        MonthTotal.employee == employee.id, MonthTotal.tahun == tahun, MonthTotal.bulan == bulan
    )
    if row is None:
        return NONE
    return month_totals._totals(
        [row.minutes_submitted, row.minutes_approved, row.waiting, row.returned, row.day_mask],
        month_totals._decode(row.decisions),
    )


def check(employee, expected, tahun=2026, bulan=11):
    """Exact before the refresh (marked: computed live), then stored by the refresh."""
    assert MonthTotalStale.select().where(MonthTotalStale.employee == employee.id).exists()
    assert month_totals.read(tahun, bulan).get(employee.id, NONE) == expected
    assert month_totals.compute(tahun, bulan).get(employee.id, NONE) == expected
    month_totals.refresh()
    assert not MonthTotalStale.select().exists()
    assert stored(employee, tahun, bulan) == expected
    assert month_totals.read(tahun, bulan).get(employee.id, NONE) == expected


def test_every_transition_keeps_the_totals_exact(app, frozen, people):
    pegawai, atasan = people["pegawai"], people["atasan"]
    first = entries.create_entry(pegawai, entry_data(start="08:00", end="09:30"))
    second = entries.create_entry(pegawai, entry_data(start="10:00", end="11:00"))
    check(pegawai, Totals(0, 0, 0, 0, MONDAY_BIT))  # drafts count as a day with entries

    first = entries.update_entry(pegawai, first, entry_data(start="08:00", end="10:00"))
    assert first.minutes == 120
    lifecycle.submit_day(pegawai, TODAY)
    check(pegawai, Totals(180, 0, 2, 0, MONDAY_BIT))

    first, second = (type(first).get_by_id(row.id) for row in (first, second))
    decisions.approve_entry(
        atasan, first.id, first.version, menit_diakui=90, note="Sebagian", today=TODAY
    )
    decisions.return_for_revision(atasan, second.id, second.version, "Lengkapi", today=TODAY)
    check(pegawai, Totals(120, 90, 0, 1, MONDAY_BIT, decisions=((0, 2),)))  # decided the same day

    second = type(second).get_by_id(second.id)
    entries.delete_entry(pegawai, second)
    check(pegawai, Totals(120, 90, 0, 0, MONDAY_BIT, decisions=((0, 1),)))


def test_a_rejected_entry_leaves_its_day_and_its_minutes_out(app, frozen, people):
    pegawai, atasan = people["pegawai"], people["atasan"]
    only = entries.create_entry(pegawai, entry_data(start="08:00", end="09:00"))
    lifecycle.submit_day(pegawai, TODAY)
    only = type(only).get_by_id(only.id)
    decisions.reject_entry(atasan, only.id, only.version, "Bukan tugas", today=TODAY)
    check(pegawai, Totals(0, 0, 0, 0, 0, decisions=((0, 1),)))


def test_moving_an_entry_to_another_month_marks_both(app, frozen, people):
    pegawai = people["pegawai"]
    values = {
        "tanggal": date(2026, 10, 30),
        "jam_mulai": time(8, 0),
        "jam_selesai": time(9, 0),
        "uraian": "Menyusun laporan bulanan",
    }
    moved = lifecycle.create(pegawai, values, 60)
    month_totals.refresh()
    assert stored(pegawai, 2026, 10).day_mask == 1 << 29

    lifecycle.edit(pegawai, moved, {**values, "tanggal": date(2026, 11, 2)}, 60)
    assert month_totals.read(2026, 10).get(pegawai.id) is None
    assert month_totals.read(2026, 11)[pegawai.id].day_mask == 1 << 1
    month_totals.refresh()
    assert stored(pegawai, 2026, 10) == NONE
    assert stored(pegawai, 2026, 11) == Totals(0, 0, 0, 0, 1 << 1)


def test_a_change_that_lands_during_a_refresh_keeps_its_mark(app, frozen, people, monkeypatch):
    """On MariaDB a pegawai may save an entry between the refresh's reading and its removing the
    marks: the grown version keeps the mark, so the next refresh takes the change."""
    pegawai = people["pegawai"]
    entries.create_entry(pegawai, entry_data(start="08:00", end="09:00"))
    compute = month_totals.compute

    def racing(tahun, bulan, ids_query=None):
        result = compute(tahun, bulan, ids_query)
        monkeypatch.setattr(month_totals, "compute", compute)  # once
        entries.create_entry(pegawai, entry_data(start="13:00", end="14:00"))
        return result

    monkeypatch.setattr(month_totals, "compute", racing)
    assert month_totals.refresh() == 1
    assert stored(pegawai).day_mask == MONDAY_BIT  # what the refresh saw
    assert MonthTotalStale.select().count() == 1  # the later change is still marked
    assert month_totals.read(2026, 11)[pegawai.id] == Totals(0, 0, 0, 0, MONDAY_BIT)
    assert month_totals.refresh() == 1
    assert not MonthTotalStale.select().exists()


def test_the_migration_marks_the_months_that_have_entries(app, frozen, people, make_activity):
    pegawai, rekan = people["pegawai"], people["rekan"]
    make_activity(pegawai, tanggal=date(2026, 10, 5), status="disetujui", menit_diakui=60)
    make_activity(pegawai, tanggal=TODAY, status="diajukan")
    make_activity(rekan, tanggal=TODAY, start="10:00", end="12:00", status="disetujui")
    assert not MonthTotalStale.select().exists()  # written past the lifecycle

    migration = importlib.import_module("migrations.021_month_totals")
    migration._mark_every_month(db.obj)
    assert MonthTotalStale.select().count() == 3
    assert month_totals.refresh() == 3
    assert stored(pegawai, 2026, 10) == Totals(60, 60, 0, 0, 1 << 4)
    assert stored(pegawai) == Totals(60, 0, 1, 0, MONDAY_BIT)
    assert stored(rekan) == Totals(120, 120, 0, 0, MONDAY_BIT)


def test_days_to_a_decision_are_counted_per_whole_day(app, frozen, people, make_activity):
    pegawai = people["pegawai"]
    submitted = datetime(2026, 11, 16, 9, 0)
    for start, days in (("08:00", 0), ("09:00", 2), ("10:00", 2), ("11:00", 5)):
        make_activity(
            pegawai,
            start=start,
            end=start.replace(":00", ":30"),
            tanggal=date(2026, 11, 16),
            status="disetujui",
            submitted_at=submitted,
            decided_at=submitted + timedelta(days=days, hours=1),
        )
    make_activity(pegawai, start="13:00", end="14:00", tanggal=date(2026, 11, 16))  # draft
    month_totals.mark([(pegawai.id, date(2026, 11, 16))])
    assert month_totals.read(2026, 11)[pegawai.id].decisions == ((0, 1), (2, 2), (5, 1))
    month_totals.refresh()
    assert stored(pegawai).decisions == ((0, 1), (2, 2), (5, 1))
    assert MonthTotal.get().decisions == "0:1 2:2 5:1"


def test_rebuild_recomputes_every_month_after_a_bulk_load(app, frozen, people, make_activity):
    pegawai = people["pegawai"]
    make_activity(pegawai, tanggal=date(2026, 9, 30), status="disetujui")
    make_activity(pegawai, tanggal=TODAY, status="disetujui")
    assert month_totals.rebuild_all() == 2
    assert stored(pegawai, 2026, 9) == Totals(60, 60, 0, 0, 1 << 29)
    assert stored(pegawai, 2026, 10) == NONE
    assert stored(pegawai) == Totals(60, 60, 0, 0, MONDAY_BIT)


def test_the_refresh_is_a_periodic_task(app, frozen, people):
    from portal.activities.tasks import refresh_month_totals
    from portal.jobs import huey

    assert "refresh_month_totals" in {task.__name__ for task in huey._registry._periodic_tasks}
    entries.create_entry(people["pegawai"], entry_data())
    assert refresh_month_totals.call_local() == 1
    assert stored(people["pegawai"]).day_mask == MONDAY_BIT


def test_an_overlapping_refresh_leaves_the_marks_for_the_next_minute(app, frozen, people):
    """One refresh at a time: while one holds the task lock, another does nothing (the marks
    stay, readers stay exact); a lock left by a killed consumer is flushed when it starts."""
    from huey.exceptions import TaskLockedException

    from portal.activities.tasks import refresh_month_totals
    from portal.jobs import huey

    pegawai = people["pegawai"]
    entries.create_entry(pegawai, entry_data())
    lock = huey.lock_task("refresh-month-totals")
    with lock, pytest.raises(TaskLockedException):
        refresh_month_totals.call_local()
    assert stored(pegawai) == NONE  # nothing refreshed ...
    assert month_totals.read(TODAY.year, TODAY.month)[pegawai.id].day_mask == MONDAY_BIT  # exact
    assert lock.acquire()  # a consumer killed mid-refresh leaves its lock behind
    assert "refresh-month-totals" in huey.flush_locks()  # what the consumer does at start
    assert refresh_month_totals.call_local() == 1
    assert stored(pegawai).day_mask == MONDAY_BIT
