"""Pengaduan in real Chromium: a citizen on a 360 px phone without JavaScript files a complaint
and follows it by code; the unit's admin verifies and assigns it; the pegawai logs it as an
entry and answers; the citizen (with JavaScript) rates the answer; the public figures show the
response time. Every page is axe-clean at 1280 and 360 px."""

import pytest

from portal.activities.models import Activity
from portal.org.models import ROLE_ADMIN_OPD
from portal.public_service.models import Complaint
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def unit(app, make_unit):
    return make_unit(nama="Dinas Penanaman Modal dan PTSP")


def _fits_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def _file(page, text):
    page.goto("/pengaduan")
    page.get_by_role("heading", name="Sampaikan pengaduan").wait_for()
    page.get_by_label("Kategori").select_option("Perizinan")
    page.get_by_label("Perangkat daerah yang dituju").select_option(
        label="Dinas Penanaman Modal dan PTSP"
    )
    page.get_by_label("Apa yang terjadi?").fill(text)
    page.get_by_label("Nomor telepon/WhatsApp atau e-mail").fill("0812 3456 7890")
    page.get_by_label("Jawaban boleh dipublikasikan").check()
    page.get_by_label("Saya telah membaca pemberitahuan privasi").check()
    page.get_by_role("button", name="Kirim pengaduan").click()
    page.get_by_text("Simpan kode pelacakan ini.").wait_for()
    return page.locator("#kode-pengaduan").inner_text().strip()


def test_citizen_files_admin_assigns_pegawai_answers_citizen_rates(
    new_page, page, unit, make_employee
):
    admin = make_employee(nama="Sari Admin", unit=unit, roles=[(ROLE_ADMIN_OPD, unit)])
    boss = make_employee(nama="Budi Kepala Bidang", unit=unit)
    handler = make_employee(nama="Dewi Pelaksana", unit=unit, supervisor=boss)

    # A citizen on a phone without JavaScript files a complaint and gets the code.
    # (axe needs JavaScript: the same pages are checked in a phone page with it, below.)
    phone = new_page(javascript=False, phone=True)
    phone.goto("/pengaduan")
    screenshot(phone, "public-service-form-phone-nojs")
    _fits_phone(phone)
    code = _file(phone, "Pengajuan PBG sudah tiga minggu belum ada kabar di aplikasi.")
    assert code.startswith("ADU-")
    screenshot(phone, "public-service-track-phone-nojs")
    _fits_phone(phone)
    checker = new_page(phone=True)
    checker.emulate_media(reduced_motion="reduce")
    checker.goto("/pengaduan")
    assert_accessible(checker, "complaint form phone")
    checker.goto(f"/pengaduan/lacak/{code}")
    assert_accessible(checker, "tracking phone")
    # ... and follows it later by typing the code.
    phone.goto("/pengaduan")
    phone.get_by_label("Kode pelacakan").fill(code.lower())
    phone.get_by_role("button", name="Pantau").click()
    phone.get_by_text("Diterima").first.wait_for()
    assert code in phone.url

    # The unit's admin verifies and assigns it.
    sign_in(page, admin.nip, TEST_PASSWORD)
    page.goto("/pengaduan/kelola")
    assert_accessible(page, "complaint queue")
    page.get_by_role("link", name=code).click()
    page.get_by_role("button", name="Verifikasi").click()
    page.get_by_text("Pengaduan diverifikasi.").wait_for()
    page.get_by_label("Pegawai", exact=True).select_option(label="Dewi Pelaksana — Analis")
    page.get_by_role("button", name="Tugaskan", exact=True).click()
    page.get_by_text("Pengaduan ditugaskan.").wait_for()
    assert_accessible(page, "complaint detail admin")
    screenshot(page, "public-service-admin-assigned")

    # The pegawai logs it as today's entry and answers.
    worker = new_page()
    sign_in(worker, handler.nip, TEST_PASSWORD)
    worker.goto("/pengaduan/kelola")
    worker.get_by_role("link", name=code).click()
    worker.get_by_role("button", name="Catat sebagai kegiatan hari ini").click()
    worker.get_by_text("Draf kegiatan harian untuk hari ini ditambahkan").wait_for()
    assert Activity.select().where(Activity.employee == handler.id).count() == 1
    worker.get_by_label("Jawaban untuk warga").fill(
        "Berkas PBG Anda sudah kami verifikasi dan izin terbit hari ini."
    )
    worker.get_by_role("button", name="Kirim jawaban").click()
    worker.get_by_text("Jawaban terkirim").wait_for()
    assert_accessible(worker, "complaint detail pegawai")
    screenshot(worker, "public-service-pegawai-answered")

    # The citizen, now with JavaScript on a phone, reads the answer and rates it (htmx).
    citizen = new_page(phone=True)
    citizen.emulate_media(reduced_motion="reduce")
    citizen.goto(f"/pengaduan/lacak/{code}")
    citizen.get_by_text("izin terbit hari ini").wait_for()
    citizen.get_by_label("Puas", exact=True).check()
    citizen.get_by_role("button", name="Kirim penilaian").click()
    citizen.get_by_text("Terima kasih: Anda memberi nilai 4 dari 5.").wait_for()
    assert "/nilai" not in citizen.url  # swapped in place, no navigation
    assert_accessible(citizen, "tracking rated phone")
    screenshot(citizen, "public-service-track-rated-phone")
    _fits_phone(citizen)
    assert Complaint.get().rating == 4

    # The public figures show the new response time.
    citizen.goto("/layanan")
    citizen.get_by_role("heading", name="Pelayanan publik").wait_for()
    card = citizen.locator("article", has_text="Dinas Penanaman Modal dan PTSP")
    assert "0,0 hari kerja" in card.inner_text()
    assert_accessible(citizen, "services phone")
    screenshot(citizen, "public-service-figures-phone")
    page.goto("/layanan")
    row = page.get_by_role("row", name="Dinas Penanaman Modal dan PTSP")
    assert "0,0 hari kerja" in row.inner_text()
    assert_accessible(page, "services desktop")
    screenshot(page, "public-service-figures-desktop")
    assert not page.console_errors and not citizen.console_errors


def test_citizen_files_with_javascript_on_desktop(page, unit):
    code = _file(page, "Antrean di Mal Pelayanan Publik sangat panjang setiap pagi.")
    assert Complaint.get().kode == code
    assert_accessible(page, "tracking desktop")
    screenshot(page, "public-service-track-desktop")


def test_citizen_answers_the_skm_and_sees_indicators_and_ikm(new_page, page, unit, make_employee):
    from portal.clock import local_today
    from portal.public_service import indicators, skm

    admin = make_employee(nama="Sari Admin", unit=unit, roles=[(ROLE_ADMIN_OPD, unit)])
    permit = indicators.create_indicator(
        admin,
        indicators.IndicatorInput(
            unit.id, "Waktu penyelesaian izin usaha", "hari", "turun", "manual"
        ),
    )
    indicators.set_target(admin, permit, 2026, "5")
    for month, value in ((8, "6,5"), (9, "5,8"), (10, "5,1"), (11, "4,6")):
        indicators.record_value(admin, permit, 2026, month, value, local_today())
    service = skm.create_service(admin, unit.id, "Perizinan Berusaha (PBG)", 200)

    phone = new_page(phone=True)
    phone.emulate_media(reduced_motion="reduce")
    phone.goto(f"/layanan/survei/{service.id}")
    for number, word in enumerate(
        [
            "Sesuai",
            "Mudah",
            "Cepat",
            "Gratis",
            "Sesuai",
            "Kompeten",
            "Sopan dan ramah",
            "Dikelola dengan baik",
            "Baik",
        ],
        start=1,
    ):
        phone.locator(f"input[name=u{number}]").nth(
            3 if word in ("Gratis", "Dikelola dengan baik") else 2
        ).check()
    phone.get_by_label("Usia").select_option("30-39")
    phone.get_by_label("Jenis kelamin").select_option("P")
    phone.get_by_label("Pendidikan").select_option("D4/S1")
    phone.get_by_label("Pekerjaan").select_option("Wirausaha")
    assert_accessible(phone, "skm survey phone")
    screenshot(phone, "public-service-skm-phone")
    phone.get_by_role("button", name="Kirim survei").click()
    phone.get_by_text("Terima kasih telah mengisi survei kepuasan.").wait_for()
    phone.get_by_text("IKM ").first.wait_for()
    assert_accessible(phone, "unit page phone")
    screenshot(phone, "public-service-unit-phone")
    _fits_phone(phone)
    page.goto(f"/layanan/unit/{unit.id}")
    assert page.locator("svg.ps-chart circle").count() == 4
    assert_accessible(page, "unit page desktop")
    screenshot(page, "public-service-unit-desktop")
