"""Verifikasi rules without HTTP: queue scope, decisions, self-approval, acting, escalation."""

from datetime import date, datetime, timedelta

import pytest

from portal import settings
from portal.activities.models import (
    APPROVED,
    DRAFT,
    NEEDS_REVISION,
    REJECTED,
    SUBMITTED,
    ActivityEvent,
    Holiday,
)
from portal.audit.models import AuditLog
from portal.errors import Conflict, DomainError, Forbidden, NotFound
from portal.notifications.models import Notification
from portal.reviews import acting as plh
from portal.reviews import decisions, feedback, scope
from portal.reviews import queue as review_queue
from portal.reviews.acting import Appointment
from portal.reviews.models import ActingAssignment
from tests.reviews.conftest import TODAY, reload

pytestmark = pytest.mark.usefixtures("frozen")


def _ids(queue):
    return [e.id for g in queue.groups for d in g.days for e in d.entries]


def test_queue_holds_direct_subordinates_submitted_entries_grouped_oldest_first(team, make_entry):
    late = make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=1))
    early = make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=3))
    same_day = make_entry(
        team["pegawai"], tanggal=TODAY - timedelta(days=3), start="10:00", end="11:30"
    )
    other = make_entry(team["rekan"], tanggal=TODAY - timedelta(days=2))
    make_entry(team["pegawai"], status=DRAFT)
    make_entry(team["pegawai"], status=APPROVED)
    make_entry(team["outsider_staff"])
    make_entry(team["pegawai"], deleted_at=datetime(2026, 11, 20))
    queue = review_queue.queue(team["atasan"])
    assert queue.total == 4
    first, second = queue.groups
    assert second.employee.id == team["rekan"].id
    assert first.employee.id == team["pegawai"].id
    assert [d.tanggal for d in first.days] == [early.tanggal, late.tanggal]
    assert [e.id for e in first.days[0].entries] == [early.id, same_day.id]
    assert first.days[0].day_minutes == 150
    assert _ids(queue) == [early.id, same_day.id, late.id, other.id]


def test_queue_filters_by_pegawai_dates_and_status(team, make_entry):
    a = make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=1))
    make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=9))
    make_entry(team["rekan"], tanggal=TODAY - timedelta(days=1))
    approved = make_entry(
        team["rekan"],
        tanggal=TODAY - timedelta(days=1),
        start="10:00",
        end="11:00",
        status=APPROVED,
    )
    by_person = review_queue.QueueFilter(
        employee_id=team["pegawai"].id, start=TODAY - timedelta(days=2)
    )
    assert _ids(review_queue.queue(team["atasan"], by_person)) == [a.id]
    assert _ids(review_queue.queue(team["atasan"], review_queue.QueueFilter(status=APPROVED))) == [
        approved.id
    ]


def test_plain_pegawai_and_other_units_atasan_see_nothing(team, make_entry):
    make_entry(team["pegawai"])
    assert review_queue.queue(team["pegawai"]).total == 0
    assert review_queue.queue(team["outsider"]).total == 0
    assert review_queue.waiting_count(team["outsider"]) == 0
    assert not scope.is_verifier(team["pegawai"])
    assert scope.is_verifier(team["atasan"])


def test_approve_records_decision_event_audit_and_one_notice(team, make_entry):
    entry = make_entry(team["pegawai"], start="08:00", end="10:00")
    outcome = decisions.approve_entry(team["atasan"], entry.id, entry.version)
    assert len(outcome.decided) == 1
    fresh = reload(entry)
    assert fresh.status == APPROVED
    assert fresh.version == entry.version + 1
    assert fresh.menit_diakui == 120
    assert fresh.decided_by_id == team["atasan"].id
    assert fresh.decided_as_id is None
    event = ActivityEvent.get(ActivityEvent.activity == entry.id)
    assert (event.action, event.from_status, event.to_status) == ("approved", SUBMITTED, APPROVED)
    audit = AuditLog.get(AuditLog.object_type == "Activity", AuditLog.object_id == str(entry.id))
    assert audit.action == "activity.approved"
    notice = Notification.get(Notification.recipient == team["pegawai"].id)
    assert notice.kind == "activity_approved"
    assert "Rina Marlina" in notice.message


def test_accepting_fewer_minutes_needs_a_note(team, make_entry):
    entry = make_entry(team["pegawai"], start="08:00", end="10:00")
    with pytest.raises(DomainError):
        decisions.approve_entry(team["atasan"], entry.id, entry.version, menit_diakui=90)
    with pytest.raises(DomainError):
        decisions.approve_entry(team["atasan"], entry.id, entry.version, menit_diakui=121, note="x")
    decisions.approve_entry(team["atasan"], entry.id, entry.version, 90, "Rapat selesai 09.30")
    fresh = reload(entry)
    assert (fresh.menit_diakui, fresh.decision_note) == (90, "Rapat selesai 09.30")


@pytest.mark.parametrize("decision", [decisions.return_for_revision, decisions.reject_entry])
def test_return_and_reject_need_a_note(team, make_entry, decision):
    entry = make_entry(team["pegawai"])
    with pytest.raises(DomainError):
        decision(team["atasan"], entry.id, entry.version, "   ")
    assert reload(entry).status == SUBMITTED
    decision(team["atasan"], entry.id, entry.version, "Lampirkan daftar hadir")
    fresh = reload(entry)
    assert fresh.status in (NEEDS_REVISION, REJECTED)
    assert fresh.decision_note == "Lampirkan daftar hadir"
    notice = Notification.get(Notification.recipient == team["pegawai"].id)
    assert "Lampirkan daftar hadir" in notice.message


def test_nobody_verifies_their_own_entries_admins_included(team, make_entry, make_employee):
    own = make_entry(team["atasan"])
    with pytest.raises(Forbidden):
        decisions.approve_entry(team["atasan"], own.id, own.version)
    admin_boss = make_employee(nama="Kepala Admin", roles=[("admin", None)])
    admin_own = make_entry(admin_boss)
    with pytest.raises(Forbidden):
        decisions.approve_entry(admin_boss, admin_own.id, admin_own.version)
    outcome = decisions.approve_entries(admin_boss, [(admin_own.id, admin_own.version)])
    assert outcome.refused == [admin_own.id] and not outcome.decided
    assert reload(own).status == SUBMITTED and reload(admin_own).status == SUBMITTED


def test_admin_without_subordinates_cannot_decide(team, make_entry):
    entry = make_entry(team["pegawai"])
    with pytest.raises(NotFound):
        decisions.approve_entry(team["admin"], entry.id, entry.version)


def test_other_units_atasan_gets_not_found(team, make_entry):
    entry = make_entry(team["pegawai"])
    with pytest.raises(NotFound):
        decisions.approve_entry(team["outsider"], entry.id, entry.version)
    assert reload(entry).status == SUBMITTED


def test_stale_version_is_refused_with_a_clear_message(team, make_entry):
    entry = make_entry(team["pegawai"])
    with pytest.raises(Conflict) as error:
        decisions.approve_entry(team["atasan"], entry.id, entry.version - 1)
    assert "mengubah" in str(error.value) or "changed" in str(error.value)
    decisions.approve_entry(team["atasan"], entry.id, entry.version)
    with pytest.raises(Conflict) as error:
        decisions.reject_entry(team["atasan"], entry.id, entry.version, "terlambat")
    assert "Rina Marlina" in str(error.value)


def test_bulk_approval_skips_changed_entries_and_notifies_once_per_pegawai(team, make_entries):
    entries = make_entries(team["pegawai"], 5) + make_entries(team["rekan"], 3)
    items = [(e.id, e.version) for e in entries]
    items[0] = (entries[0].id, entries[0].version + 7)  # changed meanwhile
    outcome = decisions.approve_entries(team["atasan"], items)
    assert len(outcome.decided) == 7 and outcome.stale == [entries[0].id]
    assert Notification.select().where(Notification.kind == "activity_approved").count() == 2
    assert ActivityEvent.select().count() == 7
    assert AuditLog.select().where(AuditLog.action == "activity.approved").count() == 7


def _appoint(team, start, end, acting=None):
    return plh.appoint_acting(
        team["atasan"],
        Appointment(team["atasan"], acting or team["plh"], "Plh", start, end, "Dinas luar"),
    )


@pytest.mark.parametrize(
    ("offset", "allowed"),
    [(-1, False), (0, True), (2, True), (3, False)],
    ids=["day-before", "first-day", "last-day", "day-after"],
)
def test_acting_window_boundaries(team, make_entry, offset, allowed):
    start = TODAY + timedelta(days=1)
    _appoint(team, start, start + timedelta(days=2))
    entry = make_entry(team["pegawai"])
    day = start + timedelta(days=offset)
    scope_queue = review_queue.queue(team["plh"], today=day)
    assert (entry.id in _ids(scope_queue)) is allowed
    assert scope.is_verifier(team["plh"], day) is allowed
    if allowed:
        decisions.approve_entry(team["plh"], entry.id, entry.version, today=day)
        fresh = reload(entry)
        assert fresh.decided_by_id == team["plh"].id
        assert fresh.decided_as_id == team["atasan"].id
        event = ActivityEvent.get(ActivityEvent.activity == entry.id)
        assert event.acting_for_id == team["atasan"].id
    else:
        with pytest.raises(NotFound):
            decisions.approve_entry(team["plh"], entry.id, entry.version, today=day)


def test_acting_verifier_never_sees_their_own_entries(team, make_entry):
    _appoint(team, TODAY, TODAY, acting=team["rekan"])
    own = make_entry(team["rekan"])
    other = make_entry(team["pegawai"])
    assert _ids(review_queue.queue(team["rekan"])) == [other.id]
    with pytest.raises(Forbidden):
        decisions.approve_entry(team["rekan"], own.id, own.version)


def test_appointment_rules(team):
    with pytest.raises(Forbidden):
        plh.appoint_acting(
            team["pegawai"], Appointment(team["atasan"], team["plh"], "Plh", TODAY, TODAY)
        )
    with pytest.raises(DomainError):
        plh.appoint_acting(
            team["atasan"], Appointment(team["atasan"], team["atasan"], "Plh", TODAY, TODAY)
        )
    with pytest.raises(DomainError):
        _appoint(team, TODAY, TODAY - timedelta(days=1))
    first = _appoint(team, TODAY, TODAY + timedelta(days=4))
    with pytest.raises(DomainError):
        _appoint(team, TODAY + timedelta(days=4), TODAY + timedelta(days=6), acting=team["rekan"])
    # an admin may appoint for anyone; cancelling frees the period
    plh.cancel_acting(team["admin"], first)
    assert ActingAssignment.get_by_id(first.id).cancelled_at is not None
    second = plh.appoint_acting(
        team["admin"], Appointment(team["atasan"], team["rekan"], "Plt", TODAY, TODAY)
    )
    assert second.kind == "Plt"
    assert AuditLog.select().where(AuditLog.action.startswith("acting.")).count() == 3
    assert Notification.select().where(Notification.kind == "acting_appointed").count() == 2


def test_escalation_after_five_working_days_reaches_the_atasans_atasan(team, make_entry):
    # Monday 23 Nov: submitted Mon 16 Nov has waited 5 working days, Tue 17 Nov only 4.
    waited = make_entry(
        team["pegawai"], tanggal=date(2026, 11, 16), submitted_at=datetime(2026, 11, 16, 9, 0)
    )
    recent = make_entry(
        team["pegawai"], tanggal=date(2026, 11, 17), submitted_at=datetime(2026, 11, 17, 9, 0)
    )
    queue = review_queue.queue(team["kepala"])
    assert _ids(queue) == [waited.id]
    assert queue.groups[0].days[0].entries[0].escalated
    assert review_queue.waiting_count(team["kepala"]) == 1
    with pytest.raises(NotFound):
        decisions.approve_entry(team["kepala"], recent.id, recent.version)
    decisions.approve_entry(team["kepala"], waited.id, waited.version)
    assert reload(waited).decided_by_id == team["kepala"].id
    # still in the atasan langsung's queue too, until someone decides
    assert _ids(review_queue.queue(team["atasan"])) == [recent.id]


def test_escalation_skips_holidays(team, make_entry):
    Holiday.create(tanggal=date(2026, 11, 20), keterangan="Libur uji")
    make_entry(
        team["pegawai"], tanggal=date(2026, 11, 16), submitted_at=datetime(2026, 11, 16, 9, 0)
    )
    assert review_queue.queue(team["kepala"]).total == 0  # only 4 working days because of Friday


def test_escalation_setting_is_respected(team, make_entry):
    settings.put("reviews.escalation_days", 1)
    make_entry(
        team["pegawai"], tanggal=date(2026, 11, 20), submitted_at=datetime(2026, 11, 20, 9, 0)
    )
    assert review_queue.queue(team["kepala"]).total == 1


def test_parse_items_refuses_garbage_and_limits_size():
    assert decisions.parse_items(["1:2,3:4", "1:9"]) == [(1, 2), (3, 4)]
    with pytest.raises(DomainError):
        decisions.parse_items(["1-2"])
    with pytest.raises(DomainError):
        decisions.parse_items([",".join(f"{i}:1" for i in range(decisions.BULK_LIMIT + 1))])


def test_approval_with_fewer_minutes_tells_the_pegawai_how_many_were_accepted(team, make_entry):
    entry = make_entry(team["pegawai"], start="08:00", end="10:00")
    decisions.approve_entry(team["atasan"], entry.id, entry.version, 90, "Rapat selesai 09.30")
    notice = Notification.get(Notification.recipient == team["pegawai"].id)
    assert "90" in notice.message and "120" in notice.message
    assert "Rapat selesai 09.30" in notice.message


def test_several_approvals_in_a_row_make_one_notice_per_pegawai(team, make_entries, frozen):
    first, second, third = make_entries(team["pegawai"], 3)
    decisions.approve_entry(team["atasan"], first.id, first.version)
    frozen.shift(60)
    decisions.approve_entry(team["atasan"], second.id, second.version)
    notices = list(Notification.select().where(Notification.recipient == team["pegawai"].id))
    assert len(notices) == 1 and "2" in notices[0].message and notices[0].read_at is None
    frozen.shift(15 * 60)  # a later window: a new notice
    decisions.approve_entry(team["atasan"], third.id, third.version)
    assert Notification.select().where(Notification.recipient == team["pegawai"].id).count() == 2


@pytest.mark.parametrize("blank", ["\u200b", "\u00a0\u200d\ufeff"])
def test_a_note_or_message_of_only_invisible_characters_is_refused(team, make_entry, blank):
    entry = make_entry(team["pegawai"])
    with pytest.raises(DomainError):
        decisions.return_for_revision(team["atasan"], entry.id, entry.version, blank)
    with pytest.raises(DomainError):
        feedback.post(team["atasan"], team["pegawai"], blank, activity=entry)
    assert reload(entry).status == SUBMITTED
