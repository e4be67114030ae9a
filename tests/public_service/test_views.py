"""The public-service pages as citizens and officers use them: plain and htmx, per role."""

import io
from datetime import date
from xml.etree import ElementTree

import pytest
import time_machine

from portal.activities.models import Activity
from portal.public_service import handling
from portal.public_service.models import IN_PROGRESS, RECEIVED, Complaint
from tests.conftest import count_queries

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML_AS_JPG = b"<html><script>alert(1)</script></html>"


def _html(response):
    return response.get_data(as_text=True)


def _form(unit, **changes):
    data = {
        "kategori": "Perizinan",
        "unit_id": str(unit.id) if unit is not None else "",
        "teks": "Izin usaha saya belum terbit sudah tiga minggu.",
        "nama": "Ahmad Warga",
        "kontak": "081234567890",
        "consent_publish": "y",
        "setuju": "y",
    }
    data.update(changes)
    return data


def _answered(make_complaint, unit_admin, handler, consent=True, **fields):
    complaint = make_complaint(consent=consent, **fields)
    complaint = handling.assign(unit_admin, handling.verify(unit_admin, complaint), handler.id)
    return handling.answer(handler, complaint, "Izin Anda sudah terbit; silakan unduh di OSS.")


def test_citizen_files_a_complaint_and_follows_it_by_code(client, unit):
    page = client.get("/pengaduan")
    assert page.status_code == 200 and "Sampaikan pengaduan" in _html(page)
    response = client.post("/pengaduan", data=_form(unit))
    assert response.status_code == 303
    complaint = Complaint.get()
    assert complaint.kode in response.headers["Location"]
    track = client.get(response.headers["Location"])
    html = _html(track)
    assert track.status_code == 200 and complaint.kode in html
    assert "Simpan kode pelacakan ini." in html and "Diterima" in html
    assert "Senin, 30 November 2026" in html  # the deadline
    # personal data is not on the tracking page (the code is a bearer secret)
    assert "Ahmad Warga" not in html and "081234567890" not in html and "6281234567890" not in html
    assert track.headers["Cache-Control"] == "private, no-store"
    lookup = client.get("/pengaduan/lacak", query_string={"kode": complaint.kode.lower()})
    assert lookup.status_code == 303 and lookup.headers["Location"].endswith(complaint.kode)


def test_unknown_code_is_told_in_indonesian(client):
    response = client.get("/pengaduan/lacak", query_string={"kode": "ADU-ZZZZZZZZ"})
    assert response.status_code == 404
    assert "Tidak ada pengaduan dengan kode pelacakan ini" in _html(response)
    assert client.get("/pengaduan/lacak/ADU-ZZZZZZZZ").status_code == 404
    assert client.get("/pengaduan/lacak", query_string={"kode": ""}).status_code == 422
    assert client.get("/pengaduan/lacak").status_code == 200


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kategori": "Bukan kategori"}, "Pilihan tidak sah."),
        ({"teks": "pendek"}, "paling sedikit 10 karakter"),
        ({"teks": "x" * 2001}, "Paling banyak 2000 karakter"),
        ({"kontak": "bukan kontak"}, "alamat e-mail atau nomor telepon"),
        ({"unit_id": "999999"}, "Tidak tahu"),
        ({"unit_id": "abc"}, ""),
        ({"setuju": ""}, "Setujui pemberitahuan privasi"),
    ],
)
def test_bad_complaint_input_gets_a_clear_message_and_422(client, unit, changes, message):
    response = client.post("/pengaduan", data=_form(unit, **changes))
    assert response.status_code in (303, 422)
    if changes == {"unit_id": "abc"}:  # not a number: treated as "don't know"
        assert response.status_code == 303
        return
    assert response.status_code == 422
    assert message in _html(response)
    assert Complaint.select().count() == 0


def test_hostile_text_is_stored_as_typed_and_escaped_everywhere(client, login_as, unit, unit_admin):
    hostile = '<script>alert("x")</script> <img src=x onerror=alert(1)> \u202eevil'
    response = client.post("/pengaduan", data=_form(unit, teks=hostile, nama="<b>Budi</b>"))
    assert response.status_code == 303
    complaint = Complaint.get()
    assert complaint.teks == hostile
    html = _html(client.get(response.headers["Location"]))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    login_as(unit_admin)
    manage = _html(client.get(f"/pengaduan/kelola/{complaint.id}"))
    assert "<script>alert" not in manage and "<b>Budi" not in manage and "&lt;b&gt;Budi" in manage


def test_honeypot_refuses_a_bot(client, unit):
    response = client.post("/pengaduan", data=_form(unit, website="http://spam.example"))
    assert response.status_code == 422 and "Formulir tidak dapat diproses." in _html(response)
    assert Complaint.select().count() == 0


def test_complaints_are_rate_limited_per_ip(app, client, unit):
    app.config["PUBLIC_SERVICE_POSTS_PER_IP"] = 2
    for _number in range(2):
        assert client.post("/pengaduan", data=_form(unit)).status_code == 303
    response = client.post("/pengaduan", data=_form(unit))
    assert response.status_code == 429 and response.headers["Retry-After"] == "600"
    assert "Terlalu banyak kiriman dari koneksi Anda" in _html(response)
    other = client.post("/pengaduan", data=_form(unit), environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert other.status_code == 303
    assert Complaint.select().count() == 3


def test_photo_is_checked_by_content(client, login_as, unit, unit_admin):
    fake = _form(unit, foto=(io.BytesIO(HTML_AS_JPG), "foto.jpg"))
    response = client.post("/pengaduan", data=fake, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "tidak sesuai dengan jenisnya" in _html(response)
    real = _form(unit, foto=(io.BytesIO(PNG), "jalan rusak.png"))
    response = client.post("/pengaduan", data=real, content_type="multipart/form-data")
    assert response.status_code == 303
    complaint = Complaint.get()
    assert complaint.foto_kind == "png"
    assert complaint.foto_name == "jalan rusak.png"
    # the photo is never public; the unit admin downloads it as an attachment
    assert client.get(f"/pengaduan/kelola/{complaint.id}/foto").status_code == 302
    login_as(unit_admin)
    download = client.get(f"/pengaduan/kelola/{complaint.id}/foto")
    assert download.status_code == 200 and download.mimetype == "image/png"
    assert download.headers["Content-Disposition"].startswith("attachment")
    download.close()


def test_admin_verifies_assigns_and_pegawai_answers_and_logs_it(
    client, login_as, make_complaint, unit_admin, handler
):
    complaint = make_complaint()
    login_as(unit_admin)
    queue = client.get("/pengaduan/kelola")
    assert queue.status_code == 200 and complaint.kode in _html(queue)
    assert client.post(f"/pengaduan/kelola/{complaint.id}/verifikasi").status_code == 303
    response = client.post(
        f"/pengaduan/kelola/{complaint.id}/tugaskan", data={"employee_id": str(handler.id)}
    )
    assert response.status_code == 303
    assert Complaint.get_by_id(complaint.id).status == IN_PROGRESS
    login_as(handler)
    assert complaint.kode in _html(client.get("/pengaduan/kelola"))
    page = _html(client.get(f"/pengaduan/kelola/{complaint.id}"))
    assert "Jawab warga" in page and "Catat sebagai kegiatan hari ini" in page
    assert "Tolak" not in page.split("Jawab warga")[1]  # the pegawai cannot reject
    logged = client.post(f"/pengaduan/kelola/{complaint.id}/catat-kegiatan")
    assert logged.status_code == 303
    assert Activity.select().where(Activity.employee == handler.id).count() == 1
    answered = client.post(
        f"/pengaduan/kelola/{complaint.id}/jawab", data={"answer": "Izin sudah terbit hari ini."}
    )
    assert answered.status_code == 303
    track = _html(client.get(f"/pengaduan/lacak/{complaint.kode}"))
    assert "Izin sudah terbit hari ini." in track and "Nilai jawabannya" in track


def test_an_empty_reason_is_refused_with_422(client, login_as, make_complaint, unit_admin):
    complaint = make_complaint()
    login_as(unit_admin)
    response = client.post(f"/pengaduan/kelola/{complaint.id}/tolak", data={"reason": ""})
    assert response.status_code == 422 and "Tuliskan alasan penolakan." in _html(response)
    assert Complaint.get_by_id(complaint.id).status == RECEIVED


def test_citizen_rates_the_answer_with_htmx(client, make_complaint, unit_admin, handler):
    complaint = _answered(make_complaint, unit_admin, handler)
    url = f"/pengaduan/lacak/{complaint.kode}/nilai"
    response = client.post(url, data={"rating": "5"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = _html(response)
    assert "<html" not in html and "Terima kasih: Anda memberi nilai 5 dari 5." in html
    again = client.post(url, data={"rating": "1"})
    assert again.status_code == 409
    assert Complaint.get_by_id(complaint.id).rating == 5
    assert client.post(url, data={"rating": "7"}).status_code == 422


def test_unconsented_answer_never_appears_publicly(
    client, login_as, make_complaint, unit_admin, handler
):
    private = _answered(
        make_complaint, unit_admin, handler, consent=False, teks="Rahasia pribadi saya sendiri."
    )
    public = _answered(make_complaint, unit_admin, handler, consent=True)
    handling.publish(unit_admin, public, "Penerbitan izin usaha terlambat.")
    with pytest.raises(Exception):  # noqa: B017 - the service refuses (Invalid)
        handling.publish(unit_admin, private, "Ringkasan yang tidak boleh tampil.")
    Complaint.update(published=True, public_summary="Bocor").where(
        Complaint.id == private.id
    ).execute()  # even a forced flag without consent stays private
    for url in ("/pengaduan", "/layanan", f"/layanan/unit/{public.unit_id}"):
        html = _html(client.get(url))
        assert "Penerbitan izin usaha terlambat." in html, url
        assert "Bocor" not in html and "Rahasia pribadi" not in html, url
        assert "Ahmad Warga" not in html and "62812" not in html, url
    feed = client.get("/pengaduan/feed.atom")
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(feed.data)  # noqa: S314 (our own feed)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == 1
    text = feed.get_data(as_text=True)
    assert "Bocor" not in text and "Ahmad Warga" not in text and "62812" not in text


def test_public_figures_show_the_response_time(client, make_complaint, unit_admin, handler, unit):
    complaint = make_complaint()  # Monday
    complaint = handling.assign(unit_admin, handling.verify(unit_admin, complaint), handler.id)
    make_complaint()  # still open
    with time_machine.travel("2026-11-26 03:00:00+00:00", tick=False):  # Thursday
        handling.answer(handler, complaint, "Izin Anda sudah terbit; silakan unduh di OSS.")
        html = _html(client.get("/layanan"))
        detail = _html(client.get(f"/layanan/unit/{unit.id}"))
    assert unit.nama in html
    assert "3,0 hari kerja" in html  # three working days: Tuesday to Thursday
    assert "50,0%" in html  # one of the two complaints answered
    assert "100,0%" in html  # answered on time
    assert "3,0 hari kerja" in detail


ROUTES = [
    ("get", "/pengaduan/kelola/{id}"),
    ("post", "/pengaduan/kelola/{id}/verifikasi"),
    ("post", "/pengaduan/kelola/{id}/tugaskan"),
    ("post", "/pengaduan/kelola/{id}/tolak"),
    ("post", "/pengaduan/kelola/{id}/jawab"),
    ("post", "/pengaduan/kelola/{id}/publikasi"),
    ("post", "/pengaduan/kelola/{id}/tarik"),
    ("post", "/pengaduan/kelola/{id}/catat-kegiatan"),
    ("get", "/pengaduan/kelola/{id}/foto"),
]


@pytest.mark.parametrize(("method", "url"), ROUTES)
@pytest.mark.parametrize("htmx", [False, True])
def test_access_matrix_of_the_officers_routes(
    client, login_as, make_complaint, other_admin, atasan, method, url, htmx
):
    complaint = make_complaint()
    target = url.format(id=complaint.id)
    headers = {"HX-Request": "true"} if htmx else {}
    anonymous = getattr(client, method)(target, headers=headers)
    assert anonymous.status_code == (401 if htmx else 302)
    for outsider in (other_admin, atasan):
        login_as(outsider)
        assert getattr(client, method)(target, headers=headers).status_code == 404
    assert Complaint.get_by_id(complaint.id).status == RECEIVED


def test_queue_is_only_for_those_with_complaints(client, login_as, make_employee, unit_admin):
    assert client.get("/pengaduan/kelola").status_code == 302
    login_as(make_employee())
    assert client.get("/pengaduan/kelola").status_code == 404
    login_as(unit_admin)
    assert client.get("/pengaduan/kelola").status_code == 200
    fragment = client.get("/pengaduan/kelola?status=diterima", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in _html(fragment)


def test_public_pages_need_no_login(client, unit):
    for url in ("/pengaduan", "/pengaduan/privasi", "/layanan", f"/layanan/unit/{unit.id}"):
        assert client.get(url).status_code == 200, url
    assert client.get("/layanan/unit/999999").status_code == 404


def test_key_pages_run_the_same_queries_with_more_rows(
    client, login_as, make_complaint, unit_admin, handler, make_unit
):
    first = _answered(make_complaint, unit_admin, handler)
    handling.publish(unit_admin, first, "Ringkasan publik pertama.")

    def measure():
        counts = {}
        for url in ("/layanan", "/pengaduan", f"/pengaduan/lacak/{first.kode}"):
            client.get(url)
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            counts[url] = len(queries.queries)
        login_as(unit_admin)
        with count_queries() as queries:
            assert client.get("/pengaduan/kelola").status_code == 200
        counts["queue"] = len(queries.queries)
        client.get("/keluar")
        with client.session_transaction() as session:
            session.clear()
        return counts

    before = measure()
    for number in range(12):
        make_complaint(unit=make_unit(nama=f"Dinas Uji Tambahan {number}"))
    for _number in range(12):
        done = _answered(make_complaint, unit_admin, handler)
        handling.publish(unit_admin, done, "Ringkasan publik berikutnya.")
    assert measure() == before


def test_deadline_shown_skips_the_holiday(client, unit):
    from portal.activities.models import Holiday

    Holiday.create(tanggal=date(2026, 11, 25), keterangan="Libur uji")
    response = client.post("/pengaduan", data=_form(unit))
    html = _html(client.get(response.headers["Location"]))
    assert "Selasa, 1 Desember 2026" in html


def test_guessing_codes_is_rate_limited_but_following_ones_own_is_not(app, client, make_complaint):
    app.config["PUBLIC_SERVICE_POSTS_PER_IP"] = 1  # ten misses per window
    complaint = make_complaint()
    for _number in range(10):
        assert client.get("/pengaduan/lacak/ADU-ZZZZZZZZ").status_code == 404
    assert client.get("/pengaduan/lacak/ADU-ZZZZZZZY").status_code == 429
    guess = client.get("/pengaduan/lacak", query_string={"kode": "ADU-ZZZZZZZX"})
    assert guess.status_code == 429
    for _number in range(20):
        assert client.get(f"/pengaduan/lacak/{complaint.kode}").status_code == 200
