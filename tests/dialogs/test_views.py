"""The routes of dialog publik: public pages, public forms, the organisers' pages."""

import csv
import io
import re
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from flask import g
from icalendar import Calendar
from openpyxl import load_workbook

from portal import create_app
from portal.db import utcnow
from portal.dialogs import followups, moderation, organising, public, rules, survey
from portal.dialogs.models import (
    ANNOUNCED,
    CANCELLED,
    DONE,
    DRAFT,
    Q_PENDING,
    RESULTS,
    Dialog,
    DialogAttachment,
    FollowUp,
    Question,
    Registration,
)
from portal.errors import Invalid
from portal.org.models import ROLE_PENYELENGGARA
from tests.conftest import BASE_CONFIG

ATOM = "{http://www.w3.org/2005/Atom}"


def _html(response):
    return response.get_data(as_text=True)


def _anonymous_get(client, path):
    """GET as a visitor without a session (forgetting the user Flask-Login cached in `g`, which
    lives as long as the test's app context)."""

    g.pop("_login_user", None)
    response = client.application.test_client().get(path)
    g.pop("_login_user", None)
    return response


def _register(client, dialog, **changes):
    data = {
        "nama": "Budi Santoso",
        "organisasi": "RT 05",
        "kontak": "0812-3456-7890",
        "setuju": "y",
        "website": "",
    }
    data.update(changes)
    return client.post(f"/dialog-publik/{dialog.id}/daftar", data=data)


# --- public pages ------------------------------------------------------------------------------


def test_anyone_reads_the_list_with_share_card_and_cacheable_headers(client, make_dialog):
    make_dialog(judul="Forum Konsultasi Publik Perizinan")
    make_dialog(status=DRAFT, judul="Draf yang belum siap")
    response = client.get("/dialog-publik")
    html = _html(response)
    assert response.status_code == 200
    assert client.get("/dialog-publik/").status_code == 200
    assert "Forum Konsultasi Publik Perizinan" in html and "Draf yang belum siap" not in html
    assert 'property="og:title"' in html and 'property="og:description"' in html
    assert 'property="og:url" content="http://localhost/dialog-publik"' in html
    assert "no-store" not in response.headers.get("Cache-Control", "")
    assert ">Dialog Publik<" in html and "Masuk" in html


def test_list_filters_by_topic_unit_month_and_search(client, make_dialog, make_unit):
    other = make_unit(nama="Dinas Kesehatan")
    make_dialog(judul="Dialog Puskesmas", topik="Kesehatan", unit=other)
    make_dialog(judul="Dialog Perizinan", days=40)
    html = _html(client.get("/dialog-publik/?topik=Kesehatan"))
    assert "Dialog Puskesmas" in html and "Dialog Perizinan" not in html
    html = _html(client.get(f"/dialog-publik/?unit={other.id}"))
    assert "Dialog Puskesmas" in html and "Dialog Perizinan" not in html
    month = rules.utc_to_local(utcnow() + timedelta(days=40)).strftime("%Y-%m")
    html = _html(client.get(f"/dialog-publik/?bulan={month}"))
    assert "Dialog Perizinan" in html
    html = _html(client.get("/dialog-publik/?q=puskes"))
    assert "Dialog Puskesmas" in html and "Dialog Perizinan" not in html
    fragment = client.get("/dialog-publik/?q=puskes", headers={"HX-Request": "true"})
    assert "<html" not in _html(fragment) and "Dialog Puskesmas" in _html(fragment)


def test_list_runs_the_same_number_of_queries_for_1_and_200_dialogs(
    client, make_dialog, query_counter, make_unit
):
    make_dialog()
    with query_counter() as one:
        assert client.get("/dialog-publik/?waktu=semua").status_code == 200
    units = [make_unit() for _ in range(5)]
    for number in range(199):
        dialog = make_dialog(judul=f"Dialog {number}", unit=units[number % 5], days=1 + number % 60)
        FollowUp.create(
            dialog=dialog,
            uraian="Janji",
            owner_unit=units[0],
            due_date=utcnow().date(),
            status="selesai" if number % 2 else "direncanakan",
        )
    with query_counter() as many:
        html = _html(client.get("/dialog-publik/?waktu=semua&page=3"))
    assert "200 dialog" in html and "Tindak lanjut: 1 dari 1 selesai" in html
    assert len(many.queries) == len(one.queries)


def test_detail_runs_the_same_number_of_queries_with_many_questions(
    client, make_dialog, organizer, query_counter, make_unit
):
    dialog = make_dialog(status=DONE, days=-1)
    with query_counter() as empty:
        client.get(f"/dialog-publik/{dialog.id}")
    for number in range(30):
        question = Question.create(
            dialog=dialog, nama=f"Warga {number}", teks="Tanya", status="disetujui"
        )
        Question.create(
            dialog=dialog, nama="x", teks="sama", status="digabung", merged_into=question
        )
        followups.add_follow_up(
            organizer,
            dialog,
            followups.FollowUpInput(f"Janji {number}", make_unit(), utcnow().date()),
        )
    with query_counter() as full:
        html = _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert "Warga 29" in html and "Janji 29" in html
    assert len(full.queries) == len(empty.queries)


def test_draft_and_cancelled_before_announcement_are_not_found(client, make_dialog):
    draft = make_dialog(status=DRAFT)
    never = make_dialog(status=CANCELLED, announced_at=None)
    for dialog in (draft, never):
        assert client.get(f"/dialog-publik/{dialog.id}").status_code == 404
        assert client.get(f"/dialog-publik/{dialog.id}.ics").status_code == 404
        assert _register(client, dialog).status_code == 404
    assert Registration.select().count() == 0


def test_cancelled_after_announcement_shows_the_notice(client, make_dialog):
    dialog = make_dialog(status=CANCELLED, notice="Dibatalkan karena banjir di lokasi.")
    html = _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert "Dialog ini dibatalkan." in html and "Dibatalkan karena banjir di lokasi." in html
    assert f'action="/dialog-publik/{dialog.id}/daftar' not in html


def test_ics_parses_back_with_the_dialog(client, make_dialog):
    dialog = make_dialog()
    response = client.get(f"/dialog-publik/{dialog.id}.ics")
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    event = Calendar.from_ical(response.data).walk("VEVENT")[0]
    assert str(event["SUMMARY"]) == dialog.judul
    assert event.decoded("DTSTART").replace(tzinfo=None) == dialog.starts_at
    assert event.decoded("DTEND").replace(tzinfo=None) == dialog.ends_at
    assert str(event["UID"]) == f"dialog-{dialog.id}@localhost"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "Aula Mal Pelayanan Publik" in str(event["LOCATION"])
    assert str(event["URL"]) == f"http://localhost/dialog-publik/{dialog.id}"
    postponed = make_dialog(status="ditunda", notice="Ditunda.")
    event = Calendar.from_ical(client.get(f"/dialog-publik/{postponed.id}.ics").data)
    assert str(event.walk("VEVENT")[0]["STATUS"]) == "TENTATIVE"
    cancelled = make_dialog(status=CANCELLED, notice="Batal.")
    event = Calendar.from_ical(client.get(f"/dialog-publik/{cancelled.id}.ics").data)
    assert str(event.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"


def test_atom_feed_parses_back_with_published_dialogs_only(client, make_dialog):
    first = make_dialog(judul="Dialog Pertama", announced_at=utcnow() - timedelta(days=3))
    second = make_dialog(judul="Dialog Kedua <b>", announced_at=utcnow() - timedelta(days=1))
    make_dialog(status=DRAFT, judul="Draf rahasia")
    public.submit_question(first.id, public.QuestionInput("Budi", "Teks belum dimoderasi", False))
    response = client.get("/dialog-publik/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(response.data)  # noqa: S314 (our own feed)
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Dialog Kedua <b>", "Dialog Pertama"]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links == [
        f"http://localhost/dialog-publik/{second.id}",
        f"http://localhost/dialog-publik/{first.id}",
    ]
    assert root.find(f"{ATOM}id").text == "http://localhost/dialog-publik/feed.atom"
    assert b"Draf rahasia" not in response.data and b"belum dimoderasi" not in response.data


# --- public forms ------------------------------------------------------------------------------


def test_citizen_registers_and_sees_the_code(client, make_dialog):
    dialog = make_dialog(kuota=10)
    response = _register(client, dialog)
    assert response.status_code == 303
    registration = Registration.get()
    html = _html(client.get(response.headers["Location"]))
    assert registration.code in html and "Kode pendaftaran Anda" in html
    html = _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert registration.code in html and "1 dari 10 kursi terisi" in html


def test_after_registering_a_confirmation_page_keeps_the_code(client, make_dialog):
    dialog = make_dialog(kuota=10)
    response = _register(client, dialog)
    assert response.headers["Location"].endswith(f"/dialog-publik/{dialog.id}/terdaftar")
    code = Registration.get().code
    for _reload in range(2):  # not a one-time message: a reload shows it again
        page = client.get(f"/dialog-publik/{dialog.id}/terdaftar")
        html = _html(page)
        assert page.status_code == 200 and "Anda terdaftar." in html and code in html
        assert "0812-3456-7890" in html and "Lupa kode?" in html
        assert page.headers["Cache-Control"] == "private, no-store"
    other = _anonymous_get(client, f"/dialog-publik/{dialog.id}/terdaftar")
    assert other.status_code == 303 and code not in _html(other)  # another browser: no code
    client.post(f"/dialog-publik/{dialog.id}/batal-daftar", data={"kode": code})
    assert client.get(f"/dialog-publik/{dialog.id}/terdaftar").status_code == 303


def test_registering_the_same_contact_again_points_to_forgot_code(client, make_dialog):
    dialog = make_dialog()
    _register(client, dialog)
    response = _register(client, dialog, kontak="+62 812 3456 7890")
    assert response.status_code == 422 and "Lupa kode?" in _html(response)


class _FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        pass

    def send_message(self, message):
        _FakeSMTP.sent.append(message)

    def quit(self):
        pass


def _forgot(client, dialog, contact):
    """Asked from another browser (the one that registered shows its own code anyway)."""
    g.pop("_login_user", None)
    return client.application.test_client().post(
        f"/dialog-publik/{dialog.id}/lupa-kode",
        data={"kontak_lupa": contact, "website": ""},
        follow_redirects=True,
    )


def test_a_citizen_gets_a_lost_code_again_by_email_with_one_answer_for_all(
    client, app, make_dialog, monkeypatch
):
    monkeypatch.setattr(public.smtplib, "SMTP", _FakeSMTP)
    monkeypatch.setattr(_FakeSMTP, "sent", [])
    app.config.update(MAIL_SERVER="127.0.0.1")
    dialog = make_dialog()
    _register(client, dialog, kontak="Sari@Example.id")
    code = Registration.get().code
    known = _html(_forgot(client, dialog, "sari@example.id"))
    assert len(_FakeSMTP.sent) == 1
    mail = _FakeSMTP.sent[0]
    assert mail["To"] == "Sari@Example.id" and code in mail.get_content()
    unknown = _html(_forgot(client, dialog, "orang.lain@example.id"))
    phone = _html(_forgot(client, dialog, "0812 1111 2222"))
    assert len(_FakeSMTP.sent) == 1
    answer = "Jika kontak ini terdaftar untuk dialog ini, kode pendaftarannya telah dikirim"
    assert answer in known and answer in unknown and answer in phone
    assert code not in known and code not in unknown
    for _attempt in range(5):  # limited per contact, with the same answer
        assert answer in _html(_forgot(client, dialog, "sari@example.id"))
    assert len(_FakeSMTP.sent) == public.CODE_REMINDERS_PER_HOUR


def test_without_smtp_a_lost_code_is_left_to_the_organiser_with_the_same_answer(
    client, make_dialog
):
    dialog = make_dialog()
    _register(client, dialog, kontak="sari@example.id")
    known = _html(_forgot(client, dialog, "sari@example.id"))
    unknown = _html(_forgot(client, dialog, "orang.lain@example.id"))
    answer = f"Hubungi penyelenggara, {dialog.unit.nama}"
    assert answer in known and answer in unknown
    assert Registration.get().code not in known


def test_invalid_registration_answers_422_and_keeps_what_was_typed(client, make_dialog):
    dialog = make_dialog()
    response = _register(client, dialog, kontak="bukan kontak", organisasi="Forum Warga")
    html = _html(response)
    assert response.status_code == 422
    assert "Isi alamat e-mail atau nomor telepon yang valid." in html
    assert 'value="Forum Warga"' in html and 'value="bukan kontak"' in html
    response = _register(client, dialog, setuju="")
    assert response.status_code == 422 and "Setujui pemberitahuan privasi" in _html(response)
    assert Registration.select().count() == 0


def test_full_quota_and_duplicate_registration_answer_422(client, make_dialog):
    dialog = make_dialog(kuota=1)
    assert _register(client, dialog).status_code == 303
    response = _register(client, dialog, kontak="+62 812 3456 7890")
    assert response.status_code == 422
    response = _register(client, dialog, kontak="sari@example.id")
    assert response.status_code == 422
    assert "Kuota dialog ini sudah penuh." in _html(response) or "tidak dibuka" in _html(response)
    assert Registration.select().count() == 1


def test_honeypot_submission_is_refused_and_not_saved(client, make_dialog):
    dialog = make_dialog()
    assert _register(client, dialog, website="http://spam.example").status_code == 422
    response = client.post(
        f"/dialog-publik/{dialog.id}/tanya", data={"penanya": "Bot", "teks": "Spam", "website": "x"}
    )
    assert response.status_code == 422
    assert Registration.select().count() == 0 and Question.select().count() == 0


def test_registration_code_cancels_the_registration(client, make_dialog):
    dialog = make_dialog(kuota=1)
    _register(client, dialog)
    code = Registration.get().code
    response = client.post(f"/dialog-publik/{dialog.id}/batal-daftar", data={"kode": "DP-SALAH"})
    assert response.status_code == 422 and "tidak ditemukan" in _html(response)
    response = client.post(f"/dialog-publik/{dialog.id}/batal-daftar", data={"kode": code})
    assert response.status_code == 303
    assert Dialog.get_by_id(dialog.id).registered_count == 0


def test_unmoderated_question_never_appears_publicly(client, make_dialog, organizer):
    dialog = make_dialog()
    response = client.post(
        f"/dialog-publik/{dialog.id}/tanya",
        data={"penanya": "Sari", "teks": "Kapan loket buka? www.contoh.id"},
    )
    assert response.status_code == 303
    assert "akan tampil setelah dimoderasi" in _html(client.get(response.headers["Location"]))
    question = Question.get()
    assert question.status == Q_PENDING
    assert "Kapan loket buka" not in _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert "Kapan loket buka" not in _html(client.get("/dialog-publik/feed.atom"))
    moderation.approve_question(organizer, question)
    html = _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert "Kapan loket buka? www.contoh.id" in html
    assert 'href="www.contoh.id"' not in html and "http://www.contoh.id" not in html


def test_over_long_question_answers_422_and_keeps_the_text(client, make_dialog):
    dialog = make_dialog()
    text = "panjang " * 200
    response = client.post(
        f"/dialog-publik/{dialog.id}/tanya", data={"penanya": "Sari", "teks": text}
    )
    assert response.status_code == 422
    assert "Paling banyak 1000 karakter." in _html(response)
    assert text.strip()[:100] in _html(response)
    assert Question.select().count() == 0


def test_hostile_input_is_stored_and_shown_safely(client, make_dialog, organizer, login_as):
    dialog = make_dialog()
    hostile = (
        '<script>alert("x")</script><img src=x onerror=alert(1)> '
        "\u202egnp.exe\u202c 😀🇮🇩 " + "x" * 900
    )
    client.post(
        f"/dialog-publik/{dialog.id}/tanya",
        data={"penanya": "<b>Budi\u202e</b>\u200b", "teks": hostile},
    )
    question = Question.get()
    # stored as typed, less the invisible edges (a trailing override would turn what follows)
    assert question.teks == hostile and question.nama == "<b>Budi\u202e</b>"
    _register(client, dialog, nama="=cmd|' /C calc'!A0 😀", kontak="ani@example.id")
    moderation.approve_question(organizer, question)
    html = _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>Budi" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert re.search(r"<bdi[^>]*>&lt;b&gt;Budi\u202e&lt;/b&gt;</bdi>", html)
    assert "😀🇮🇩" in html
    login_as(organizer)
    manage = _html(client.get(f"/dialog-publik/kelola/{dialog.id}"))
    assert "<script>alert" not in manage and "&lt;script&gt;" in manage
    exported = client.get(f"/dialog-publik/kelola/{dialog.id}/pendaftar.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][1] == "'=cmd|' /C calc'!A0 😀"


def test_public_forms_are_rate_limited_per_ip(app, client, make_dialog):
    app.config["DIALOG_POSTS_PER_IP"] = 3
    dialog = make_dialog()
    for number in range(3):
        response = client.post(
            f"/dialog-publik/{dialog.id}/tanya", data={"penanya": "Sari", "teks": f"Tanya {number}"}
        )
        assert response.status_code == 303
    response = client.post(
        f"/dialog-publik/{dialog.id}/tanya", data={"penanya": "Sari", "teks": "Satu lagi"}
    )
    assert response.status_code == 429 and response.headers["Retry-After"] == "600"
    assert "Terlalu banyak kiriman dari koneksi Anda" in _html(response)
    assert Question.select().count() == 3
    other_ip = client.post(
        f"/dialog-publik/{dialog.id}/tanya",
        data={"penanya": "Sari", "teks": "Dari IP lain"},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert other_ip.status_code == 303


def test_a_browser_supports_a_question_once(client, make_dialog, organizer):
    dialog = make_dialog()
    question = public.submit_question(dialog.id, public.QuestionInput("Budi", "Tanya", False))
    moderation.approve_question(organizer, question)
    url = f"/dialog-publik/{dialog.id}/pertanyaan/{question.id}/dukung"
    first = client.post(url)
    assert first.status_code == 303
    assert "dp_pendukung" in first.headers["Set-Cookie"]
    assert "HttpOnly" in first.headers["Set-Cookie"]
    assert client.post(url, headers={"HX-Request": "true"}).status_code == 409
    assert Question.get_by_id(question.id).support_count == 1
    another_browser = client.application.test_client()
    assert another_browser.post(url).status_code == 303
    assert Question.get_by_id(question.id).support_count == 2


# --- access matrix -----------------------------------------------------------------------------

MANAGE_GETS = [
    "/dialog-publik/kelola/{id}",
    "/dialog-publik/kelola/{id}/ubah",
    "/dialog-publik/kelola/{id}/pendaftar.csv",
]
MANAGE_POSTS = [
    "/dialog-publik/kelola/{id}/status",
    "/dialog-publik/kelola/{id}/hasil",
    "/dialog-publik/kelola/{id}/tindak-lanjut",
    "/dialog-publik/kelola/{id}/lampiran",
]


def test_anonymous_visitor_cannot_reach_the_organiser_pages(client, make_dialog):
    dialog = make_dialog()
    for path in ["/dialog-publik/kelola", "/dialog-publik/kelola/baru", *MANAGE_GETS]:
        response = client.get(path.format(id=dialog.id))
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    for path in MANAGE_POSTS:
        response = client.post(path.format(id=dialog.id), data={"action": "cancel"})
        assert response.status_code == 302
    assert Dialog.get_by_id(dialog.id).status == ANNOUNCED


def test_pegawai_without_role_cannot_manage(client, login_as, make_employee, make_dialog, unit):
    dialog = make_dialog()
    login_as(make_employee(unit=unit))
    assert client.get("/dialog-publik/kelola").status_code == 403
    assert client.get("/dialog-publik/kelola/baru").status_code == 403
    for path in MANAGE_GETS:
        assert client.get(path.format(id=dialog.id)).status_code == 404
    for path in MANAGE_POSTS:
        assert client.post(path.format(id=dialog.id), data={"action": "cancel"}).status_code == 404
    html = _html(client.get("/dialog-publik/"))
    assert "Kelola Dialog" not in html


def test_organizer_of_another_unit_cannot_edit(
    client, login_as, make_employee, make_unit, make_dialog
):
    dialog = make_dialog()
    other_unit = make_unit(nama="Dinas Kesehatan")
    login_as(make_employee(unit=other_unit, roles=[(ROLE_PENYELENGGARA, other_unit)]))
    assert client.get("/dialog-publik/kelola").status_code == 200
    assert dialog.judul not in _html(client.get("/dialog-publik/kelola"))
    for path in MANAGE_GETS:
        assert client.get(path.format(id=dialog.id)).status_code == 404
    for path in MANAGE_POSTS:
        assert client.post(path.format(id=dialog.id), data={"action": "cancel"}).status_code == 404
    question = public.submit_question(dialog.id, public.QuestionInput("Budi", "Tanya", False))
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/pertanyaan/{question.id}", data={"action": "approve"}
    )
    assert response.status_code == 404
    assert Question.get_by_id(question.id).status == Q_PENDING
    assert Dialog.get_by_id(dialog.id).status == ANNOUNCED


def test_extra_form_fields_do_not_change_protected_columns(
    client, login_as, organizer, unit, form_data
):
    login_as(organizer)
    data = form_data(unit, status="hasil_dipublikasikan", registered_count="99", announced_at="x")
    response = client.post("/dialog-publik/kelola/baru", data=data)
    assert response.status_code == 303
    dialog = Dialog.get()
    assert dialog.status == DRAFT and dialog.registered_count == 0 and dialog.announced_at is None


# --- organiser journeys over HTTP --------------------------------------------------------------


def test_organizer_creates_announces_moderates_and_publishes(
    client, login_as, organizer, unit, form_data, make_unit
):
    login_as(organizer)
    assert "Tambah Dialog" in _html(client.get("/dialog-publik/kelola"))
    response = client.post("/dialog-publik/kelola/baru", data=form_data(unit, jam_selesai="08:00"))
    assert response.status_code == 422 and "Jam selesai harus setelah jam mulai." in _html(response)
    response = client.post("/dialog-publik/kelola/baru", data=form_data(unit))
    dialog = Dialog.get()
    assert response.headers["Location"].endswith(f"/dialog-publik/kelola/{dialog.id}")
    assert rules.utc_to_local(dialog.starts_at).strftime("%H:%M") == "09:00"
    assert "Pratinjau" in _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert _anonymous_get(client, f"/dialog-publik/{dialog.id}").status_code == 404
    client.post(f"/dialog-publik/kelola/{dialog.id}/status", data={"action": "announce"})
    assert client.get(f"/dialog-publik/{dialog.id}").status_code == 200
    response = client.post(f"/dialog-publik/kelola/{dialog.id}/status", data={"action": "cancel"})
    assert response.status_code == 422 and "Tulis pemberitahuan" in _html(response)
    question = public.submit_question(
        dialog.id, public.QuestionInput("Sari", "Apakah ada biaya?", False)
    )
    assert "Apakah ada biaya?" in _html(client.get(f"/dialog-publik/kelola/{dialog.id}"))
    client.post(
        f"/dialog-publik/kelola/{dialog.id}/pertanyaan/{question.id}", data={"action": "approve"}
    )
    assert "Apakah ada biaya?" in _html(client.get(f"/dialog-publik/{dialog.id}"))
    Dialog.update(
        starts_at=utcnow() - timedelta(hours=3), ends_at=utcnow() - timedelta(hours=1)
    ).execute()
    client.post(f"/dialog-publik/kelola/{dialog.id}/status", data={"action": "finish"})
    owner = make_unit(nama="Dinas Kependudukan dan Pencatatan Sipil")
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/tindak-lanjut",
        data={"uraian": "Tambah loket", "owner_unit": owner.id, "due_date": "2026-12-31"},
    )
    assert response.status_code == 303
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/hasil",
        data={
            "notulen": "Notulen forum.",
            "hadir_total": "40",
            "hadir_masyarakat": "25",
            "publish": "1",
        },
    )
    assert response.status_code == 303
    assert Dialog.get_by_id(dialog.id).status == RESULTS
    html = _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert "Notulen forum." in html and "Tambah loket" in html and "Direncanakan" in html
    assert "Hadir: 40 orang, di antaranya 25 masyarakat." in html


def test_exports_download_registrants_as_xlsx_and_csv(client, login_as, organizer, make_dialog):
    dialog = make_dialog()
    public.register(dialog.id, public.RegistrationInput("+SUM(1,2)", "@org", "081234567890", True))
    login_as(organizer)
    response = client.get(f"/dialog-publik/kelola/{dialog.id}/pendaftar.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert sheet["B3"].value == "'+SUM(1,2)" and sheet["C3"].value == "'@org"
    assert sheet["B3"].data_type == "s"
    response = client.get(f"/dialog-publik/kelola/{dialog.id}/pendaftar.csv")
    assert "'+SUM(1,2)" in response.get_data(as_text=True)
    assert client.get(f"/dialog-publik/kelola/{dialog.id}/pendaftar.pdf").status_code == 404


def test_owner_unit_updates_a_follow_up_from_its_dashboard(
    client, login_as, make_dialog, organizer, make_unit, make_employee
):
    dialog = make_dialog(status=DONE, days=-1)
    owner = make_unit(nama="Dinas Perhubungan")
    follow_up = followups.add_follow_up(
        organizer, dialog, followups.FollowUpInput("Tambah halte", owner, utcnow().date())
    )
    staff = make_employee(unit=owner, roles=[(ROLE_PENYELENGGARA, owner)])
    login_as(staff)
    assert "Tambah halte" in _html(client.get("/dialog-publik/kelola"))
    response = client.post(
        f"/dialog-publik/kelola/tindak-lanjut/{follow_up.id}",
        data={"status": "dalam_proses", "progress_note": "Lelang"},
    )
    assert response.status_code == 303
    login_as(make_employee(unit=make_unit()))
    response = client.post(
        f"/dialog-publik/kelola/tindak-lanjut/{follow_up.id}", data={"status": "selesai"}
    )
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/dialog-publik/privasi", "/dialog-publik/feed.atom"])
def test_static_public_pages_need_no_login(client, path):
    assert client.get(path).status_code == 200


def test_attachments_are_public_downloads_only_for_published_dialogs(
    client, login_as, organizer, make_dialog
):
    dialog = make_dialog(status=DRAFT)
    login_as(organizer)
    pdf = (io.BytesIO(b"%PDF-1.4\n% rancangan standar pelayanan\n%%EOF\n"), "rancangan <x>.pdf")
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/lampiran",
        data={"label": "Rancangan standar", "berkas": pdf},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    attachment = dialog.attachments.get()
    fake = (io.BytesIO(b"<html><script>alert(1)</script>"), "agenda.pdf")
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/lampiran",
        data={"berkas": fake},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422 and "tidak sesuai" in _html(response)
    url = f"/dialog-publik/{dialog.id}/lampiran/{attachment.id}"
    assert _anonymous_get(client, url).status_code == 404
    organising.transition(organizer, dialog, "announce")
    response = _anonymous_get(client, url)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    response.close()
    assert "Rancangan standar" in _html(_anonymous_get(client, f"/dialog-publik/{dialog.id}"))
    login_as(organizer)
    response = client.post(f"/dialog-publik/kelola/{dialog.id}/lampiran/{attachment.id}/hapus")
    assert response.status_code == 303 and _anonymous_get(client, url).status_code == 404


def test_organizer_edits_a_dialog_and_the_time_round_trips(
    client, login_as, organizer, unit, make_dialog, form_data
):
    dialog = make_dialog()
    login_as(organizer)
    html = _html(client.get(f"/dialog-publik/kelola/{dialog.id}/ubah"))
    start = rules.utc_to_local(dialog.starts_at)
    assert f'value="{start:%H:%M}"' in html and dialog.judul in html
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/ubah",
        data=form_data(unit, judul="Judul baru", kuota="0"),
    )
    assert response.status_code == 422
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/ubah",
        data=form_data(unit, judul="Judul baru", jam_mulai="13:15", jam_selesai="15:00"),
    )
    assert response.status_code == 303
    dialog = Dialog.get_by_id(dialog.id)
    assert dialog.judul == "Judul baru"
    assert rules.utc_to_local(dialog.starts_at).strftime("%H:%M") == "13:15"


def test_dashboard_panel_counts_moderation_and_follow_ups(
    client, login_as, organizer, make_dialog, make_employee, unit
):
    dialog = make_dialog()
    public.submit_question(dialog.id, public.QuestionInput("Budi", "Tanya satu", False))
    public.submit_question(dialog.id, public.QuestionInput("Sari", "Tanya dua", False))
    done = make_dialog(status=DONE, days=-40)
    followups.add_follow_up(
        organizer,
        done,
        followups.FollowUpInput("Janji lama", unit, utcnow().date() - timedelta(days=5)),
    )
    login_as(organizer)
    html = _html(client.get("/"))
    assert "2</span> pertanyaan menunggu moderasi" in html
    assert "Dialog mendatang unit Anda: 1" in html
    assert "1 terlambat" in html
    login_as(make_employee(unit=unit))
    assert "pertanyaan menunggu moderasi" not in _html(client.get("/"))


def test_organiser_dashboard_runs_fixed_queries(
    client, login_as, organizer, make_dialog, query_counter
):
    make_dialog()
    login_as(organizer)
    client.get("/dialog-publik/kelola")
    with query_counter() as one:
        client.get("/dialog-publik/kelola")
    for number in range(30):
        dialog = make_dialog(judul=f"Dialog {number}")
        public.submit_question(dialog.id, public.QuestionInput("Budi", "Tanya", False))
    with query_counter() as many:
        html = _html(client.get("/dialog-publik/kelola"))
    assert "Dialog 29" in html
    assert len(many.queries) == len(one.queries)


def _survey(ratings, **extra):
    data = {f"u{number}": str(value) for number, value in enumerate(ratings, start=1)}
    data.update(extra)
    return data


def test_satisfaction_survey_once_per_browser_with_ikm(client, make_dialog):
    upcoming = make_dialog()
    assert (
        client.post(f"/dialog-publik/{upcoming.id}/survei", data=_survey([4] * 9)).status_code
        == 404
    )
    dialog = make_dialog(status=DONE, days=-1)
    assert "Persyaratan" in _html(client.get(f"/dialog-publik/{dialog.id}/survei"))
    response = client.post(f"/dialog-publik/{dialog.id}/survei", data=_survey([4] * 8))
    assert response.status_code == 422 and "Pilih penilaian." in _html(response)
    response = client.post(
        f"/dialog-publik/{dialog.id}/survei",
        data=_survey([4, 4, 3, 4, 3, 4, 4, 3, 4], saran="<b>Bagus</b>"),
    )
    assert response.status_code == 303 and "dp_pendukung" in response.headers["Set-Cookie"]
    again = client.post(f"/dialog-publik/{dialog.id}/survei", data=_survey([1] * 9))
    assert again.status_code == 422 and "sudah mengisi survei" in _html(again)
    other = client.application.test_client()
    assert (
        other.post(f"/dialog-publik/{dialog.id}/survei", data=_survey([3] * 9)).status_code == 303
    )
    results = survey.survey_results(dialog)
    # (33/9 + 27/9) / 2 * 25 = 83.33 -> B
    assert results["count"] == 2 and round(results["ikm"], 2) == 83.33
    assert results["band"] == "B"
    html = _html(client.get(f"/dialog-publik/{dialog.id}"))
    assert "83,33" in html and "Anda sudah mengisi survei" in html
    assert "<b>Bagus</b>" not in html


@pytest.mark.parametrize(
    ("ikm", "band"),
    [
        (100, "A"),
        (88.31, "A"),
        (88.30, "B"),
        (76.61, "B"),
        (76.60, "C"),
        (65.0, "C"),
        (64.99, "D"),
        (25, "D"),
    ],
)
def test_ikm_bands_follow_the_regulation(ikm, band):
    assert survey.ikm_band(ikm)[0] == band


def test_public_forms_need_the_csrf_token_of_the_visitors_session(
    database_url, tmp_path, make_dialog
):
    app = create_app(
        {
            **BASE_CONFIG,
            "DATABASE_URL": database_url,
            "WTF_CSRF_ENABLED": True,
            "UPLOAD_DIR": str(tmp_path),
        }
    )
    dialog = make_dialog()
    visitor = app.test_client()
    data = {"nama": "Budi", "kontak": "081234567890", "setuju": "y"}
    assert visitor.post(f"/dialog-publik/{dialog.id}/daftar", data=data).status_code == 400
    html = _html(visitor.get(f"/dialog-publik/{dialog.id}"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = visitor.post(
        f"/dialog-publik/{dialog.id}/daftar", data={**data, "csrf_token": token}
    )
    assert response.status_code == 303
    assert Registration.select().count() == 1


def test_organizers_preview_a_draft_that_the_public_cannot_see(
    client, login_as, organizer, make_dialog, make_employee, make_unit
):
    draft = make_dialog(status=DRAFT, judul="Draf forum sampah")
    assert client.get(f"/dialog-publik/{draft.id}").status_code == 404
    login_as(organizer)
    response = client.get(f"/dialog-publik/{draft.id}")
    assert response.status_code == 200 and "Pratinjau" in _html(response)
    assert 'action="/dialog-publik/' not in _html(response).split("<main")[1]
    assert response.headers["Cache-Control"] == "no-store"
    other_unit = make_unit()
    login_as(make_employee(unit=other_unit, roles=[(ROLE_PENYELENGGARA, other_unit)]))
    assert client.get(f"/dialog-publik/{draft.id}").status_code == 404


def test_an_attachment_whose_file_is_gone_answers_404_with_a_message(
    client, organizer, make_dialog, app, caplog
):
    dialog = make_dialog(status=DRAFT)
    organising.transition(organizer, dialog, "announce")
    item = DialogAttachment.create(
        dialog=dialog,
        label="Rancangan",
        stored_name="hilang.pdf",
        original_name="r.pdf",
        kind="pdf",
    )
    response = _anonymous_get(client, f"/dialog-publik/{dialog.id}/lampiran/{item.id}")
    assert response.status_code == 404
    assert "tidak lagi tersimpan" in _html(response)
    assert "hilang.pdf" in caplog.text


def test_changing_a_dialogs_status_says_the_new_status(client, login_as, organizer, make_dialog):
    dialog = make_dialog(status=DRAFT)
    login_as(organizer)
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/status",
        data={"action": "announce"},
        follow_redirects=True,
    )
    assert "Status dialog sekarang: Diumumkan." in _html(response)


# --- required text must hold something visible (issue 16, item 12) ---------------------------

INVISIBLE = ["\u200b", "\u00a0 \u2060"]


@pytest.mark.parametrize("blank", INVISIBLE)
def test_citizen_forms_refuse_text_of_only_invisible_characters(client, make_dialog, blank):
    dialog = make_dialog()
    response = _register(client, dialog, nama=blank, organisasi="Forum Warga")
    assert response.status_code == 422 and "Isi nama Anda." in _html(response)
    assert 'value="Forum Warga"' in _html(response)  # the rest is kept
    response = _register(client, dialog, kontak=blank, organisasi="Forum Warga")
    assert response.status_code == 422
    assert "Isi nomor telepon atau alamat e-mail." in _html(response)
    assert Registration.select().count() == 0
    response = client.post(
        f"/dialog-publik/{dialog.id}/tanya", data={"penanya": "Sari Dewi", "teks": blank}
    )
    assert response.status_code == 422
    assert "Tulis pertanyaan atau masukan Anda." in _html(response)
    assert 'value="Sari Dewi"' in _html(response)
    assert Question.select().count() == 0


@pytest.mark.parametrize("blank", INVISIBLE)
def test_organiser_forms_refuse_text_of_only_invisible_characters(
    client, login_as, organizer, unit, form_data, make_dialog, blank
):
    login_as(organizer)
    response = client.post(
        "/dialog-publik/kelola/baru", data=form_data(unit, judul=blank, tempat="Aula Kecamatan")
    )
    assert response.status_code == 422 and "Isi judul." in _html(response)
    assert 'value="Aula Kecamatan"' in _html(response)
    assert Dialog.select().count() == 0
    dialog = make_dialog()
    question = public.submit_question(
        dialog.id, public.QuestionInput("Sari", "Apakah ada biaya?", False)
    )
    response = client.post(
        f"/dialog-publik/kelola/{dialog.id}/pertanyaan/{question.id}",
        data={"action": "reject", "reason": blank},
    )
    assert response.status_code == 422 and "Tulis alasan penolakan." in _html(response)
    assert Question.get_by_id(question.id).status == Q_PENDING
    with pytest.raises(Invalid, match="Tulis alasan penolakan"):  # the service says so too
        moderation.reject_question(organizer, question, blank)
