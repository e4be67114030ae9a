"""Routes of /pelatihan per role, plain and with htmx; fixed query counts."""

import io
from datetime import timedelta

import pytest
from icalendar import Calendar

from portal.clock import local_today
from portal.db import utcnow
from portal.trainings import calendars, ledger, organising, seats
from portal.trainings.models import (
    DONE,
    DRAFT,
    REGISTERED,
    ExternalRecord,
    Registration,
    Training,
)

HX = {"HX-Request": "true"}


def signed_in(client, login_as, employee):
    if employee is None:
        return client
    return login_as(employee)


ROLES = ["anonymous", "pegawai", "atasan", "organizer", "other_organizer", "admin"]


def person(org, role):
    return None if role == "anonymous" else org[role]


# Expected status per role for GET pages: (path builder, {role: status}).
def pages(training, reg):
    return [
        ("/pelatihan/", {"anonymous": 302, "*": 200}),
        (f"/pelatihan/{training.id}", {"anonymous": 302, "*": 200}),
        (f"/pelatihan/{training.id}.ics", {"anonymous": 302, "*": 200}),
        ("/pelatihan/kelola", {"anonymous": 302, "pegawai": 403, "atasan": 403, "*": 200}),
        ("/pelatihan/baru", {"anonymous": 302, "pegawai": 403, "atasan": 403, "*": 200}),
        (
            f"/pelatihan/{training.id}/ubah",
            {"anonymous": 302, "organizer": 200, "admin": 200, "*": 404},
        ),
        (
            f"/pelatihan/{training.id}/peserta",
            {"anonymous": 302, "organizer": 200, "admin": 200, "*": 404},
        ),
        (
            f"/pelatihan/{training.id}/batalkan",
            {"anonymous": 302, "organizer": 200, "admin": 200, "*": 404},
        ),
        ("/pelatihan/persetujuan", {"anonymous": 302, "*": 200}),
        ("/pelatihan/jp-saya", {"anonymous": 302, "*": 200}),
        ("/pelatihan/jp-eksternal", {"anonymous": 302, "admin": 200, "*": 403}),
        ("/pelatihan/rekap-jp", {"anonymous": 302, "atasan": 200, "admin": 200, "*": 403}),
        (
            f"/pelatihan/sertifikat/{reg.id}",
            {"anonymous": 302, "pegawai": 200, "organizer": 200, "admin": 200, "*": 404},
        ),
        (f"/pelatihan/verifikasi/{reg.verification_code}", {"*": 200}),
        ("/pelatihan/verifikasi/palsu", {"*": 404}),
        ("/pelatihan/kalender/bukan-token.ics", {"*": 404}),
    ]


@pytest.fixture
def finished(org, make_training):
    training = make_training(status=DONE, judul="Pelatihan Pelayanan Prima")
    reg = Registration.create(
        training=training,
        employee=org["pegawai"],
        status=REGISTERED,
        completed=True,
        jp_credited=8,
        certificate_number="SERT-2026-0001-00001",
        verification_code="abc123",
    )
    return training, reg


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("htmx", [False, True])
def test_access_matrix_of_the_pages(client, login_as, org, make_training, finished, role, htmx):
    training = make_training()
    _, reg = finished
    client = signed_in(client, login_as, person(org, role))
    for path, expected in pages(training, reg):
        want = expected.get(role, expected.get("*"))
        if htmx and want == 302:
            want = 401  # htmx gets HX-Redirect to /masuk
        response = client.get(path, headers=HX if htmx else {})
        assert response.status_code == want, (role, path, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_only_organizers_of_the_unit_may_change_a_training(
    client, login_as, org, make_training, role
):
    training = make_training(status=DRAFT)
    client = signed_in(client, login_as, person(org, role))
    response = client.post(f"/pelatihan/{training.id}/status/terbitkan")
    allowed = role in ("organizer", "admin")
    if role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (303 if allowed else 404)
    assert (Training.get_by_id(training.id).status == "dibuka") == allowed


@pytest.mark.parametrize("role", ["pegawai", "other_organizer", "atasan"])
def test_a_pegawai_cannot_mark_attendance(client, login_as, org, make_training, role):
    training = make_training()
    reg = seats.sign_up(org["pegawai"], training)
    session = training.sessions.get()
    login_as(org[role])
    response = client.post(
        f"/pelatihan/{training.id}/sesi/{session.id}/presensi",
        data={"peserta": [reg.id], "hadir": [reg.id]},
    )
    assert response.status_code == 404


def test_organizer_marks_attendance_in_bulk_with_htmx(client, login_as, org, make_training):
    training = make_training()
    first = seats.sign_up(org["pegawai"], training)
    second = seats.sign_up(org["other"], training)
    session = training.sessions.get()
    session.starts_at = utcnow() - timedelta(hours=1)  # it has started
    session.save()
    login_as(org["organizer"])
    response = client.post(
        f"/pelatihan/{training.id}/sesi/{session.id}/presensi",
        data={"peserta": [first.id, second.id], "hadir": [first.id]},
        headers=HX,
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="attendance"' in html and "<html" not in html
    assert "Presensi disimpan." in html
    assert organising.attendance_map(training) == {
        (first.id, session.id): True,
        (second.id, session.id): False,
    }


def test_sign_up_without_javascript_redirects_to_the_detail(client, login_as, org, make_training):
    training = make_training(kuota=1)
    login_as(org["pegawai"])
    response = client.post(f"/pelatihan/{training.id}/daftar")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anda terdaftar." in page


def test_sign_up_with_htmx_returns_the_seat_panel(client, login_as, org, make_training):
    training = make_training(kuota=1)
    seats.sign_up(org["other"], training)
    login_as(org["pegawai"])
    response = client.post(f"/pelatihan/{training.id}/daftar", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="seat-panel"' in html and "<html" not in html
    assert "Daftar Tunggu (nomor 1)" in html


def test_second_sign_up_is_a_clear_4xx(client, login_as, org, make_training):
    training = make_training()
    login_as(org["pegawai"])
    client.post(f"/pelatihan/{training.id}/daftar")
    response = client.post(f"/pelatihan/{training.id}/daftar")
    assert response.status_code == 409
    assert "Anda sudah mendaftar di pelatihan ini." in response.get_data(as_text=True)


def test_drafts_are_hidden_from_pegawai(client, login_as, org, make_training):
    training = make_training(status=DRAFT)
    login_as(org["pegawai"])
    assert client.get(f"/pelatihan/{training.id}").status_code == 404
    assert client.post(f"/pelatihan/{training.id}/daftar").status_code == 404


def test_organizer_creates_a_training_through_the_form(client, login_as, org):
    login_as(org["organizer"])
    day = (local_today() + timedelta(days=20)).isoformat()
    data = {
        "judul": "Workshop Tata Naskah Dinas",
        "jenis": "workshop",
        "unit": org["kominfo"].id,
        "jp": "6",
        "kuota": "2",
        "registration_opens_at": "2026-01-01T08:00",
        "registration_closes_at": f"{day}T07:00",
        "sessions-0-tanggal": day,
        "sessions-0-mulai": "08:00",
        "sessions-0-selesai": "12:00",
        "sessions-1-tanggal": "",
    }
    response = client.post("/pelatihan/baru", data=data)
    assert response.status_code == 303, response.get_data(as_text=True)
    training = Training.get(Training.judul == "Workshop Tata Naskah Dinas")
    assert training.sessions.count() == 1 and training.status == DRAFT
    bad = {**data, "jp": "0", "sessions-0-selesai": "07:00"}
    response = client.post("/pelatihan/baru", data=bad)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "JP harus berupa angka positif." in html
    assert 'value="Workshop Tata Naskah Dinas"' in html  # nothing typed is lost


def test_lowering_quota_below_confirmed_is_refused_with_numbers(client, login_as, org):
    login_as(org["organizer"])
    day = (local_today() + timedelta(days=20)).isoformat()
    data = {
        "judul": "Bimtek SKP",
        "jenis": "bimtek",
        "unit": org["kominfo"].id,
        "jp": "4",
        "kuota": "2",
        "registration_opens_at": "2026-01-01T08:00",
        "registration_closes_at": f"{day}T07:00",
        "sessions-0-tanggal": day,
        "sessions-0-mulai": "08:00",
        "sessions-0-selesai": "12:00",
    }
    client.post("/pelatihan/baru", data=data)
    training = Training.get(Training.judul == "Bimtek SKP")
    organising.publish(org["organizer"], training)
    seats.sign_up(org["pegawai"], training)
    seats.sign_up(org["other"], training)
    response = client.post(f"/pelatihan/{training.id}/ubah", data={**data, "kuota": "1"})
    assert response.status_code == 422
    assert "Kuota tidak dapat diturunkan menjadi 1: 2 kursi sudah terisi." in response.get_data(
        as_text=True
    )


def test_catalogue_query_count_does_not_grow(
    client, login_as, org, make_training, make_employee, query_counter
):
    login_as(org["pegawai"])
    first = make_training()
    seats.sign_up(org["pegawai"], first)
    client.get("/pelatihan/")
    with query_counter() as one:
        assert client.get("/pelatihan/").status_code == 200
    for index in range(25):
        training = make_training(judul=f"Pelatihan {index}", kuota=2)
        seats.sign_up(make_employee(), training)
        seats.sign_up(org["pegawai"], training)
    with query_counter() as many:
        html = client.get("/pelatihan/").get_data(as_text=True)
    assert html.count('class="card h-100"') == 26
    assert len(many.queries) == len(one.queries)


def test_training_ics_and_personal_feed(client, login_as, org, make_training):
    training = make_training(sessions=2)
    seats.sign_up(org["pegawai"], training)
    login_as(org["pegawai"])
    response = client.get(f"/pelatihan/{training.id}.ics")
    assert response.mimetype == "text/calendar"
    assert len(Calendar.from_ical(response.data).walk("VEVENT")) == 2
    token = calendars.calendar_token(org["pegawai"])
    anonymous = client.application.test_client()
    feed = anonymous.get(f"/pelatihan/kalender/{token}.ics")
    assert feed.status_code == 200
    assert len(Calendar.from_ical(feed.data).walk("VEVENT")) == 2


def test_certificate_verification_is_public(client, finished):
    _, reg = finished
    html = client.get(f"/pelatihan/verifikasi/{reg.verification_code}").get_data(as_text=True)
    assert "Sertifikat ini sah." in html and "SERT-2026-0001-00001" in html


def test_external_record_upload_and_admin_verification(client, login_as, org, app):
    login_as(org["pegawai"])
    data = {
        "judul": "E-learning Manajemen ASN",
        "penyelenggara": "ASN Corpu",
        "tanggal": local_today().isoformat(),
        "jp": "10",
        "berkas": (io.BytesIO(b"%PDF-1.4 sertifikat"), "sertifikat.pdf"),
    }
    response = client.post("/pelatihan/jp-saya", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    bad = {**data, "berkas": (io.BytesIO(b"bukan pdf"), "sertifikat.pdf")}
    response = client.post("/pelatihan/jp-saya", data=bad, content_type="multipart/form-data")
    assert response.status_code == 422
    rec = ExternalRecord.get()
    download = client.get(f"/pelatihan/jp-eksternal/{rec.id}/berkas")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()
    other = login_as(org["other"], app.test_client())
    assert other.get(f"/pelatihan/jp-eksternal/{rec.id}/berkas").status_code == 404
    admin = login_as(org["admin"], app.test_client())
    response = admin.post(f"/pelatihan/jp-eksternal/{rec.id}", data={"keputusan": "verifikasi"})
    assert response.status_code == 303
    assert ledger.jp_ledger(org["pegawai"])["total"] == 10


def test_report_shows_a_chart_and_a_table(client, login_as, org):
    login_as(org["atasan"])
    html = client.get("/pelatihan/rekap-jp").get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    assert "Siti Rahmawati" in html and "kurang 20 JP" in html


def test_atasan_approves_from_the_queue(client, login_as, org, make_training):
    training = make_training(needs_approval=True)
    reg = seats.sign_up(org["pegawai"], training)
    login_as(org["other"])
    assert (
        client.post(f"/pelatihan/persetujuan/{reg.id}", data={"keputusan": "setujui"}).status_code
        == 404
    )
    login_as(org["atasan"])
    assert "Siti Rahmawati" in client.get("/pelatihan/persetujuan").get_data(as_text=True)
    response = client.post(
        f"/pelatihan/persetujuan/{reg.id}", data={"keputusan": "setujui"}, headers=HX
    )
    assert response.status_code == 200
    assert Registration.get_by_id(reg.id).status == REGISTERED


def test_dashboard_panel_shows_my_jp(client, login_as, org, make_training):
    training = make_training(judul="Coaching Kepemimpinan")
    seats.sign_up(org["pegawai"], training)
    login_as(org["pegawai"])
    html = client.get("/").get_data(as_text=True)
    assert "JP tahun ini" in html and "Coaching Kepemimpinan" in html
    # the sign-up's row: a link to the training, its date and its status (the panel reads
    # only these columns)
    assert f'href="/pelatihan/{training.id}"' in html
    assert "Pelatihan saya yang akan datang" in html and "badge rounded-pill" in html


def test_the_dashboard_jp_is_the_ledger_s_total(client, login_as, org, finished):
    pegawai = org["pegawai"]
    for jp, status, day in (
        (10, "diverifikasi", local_today()),
        (6, "diajukan", local_today()),  # not verified yet: not counted
        (4, "diverifikasi", local_today().replace(year=local_today().year - 1)),  # last year
    ):
        ExternalRecord.create(
            employee=pegawai,
            judul="Seminar",
            penyelenggara="BPSDM",
            tanggal=day,
            jp=jp,
            status=status,
            stored_name="x",
            original_name="x.pdf",
            kind="pdf",
        )
    summary, full = ledger.jp_summary(pegawai), ledger.jp_ledger(pegawai)
    assert summary["total"] == full["total"] == 18  # 8 of the finished training, 10 verified
    assert summary == {key: full[key] for key in summary}
    login_as(pegawai)
    html = client.get("/").get_data(as_text=True)
    assert '<span class="stat-number">18</span>' in html


@pytest.mark.parametrize("htmx", [False, True])
def test_anonymous_cannot_sign_up(client, make_training, htmx):
    training = make_training()
    response = client.post(f"/pelatihan/{training.id}/daftar", headers=HX if htmx else {})
    assert response.status_code == (401 if htmx else 302)
    assert Registration.select().count() == 0


def test_report_and_manage_query_counts_do_not_grow(
    client, login_as, org, make_training, make_employee, query_counter
):
    login_as(org["admin"])
    make_training()
    client.get("/pelatihan/rekap-jp")
    with query_counter() as few:
        client.get(f"/pelatihan/rekap-jp?unit={org['kominfo'].id}")
        client.get("/pelatihan/kelola")
    for index in range(20):
        make_employee(unit=org["bidang"])
        make_training(judul=f"Bimtek {index}")
    with query_counter() as many:
        client.get(f"/pelatihan/rekap-jp?unit={org['kominfo'].id}")
        html = client.get("/pelatihan/kelola").get_data(as_text=True)
    assert "Bimtek 19" in html
    assert len(many.queries) == len(few.queries)


def test_certificate_verification_is_rate_limited(client):
    statuses = {client.get(f"/pelatihan/verifikasi/tebakan{i}").status_code for i in range(61)}
    assert statuses == {404, 429}


def test_a_record_whose_certificate_file_is_gone_answers_404_with_a_message(
    client, login_as, org, caplog
):
    rec = ExternalRecord.create(
        employee=org["pegawai"],
        judul="Pelatihan Dasar",
        penyelenggara="BPSDM",
        tanggal=local_today(),
        jp=10,
        stored_name="demo-tanpa-berkas",
        original_name="sertifikat.pdf",
        kind="pdf",
    )
    login_as(org["admin"])
    response = client.get(f"/pelatihan/jp-eksternal/{rec.id}/berkas")
    assert response.status_code == 404
    assert "tidak lagi tersimpan" in response.get_data(as_text=True)
    assert "demo-tanpa-berkas" in caplog.text


def test_attendance_of_a_session_still_ahead_is_refused_and_the_form_says_when_it_opens(
    client, login_as, org, make_training
):
    training = make_training()  # its session is a week ahead
    reg = seats.sign_up(org["pegawai"], training)
    session = training.sessions.get()
    login_as(org["organizer"])
    page = client.get(f"/pelatihan/{training.id}/peserta").get_data(as_text=True)
    assert "Presensi dibuka saat sesi dimulai: Senin, 30 November 2026" in page
    assert "disabled" in page
    response = client.post(
        f"/pelatihan/{training.id}/sesi/{session.id}/presensi",
        data={"peserta": [reg.id], "hadir": [reg.id]},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Sesi belum dimulai" in response.get_data(as_text=True)
    assert organising.attendance_map(training) == {}


def test_the_organiser_is_warned_when_the_jp_exceed_the_sessions_length(client, login_as, org):
    login_as(org["organizer"])
    day = (local_today() + timedelta(days=20)).isoformat()
    data = {
        "judul": "e-Learning Manajemen ASN",
        "jenis": "e-learning",
        "unit": org["kominfo"].id,
        "jp": "10",  # 450 minutes
        "kuota": "20",
        "registration_opens_at": "2026-01-01T08:00",
        "registration_closes_at": f"{day}T07:00",
        "sessions-0-tanggal": day,
        "sessions-0-mulai": "08:00",
        "sessions-0-selesai": "15:00",  # 420 minutes: 9 JP
    }
    response = client.post("/pelatihan/baru", data=data, follow_redirects=True)
    assert response.status_code == 200  # a warning, not a refusal
    warning = "mengklaim 10 JP, tetapi sesinya berlangsung 7 jam, cukup untuk 9 JP"
    assert warning in response.get_data(as_text=True)
    training = Training.get(Training.judul == "e-Learning Manajemen ASN")
    assert training.jp == 10
    assert warning in client.get(f"/pelatihan/{training.id}/ubah").get_data(as_text=True)
    assert warning in client.get(f"/pelatihan/{training.id}").get_data(as_text=True)
    login_as(org["pegawai"])  # only the organiser sees it
    assert warning not in client.get(f"/pelatihan/{training.id}").get_data(as_text=True)
    login_as(org["organizer"])
    client.post(f"/pelatihan/{training.id}/ubah", data={**data, "jp": "9"})
    assert "mengklaim" not in client.get(f"/pelatihan/{training.id}").get_data(as_text=True)


def test_the_yearly_jp_target_cannot_go_below_the_national_floor(client, login_as, org):
    from portal import settings
    from portal.trainings import TARGET_JP
    from portal.trainings.rules import jp_target

    login_as(org["admin"])
    values = {}
    for key, definition in settings.DEFINITIONS.items():
        value = settings.get(key)
        values[key] = ("1" if value else "0") if definition.kind is bool else str(value)
    response = client.post("/admin/pengaturan", data={**values, TARGET_JP: "1"})
    assert response.status_code == 422
    assert settings.get(TARGET_JP) == 20
    assert client.post("/admin/pengaturan", data={**values, TARGET_JP: "24"}).status_code == 303
    assert jp_target() == 24
    settings.Setting.update(value="5").where(settings.Setting.key == TARGET_JP).execute()
    assert jp_target() == 20  # a value stored before the floor counts as the floor


@pytest.mark.parametrize("blank", ["\u200b", "\u00a0 \u2060"])
def test_training_forms_refuse_text_of_only_invisible_characters(client, login_as, org, blank):
    login_as(org["organizer"])
    day = (local_today() + timedelta(days=20)).isoformat()
    data = {
        "judul": blank,
        "jenis": "workshop",
        "unit": org["kominfo"].id,
        "tempat": "Ruang Rapat Kominfo",
        "jp": "6",
        "kuota": "2",
        "registration_opens_at": "2026-01-01T08:00",
        "registration_closes_at": f"{day}T07:00",
        "sessions-0-tanggal": day,
        "sessions-0-mulai": "08:00",
        "sessions-0-selesai": "12:00",
    }
    response = client.post("/pelatihan/baru", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Isi judul." in html
    assert 'value="Ruang Rapat Kominfo"' in html  # the rest is kept
    assert Training.select().count() == 0
    login_as(org["pegawai"])
    record = {
        "judul": "E-learning Manajemen ASN",
        "penyelenggara": blank,
        "tanggal": local_today().isoformat(),
        "jp": "10",
        "berkas": (io.BytesIO(b"%PDF-1.4 sertifikat"), "sertifikat.pdf"),
    }
    response = client.post("/pelatihan/jp-saya", data=record, content_type="multipart/form-data")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Isi penyelenggara." in html
    assert 'value="E-learning Manajemen ASN"' in html
    assert ExternalRecord.select().count() == 0
