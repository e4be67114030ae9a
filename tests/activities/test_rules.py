"""The rules of an entry, without HTTP: times, overlap, future, maximum, deadline, status."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from portal import settings
from portal.activities import calendar, entries, lifecycle, pages, rules
from portal.activities.models import (
    APPROVED,
    DRAFT,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    Activity,
    ActivityEvent,
    DateUnlock,
)
from portal.audit.models import AuditLog
from portal.clock import local_today
from portal.errors import Conflict, DomainError, NotFound
from tests.activities.conftest import TODAY, entry_data, t


def test_entry_is_created_as_draft_with_minutes_history_and_audit(app, people, frozen):
    activity = entries.create_entry(people["pegawai"], entry_data(start="07:30", end="09:45"))
    assert activity.status == DRAFT and activity.minutes == 135 and activity.version == 1
    assert [e.action for e in ActivityEvent.select()] == ["created"]
    assert AuditLog.select().where(AuditLog.action == "activity.created").count() == 1


def test_end_time_must_be_after_start_time(app, people, frozen):
    with pytest.raises(DomainError, match="Jam selesai harus setelah jam mulai") as e:
        entries.create_entry(people["pegawai"], entry_data(start="10:00", end="10:00"))
    assert e.value.field == "jam_selesai" and e.value.status == 422


def test_overlap_names_the_other_activity(app, people, frozen, make_activity):
    make_activity(people["pegawai"], "08:00", "09:30")
    with pytest.raises(DomainError, match=r"Bertabrakan dengan kegiatan 08\.00–09\.30"):
        entries.create_entry(people["pegawai"], entry_data(start="09:00", end="10:00"))


def test_touching_intervals_are_fine(app, people, frozen, make_activity):
    make_activity(people["pegawai"], "08:00", "09:30")
    assert entries.create_entry(people["pegawai"], entry_data(start="09:30", end="10:00"))
    assert entries.create_entry(people["pegawai"], entry_data(start="07:00", end="08:00"))


def test_other_pegawai_and_rejected_or_deleted_entries_do_not_block(
    app, people, frozen, make_activity
):
    make_activity(people["rekan"], "08:00", "09:00")
    make_activity(people["pegawai"], "08:00", "09:00", status=REJECTED)
    make_activity(people["pegawai"], "08:00", "09:00", deleted_at=datetime(2026, 11, 23))
    assert entries.create_entry(people["pegawai"], entry_data(start="08:00", end="09:00"))


intervals = st.tuples(st.integers(0, 1438), st.integers(1, 600)).map(
    lambda p: (p[0], min(p[0] + p[1], 1439))
)


def _time(minutes):
    return time(minutes // 60, minutes % 60)


@given(existing=st.lists(intervals, max_size=8), new=intervals)
def test_overlap_rule_agrees_with_minute_sets(existing, new):
    """An interval clashes exactly when it shares a minute with another (touching is fine)."""
    rows = [(_time(a), _time(b), (a, b)) for a, b in existing]
    clash = rules.find_overlap(rows, _time(new[0]), _time(new[1]))
    minutes_new = set(range(new[0], new[1]))
    expected = [(a, b) for a, b in existing if minutes_new & set(range(a, b))]
    assert (clash is not None) == bool(expected)
    if clash:
        assert clash[2] in expected


def test_no_future_date_or_time(app, people, frozen):
    # Frozen at 15.00 WIB on 23 November 2026.
    with pytest.raises(DomainError, match="Tanggal tidak boleh di masa depan"):
        entries.create_entry(people["pegawai"], entry_data(tanggal=TODAY + timedelta(days=1)))
    with pytest.raises(DomainError, match="Jam selesai tidak boleh melewati"):
        entries.create_entry(people["pegawai"], entry_data(start="14:30", end="15:30"))
    assert entries.create_entry(people["pegawai"], entry_data(start="14:00", end="15:00"))


@pytest.mark.parametrize("app_config", [{"TIMEZONE": "Asia/Makassar"}])
def test_entry_at_half_past_eleven_wita_belongs_to_that_local_date(app, people, app_config):
    # 15.30 UTC is 23.30 WITA on Monday 23 November: still the 23rd locally.
    with time_machine.travel(datetime(2026, 11, 23, 15, 30, tzinfo=UTC), tick=False):
        assert local_today() == date(2026, 11, 23)
        activity = entries.create_entry(
            people["pegawai"], entry_data(tanggal=date(2026, 11, 23), start="22:30", end="23:30")
        )
        assert activity.tanggal == date(2026, 11, 23)
        with pytest.raises(DomainError, match="masa depan"):
            entries.create_entry(people["pegawai"], entry_data(tanggal=date(2026, 11, 24)))


def test_day_total_within_the_configured_maximum(app, people, frozen, make_activity):
    settings.put("activities.max_minutes_per_day", 240)
    make_activity(people["pegawai"], "07:00", "10:00")
    with pytest.raises(DomainError, match="maksimum 240 menit"):
        entries.create_entry(people["pegawai"], entry_data(start="10:00", end="11:30"))
    assert entries.create_entry(people["pegawai"], entry_data(start="10:00", end="11:00"))


def test_over_the_maximum_on_a_past_day_names_the_date_not_hari_ini(
    app, people, frozen, make_activity
):
    settings.put("activities.max_minutes_per_day", 240)
    friday = date(2026, 11, 20)
    make_activity(people["pegawai"], "07:00", "10:00", tanggal=friday)
    with pytest.raises(DomainError) as caught:
        entries.create_entry(
            people["pegawai"], entry_data(tanggal=friday, start="10:00", end="11:30")
        )
    assert "20 November 2026" in str(caught.value) and "hari ini" not in str(caught.value)


def test_only_draft_and_needs_revision_can_be_edited_or_deleted(app, people, frozen, make_activity):
    for status in (SUBMITTED, APPROVED, REJECTED):
        entry = make_activity(people["pegawai"], "07:00", "08:00", status=status)
        with pytest.raises(DomainError, match="tidak dapat diubah"):
            entries.update_entry(people["pegawai"], entry, entry_data(start="07:00", end="07:30"))
        with pytest.raises(DomainError, match="tidak dapat diubah"):
            entries.delete_entry(people["pegawai"], entry)
        entry.delete_instance(recursive=True)
    returned = make_activity(people["pegawai"], "07:00", "08:00", status=NEEDS_REVISION)
    edited = entries.update_entry(
        people["pegawai"], returned, entry_data(start="07:00", end="07:45"), returned.version
    )
    assert edited.status == NEEDS_REVISION and edited.version == 2 and edited.minutes == 45


def test_edit_with_a_stale_version_loses(app, people, frozen, make_activity):
    entry = make_activity(people["pegawai"], "07:00", "08:00")
    entries.update_entry(people["pegawai"], entry, entry_data(start="07:00", end="07:30"), 1)
    with pytest.raises(Conflict):
        entries.update_entry(people["pegawai"], entry, entry_data(start="07:00", end="07:15"), 1)


def test_edit_racing_an_approval_has_one_winner(app, people, frozen, make_activity):
    """The reviews domain approves with UPDATE ... WHERE version = expected; an edit read at the
    same version then finds the entry no longer editable (or the version moved) and loses."""
    entry = make_activity(people["pegawai"], "07:00", "08:00", status=SUBMITTED)
    read_version = entry.version
    approved = (
        Activity.update(status=APPROVED, version=Activity.version + 1)
        .where(Activity.id == entry.id, Activity.version == read_version)
        .execute()
    )
    assert approved == 1
    with pytest.raises(DomainError):
        entries.update_entry(
            people["pegawai"], entry, entry_data(start="07:00", end="07:30"), read_version
        )
    # And the other way round: an edit first makes a decision at the old version miss.
    draft = make_activity(people["pegawai"], "09:00", "10:00", status=NEEDS_REVISION)
    entries.update_entry(people["pegawai"], draft, entry_data(start="09:00", end="09:30"), 1)
    late = (
        Activity.update(status=APPROVED, version=Activity.version + 1)
        .where(Activity.id == draft.id, Activity.version == 1)
        .execute()
    )
    assert late == 0


def test_delete_is_soft_and_recorded(app, people, frozen, make_activity):
    entry = make_activity(people["pegawai"], "07:00", "08:00")
    entries.delete_entry(people["pegawai"], entry)
    row = Activity.get_by_id(entry.id)
    assert row.deleted_at is not None and row.version == 2
    assert ActivityEvent.select().where(ActivityEvent.action == "deleted").count() == 1


def test_another_pegawais_entry_is_not_found(app, people, frozen, make_activity):
    entry = make_activity(people["rekan"], "07:00", "08:00")
    with pytest.raises(NotFound):
        entries.update_entry(people["pegawai"], entry, entry_data(start="07:00", end="07:30"))
    with pytest.raises(NotFound):
        entries.delete_entry(people["pegawai"], entry)


def test_submit_day_moves_drafts_and_revisions_to_submitted(app, people, frozen, make_activity):
    a = make_activity(people["pegawai"], "07:00", "08:00")
    b = make_activity(people["pegawai"], "08:00", "09:00", status=NEEDS_REVISION)
    c = make_activity(people["pegawai"], "09:00", "10:00")
    assert lifecycle.submit_day(people["pegawai"], TODAY, [a.id, b.id]) == 2
    statuses = {row.id: row.status for row in Activity.select()}
    assert statuses == {a.id: SUBMITTED, b.id: SUBMITTED, c.id: DRAFT}
    actions = sorted(
        e.action for e in ActivityEvent.select().where(ActivityEvent.action != "created")
    )
    assert actions == ["resubmitted", "submitted"]
    assert lifecycle.submit_day(people["pegawai"], TODAY) == 1
    with pytest.raises(DomainError, match="Pilih minimal satu"):
        lifecycle.submit_day(people["pegawai"], TODAY)


def test_submit_ignores_ids_of_other_pegawai(app, people, frozen, make_activity):
    theirs = make_activity(people["rekan"], "07:00", "08:00")
    with pytest.raises(DomainError):
        lifecycle.submit_day(people["pegawai"], TODAY, [theirs.id])
    assert Activity.get_by_id(theirs.id).status == DRAFT


def test_copy_skips_entries_that_break_a_rule_and_says_which(app, people, frozen, make_activity):
    yesterday = TODAY - timedelta(days=3)  # Friday 20 November
    ok = make_activity(people["pegawai"], "07:00", "08:00", tanggal=yesterday)
    clash = make_activity(people["pegawai"], "09:00", "10:00", tanggal=yesterday)
    make_activity(people["pegawai"], "09:30", "10:30")
    copied, skipped = entries.copy_entries(people["pegawai"], [ok.id, clash.id], TODAY)
    assert [c.jam_mulai for c in copied] == [t("07:00")]
    assert [s.id for s, _reason in skipped] == [clash.id]
    assert "Bertabrakan" in skipped[0][1]
    assert copied[0].events[0].action == "copied"


# --- deadline and working days ---------------------------------------------------------------


def test_deadline_skips_weekend_and_holiday(app, people, holiday):
    # Thursday 3 Dec 2026 + 3 working days: Fri 4, (weekend), Mon 7 is a holiday, Tue 8, Wed 9.
    holiday(date(2026, 12, 7))
    assert calendar.input_deadline(date(2026, 12, 3), people["unit"]) == date(2026, 12, 9)
    assert calendar.working_days_between(date(2026, 12, 3), date(2026, 12, 9), people["unit"]) == 3


def test_six_day_week_counts_saturday(app, make_unit, holiday):
    unit = make_unit(work_days=6)
    assert calendar.is_working_day(date(2026, 12, 5), unit)  # Saturday
    assert not calendar.is_working_day(date(2026, 12, 6), unit)  # Sunday
    assert calendar.add_working_days(date(2026, 12, 3), 3, unit) == date(2026, 12, 7)


def test_lebaran_holidays_in_one_query(app, people, holiday, query_counter):
    for day in range(18, 25):
        holiday(date(2026, 3, day), jenis="cuti_bersama")
    with query_counter() as queries:
        deadline = calendar.add_working_days(date(2026, 3, 17), 3, people["unit"])
    assert deadline == date(2026, 3, 27)
    assert len(queries.queries) == 1


def test_a_request_reads_the_holidays_once_and_sees_its_own_writes(
    app, people, holiday, make_employee, query_counter
):
    holiday(date(2026, 11, 20))
    admin = make_employee(roles=[("admin", None)])
    with app.test_request_context("/"):
        with query_counter() as queries:
            week = calendar.holidays_between(date(2026, 11, 16), date(2026, 11, 22))
            month = calendar.holidays_between(date(2026, 11, 1), date(2026, 11, 30))
            next_month = calendar.holidays_between(date(2026, 12, 1), date(2026, 12, 31))
        assert len(queries.queries) == 1
        assert list(week) == list(month) == [date(2026, 11, 20)] and next_month == {}
        calendar.add_holiday(admin, date(2026, 12, 25), "libur_nasional", "Natal")
        assert list(calendar.holidays_between(date(2026, 12, 1), date(2026, 12, 31))) == [
            date(2026, 12, 25)
        ]
        far = calendar.holidays_between(date(2027, 6, 1), date(2027, 6, 30))
        assert far == {}  # outside the first range's margin: read again, still right


def test_entries_close_after_the_deadline_unless_unlocked(app, people, holiday, make_activity):
    holiday(date(2026, 11, 20))  # Friday
    # Thursday 19 Nov: deadline Mon 23 + Tue 24 + Wed 25 (Fri 20 is a holiday).
    with time_machine.travel(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), tick=False):
        assert entries.create_entry(people["pegawai"], entry_data(tanggal=date(2026, 11, 19)))
    with time_machine.travel(datetime(2026, 11, 26, 3, 0, tzinfo=UTC), tick=False):
        with pytest.raises(DomainError, match="Batas waktu pengisian"):
            entries.create_entry(
                people["pegawai"],
                entry_data(tanggal=date(2026, 11, 19), start="10:00", end="11:00"),
            )
        calendar.unlock_date(
            people["admin_opd"], people["pegawai"], date(2026, 11, 19), "Lupa mengisi karena sakit"
        )
        assert entries.create_entry(
            people["pegawai"], entry_data(tanggal=date(2026, 11, 19), start="10:00", end="11:00")
        )
    assert AuditLog.select().where(AuditLog.action == "activity.date_unlocked").count() == 1


def test_unlock_needs_a_reason_and_an_admin_of_the_unit(app, people, frozen):
    with pytest.raises(DomainError, match="alasan"):
        calendar.unlock_date(people["admin"], people["pegawai"], TODAY - timedelta(days=10), "x")
    with pytest.raises(NotFound):
        calendar.unlock_date(
            people["admin_opd_other"], people["pegawai"], TODAY, "Alasan yang cukup panjang"
        )
    with pytest.raises(NotFound):
        calendar.unlock_date(
            people["atasan"], people["pegawai"], TODAY, "Alasan yang cukup panjang"
        )
    assert DateUnlock.select().count() == 0


def test_returned_entry_can_be_revised_after_the_deadline(app, people, make_activity):
    old = date(2026, 11, 2)
    entry = make_activity(people["pegawai"], "07:00", "08:00", tanggal=old, status=NEEDS_REVISION)
    with time_machine.travel(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), tick=False):
        entries.update_entry(
            people["pegawai"], entry, entry_data(tanggal=old, start="07:00", end="07:40")
        )
        assert lifecycle.submit_day(people["pegawai"], old) == 1


def test_month_totals_against_target(app, people, frozen, make_activity):
    make_activity(people["pegawai"], "07:00", "09:00", status=APPROVED, menit_diakui=100)
    make_activity(people["pegawai"], "09:00", "10:00", status=SUBMITTED)
    make_activity(people["pegawai"], "10:00", "11:00", status=REJECTED)
    month = pages.month_view(people["pegawai"], 2026, 11)
    assert month.approved == 100 and month.submitted == 180 and month.claimed == 180
    assert month.target == 6750
    # 21 working days in November 2026 (the test database has no holidays); 16 of them up to
    # today (the 23rd); the 15 before today are empty.
    assert len(month.working_days) == 21
    assert len(month.empty_working_days) == 15


def test_admin_opd_sees_the_latest_50_unlocks_of_their_subtree_among_many_others(
    app, people, frozen, make_unit, make_employee
):
    """The unlock list is filtered in SQL before its limit: 60 unlocks in the admin OPD's
    subtree (some in a sub-unit) and 60 newer ones elsewhere still give them 50 rows."""
    section = make_unit(nama="Bidang Perizinan", parent=people["unit"])
    staff = make_employee(nama="Sri Wahyuni", unit=section, supervisor=people["atasan"])
    start = datetime(2026, 10, 1, 1, 0)
    rows = []
    for n in range(120):
        mine = n < 60
        rows.append(
            {
                "employee": (staff if n % 2 else people["pegawai"]).id
                if mine
                else (people["outsider"].id),
                "tanggal": TODAY - timedelta(days=30),
                "reason": "Lupa mengisi karena dinas luar",
                "granted_by": people["admin"].id,
                "valid_until": TODAY,
                "created_at": start + timedelta(minutes=n),
                "updated_at": start + timedelta(minutes=n),
            }
        )
    DateUnlock.insert_many(rows).execute()
    own_unit_ids = {people["pegawai"].id, staff.id}
    shown = calendar.recent_unlocks(people["admin_opd"])
    assert len(shown) == 50
    assert {row.employee_id for row in shown} == own_unit_ids
    assert shown[0].created_at == start + timedelta(minutes=59)  # newest first
    assert (
        calendar.recent_unlocks(people["admin_opd_other"])[0].employee_id == people["outsider"].id
    )
    assert len(calendar.recent_unlocks(people["admin"])) == 50
    assert calendar.recent_unlocks(people["pegawai"]) == []


@pytest.mark.parametrize("blank", ["\u200b", "\u00a0\u200c\ufeff", " \u2003 "])
def test_a_description_of_only_invisible_characters_is_refused(app, people, frozen, blank):
    with pytest.raises(DomainError, match="Uraian kegiatan wajib diisi"):
        entries.create_entry(people["pegawai"], entry_data(uraian=blank))
    with pytest.raises(DomainError):
        entries.create_entry(people["pegawai"], entry_data(satuan=blank))
    assert Activity.select().count() == 0
