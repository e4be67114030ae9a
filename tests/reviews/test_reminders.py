"""`flask send-reminders`: missing working days for pegawai, waiting entries for verifiers,
weekends and holidays respected, idempotent per day."""

from datetime import date, datetime, timedelta

import pytest

from portal.activities.models import DRAFT, Holiday
from portal.notifications.models import Notification
from portal.org.models import Employee
from portal.reviews.acting import Appointment, appoint_acting
from tests.reviews.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen")


@pytest.fixture
def old_team(team):
    Employee.update(created_at=datetime(2026, 1, 5)).execute()
    return team


def _notices(kind, recipient=None):
    query = Notification.select().where(Notification.kind == kind)
    if recipient is not None:
        query = query.where(Notification.recipient == recipient.id)
    return list(query)


def test_pegawai_hear_about_working_days_without_entries_once_a_day(runner, old_team, make_entry):
    make_entry(old_team["pegawai"], tanggal=date(2026, 11, 19), status=DRAFT)
    result = runner.invoke(args=["send-reminders", "--date", TODAY.isoformat()])
    assert result.exit_code == 0, result.output
    (notice,) = _notices("reminder_missing", old_team["pegawai"])
    # Monday 23 Nov, input deadline 3 working days: Wed 18, Thu 19, Fri 20 are open
    assert "2 hari kerja" in notice.message
    assert "18 Nov" in notice.message and "20 Nov" in notice.message
    assert "19 Nov" not in notice.message
    (rekan,) = _notices("reminder_missing", old_team["rekan"])
    assert "3 hari kerja" in rekan.message
    before = Notification.select().count()
    again = runner.invoke(args=["send-reminders", "--date", TODAY.isoformat()])
    assert again.exit_code == 0
    assert Notification.select().count() == before
    assert "0 pegawai dan 0 verifikator" in again.output


def test_reminders_skip_holidays_and_send_nothing_on_a_day_off(runner, old_team):
    Holiday.create(tanggal=date(2026, 11, 20), keterangan="Cuti bersama uji")
    runner.invoke(args=["send-reminders", "--date", TODAY.isoformat()])
    (notice,) = _notices("reminder_missing", old_team["pegawai"])
    assert "20 Nov" not in notice.message
    assert "17 Nov" in notice.message  # the window reaches further back over the holiday
    sunday = runner.invoke(args=["send-reminders", "--date", "2026-11-22"])
    assert "hari libur" in sunday.output
    assert len(_notices("reminder_missing", old_team["pegawai"])) == 1


def test_new_pegawai_are_not_reminded_of_days_before_they_joined(runner, team):
    runner.invoke(args=["send-reminders", "--date", TODAY.isoformat()])
    assert _notices("reminder_missing", team["pegawai"]) == []


def test_verifiers_and_their_plh_hear_how_much_waits(runner, old_team, make_entry):
    make_entry(
        old_team["pegawai"], tanggal=date(2026, 11, 17), submitted_at=datetime(2026, 11, 17, 3, 0)
    )
    make_entry(
        old_team["rekan"], tanggal=date(2026, 11, 20), submitted_at=datetime(2026, 11, 23, 1, 0)
    )
    appoint_acting(
        old_team["atasan"],
        Appointment(old_team["atasan"], old_team["plh"], "Plh", TODAY, TODAY + timedelta(days=2)),
    )
    runner.invoke(args=["send-reminders", "--date", TODAY.isoformat()])
    (notice,) = _notices("reminder_queue", old_team["atasan"])
    assert notice.message.startswith("2 kegiatan menunggu verifikasi Anda")
    assert "1 baru sejak kemarin" in notice.message
    assert "4 hari kerja" in notice.message
    assert notice.link == "/verifikasi"
    (acting,) = _notices("reminder_queue", old_team["plh"])
    assert "Rina Marlina" in acting.message
    runner.invoke(args=["send-reminders", "--date", TODAY.isoformat()])
    assert len(_notices("reminder_queue")) == 2
