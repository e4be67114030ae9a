"""The rules of the training domain, without HTTP."""

from datetime import time, timedelta

import pytest
import time_machine
from icalendar import Calendar

from portal import settings
from portal.clock import local_now, local_today
from portal.db import utcnow
from portal.errors import DomainError, Invalid
from portal.notifications.models import Notification
from portal.trainings import calendars, catalogue, ledger, organising, seats
from portal.trainings.ledger import ExternalRecordInput
from portal.trainings.models import (
    AWAITING_APPROVAL,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    OFFERED,
    REGISTERED,
    REJECTED,
    WAITING,
    WITHDRAWN,
    ExternalRecord,
    Registration,
    Training,
)
from portal.trainings.organising import AttendanceInput, FeedbackInput
from portal.web.uploads import StoredFile


def kinds(employee):
    return [n.kind for n in Notification.select().where(Notification.recipient == employee.id)]


def test_sign_up_takes_a_seat_and_is_told(org, make_training):
    training = make_training()
    reg = seats.sign_up(org["pegawai"], training)
    assert reg.status == REGISTERED
    assert "training_signed_up" in kinds(org["pegawai"])


def test_sign_up_when_full_joins_the_waiting_list_with_position(org, make_training, make_employee):
    training = make_training(kuota=1)
    seats.sign_up(org["pegawai"], training)
    first = seats.sign_up(org["other"], training)
    second = seats.sign_up(make_employee(), training)
    assert (first.status, second.status) == (WAITING, WAITING)
    assert seats.waiting_position(first) == 1
    assert seats.waiting_position(second) == 2


def test_cannot_sign_up_twice(org, make_training):
    training = make_training()
    seats.sign_up(org["pegawai"], training)
    with pytest.raises(DomainError, match="sudah mendaftar"):
        seats.sign_up(org["pegawai"], training)
    assert Registration.select().count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"status": CANCELLED}, "dibatalkan"),
        ({"status": CLOSED}, "tidak dibuka"),
        ({"registration_opens_at": timedelta(days=1)}, "tidak dibuka"),
        ({"registration_closes_at": -timedelta(minutes=1)}, "tidak dibuka"),
    ],
)
def test_sign_up_outside_the_window_or_cancelled_is_refused(org, make_training, fields, message):
    # Moments are offsets from the (frozen) now, computed in the test, not at collection.
    now = utcnow()
    fields = {k: now + v if isinstance(v, timedelta) else v for k, v in fields.items()}
    training = make_training(**fields)
    with pytest.raises(DomainError, match=message) as error:
        seats.sign_up(org["pegawai"], training)
    assert 400 <= error.value.status < 500


def test_sign_up_outside_the_target_audience_is_refused(org, make_training):
    training = make_training(target_units=str(org["kominfo"].id))
    assert seats.sign_up(org["pegawai"], training).status == REGISTERED  # bidang is below
    with pytest.raises(DomainError, match="unit atau jabatan lain") as error:
        seats.sign_up(org["other"], training)
    assert error.value.status == 403
    by_jabatan = make_training(target_jabatan="Pengawas")
    with pytest.raises(DomainError):
        seats.sign_up(org["pegawai"], by_jabatan)


def test_cancel_frees_the_seat_for_the_first_in_line_who_must_confirm(org, make_training):
    training = make_training(kuota=1)
    seats.sign_up(org["pegawai"], training)
    waiting = seats.sign_up(org["other"], training)
    seats.cancel_registration(org["pegawai"], training)
    waiting = Registration.get_by_id(waiting.id)
    assert waiting.status == OFFERED
    assert waiting.offer_expires_at > utcnow() + timedelta(hours=23)
    assert "training_promoted" in kinds(org["other"])
    seats.confirm_offer(org["other"], training)
    assert Registration.get_by_id(waiting.id).status == REGISTERED


def test_an_unconfirmed_offer_expires_and_passes_to_the_next(org, make_training, make_employee):
    third = make_employee(nama="Dewi Lestari")
    with time_machine.travel("2026-11-23 01:00:00+00:00", tick=False) as clock:
        training = make_training(kuota=1)
        seats.sign_up(org["pegawai"], training)
        second = seats.sign_up(org["other"], training)
        last = seats.sign_up(third, training)
        seats.cancel_registration(org["pegawai"], training)
        assert Registration.get_by_id(second.id).status == OFFERED
        clock.shift(timedelta(hours=23))
        assert seats.process_expired_offers() == 0
        clock.shift(timedelta(hours=2))
        with pytest.raises(DomainError, match="kedaluwarsa"):
            seats.confirm_offer(org["other"], training)
        assert Registration.get_by_id(second.id).status == WITHDRAWN
        assert Registration.get_by_id(last.id).status == OFFERED
        assert "training_offer_expired" in kinds(org["other"])


def test_expiry_is_processed_lazily_by_the_catalogue(org, make_training, make_employee):
    with time_machine.travel("2026-11-23 01:00:00+00:00", tick=False) as clock:
        training = make_training(kuota=1)
        seats.sign_up(org["pegawai"], training)
        second = seats.sign_up(org["other"], training)
        third = seats.sign_up(make_employee(), training)
        seats.cancel_registration(org["pegawai"], training)
        clock.shift(timedelta(hours=25))
        catalogue.catalogue(org["atasan"])
        assert Registration.get_by_id(second.id).status == WITHDRAWN
        assert Registration.get_by_id(third.id).status == OFFERED


def test_confirmed_hours_follow_the_setting(org, make_training):
    settings.put("trainings.confirmation_hours", 2)
    training = make_training(kuota=1)
    seats.sign_up(org["pegawai"], training)
    waiting = seats.sign_up(org["other"], training)
    seats.cancel_registration(org["pegawai"], training)
    expires = Registration.get_by_id(waiting.id).offer_expires_at
    assert expires < utcnow() + timedelta(hours=2, minutes=1)


def test_cancel_after_the_cut_off_is_refused(org, make_training):
    start = utcnow() + timedelta(hours=10)
    training = make_training(start=start, registration_closes_at=start)
    seats.sign_up(org["pegawai"], training)
    with pytest.raises(DomainError, match="Batas waktu pembatalan"):
        seats.cancel_registration(org["pegawai"], training)


def test_atasan_approval_holds_the_seat_until_approved(org, make_training):
    training = make_training(needs_approval=True, kuota=1)
    reg = seats.sign_up(org["pegawai"], training)
    assert reg.status == AWAITING_APPROVAL
    assert catalogue.seat_counts(training)["taken"] == 0
    assert [r.id for r in seats.pending_approvals(org["atasan"])] == [reg.id]
    assert "training_approval" in kinds(org["atasan"])
    with pytest.raises(DomainError):
        seats.decide(org["other"], reg, True)
    seats.decide(org["atasan"], reg, True)
    assert Registration.get_by_id(reg.id).status == REGISTERED


def test_atasan_can_reject_a_sign_up(org, make_training):
    training = make_training(needs_approval=True)
    reg = seats.sign_up(org["pegawai"], training)
    seats.decide(org["atasan"], reg, False)
    assert Registration.get_by_id(reg.id).status == REJECTED
    assert "training_rejected" in kinds(org["pegawai"])
    with pytest.raises(DomainError):
        seats.sign_up(org["pegawai"], training)


def session_input(day, start="08:00", end="12:00"):
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return organising.SessionInput(day, time(h1, m1), time(h2, m2), "Materi")


def training_input(org, **overrides):

    day = local_today() + timedelta(days=14)
    now = local_now().replace(tzinfo=None, microsecond=0)
    values = {
        "judul": "Workshop Tata Naskah Dinas",
        "jenis": "workshop",
        "unit_id": org["kominfo"].id,
        "jp": 6,
        "kuota": 25,
        "registration_opens_at": now - timedelta(hours=1),
        "registration_closes_at": now + timedelta(days=10),
        "sessions": [session_input(day), session_input(day + timedelta(days=1))],
    }
    values.update(overrides)
    return organising.TrainingInput(**values)


def test_organizer_creates_publishes_and_closes(org):
    training = organising.create_training(org["organizer"], training_input(org))
    assert training.status == DRAFT
    assert training.sessions.count() == 2
    organising.publish(org["organizer"], training)
    assert Training.get_by_id(training.id).status == "dibuka"
    organising.close_registration(org["organizer"], training)
    assert Training.get_by_id(training.id).status == CLOSED


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"jp": 0}, "jp"),
        ({"kuota": 0}, "kuota"),
        ({"judul": " "}, "judul"),
        ({"sessions": []}, "sessions"),
    ],
)
def test_invalid_training_is_refused_with_reasons(org, overrides, key):
    with pytest.raises(Invalid) as error:
        organising.create_training(org["organizer"], training_input(org, **overrides))
    assert key in error.value.errors
    assert error.value.status == 422


def test_a_session_may_not_end_before_it_starts(org):
    bad = [session_input(local_today() + timedelta(days=3), "10:00", "09:00")]
    with pytest.raises(Invalid, match="tidak boleh berakhir"):
        organising.create_training(org["organizer"], training_input(org, sessions=bad))


def test_organizer_of_another_unit_cannot_edit_or_create_for_it(org, make_training):
    training = make_training()
    with pytest.raises(DomainError):
        organising.update_training(org["other_organizer"], training, training_input(org))
    with pytest.raises(Invalid):
        organising.create_training(org["other_organizer"], training_input(org))
    with pytest.raises(DomainError):
        organising.create_training(org["pegawai"], training_input(org))


def test_quota_cannot_drop_below_the_confirmed_count(org, make_training, make_employee):
    training = organising.create_training(org["organizer"], training_input(org, kuota=3))
    organising.publish(org["organizer"], training)
    for employee in (org["pegawai"], org["other"], make_employee()):
        seats.sign_up(employee, training)
    with pytest.raises(Invalid, match="3 kursi sudah terisi"):
        organising.update_training(org["organizer"], training, training_input(org, kuota=2))


def test_raising_the_quota_offers_seats_to_the_waiting_list(org, make_training):
    training = organising.create_training(org["organizer"], training_input(org, kuota=1))
    organising.publish(org["organizer"], training)
    seats.sign_up(org["pegawai"], training)
    waiting = seats.sign_up(org["other"], training)
    organising.update_training(org["organizer"], training, training_input(org, kuota=2))
    assert Registration.get_by_id(waiting.id).status == OFFERED


def test_cancelling_a_training_tells_everyone(org, make_training):
    training = make_training(kuota=1)
    seats.sign_up(org["pegawai"], training)
    seats.sign_up(org["other"], training)
    organising.cancel_training(org["organizer"], training, "Narasumber berhalangan.")
    assert Training.get_by_id(training.id).status == CANCELLED
    assert "training_cancelled" in kinds(org["pegawai"])
    assert "training_cancelled" in kinds(org["other"])


def test_attendance_completion_credits_jp_and_issues_certificates(org, make_training):
    with time_machine.travel("2026-11-02 01:00:00+00:00", tick=False) as clock:
        training = make_training(sessions=2, jp=12)
        present = seats.sign_up(org["pegawai"], training)
        absent = seats.sign_up(org["other"], training)
        clock.shift(timedelta(days=9))
        for session in training.sessions:
            marks = AttendanceInput({present.id}, {present.id, absent.id})
            organising.mark_attendance(org["organizer"], training, session, marks)
        nobody = AttendanceInput(set(), {present.id})
        with pytest.raises(DomainError):
            organising.mark_attendance(org["pegawai"], training, session, nobody)
        assert organising.complete(org["organizer"], training) == 1
        done = Registration.get_by_id(present.id)
        assert done.completed and done.jp_credited == 12
        assert done.certificate_number == f"SERT-2026-{training.id:04d}-{done.id:05d}"
        assert ledger.verify_certificate(done.verification_code).id == done.id
        assert ledger.verify_certificate("tidak-ada") is None
        assert not Registration.get_by_id(absent.id).completed
        assert Training.get_by_id(training.id).status == DONE
        totals = ledger.jp_ledger(org["pegawai"], 2026)
        assert (totals["total"], totals["short"]) == (12, 8)


def test_feedback_after_completion_is_summarised(org, make_training):
    training = make_training(status=DONE)
    reg = Registration.create(training=training, employee=org["pegawai"], status=REGISTERED)
    Registration.create(training=training, employee=org["other"], status=REGISTERED)
    organising.submit_feedback(
        org["pegawai"], training, FeedbackInput(4, "Materi sangat bermanfaat.")
    )
    organising.submit_feedback(org["other"], training, FeedbackInput(2, ""))
    with pytest.raises(DomainError):
        organising.submit_feedback(org["atasan"], training, FeedbackInput(5, ""))
    with pytest.raises(DomainError):
        organising.submit_feedback(org["pegawai"], training, FeedbackInput(6, ""))
    summary = organising.feedback_summary(organising.participants(training))
    assert summary["count"] == 2 and summary["average"] == 3
    assert summary["comments"] == ["Materi sangat bermanfaat."]
    assert Registration.get_by_id(reg.id).rating == 4


def stored():
    return StoredFile("abc", "sertifikat.pdf", "pdf", 100)


def test_external_records_count_once_verified(org):
    data = ExternalRecordInput(
        "Pelatihan Kepemimpinan Pengawas", "BPSDM Provinsi", local_today() - timedelta(days=3), 10
    )
    rec = ledger.add_external_record(org["pegawai"], data, stored())
    assert ledger.jp_ledger(org["pegawai"])["total"] == 0
    with pytest.raises(DomainError):
        ledger.verify_record(org["organizer"], rec, True)
    with pytest.raises(DomainError, match="alasan"):
        ledger.verify_record(org["admin"], rec, False, "")
    ledger.verify_record(org["admin"], rec, True)
    assert ExternalRecord.get_by_id(rec.id).status == "diverifikasi"
    assert ledger.jp_ledger(org["pegawai"])["total"] == 10
    with pytest.raises(DomainError):
        ledger.verify_record(org["admin"], rec, True)


def test_external_record_with_bad_input_is_refused(org):
    data = ExternalRecordInput("", "X", local_today() + timedelta(days=1), 0)
    with pytest.raises(Invalid) as error:
        ledger.add_external_record(org["pegawai"], data, stored())
    assert set(error.value.errors) == {"judul", "jp", "tanggal"}


def test_atasan_sees_who_is_below_target(org):
    Registration  # noqa: B018
    data = ExternalRecordInput("E-learning ASN Corpu", "LAN", local_today(), 25)
    rec = ledger.add_external_record(org["pegawai"], data, stored())
    ledger.verify_record(org["admin"], rec, True)
    report = ledger.jp_report(org["atasan"])
    assert [row["jp"] for row in report["rows"]] == [25]
    assert report["below"] == []
    with pytest.raises(DomainError):
        ledger.jp_report(org["other"])
    admin_report = ledger.jp_report(org["admin"], org["kominfo"])
    assert {row["employee"].nama for row in admin_report["below"]} >= {"Hendra Saputra"}


def test_reminders_go_out_once_the_day_before(org, make_training):
    with time_machine.travel("2026-11-23 03:00:00+00:00", tick=False):
        training = make_training(start=utcnow() + timedelta(days=1))
        seats.sign_up(org["pegawai"], training)
        assert calendars.send_reminders() == 1
        assert calendars.send_reminders() == 0
    assert kinds(org["pegawai"]).count("training_reminder") == 1


def test_reminders_command_runs(org, make_training, runner):
    result = runner.invoke(args=["training-reminders"])
    assert result.exit_code == 0, result.output


def test_ics_parses_back_with_every_session_in_local_time(org, make_training):
    training = make_training(sessions=2)
    cal = Calendar.from_ical(calendars.training_ics(training, "http://portal"))
    events = cal.walk("VEVENT")
    assert len(events) == 2
    start = events[0].decoded("dtstart")
    assert str(start.tzinfo) == "Asia/Jakarta"
    assert start.astimezone().replace(tzinfo=None) is not None
    assert events[0]["summary"].startswith("Bimtek Penyusunan SKP")
    assert cal.walk("VTIMEZONE")


def test_personal_feed_lists_my_trainings_by_token(org, make_training):
    mine = make_training(judul="Pelatihan Pelayanan Prima")
    make_training(judul="Coaching Kepemimpinan")
    seats.sign_up(org["pegawai"], mine)
    token = calendars.calendar_token(org["pegawai"])
    assert calendars.employee_for_token(token).id == org["pegawai"].id
    cal = Calendar.from_ical(calendars.personal_ics(org["pegawai"]))
    assert [str(e["summary"]) for e in cal.walk("VEVENT")] == ["Pelatihan Pelayanan Prima"]
    renewed = calendars.calendar_token(org["pegawai"], renew=True)
    assert renewed != token and calendars.employee_for_token(token) is None


def test_signing_up_again_after_cancelling_goes_to_the_end_of_the_line(org, make_training):
    training = make_training(kuota=1)
    seats.sign_up(org["pegawai"], training)
    seats.sign_up(org["other"], training)
    seats.cancel_registration(org["pegawai"], training)  # offer goes to "other"
    again = seats.sign_up(org["pegawai"], training)
    assert again.status == WAITING
    assert Registration.select().where(Registration.training == training.id).count() == 2


def test_without_an_atasan_the_sign_up_needs_no_approval(org, make_training):
    training = make_training(needs_approval=True)
    assert seats.sign_up(org["other"], training).status == REGISTERED


def test_a_completed_training_cannot_be_signed_up_or_edited(org, make_training):
    training = make_training(status=DONE)
    with pytest.raises(DomainError):
        seats.sign_up(org["pegawai"], training)
    with pytest.raises(DomainError):
        organising.cancel_training(org["organizer"], training)
