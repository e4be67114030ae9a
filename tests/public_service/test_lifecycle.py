"""The complaint's state machine, its deadline in working days, reminders and escalation."""

from datetime import date

import pytest
import time_machine

from portal.activities.models import Activity, Holiday
from portal.audit.models import AuditLog
from portal.clock import local_today
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from portal.public_service import deadlines, filing, handling, lifecycle
from portal.public_service.models import (
    DONE,
    IN_PROGRESS,
    RECEIVED,
    REJECTED,
    VERIFIED,
    Complaint,
    ComplaintEvent,
)


def test_citizen_files_a_complaint_and_gets_a_code_and_a_deadline(make_complaint, unit):
    complaint = make_complaint()
    assert complaint.status == RECEIVED
    assert complaint.kode.startswith("ADU-") and len(complaint.kode) == 12
    assert complaint.kontak == "6281234567890"
    assert complaint.filed_on == date(2026, 11, 23)  # Monday
    assert complaint.due_date == date(2026, 11, 30)  # five working days: Tue..Fri, Mon
    assert filing.find_by_code(complaint.kode.lower().replace("-", " ")).id == complaint.id
    assert [e.status for e in filing.history(complaint)] == [RECEIVED]
    assert AuditLog.select().where(AuditLog.action == "complaint.filed").count() == 1


def test_deadline_skips_a_weekend_and_a_holiday(make_complaint):
    Holiday.create(tanggal=date(2026, 12, 1), keterangan="Libur uji")
    with time_machine.travel("2026-11-27 03:00:00+00:00", tick=False):  # Friday 10.00 WIB
        complaint = make_complaint()
    # Mon 30, (Tue 1 holiday), Wed 2, Thu 3, Fri 4, (weekend), Mon 7
    assert complaint.due_date == date(2026, 12, 7)


def test_unknown_unit_goes_to_the_admin_who_routes_it(make_complaint, admin, unit_admin, unit):
    complaint = make_complaint(unit=None)
    assert complaint.unit_id is None
    with pytest.raises(NotFound):
        handling.verify(unit_admin, complaint)  # not theirs until routed
    with pytest.raises(Invalid):
        handling.verify(admin, complaint)  # a unit must be chosen
    verified = handling.verify(admin, complaint, unit.id)
    assert verified.status == VERIFIED and verified.unit_id == unit.id


def test_full_journey_verify_assign_answer(make_complaint, unit_admin, handler):
    complaint = make_complaint()
    complaint = handling.verify(unit_admin, complaint)
    complaint = handling.assign(unit_admin, complaint, handler.id)
    assert complaint.status == IN_PROGRESS and complaint.assignee_id == handler.id
    assert Notification.select().where(Notification.recipient == handler.id).count() == 1
    with time_machine.travel("2026-11-26 03:00:00+00:00", tick=False):  # Thursday
        complaint = handling.answer(handler, complaint, "Izin Anda sudah terbit hari ini.")
    assert complaint.status == DONE
    assert complaint.response_days == 3
    assert complaint.closed_on == date(2026, 11, 26)
    statuses = [e.status for e in ComplaintEvent.select().order_by(ComplaintEvent.id)]
    assert statuses == [RECEIVED, VERIFIED, IN_PROGRESS, DONE]


def test_rejection_needs_a_reason_the_citizen_reads(make_complaint, unit_admin):
    complaint = make_complaint()
    with pytest.raises(Invalid):
        handling.reject(unit_admin, complaint, "  ")
    rejected = handling.reject(unit_admin, complaint, "Bukan kewenangan pemerintah daerah.")
    assert rejected.status == REJECTED and rejected.reason.startswith("Bukan")
    with pytest.raises(Conflict):
        handling.verify(unit_admin, rejected)


def test_a_stale_copy_loses_the_race(make_complaint, unit_admin, handler):
    complaint = make_complaint()
    handling.verify(unit_admin, complaint)
    with pytest.raises(Conflict):
        handling.reject(unit_admin, complaint, "Alasan penolakan yang sah.")  # read before
    assert Complaint.get_by_id(complaint.id).status == VERIFIED


def test_no_skipping_states(make_complaint, unit_admin, handler):
    complaint = make_complaint()
    with pytest.raises(Conflict):
        lifecycle.move(unit_admin, complaint, DONE, answer="x")
    with pytest.raises(Invalid):  # not verified: nobody to assign from Diterima
        handling.assign(unit_admin, complaint, 999999)


def test_only_a_pegawai_of_the_unit_can_be_assigned(make_complaint, unit_admin, make_employee):
    complaint = handling.verify(unit_admin, make_complaint())
    stranger = make_employee()
    with pytest.raises(Invalid):
        handling.assign(unit_admin, complaint, stranger.id)


@pytest.mark.parametrize("who", ["other_admin", "handler", "atasan"])
def test_others_cannot_manage_a_units_complaint(request, make_complaint, who):
    actor = request.getfixturevalue(who)
    complaint = make_complaint()
    with pytest.raises(NotFound):
        handling.get_for(actor, complaint.id)
    with pytest.raises(NotFound):
        handling.verify(actor, complaint)
    with pytest.raises(NotFound):
        handling.reject(actor, complaint, "Alasan yang cukup panjang.")


def test_the_assigned_pegawai_answers_but_does_not_manage(make_complaint, unit_admin, handler):
    complaint = handling.assign(
        unit_admin, handling.verify(unit_admin, make_complaint()), handler.id
    )
    assert handling.get_for(handler, complaint.id).id == complaint.id
    with pytest.raises(NotFound):
        handling.reject(handler, complaint, "Saya tidak mau menangani ini.")
    with pytest.raises(NotFound):
        handling.assign(handler, complaint, handler.id)


def test_answer_is_published_only_with_consent(make_complaint, unit_admin, handler):
    for consent in (False, True):
        complaint = make_complaint(consent=consent)
        complaint = handling.assign(unit_admin, handling.verify(unit_admin, complaint), handler.id)
        complaint = handling.answer(handler, complaint, "Jawaban untuk warga yang lengkap.")
        if consent:
            published = handling.publish(unit_admin, complaint, "Izin usaha lambat terbit.")
            assert published.published
        else:
            with pytest.raises(Invalid):
                handling.publish(unit_admin, complaint, "Izin usaha lambat terbit.")


def test_citizen_rates_the_answer_once(make_complaint, unit_admin, handler):
    complaint = handling.assign(
        unit_admin, handling.verify(unit_admin, make_complaint()), handler.id
    )
    with pytest.raises(Invalid):
        filing.rate(complaint.kode, 5)  # not answered yet
    handling.answer(handler, complaint, "Sudah kami selesaikan, terima kasih.")
    with pytest.raises(Invalid):
        filing.rate(complaint.kode, 9)
    rated = filing.rate(complaint.kode, 4, "Cepat")
    assert rated.rating == 4
    with pytest.raises(Conflict):
        filing.rate(complaint.kode, 1)


def test_pegawai_logs_the_complaint_as_a_daily_entry_once(make_complaint, unit_admin, handler):
    complaint = handling.assign(
        unit_admin, handling.verify(unit_admin, make_complaint()), handler.id
    )
    activity_id = handling.log_as_entry(handler, complaint)
    activity = Activity.get_by_id(activity_id)
    assert activity.employee_id == handler.id
    assert activity.tanggal == local_today()
    assert complaint.kode in activity.uraian
    assert activity.status == "draf"
    assert activity.minutes == 30
    with pytest.raises(Conflict):
        handling.log_as_entry(handler, Complaint.get_by_id(complaint.id))
    with pytest.raises(NotFound):
        handling.log_as_entry(unit_admin, Complaint.get_by_id(complaint.id))


def test_sweep_reminds_before_and_escalates_to_the_atasan_after(
    make_complaint, unit_admin, handler, atasan
):
    complaint = handling.assign(
        unit_admin, handling.verify(unit_admin, make_complaint()), handler.id
    )  # due Monday 30 November
    assert deadlines.sweep(date(2026, 11, 26)).reminded == 0  # Thursday: two working days left
    result = deadlines.sweep(date(2026, 11, 27))  # Friday: one working day left
    assert result.reminded == 1
    assert deadlines.sweep(date(2026, 11, 27)).reminded == 0  # once
    reminders = Notification.select().where(Notification.kind == "complaint.reminder")
    assert [n.recipient_id for n in reminders] == [handler.id]
    assert deadlines.sweep(date(2026, 11, 30)).escalated == 0  # the last day is still in time
    result = deadlines.sweep(date(2026, 12, 1))
    assert result.escalated == 1
    escalations = Notification.select().where(Notification.kind == "complaint.escalation")
    assert [n.recipient_id for n in escalations] == [atasan.id]
    assert Complaint.get_by_id(complaint.id).escalated_to_id == atasan.id
    assert deadlines.sweep(date(2026, 12, 2)).escalated == 0


def test_an_unassigned_late_complaint_goes_to_the_units_admin(make_complaint, unit_admin):
    make_complaint()
    result = deadlines.sweep(date(2026, 12, 1))
    assert result.escalated == 1
    escalations = Notification.select().where(Notification.kind == "complaint.escalation")
    assert [n.recipient_id for n in escalations] == [unit_admin.id]


def test_answered_complaints_are_not_swept(make_complaint, unit_admin, handler):
    complaint = handling.assign(
        unit_admin, handling.verify(unit_admin, make_complaint()), handler.id
    )
    handling.answer(handler, complaint, "Sudah selesai ditangani.")
    assert deadlines.sweep(date(2026, 12, 10)).escalated == 0


def test_the_cli_command_sweeps(runner, make_complaint, unit_admin):
    make_complaint()
    with time_machine.travel("2026-12-01 03:00:00+00:00", tick=False):
        result = runner.invoke(args=["complaint-deadlines"])
    assert result.exit_code == 0, result.output
    assert "1" in result.output
    assert Notification.select().where(Notification.kind == "complaint.escalation").count() == 1


def test_the_benchmark_finds_a_tracking_code(runner, make_complaint):
    assert runner.invoke(args=["complaint-sample-code"]).exit_code == 1
    complaint = make_complaint()
    result = runner.invoke(args=["complaint-sample-code"])
    assert result.exit_code == 0 and result.output.strip() == complaint.kode
