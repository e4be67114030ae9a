"""The rules of public dialogs, without HTTP: states, permissions, registration, moderation."""

import json
from datetime import date, timedelta

import pytest

from portal import settings
from portal.audit.models import AuditLog
from portal.db import utcnow
from portal.dialogs import exports, followups, moderation, organising, public, reading
from portal.dialogs.models import (
    ANNOUNCED,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    FU_DONE,
    POSTPONED,
    Q_APPROVED,
    Q_MERGED,
    Q_PENDING,
    Q_REJECTED,
    RESULTS,
    Dialog,
    Registration,
)
from portal.errors import DomainError, Forbidden, NotFound
from portal.notifications.models import Notification
from portal.org.models import ROLE_ADMIN, ROLE_ADMIN_OPD, ROLE_PENYELENGGARA


def _data(unit, **changes):
    starts = utcnow().replace(microsecond=0) + timedelta(days=5)
    data = {
        "judul": "Dialog Publik Layanan Adminduk Jemput Bola",
        "topik": "Kependudukan",
        "layanan": "KTP-el",
        "unit": unit.id,
        "tempat": "Kantor Camat Ilir Barat",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "kuota": 40,
    }
    data.update(changes)
    return organising.DialogInput(**data)


def _audits(action):
    return AuditLog.select().where(AuditLog.action == action).count()


# --- organising ------------------------------------------------------------------------------


def test_organizer_drafts_a_dialog_for_their_unit(organizer, unit):
    dialog = organising.create_dialog(organizer, _data(unit))
    assert dialog.status == DRAFT and dialog.announced_at is None
    assert _audits("dialog.created") == 1


def test_organizer_may_draft_for_a_unit_below_theirs(organizer, unit, make_unit):
    child = make_unit(nama="UPT Pelayanan Perizinan", parent=unit, jenis="UPT")
    assert organising.create_dialog(organizer, _data(child)).unit_id == child.id


def test_pegawai_without_role_cannot_organize(make_employee, unit):
    pegawai = make_employee(unit=unit)
    with pytest.raises(Forbidden):
        organising.create_dialog(pegawai, _data(unit))


def test_organizer_cannot_draft_for_another_unit(organizer, make_unit):
    other = make_unit(nama="Dinas Kesehatan")
    with pytest.raises(DomainError, match="unit"):
        organising.create_dialog(organizer, _data(other))


def test_end_before_start_and_missing_place_are_refused(organizer, unit):
    starts = utcnow() + timedelta(days=3)
    with pytest.raises(DomainError):
        organising.create_dialog(organizer, _data(unit, starts_at=starts, ends_at=starts))
    with pytest.raises(DomainError):
        organising.create_dialog(organizer, _data(unit, tempat="", online_url=""))
    with pytest.raises(DomainError):
        organising.create_dialog(organizer, _data(unit, online_url="javascript:alert(1)"))


def test_states_follow_the_guarded_path(organizer, make_dialog):
    dialog = make_dialog(status=DRAFT)
    dialog = organising.transition(organizer, dialog, "announce")
    assert dialog.status == ANNOUNCED and dialog.announced_at is not None
    dialog = organising.transition(organizer, dialog, "close")
    assert dialog.status == CLOSED
    with pytest.raises(DomainError, match=r"setelah dimulai|after it has started"):
        organising.transition(organizer, dialog, "finish")
    dialog.starts_at = utcnow() - timedelta(hours=1)
    dialog.save()
    dialog = organising.transition(organizer, dialog, "finish")
    assert dialog.status == DONE
    with pytest.raises(DomainError):
        organising.transition(organizer, dialog, "announce")
    with pytest.raises(DomainError):
        organising.save_results(organizer, dialog, organising.ResultsInput("", 10, 5, publish=True))
    dialog = organising.save_results(
        organizer, dialog, organising.ResultsInput("Notulen rapat.", 45, 30, publish=True)
    )
    assert dialog.status == RESULTS and dialog.results_published_at is not None
    actions = {row.action for row in AuditLog.select()}
    assert {
        "dialog.announced",
        "dialog.registration_closed",
        "dialog.finished",
        "dialog.results_published",
    } <= actions


def test_announcing_needs_a_future_start(organizer, make_dialog):
    dialog = make_dialog(status=DRAFT, days=-1)
    with pytest.raises(DomainError):
        organising.transition(organizer, dialog, "announce")


def test_postponing_and_cancelling_after_announcement_need_a_notice(organizer, make_dialog):
    dialog = make_dialog(status=ANNOUNCED)
    with pytest.raises(DomainError):
        organising.transition(organizer, dialog, "postpone", "")
    dialog = organising.transition(organizer, dialog, "postpone", "Ditunda karena banjir.")
    assert dialog.status == POSTPONED and dialog.notice == "Ditunda karena banjir."
    with pytest.raises(DomainError):
        organising.transition(organizer, dialog, "cancel", "  ")
    dialog = organising.transition(organizer, dialog, "cancel", "Dibatalkan.")
    assert dialog.status == CANCELLED and dialog.is_public


def test_draft_cancelled_before_announcement_never_becomes_public(organizer, make_dialog):
    dialog = organising.transition(organizer, make_dialog(status=DRAFT), "cancel")
    assert dialog.status == CANCELLED and not dialog.is_public
    assert reading.get_public_dialog(dialog.id) is None


def test_organizer_of_another_unit_cannot_change_the_dialog(make_dialog, make_employee, make_unit):
    other_unit = make_unit(nama="Dinas Kesehatan")
    other = make_employee(unit=other_unit, roles=[(ROLE_PENYELENGGARA, other_unit)])
    dialog = make_dialog()
    with pytest.raises(NotFound):
        organising.transition(other, dialog, "close")
    with pytest.raises(NotFound):
        organising.update_dialog(other, dialog, _data(dialog.unit))
    assert reading.get_managed_dialog(other, dialog.id) is None


def test_admin_may_manage_every_dialog(make_dialog, make_employee):
    admin = make_employee(roles=[(ROLE_ADMIN, None)])
    assert organising.transition(admin, make_dialog(), "close").status == CLOSED


def test_quota_cannot_drop_below_registrations(organizer, make_dialog):
    dialog = make_dialog(kuota=5)
    for number in range(3):
        public.register(
            dialog.id, public.RegistrationInput(f"Warga {number}", "", f"08123456780{number}", True)
        )
    dialog = Dialog.get_by_id(dialog.id)
    with pytest.raises(DomainError, match="3"):
        organising.update_dialog(organizer, dialog, _data(dialog.unit, kuota=2))


# --- registration ------------------------------------------------------------------------------


def test_citizen_registers_and_gets_a_code(make_dialog):
    dialog = make_dialog(kuota=2)
    registration = public.register(
        dialog.id, public.RegistrationInput("Budi", "RT 05", "0812 3456 7890", True)
    )
    assert registration.code.startswith("DP-") and len(registration.code) == 11
    assert registration.kontak_normal == "6281234567890"
    assert Dialog.get_by_id(dialog.id).registered_count == 1


def test_registration_is_refused_when_full_and_nothing_is_saved(make_dialog):
    dialog = make_dialog(kuota=1)
    public.register(dialog.id, public.RegistrationInput("Budi", "", "budi@example.id", True))
    with pytest.raises(DomainError, match=r"[Kk]uota"):
        public.register(dialog.id, public.RegistrationInput("Sari", "", "sari@example.id", True))
    assert Registration.select().count() == 1
    assert Dialog.get_by_id(dialog.id).registered_count == 1


def test_duplicate_contact_is_refused_in_any_spelling(make_dialog):
    dialog = make_dialog()
    public.register(dialog.id, public.RegistrationInput("Budi", "", "+62 812-3456-7890", True))
    with pytest.raises(DomainError, match=r"sudah terdaftar|already registered"):
        public.register(dialog.id, public.RegistrationInput("Budi lagi", "", "081234567890", True))
    public.register(dialog.id, public.RegistrationInput("Ani", "", "Ani@Example.id", True))
    with pytest.raises(DomainError):
        public.register(dialog.id, public.RegistrationInput("Ani", "", "ani@example.ID", True))


@pytest.mark.parametrize("contact", ["halo", "12345", "ani@", "08abc", "+1 555 0100 22"])
def test_invalid_contact_is_refused(make_dialog, contact):
    with pytest.raises(DomainError):
        public.register(make_dialog().id, public.RegistrationInput("Budi", "", contact, True))


def test_registration_needs_consent_and_an_open_window(make_dialog):
    dialog = make_dialog()
    with pytest.raises(DomainError):
        public.register(dialog.id, public.RegistrationInput("Budi", "", "081234567890", False))
    closed = make_dialog(status=CLOSED)
    with pytest.raises(DomainError):
        public.register(closed.id, public.RegistrationInput("Budi", "", "081234567890", True))
    early_close = make_dialog(registration_closes_at=utcnow() - timedelta(minutes=1))
    with pytest.raises(DomainError, match=r"ditutup|closed"):
        public.register(early_close.id, public.RegistrationInput("Budi", "", "081234567890", True))
    draft = make_dialog(status=DRAFT)
    with pytest.raises(DomainError):
        public.register(draft.id, public.RegistrationInput("Budi", "", "081234567890", True))
    assert Registration.select().count() == 0


def test_cancelling_with_the_code_frees_the_seat_and_allows_coming_back(make_dialog):
    dialog = make_dialog(kuota=1)
    registration = public.register(
        dialog.id, public.RegistrationInput("Budi", "", "081234567890", True)
    )
    with pytest.raises(DomainError):
        public.cancel_registration(dialog.id, "DP-SALAH123")
    public.cancel_registration(dialog.id, registration.code.lower())
    assert Dialog.get_by_id(dialog.id).registered_count == 0
    again = public.register(dialog.id, public.RegistrationInput("Budi", "", "081234567890", True))
    assert again.id == registration.id and again.code != registration.code
    assert Dialog.get_by_id(dialog.id).registered_count == 1


# --- questions and moderation ------------------------------------------------------------------


def test_unmoderated_questions_are_never_public(organizer, make_dialog):
    dialog = make_dialog()
    first = public.submit_question(
        dialog.id, public.QuestionInput("Budi", "Berapa lama izin terbit?", False)
    )
    second = public.submit_question(dialog.id, public.QuestionInput("", "Apakah ada biaya?", True))
    third = public.submit_question(
        dialog.id, public.QuestionInput("Sari", "Iklan judi di sini", False)
    )
    assert reading.public_questions(dialog) == []
    moderation.approve_question(organizer, first)
    with pytest.raises(DomainError):
        moderation.reject_question(organizer, third, "")
    moderation.reject_question(organizer, third, "Tidak relevan")
    moderation.merge_question(organizer, second, first.id)
    shown = reading.public_questions(dialog)
    assert [q.id for q in shown] == [first.id]
    assert shown[0].merged_count == 1
    merged = AuditLog.get(AuditLog.action == "dialog.question_merged")
    assert json.loads(merged.after) == {"status": Q_MERGED, "into": first.id}
    statuses = {q.id: q.status for q in moderation.questions_for_moderation(organizer, dialog)}
    assert statuses == {first.id: Q_APPROVED, second.id: Q_MERGED, third.id: Q_REJECTED}
    with pytest.raises(DomainError):
        moderation.approve_question(organizer, third)


def test_anonymous_question_keeps_no_name(make_dialog):
    question = public.submit_question(
        make_dialog().id, public.QuestionInput("Budi", "Pertanyaan", True)
    )
    assert question.nama == "" and question.display_name == ""
    with pytest.raises(DomainError):
        public.submit_question(make_dialog().id, public.QuestionInput("", "Tanpa nama", False))


def test_over_long_question_is_refused(make_dialog):
    with pytest.raises(DomainError, match="1000"):
        public.submit_question(make_dialog().id, public.QuestionInput("Budi", "a" * 1001, False))
    assert (
        public.submit_question(
            make_dialog().id, public.QuestionInput("Budi", "a" * 1000, False)
        ).status
        == Q_PENDING
    )


def test_questions_close_when_the_dialog_is_over(make_dialog):
    with pytest.raises(DomainError):
        public.submit_question(
            make_dialog(status=DONE, days=-2).id, public.QuestionInput("Budi", "Telat", False)
        )


def test_moderation_by_another_units_organizer_is_refused(make_dialog, make_employee, make_unit):
    other_unit = make_unit()
    other = make_employee(unit=other_unit, roles=[(ROLE_PENYELENGGARA, other_unit)])
    question = public.submit_question(
        make_dialog().id, public.QuestionInput("Budi", "Tanya", False)
    )
    with pytest.raises(NotFound):
        moderation.approve_question(other, question)


def test_a_browser_supports_a_question_once(organizer, make_dialog):
    dialog = make_dialog()
    question = public.submit_question(dialog.id, public.QuestionInput("Budi", "Tanya", False))
    with pytest.raises(DomainError):
        public.support_question(question.id, "voter-a")  # still pending
    moderation.approve_question(organizer, question)
    assert public.support_question(question.id, "voter-a").support_count == 1
    with pytest.raises(DomainError, match=r"sudah|already"):
        public.support_question(question.id, "voter-a")
    assert public.support_question(question.id, "voter-b").support_count == 2


# --- results and follow-ups --------------------------------------------------------------------


def test_follow_ups_are_updated_by_the_owner_unit(organizer, make_dialog, make_unit, make_employee):
    dialog = make_dialog(status=ANNOUNCED)
    owner = make_unit(nama="Dinas Kependudukan dan Pencatatan Sipil")
    with pytest.raises(DomainError):
        followups.add_follow_up(
            organizer, dialog, followups.FollowUpInput("Tambah loket", owner, date(2026, 12, 31))
        )
    dialog = make_dialog(status=DONE, days=-1)
    follow_up = followups.add_follow_up(
        organizer, dialog, followups.FollowUpInput("Tambah loket", owner, date(2026, 12, 31))
    )
    owner_admin = make_employee(unit=owner, roles=[(ROLE_ADMIN_OPD, owner)])
    stranger = make_employee(unit=owner)
    with pytest.raises(NotFound):
        followups.update_follow_up(stranger, follow_up, FU_DONE)
    with pytest.raises(DomainError):
        followups.update_follow_up(owner_admin, follow_up, "hilang")
    updated = followups.update_follow_up(owner_admin, follow_up, FU_DONE, "Loket 5 dibuka")
    assert updated.status == FU_DONE and updated.progress_note == "Loket 5 dibuka"
    assert [f.id for f in followups.follow_ups_for_actor(owner_admin)] == [follow_up.id]
    assert followups.follow_ups_for_actor(stranger) == []


# --- text and exports --------------------------------------------------------------------------


def test_hostile_text_is_stored_as_typed_without_control_characters(make_dialog):
    text = "<script>alert(1)</script> \u202eharga\u202c 😀\x00\x07 baris\r\nkedua"
    question = public.submit_question(make_dialog().id, public.QuestionInput("Budi", text, False))
    assert question.teks == "<script>alert(1)</script> \u202eharga\u202c 😀 baris\nkedua"


def test_exports_neutralise_formulas():
    assert exports.safe_cell('=HYPERLINK("http://x")').startswith("'=")
    for value in ("+1", "-2", "@SUM(A1)", "\tx"):
        assert exports.safe_cell(value).startswith("'")
    assert exports.safe_cell("Budi") == "Budi" and exports.safe_cell(5) == 5


@pytest.mark.parametrize(
    "value", [" =1+1", "  +62 811", "\n=HYPERLINK(1)", "\r\n@SUM(A1)", " \t-2", "\u00a0=1", "\r"]
)
def test_exports_neutralise_formulas_behind_leading_spaces_and_line_breaks(value):
    assert exports.safe_cell(value) == "'" + value


def test_every_export_of_trainings_and_dialogs_uses_the_one_neutralising_helper():
    """A module that writes a CSV or a workbook passes its cells through exports.safe_cell."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "portal"
    writers = []
    for package in ("trainings", "dialogs", "audit"):
        for source in (root / package).glob("*.py"):
            text = source.read_text()
            if "csv.writer" in text or "Workbook(" in text or "DictWriter" in text:
                writers.append(source.name)
                assert "safe_cell(" in text, source
    assert writers == ["exports.py"]


def test_public_list_filters_and_paginates(make_dialog, make_unit):
    other = make_unit(nama="Dinas Kesehatan")
    make_dialog(judul="Forum Konsultasi Publik Puskesmas", topik="Kesehatan", unit=other)
    make_dialog(judul="Dialog Perizinan")
    make_dialog(status=DRAFT, judul="Draf rahasia")
    make_dialog(status=DONE, days=-30, judul="Dialog lama")
    upcoming = list(reading.public_dialogs(reading.Filters()))
    assert [d.judul for d in upcoming] == ["Forum Konsultasi Publik Puskesmas", "Dialog Perizinan"]
    assert [d.judul for d in reading.public_dialogs(reading.Filters(topik="Kesehatan"))] == [
        "Forum Konsultasi Publik Puskesmas"
    ]
    assert [d.judul for d in reading.public_dialogs(reading.Filters(q="puskesmas"))] == [
        "Forum Konsultasi Publik Puskesmas"
    ]
    assert [d.judul for d in reading.public_dialogs(reading.Filters(waktu="lalu"))] == [
        "Dialog lama"
    ]
    assert len(list(reading.public_dialogs(reading.Filters(unit=other.id)))) == 1
    page = reading.paginate(reading.public_dialogs(reading.Filters(waktu="semua")), 1, {}, 2)
    assert page.total == 3 and page.pages == 2 and len(page.items) == 2


def test_a_double_submitted_question_is_kept_once(make_dialog):
    dialog = make_dialog()
    first = public.submit_question(
        dialog.id, public.QuestionInput("Budi", "Kapan loket buka?", False)
    )
    again = public.submit_question(
        dialog.id, public.QuestionInput("Budi", "Kapan loket buka?", False)
    )
    assert again.id == first.id
    assert (
        public.submit_question(
            dialog.id, public.QuestionInput("Sari", "Kapan loket buka?", False)
        ).id
        != first.id
    )


def test_rate_limit_is_a_setting_the_admin_can_change(app, client, make_dialog):
    settings.put("dialogs.public_posts_per_ip", 2)
    dialog = make_dialog()
    for number in range(2):
        response = client.post(
            f"/dialog-publik/{dialog.id}/tanya", data={"penanya": "Sari", "teks": f"Tanya {number}"}
        )
        assert response.status_code == 303
    response = client.post(
        f"/dialog-publik/{dialog.id}/tanya", data={"penanya": "Sari", "teks": "Tanya lagi"}
    )
    assert response.status_code == 429


def test_organizers_are_notified_once_a_day_about_waiting_questions(
    make_dialog, organizer, make_unit, make_employee
):
    colleague = make_employee(roles=[(ROLE_PENYELENGGARA, organizer.unit)])
    elsewhere = make_unit()
    make_employee(unit=elsewhere, roles=[(ROLE_PENYELENGGARA, elsewhere)])
    dialog = make_dialog()
    public.submit_question(dialog.id, public.QuestionInput("Budi", "Satu", False))
    public.submit_question(dialog.id, public.QuestionInput("Sari", "Dua", False))
    notices = list(Notification.select())
    assert sorted(n.recipient_id for n in notices) == sorted([organizer.id, colleague.id])
    assert notices[0].link == f"/dialog-publik/kelola/{dialog.id}#moderasi"
    assert "menunggu moderasi" in notices[0].message


def test_registration_can_be_reopened_and_a_postponed_dialog_announced_again(
    organizer, make_dialog
):
    dialog = organising.transition(organizer, make_dialog(), "close")
    with pytest.raises(DomainError):
        public.register(dialog.id, public.RegistrationInput("Budi", "", "081234567890", True))
    dialog = organising.transition(organizer, dialog, "reopen")
    public.register(dialog.id, public.RegistrationInput("Budi", "", "081234567890", True))
    dialog = organising.transition(organizer, dialog, "postpone", "Menunggu gedung.")
    first_announcement = dialog.announced_at
    dialog = organising.transition(organizer, dialog, "announce")
    assert dialog.status == ANNOUNCED and dialog.notice == ""
    assert dialog.announced_at == first_announcement
    assert AuditLog.select().where(AuditLog.action.startswith("dialog.")).count() >= 5
