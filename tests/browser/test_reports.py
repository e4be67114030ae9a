"""Reports in real Chromium: the admin OPD opens the recap, drills down from the OPD to the
bidang to a pegawai's month, closes the month, exports XLSX, watches the progress page and
downloads a file that openpyxl opens with the expected rows; with and without JavaScript, at
1280 and 360 px; axe."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.reports.models import CLOSED, MonthClosure
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD
from tests.reports.conftest import entry


@pytest.fixture
def app_config(tmp_path):
    return {"EXPORT_DIR": str(tmp_path / "exports")}


@pytest.fixture
def office(app, make_unit, make_employee):
    ptsp = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    bidang = make_unit(nama="Bidang Pelayanan Perizinan", parent=ptsp)
    kepala = make_employee(nama="Rahmat Hidayat", unit=ptsp, jenis_jabatan="JPT")
    kabid = make_employee(nama="Hendra Saputra", unit=bidang, supervisor=kepala)
    siti = make_employee(nama="Siti Rahmawati", unit=bidang, supervisor=kabid)
    make_employee(nama="Dewi Lestari", unit=bidang, supervisor=kabid)
    admin_opd = make_employee(nama="Rina Marlina", unit=ptsp, roles=[("admin_opd", ptsp)])
    entry(siti, date(2026, 10, 5), 240, "disetujui", diakui=200)
    entry(siti, date(2026, 10, 6), 90, "diajukan")
    return {"ptsp": ptsp, "bidang": bidang, "siti": siti, "admin_opd": admin_opd}


def _journey(page, office, label, javascript, run_next):
    sign_in(page, office["admin_opd"].nip, TEST_PASSWORD)
    page.goto("/laporan/?bulan=2026-10")
    page.get_by_role("heading", name="Rekap bulanan").wait_for()
    screenshot(page, f"reports-{label}-1-opd")
    if javascript:
        assert_accessible(page, "recap")
    # drill down: the OPD, then its bidang, then a pegawai's month
    page.get_by_role("link", name="Dinas Penanaman Modal dan PTSP").first.click()
    page.get_by_role("link", name="Bidang Pelayanan Perizinan").first.click()
    page.locator(".breadcrumb-item.active", has_text="Bidang Pelayanan Perizinan").wait_for()
    page.get_by_role("link", name="Siti Rahmawati").click()
    page.get_by_role("heading", name="Siti Rahmawati").wait_for()
    assert "200" in page.locator(".recap-facts").inner_text()
    screenshot(page, f"reports-{label}-2-pegawai")
    if javascript:
        assert_accessible(page, "pegawai month")
    page.go_back()
    # close October for the bidang
    page.get_by_role("button", name="Tutup Oktober 2026").click()
    page.get_by_text("Bulan ini ditutup untuk unit ini.").first.wait_for()
    assert MonthClosure.get(MonthClosure.unit == office["bidang"].id).status == CLOSED
    # export XLSX
    page.get_by_label("Format").select_option("xlsx")
    page.get_by_role("button", name="Unduh").click()
    page.get_by_text("Menunggu dalam antrean…").wait_for()
    screenshot(page, f"reports-{label}-3-queued")
    run_next()  # the consumer builds the file
    if not javascript:
        page.get_by_role("link", name="Muat ulang").click()
    page.get_by_text("Berkas siap.").wait_for()  # with htmx: the polling swapped it in
    screenshot(page, f"reports-{label}-4-export")
    if javascript:
        assert_accessible(page, "export")
    with page.expect_download() as info:
        page.get_by_role("link", name="Unduh rekap-2026-10").click()
    with open(info.value.path(), "rb") as handle:
        data = handle.read()
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    names = {row[1] for row in rows[1:]}
    assert names == {"Hendra Saputra", "Siti Rahmawati", "Dewi Lestari"}
    siti = next(row for row in rows if row[1] == "Siti Rahmawati")
    assert siti[7] == 200
    assert siti[-1] == "ya"  # closed
    assert page.console_errors == []


def test_admin_opd_recap_close_and_export_with_javascript(page, office, queued_jobs):
    _journey(page, office, "js", javascript=True, run_next=queued_jobs)


def test_admin_opd_recap_close_and_export_without_javascript(page_nojs, office, queued_jobs):
    _journey(page_nojs, office, "nojs", javascript=False, run_next=queued_jobs)


def test_the_recap_fits_a_phone(phone_page, office):
    sign_in(phone_page, office["admin_opd"].nip, TEST_PASSWORD)
    phone_page.goto(f"/laporan/?unit={office['bidang'].id}&bulan=2026-10")
    phone_page.get_by_role("heading", name="Rekap bulanan").wait_for()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    screenshot(phone_page, "reports-phone-recap")
    assert_accessible(phone_page, "recap 360")


@pytest.mark.parametrize("phone", [False, True])
def test_the_leaders_dashboard_reads_on_desktop_and_phone(new_page, office, phone):
    page = new_page(phone=phone)
    sign_in(page, office["admin_opd"].nip, TEST_PASSWORD)
    page.goto("/laporan/dasbor?bulan=2026-10")
    page.get_by_role("heading", name="Dasbor pimpinan").wait_for()
    assert page.locator("svg.report-chart").count() == 5
    page.get_by_role("link", name="Dinas Penanaman Modal dan PTSP").first.click()
    page.locator(".breadcrumb-item.active", has_text="Dinas Penanaman Modal dan PTSP").wait_for()
    screenshot(page, f"reports-dashboard-{'360' if phone else '1280'}")
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "dashboard")


@pytest.mark.parametrize("phone", [False, True])
def test_a_pimpinan_reads_the_dashboard_and_recap_but_closes_nothing(
    new_page, office, make_employee, phone
):
    kepala = make_employee(
        nama="Kepala Dinas Uji", unit=office["ptsp"], roles=[("pimpinan", office["ptsp"])]
    )
    page = new_page(phone=phone)
    sign_in(page, kepala.nip, TEST_PASSWORD)
    page.goto(f"/laporan/?unit={office['bidang'].id}&bulan=2026-10")
    page.get_by_role("heading", name="Rekap bulanan").wait_for()
    assert page.get_by_text("Siti Rahmawati").count() >= 1
    assert page.locator("form[action='/laporan/tutup']").count() == 0  # reading only
    page.get_by_role("link", name="Dasbor pimpinan").click()
    page.get_by_role("heading", name="Dasbor pimpinan").wait_for()
    assert page.locator("svg.report-chart").count() == 5
    page.get_by_role("link", name="Dinas Penanaman Modal dan PTSP").first.click()
    page.locator(".breadcrumb-item.active", has_text="Dinas Penanaman Modal dan PTSP").wait_for()
    screenshot(page, f"reports-pimpinan-dashboard-{'360' if phone else '1280'}")
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "pimpinan dashboard")
    page.goto("/laporan/cetak?bulan=2026-10")  # the print page: its table scrolls on a phone
    assert "Siti Rahmawati" in page.content()
    if phone:
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.goto("/laporan/kehadiran").status == 404
