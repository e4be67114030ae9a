"""Kegiatan Harian in real Chromium: a pegawai logs a day (add three, edit one, delete one, copy
from yesterday, attach a PDF, submit), with JavaScript (htmx) and without; phone layout; axe."""

from datetime import UTC, date, datetime, time

import pytest
import time_machine

from portal.activities.models import DRAFT, SUBMITTED, Activity, ActivityEvent, Evidence
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD

# Tuesday 24 November 2026, 16.00 WIB.
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)
YESTERDAY = date(2026, 11, 23)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def pegawai(make_unit, make_employee):
    unit = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    atasan = make_employee(nama="Rina Marlina", unit=unit)
    employee = make_employee(nama="Ahmad Fauzi", unit=unit, supervisor=atasan)
    for start, end, uraian in [
        (time(13, 0), time(14, 0), "Rapat koordinasi perizinan berusaha"),
        (time(14, 0), time(15, 30), "Verifikasi berkas SPJ"),
    ]:
        activity = Activity.create(
            employee=employee,
            tanggal=YESTERDAY,
            jam_mulai=start,
            jam_selesai=end,
            minutes=(end.hour * 60 + end.minute) - (start.hour * 60 + start.minute),
            uraian=uraian,
            volume=1,
            satuan="kegiatan",
            status=SUBMITTED,
        )
        ActivityEvent.create(activity=activity, actor=employee, action="created", to_status=DRAFT)
    return employee


def _add(page, start, end, uraian, volume="1", satuan="dokumen"):
    form = page.locator("form.entry-form")
    form.get_by_label("Jam mulai").fill(start)
    form.get_by_label("Jam selesai").fill(end)
    form.get_by_label("Uraian kegiatan").fill(uraian)
    form.get_by_label("Volume").fill(volume)
    form.get_by_label("Satuan").fill(satuan)
    form.get_by_role("button", name="Tambah", exact=True).click()
    page.locator(".entry", has_text=uraian).wait_for()


def _journey(page, name, tmp_path, javascript=True):
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/kegiatan")
    page.get_by_role("heading", name="Kegiatan Harian").wait_for()
    _add(page, "07:30", "09:00", "Menyusun draf surat balasan permohonan izin", "3", "dokumen")
    # The form remembers the last end time as the next start time.
    assert page.locator("form.entry-form").get_by_label("Jam mulai").input_value() == "09:00"
    if javascript:  # after the htmx swap the cursor waits in the next description
        page.wait_for_function("document.activeElement && document.activeElement.name === 'uraian'")
    _add(page, "09:00", "10:30", "Verifikasi berkas permohonan NIB", "12", "berkas")
    _add(page, "10:30", "11:00", "Entri data perizinan ke OSS", "5", "data")
    # A bad entry: overlap, with everything typed kept.
    form = page.locator("form.entry-form")
    form.get_by_label("Jam mulai").fill("10:00")
    form.get_by_label("Jam selesai").fill("11:30")
    form.get_by_label("Uraian kegiatan").fill("Kegiatan yang bertabrakan")
    form.get_by_role("button", name="Tambah", exact=True).click()
    page.get_by_text("Bertabrakan dengan kegiatan 09.00–10.30").first.wait_for()
    assert page.locator("form.entry-form").get_by_label("Uraian kegiatan").input_value() == (
        "Kegiatan yang bertabrakan"
    )
    screenshot(page, f"{name}-error")
    # Edit one.
    entry = page.locator(".entry", has_text="Entri data perizinan ke OSS")
    entry.get_by_role("link", name="Ubah").click()
    edit = page.locator(".entry.editing")
    edit.get_by_label("Uraian kegiatan").fill("Entri data perizinan ke sistem OSS RBA")
    edit.get_by_role("button", name="Simpan").click()
    page.locator(".entry", has_text="Entri data perizinan ke sistem OSS RBA").wait_for()
    # Delete one.
    page.locator(".entry", has_text="Verifikasi berkas permohonan NIB").get_by_role(
        "button", name="Hapus"
    ).click()
    page.get_by_text("Kegiatan dihapus.").wait_for()
    assert page.locator(".entry", has_text="Verifikasi berkas permohonan NIB").count() == 0
    # Copy yesterday.
    page.locator("summary#salin-judul").click()
    page.get_by_role("button", name="Salin dari Hari Sebelumnya").click()
    page.get_by_text("2 kegiatan disalin.").wait_for()
    page.locator(".entry", has_text="Rapat koordinasi perizinan berusaha").wait_for()
    # Attach a PDF to the first entry.
    first = page.locator(".entry", has_text="Menyusun draf surat balasan")
    first.get_by_text("Bukti dukung (0)").click()
    pdf = tmp_path / "surat-balasan.pdf"
    pdf.write_bytes(PDF)
    first.get_by_label("Berkas (PDF, JPG, PNG, DOCX, XLSX; maks. 10 MB)").set_input_files(str(pdf))
    first.get_by_role("button", name="Lampirkan").click()
    page.get_by_text("Bukti dukung ditambahkan.").wait_for()
    assert Evidence.select().count() == 1
    screenshot(page, f"{name}-before-submit")
    if javascript:  # axe needs JavaScript in the page; the same markup is checked in the JS run
        assert_accessible(page, f"{name} day view")
    # Submit the day.
    page.get_by_role("button", name="Ajukan").click()
    page.get_by_text("4 kegiatan diajukan ke atasan Anda.").wait_for()
    today = Activity.select().where(Activity.tanggal == TODAY, Activity.deleted_at.is_null())
    assert sorted(a.status for a in today) == [SUBMITTED] * 4
    screenshot(page, f"{name}-submitted")


def test_pegawai_logs_a_day_with_javascript(page, pegawai, clock, tmp_path):
    sign_in(page, pegawai.nip, TEST_PASSWORD)
    _journey(page, "activities-js", tmp_path)
    # The one expected 422 (the overlap) is logged by Chromium as a failed resource, and
    # Playwright's screenshots inject a caret-hiding <style> that our CSP blocks; no others.
    errors = [
        e for e in page.console_errors if "status of 422" not in e and "inline style" not in e
    ]
    assert errors == []


def test_pegawai_logs_a_day_without_javascript(page_nojs, pegawai, clock, tmp_path):
    sign_in(page_nojs, pegawai.nip, TEST_PASSWORD)
    _journey(page_nojs, "activities-nojs", tmp_path, javascript=False)


def test_week_and_month_views_on_a_phone(phone_page, pegawai, clock):
    sign_in(phone_page, pegawai.nip, TEST_PASSWORD)
    phone_page.goto("/kegiatan")
    screenshot(phone_page, "activities-phone-day")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page, "phone day")
    phone_page.get_by_role("link", name="Minggu").click()
    phone_page.get_by_text("Rapat koordinasi perizinan berusaha").count()
    screenshot(phone_page, "activities-phone-week")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page, "phone week")
    phone_page.get_by_role("link", name="Bulan").first.click()
    phone_page.get_by_role("img", name="Menit per hari").wait_for()
    screenshot(phone_page, "activities-phone-month")
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(phone_page, "phone month")


def test_admin_adds_a_holiday_and_unlocks_a_date(page, pegawai, make_employee, clock):
    admin = make_employee(nama="Admin Kota", roles=[("admin", None)])
    sign_in(page, admin.nip, TEST_PASSWORD)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/admin/libur?tahun=2026")
    page.get_by_label("Tanggal").fill("2026-12-31")
    page.get_by_label("Jenis").select_option("cuti_bersama")
    page.get_by_label("Nama hari libur").fill("Cuti bersama akhir tahun")
    page.get_by_role("button", name="Tambah").click()
    page.get_by_text("Hari libur ditambahkan.").wait_for()
    page.get_by_role("cell", name="Cuti bersama akhir tahun", exact=True).wait_for()
    assert_accessible(page, "holidays admin")
    screenshot(page, "activities-admin-holidays")
    page.goto("/admin/buka-kunci")
    page.get_by_label("NIP pegawai").fill(pegawai.nip)
    page.get_by_label("Tanggal yang dibuka").fill("2026-11-02")
    page.get_by_label("Alasan").fill("Pegawai sakit dan belum sempat mengisi")
    page.get_by_role("button", name="Buka").click()
    page.get_by_text("Tanggal dibuka kembali untuk Ahmad Fauzi.").wait_for()
    assert_accessible(page, "unlock admin")
    screenshot(page, "activities-admin-unlock")
