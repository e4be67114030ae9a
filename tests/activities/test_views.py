"""Routes per role, plain and htmx: the day, week and month views, bad input, 404s, uploads."""

import io
import re
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from flask import g
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portal.activities.models import (
    APPROVED,
    DRAFT,
    NEEDS_REVISION,
    SUBMITTED,
    Activity,
    ActivityEvent,
    ActivityTemplate,
    Evidence,
    Holiday,
)
from portal.performance.models import APPROVED as SKP_APPROVED
from portal.performance.models import Rhk, Skp
from tests.activities.conftest import TODAY, form_data

HX = {"HX-Request": "true"}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_pegawai_sees_and_adds_entries(client, sign_in_as, people, frozen, headers):
    sign_in_as(people["pegawai"])
    page = client.get("/kegiatan", headers=headers)
    assert page.status_code == 200 and "Tambah Kegiatan" in page.text
    assert ("<html" in page.text) == (not headers)
    response = client.post("/kegiatan/tambah", data=form_data(), headers=headers)
    if headers:
        assert response.status_code == 200 and "Kegiatan ditambahkan." in response.text
        # Only what changed: the new row and out-of-band totals (tests/activities/test_fragments.py)
        assert 'hx-swap-oob="beforeend:#entries"' in response.text and "<html" not in response.text
    else:
        assert response.status_code == 303
    assert Activity.select().count() == 1


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_bad_input_answers_422_with_the_field_marked_and_input_kept(
    client, sign_in_as, people, frozen, headers, make_activity
):
    make_activity(people["pegawai"], "08:00", "09:30")
    sign_in_as(people["pegawai"])
    data = form_data(start="09:00", end="10:00", uraian="Rapat evaluasi pelayanan perizinan")
    response = client.post("/kegiatan/tambah", data=data, headers=headers)
    assert response.status_code == 422
    assert "Bertabrakan dengan kegiatan 08.00–09.30" in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Rapat evaluasi pelayanan perizinan" in response.text
    response = client.post(
        "/kegiatan/tambah", data=form_data(start="11:00", end="10:00"), headers=headers
    )
    assert response.status_code == 422 and "Jam selesai harus setelah jam mulai" in response.text
    response = client.post("/kegiatan/tambah", data=form_data(uraian=""), headers=headers)
    assert response.status_code == 422 and "Uraian kegiatan wajib diisi" in response.text
    response = client.post(
        "/kegiatan/tambah", data=form_data(uraian="\u200b\u00a0\ufeff"), headers=headers
    )  # nothing visible
    assert response.status_code == 422 and "Uraian kegiatan wajib diisi" in response.text
    assert Activity.select().count() == 1


def test_extra_fields_change_nothing(client, sign_in_as, people, frozen):
    sign_in_as(people["pegawai"])
    data = form_data(
        status=APPROVED,
        employee=people["rekan"].id,
        employee_id=people["rekan"].id,
        menit_diakui=999,
        version=7,
    )
    client.post("/kegiatan/tambah", data=data)
    row = Activity.get()
    assert row.status == DRAFT and row.employee_id == people["pegawai"].id
    assert row.menit_diakui is None and row.version == 1


def test_another_pegawais_entry_id_gives_404_everywhere(
    client, sign_in_as, people, frozen, make_activity
):
    theirs = make_activity(people["rekan"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    for url in [
        f"/kegiatan/{theirs.id}/ubah",
        f"/kegiatan/{theirs.id}/hapus",
        f"/kegiatan/{theirs.id}/bukti",
        f"/kegiatan/{theirs.id}/bukti/1/hapus",
    ]:
        assert client.post(url, data=form_data()).status_code == 404, url
    assert client.post("/kegiatan/salin", data={"ids": theirs.id, "ke": TODAY}).status_code == 404
    client.post("/kegiatan/ajukan", data={"tanggal": TODAY, "pilihan": "1", "ids": theirs.id})
    assert (
        Activity.get_by_id(theirs.id).status == DRAFT
        and not Activity.get_by_id(theirs.id).deleted_at
    )


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_edit_delete_and_submit(client, sign_in_as, people, frozen, make_activity, headers):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    other = make_activity(people["pegawai"], "09:00", "10:00")
    sign_in_as(people["pegawai"])
    form = client.get(f"/kegiatan?ubah={entry.id}", headers=headers)
    assert "Ubah kegiatan" in form.text
    data = form_data(start="08:00", end="08:45", uraian="Menyusun telaahan staf", version=1)
    response = client.post(f"/kegiatan/{entry.id}/ubah", data=data, headers=headers)
    assert response.status_code in (200, 303)
    assert Activity.get_by_id(entry.id).uraian == "Menyusun telaahan staf"
    stale = client.post(f"/kegiatan/{entry.id}/ubah", data=data, headers=headers)
    assert stale.status_code == 409 and "Muat ulang" in stale.text
    assert client.post(f"/kegiatan/{other.id}/hapus", headers=headers).status_code in (200, 303)
    response = client.post("/kegiatan/ajukan", data={"tanggal": TODAY.isoformat()}, headers=headers)
    assert response.status_code in (200, 303)
    assert Activity.get_by_id(entry.id).status == SUBMITTED
    locked = client.post(f"/kegiatan/{entry.id}/ubah", data=data | {"version": 3}, headers=headers)
    assert locked.status_code == 409 and "tidak dapat diubah lagi" in locked.text


def test_returned_entry_shows_the_supervisor_note_and_history(
    client, sign_in_as, people, frozen, make_activity
):
    entry = make_activity(
        people["pegawai"],
        "08:00",
        "09:00",
        status=NEEDS_REVISION,
        decision_note="Lengkapi nomor surat pada uraian.",
    )
    ActivityEvent.create(
        activity=entry,
        actor=people["rekan"],
        acting_for=people["atasan"],
        action="returned",
        from_status=SUBMITTED,
        to_status=NEEDS_REVISION,
        note="Lengkapi nomor surat pada uraian.",
    )
    sign_in_as(people["pegawai"])
    page = client.get("/kegiatan").text
    assert "Dikembalikan untuk revisi" in page and "Lengkapi nomor surat pada uraian." in page
    assert "sebagai Plt/Plh Rina Marlina" in page


def test_week_and_month_views(client, sign_in_as, people, frozen, make_activity, holiday):
    holiday(TODAY + timedelta(days=2), "Hari Uji Libur")
    make_activity(people["pegawai"], "08:00", "09:00", status=APPROVED, menit_diakui=60)
    sign_in_as(people["pegawai"])
    week = client.get("/kegiatan/minggu")
    assert week.status_code == 200 and "Hari Uji Libur" in week.text and "1 jam" in week.text
    month = client.get("/kegiatan/bulan?bulan=2026-11")
    assert month.status_code == 200 and "<svg" in month.text and "<table" in month.text
    assert client.get("/kegiatan/bulan?bulan=2099-01").status_code == 200
    assert client.get("/kegiatan/bulan?bulan=x").status_code == 200
    assert client.get("/kegiatan/minggu", headers=HX).text.count("<html") == 0


def test_the_day_week_month_switch_is_a_plain_nav_without_a_disallowed_role(
    client, sign_in_as, people, frozen
):
    sign_in_as(people["pegawai"])
    html = client.get("/kegiatan").text
    switch = html.split('class="btn-group btn-group-sm view-switch"')[0].rsplit("<nav", 1)[1]
    assert "role=" not in switch  # axe aria-allowed-role: <nav> may not be a group


def test_dashboard_panel_shows_today_and_month(client, sign_in_as, people, frozen, make_activity):
    make_activity(people["pegawai"], "08:00", "09:00", uraian="Verifikasi berkas SPJ")
    sign_in_as(people["pegawai"])
    home = client.get("/").text
    assert "Kegiatan hari ini" in home and "Verifikasi berkas SPJ" in home


def test_anonymous_visitor_is_sent_to_login(client):
    assert client.get("/kegiatan").status_code == 302
    assert client.get("/kegiatan", headers=HX).status_code == 401


def test_copy_route_reports_skipped_entries(client, sign_in_as, people, frozen, make_activity):
    source = make_activity(people["pegawai"], "08:00", "09:00", tanggal=TODAY - timedelta(days=3))
    make_activity(people["pegawai"], "08:30", "09:30")
    sign_in_as(people["pegawai"])
    response = client.post(
        "/kegiatan/salin", data={"ids": source.id, "ke": TODAY.isoformat()}, headers=HX
    )
    assert "tidak disalin" in response.text and "Bertabrakan" in response.text


def test_copying_the_previous_day_shows_one_summary_instead_of_an_alert_per_entry(
    client, sign_in_as, people, frozen, make_activity
):
    friday = TODAY - timedelta(days=3)
    sources = [
        make_activity(people["pegawai"], f"{h:02d}:00", f"{h + 1:02d}:00", tanggal=friday)
        for h in range(7, 14)
    ]
    make_activity(people["pegawai"], "07:00", "13:00")  # today: six of them clash
    sign_in_as(people["pegawai"])
    response = client.post(
        "/kegiatan/salin",
        data={"ids": [s.id for s in sources], "ke": TODAY.isoformat()},
        follow_redirects=True,
    )
    html = response.text
    assert html.count("tidak disalin") == 1 and html.count("disalin.") == 1
    assert "1 kegiatan disalin. 6 kegiatan tidak disalin:" in html
    assert "dan 1 lainnya" in html


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 22, 23, 0, tzinfo=UTC), ("05:00", "06:00")),  # 06.00 WIB
        (datetime(2026, 11, 23, 1, 0, tzinfo=UTC), ("07:30", "08:00")),  # 08.00 WIB
    ],
    ids=["before-the-working-day", "early-in-it"],
)
def test_the_add_form_never_proposes_an_end_in_the_future(
    client, sign_in_as, people, frozen, moment, expected
):
    frozen.move_to(moment)
    sign_in_as(people["pegawai"])
    html = client.get("/kegiatan").text
    proposed = tuple(
        re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html).group(1)
        for name in ("jam_mulai", "jam_selesai")
    )
    assert proposed == expected


def test_routine_template_fills_the_form(client, sign_in_as, people, frozen):
    sign_in_as(people["pegawai"])
    data = form_data(start="08:00", end="08:30", uraian="Apel pagi dan briefing", aksi="rutin")
    client.post("/kegiatan/tambah", data=data)
    assert Activity.select().count() == 0
    template = ActivityTemplate.get()
    assert template.minutes == 30
    page = client.get(f"/kegiatan?rutin={template.id}").text
    assert "Apel pagi dan briefing</textarea>" in page


# --- evidence -------------------------------------------------------------------------------


def _upload(client, activity, data, name, headers=None):
    """POST a multipart upload encoded in memory (the test client's own encoder spools large
    bodies to a temporary file it never closes)."""
    boundary, body = encode_multipart(
        {"berkas": FileStorage(stream=io.BytesIO(data), filename=name)}
    )
    with client.post(
        f"/kegiatan/{activity.id}/bukti",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        headers=headers or {},
    ) as response:
        response.get_data()
        return response


def test_a_small_evidence_file_shows_its_bytes_not_0_kb(
    client, sign_in_as, people, frozen, make_activity
):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    assert _upload(client, entry, PDF, "surat.pdf").status_code == 303
    html = client.get("/kegiatan").text
    assert f"(PDF, {len(PDF)} B)" in html and "0 KB" not in html


def test_a_lost_evidence_file_answers_404_with_a_message(
    app, client, sign_in_as, people, frozen, make_activity
):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    assert _upload(client, entry, PDF, "surat.pdf").status_code == 303
    evidence = Evidence.get()
    (Path(app.config["UPLOAD_DIR"]) / evidence.stored_name).unlink()
    response = client.get(f"/kegiatan/bukti/{evidence.id}")
    assert response.status_code == 404
    assert "sudah tidak tersimpan" in response.text


def test_pdf_is_attached_and_served_only_to_the_allowed(
    client, sign_in_as, people, frozen, make_activity
):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    assert _upload(client, entry, PDF, "surat.pdf").status_code == 303
    evidence = Evidence.get()
    assert evidence.original_name == "surat.pdf" and evidence.stored_name != "surat.pdf"
    url = f"/kegiatan/bukti/{evidence.id}"
    allowed = ["pegawai", "atasan", "kepala", "admin", "admin_opd"]
    denied = ["rekan", "outsider", "admin_opd_other"]
    for role in allowed:
        sign_in_as(people[role])
        with client.get(url) as response:
            assert response.status_code == 200, role
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.headers["Content-Disposition"].startswith("attachment")
            assert response.data == PDF
    for role in denied:
        sign_in_as(people[role])
        assert client.get(url).status_code == 404, role


def test_oversize_upload_is_refused_with_413(client, sign_in_as, people, frozen, make_activity):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    big = PDF + b"0" * (10 * 1024 * 1024)
    assert _upload(client, entry, big, "besar.pdf").status_code == 413
    assert Evidence.select().count() == 0


@pytest.mark.parametrize(
    ("data", "name"),
    [(PDF, "foto.png"), (b"<html><script>alert(1)</script></html>", "x.pdf"), (PNG, "x.exe")],
    ids=["pdf-renamed-png", "html-renamed-pdf", "exe"],
)
def test_mismatched_uploads_are_refused(
    client, sign_in_as, people, frozen, make_activity, data, name
):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    response = _upload(client, entry, data, name, HX)
    assert response.status_code == 422
    assert Evidence.select().count() == 0


def test_path_in_the_file_name_is_dropped(client, sign_in_as, people, frozen, make_activity, app):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    assert _upload(client, entry, PDF, "../../x.pdf").status_code == 303
    evidence = Evidence.get()
    assert evidence.original_name == "x.pdf" and "/" not in evidence.stored_name
    assert (Path(app.config["UPLOAD_DIR"]) / evidence.stored_name).exists()


def test_at_most_five_evidence_and_links_http_only(
    client, sign_in_as, people, frozen, make_activity
):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    bad = client.post(f"/kegiatan/{entry.id}/bukti", data={"tautan": "javascript:alert(1)"})
    assert bad.status_code == 422 and "http://" in bad.text
    for number in range(5):
        ok = client.post(
            f"/kegiatan/{entry.id}/bukti", data={"tautan": f"https://drive.example.go.id/{number}"}
        )
        assert ok.status_code == 303
    sixth = _upload(client, entry, PDF, "enam.pdf")
    assert sixth.status_code == 422 and "paling banyak memiliki 5" in sixth.text
    assert Evidence.select().count() == 5
    assert Activity.get_by_id(entry.id).version == 6


# --- admin pages ----------------------------------------------------------------------------


def test_admin_manages_holidays_others_get_404(client, sign_in_as, people, frozen):
    sign_in_as(people["pegawai"])
    assert client.get("/admin/libur").status_code == 404
    sign_in_as(people["admin"])
    response = client.post(
        "/admin/libur",
        data={
            "tanggal": "2026-12-31",
            "jenis": "cuti_bersama",
            "keterangan": "Cuti bersama akhir tahun",
        },
    )
    assert response.status_code == 303
    duplicate = client.post(
        "/admin/libur",
        data={"tanggal": "2026-12-31", "jenis": "cuti_bersama", "keterangan": "Lagi"},
    )
    assert duplicate.status_code == 422
    holiday = Holiday.get()
    assert "Cuti bersama akhir tahun" in client.get("/admin/libur?tahun=2026").text
    assert client.post(f"/admin/libur/{holiday.id}/hapus").status_code == 303
    assert Holiday.select().count() == 0


def test_admin_opd_unlocks_a_date_of_their_unit(client, sign_in_as, people, frozen):
    sign_in_as(people["pegawai"])
    assert client.get("/admin/buka-kunci").status_code == 404
    sign_in_as(people["admin_opd_other"])
    response = client.post(
        "/admin/buka-kunci",
        data={
            "nip": people["pegawai"].nip,
            "tanggal": "2026-11-02",
            "alasan": "Pegawai sakit seminggu",
        },
    )
    assert response.status_code == 422
    sign_in_as(people["admin_opd"])
    response = client.post(
        "/admin/buka-kunci",
        data={
            "nip": people["pegawai"].nip,
            "tanggal": "2026-11-02",
            "alasan": "Pegawai sakit seminggu",
        },
    )
    assert response.status_code == 303
    assert "Pegawai sakit seminggu" in client.get("/admin/buka-kunci").text


# --- query counts ---------------------------------------------------------------------------


def _fill(make_activity, employee, count):
    made = 0
    day = TODAY
    while made < count:
        for slot in range(10):
            if made == count:
                break
            start = time(7 + slot, 0)
            make_activity(employee, f"{start:%H:%M}", f"{7 + slot}:30", tanggal=day)
            made += 1
        day -= timedelta(days=1)


def _approved_rhk(employee, count):
    """`count` RHK of an approved SKP of `employee` for 2026 (rows written straight: only the
    shape of the data matters to a query count)."""
    skp = Skp.create(
        employee=employee,
        unit=employee.unit_id,
        tahun=2026,
        start_date=date(2026, 1, 1),
        end_date=date(2026, 12, 31),
        status=SKP_APPROVED,
    )
    return [Rhk.create(skp=skp, uraian=f"RHK uji {number}") for number in range(count)]


@pytest.mark.parametrize(
    "url", ["/kegiatan", "/kegiatan/minggu", "/kegiatan?tampilan=minggu", "/kegiatan/bulan"]
)
def test_views_run_the_same_queries_for_1_and_200_entries(
    client, sign_in_as, people, frozen, make_activity, query_counter, url, make_employee
):
    one = people["pegawai"]
    many = people["rekan"]
    _fill(make_activity, one, 1)
    # 200 entries on one day would break the daily maximum in real life, but the view must not
    # care: put 200 on the same day, plus more history days; each names one of 20 RHK (the form
    # offers them, the entries, the week and the month show their text).
    rhk = _approved_rhk(many, 20)
    for index in range(200):
        entry = Activity.create(
            employee=many,
            tanggal=TODAY,
            jam_mulai="07:00",
            jam_selesai="07:05",
            minutes=5,
            uraian=f"Entri {index}",
            satuan="dokumen",
            rhk=rhk[index % 20],
            status=APPROVED if index % 2 else DRAFT,
        )
        ActivityEvent.create(activity=entry, actor=many, action="created", to_status=DRAFT)
        Evidence.create(activity=entry, kind="link", original_name="x", url="https://a.go.id")
    _fill(make_activity, many, 30)
    counts = []
    for employee in (one, many):
        sign_in_as(employee)
        client.get(url)  # warm up
        g.pop("_login_user", None)
        with query_counter() as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.queries))
    assert counts[0] == counts[1], counts


def test_pegawai_searches_their_own_entries_by_words_dates_and_status(
    client, sign_in_as, people, frozen, make_activity
):
    friday = TODAY - timedelta(days=3)
    make_activity(
        people["pegawai"], "08:00", "09:00", tanggal=friday, uraian="Rapat koordinasi SPJ"
    )
    make_activity(
        people["pegawai"],
        "09:00",
        "10:00",
        tanggal=friday,
        uraian="Verifikasi berkas SPJ",
        status=APPROVED,
    )
    make_activity(people["pegawai"], "08:00", "09:00", uraian="Rapat pimpinan")
    make_activity(people["rekan"], "08:00", "09:00", uraian="Rapat koordinasi SPJ rekan")
    sign_in_as(people["pegawai"])
    html = client.get("/kegiatan/cari?q=rapat+spj").text  # every word, any case
    assert "Rapat koordinasi SPJ" in html and "rekan" not in html.split('id="hasil-cari"')[1]
    assert "Rapat pimpinan" not in html and "1 kegiatan ditemukan" in html
    html = client.get(f"/kegiatan/cari?sampai={friday}&status=disetujui").text
    assert "Verifikasi berkas SPJ" in html and "Rapat koordinasi" not in html
    html = client.get(f"/kegiatan/cari?dari={TODAY}").text
    assert "Rapat pimpinan" in html and "SPJ" not in html.split('id="hasil-cari"')[1]
    fragment = client.get("/kegiatan/cari?q=rapat", headers=HX).text
    assert fragment.lstrip().startswith('<div id="hasil-cari"')
    assert client.get("/kegiatan/cari?page=99999999999999999999&dari=x").status_code == 200


def test_search_pages_and_runs_the_same_queries_for_few_and_many_entries(
    client, sign_in_as, people, frozen, make_activity, query_counter
):
    make_activity(people["pegawai"], "08:00", "09:00", uraian="Entri uji")
    for index in range(60):
        Activity.create(
            employee=people["rekan"],
            tanggal=TODAY - timedelta(days=index % 20),
            jam_mulai="07:00",
            jam_selesai="07:05",
            minutes=5,
            uraian=f"Entri uji {index}",
            satuan="dokumen",
        )
    counts = []
    for employee in (people["pegawai"], people["rekan"]):
        sign_in_as(employee)
        client.get("/kegiatan/cari?q=entri")
        g.pop("_login_user", None)
        with query_counter() as queries:
            html = client.get("/kegiatan/cari?q=entri").text
        counts.append(len(queries.queries))
    assert counts[0] == counts[1], counts
    assert "60 kegiatan ditemukan" in html and "page=3" in html and "q=entri" in html
    last = client.get("/kegiatan/cari?q=entri&page=3").text  # the oldest ten, newest first
    assert "Entri uji 59<" in last and "Entri uji 0<" not in last
