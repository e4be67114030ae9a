"""Accounts and admin in real Chromium: each demo role signs in and sees the right menu,
changes the password, signs out; axe on login, dashboard, profile and admin pages."""

import random

import pytest

from portal.auth.passwords import hash_password
from portal.clock import local_today
from portal.org import seed
from tests.browser.conftest import assert_accessible, screenshot, sign_in

DEMO_PASSWORD = "kinerja-demo-2026"


@pytest.fixture
def demo(app):
    """The organisation of `flask seed-demo` (without the other domains' demo data)."""
    seed.seed(random.Random(2026), local_today(), hash_password(DEMO_PASSWORD), 150)
    return dict(seed.demo_accounts())


def _nav_labels(page):
    return page.locator("header nav .d-none.d-xl-flex a.nav-link").all_inner_texts()


@pytest.mark.parametrize("role", ["admin", "admin_opd", "penyelenggara", "atasan", "pegawai"])
def test_each_demo_role_signs_in_and_sees_the_right_menu(page, demo, role):
    account = demo[role]
    sign_in(page, account.nip, DEMO_PASSWORD)
    page.get_by_role("heading", name=f"Selamat datang, {account.nama}").wait_for()
    labels = [label.strip() for label in _nav_labels(page)]
    assert "Beranda" in labels
    assert ("Admin" in labels) == (role in ("admin", "admin_opd"))
    screenshot(page, f"accounts-dashboard-{role}")
    page.get_by_role("button", name="Keluar").first.click()
    page.get_by_text("Anda telah keluar.").wait_for()


def test_admin_pages_are_accessible_and_find_a_pegawai(page, demo):
    page.goto("/masuk")
    assert_accessible(page, "login")
    sign_in(page, demo["admin"].email, DEMO_PASSWORD)
    page.get_by_role("heading", name=f"Selamat datang, {demo['admin'].nama}").wait_for()
    assert_accessible(page, "dashboard")
    page.goto("/admin/")
    assert_accessible(page, "admin index")
    screenshot(page, "accounts-admin-index")
    page.goto("/admin/pegawai")
    page.get_by_label("NIP atau nama").fill(demo["pegawai"].nip[:14])
    page.get_by_role("link", name=demo["pegawai"].nama).wait_for()
    assert_accessible(page, "admin pegawai")
    screenshot(page, "accounts-admin-pegawai")
    page.get_by_role("link", name=demo["pegawai"].nama).click()
    page.get_by_role("heading", name=demo["pegawai"].nama).wait_for()
    assert_accessible(page, "admin pegawai edit")
    screenshot(page, "accounts-admin-pegawai-edit")
    for path, name in [
        ("/admin/unit", "units"),
        ("/admin/impor", "import"),
        ("/admin/pengaturan", "settings"),
        ("/admin/log-audit", "audit"),
        ("/admin/peran", "roles"),
    ]:
        page.goto(path)
        assert_accessible(page, name)
        screenshot(page, f"accounts-admin-{name}")
    assert page.console_errors == []


def test_pegawai_changes_password_and_signs_in_with_the_new_one(page, demo):
    account = demo["pegawai"]
    sign_in(page, account.nip, DEMO_PASSWORD)
    page.goto("/profil")
    page.get_by_role("heading", name="Profil").wait_for()
    assert page.get_by_text(demo["atasan"].nama).count() >= 1
    assert_accessible(page, "profile")
    screenshot(page, "accounts-profile")
    page.get_by_role("link", name="Ganti kata sandi").click()
    page.get_by_label("Kata sandi saat ini").fill(DEMO_PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill("indonesia123")
    page.get_by_label("Ulangi kata sandi baru").fill("indonesia123")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Kata sandi ini terlalu umum dan mudah ditebak.").wait_for()
    screenshot(page, "accounts-change-password-refused")
    page.get_by_label("Kata sandi saat ini").fill(DEMO_PASSWORD)
    page.get_by_label("Kata sandi baru", exact=True).fill("layang-layang di pantai sore")
    page.get_by_label("Ulangi kata sandi baru").fill("layang-layang di pantai sore")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Kata sandi Anda telah diganti.").wait_for()
    page.get_by_role("button", name="Keluar").first.click()
    sign_in(page, account.nip, "layang-layang di pantai sore")
    page.get_by_role("heading", name=f"Selamat datang, {account.nama}").wait_for()


def test_atasan_profile_lists_subordinates(page, demo):
    sign_in(page, demo["atasan"].nip, DEMO_PASSWORD)
    page.goto("/profil")
    page.get_by_text(demo["pegawai"].nama).wait_for()
    assert page.locator("#bawahan + ul li, section[aria-labelledby=bawahan] li").count() == 8


def test_login_works_without_javascript_and_admin_menu_opens_on_a_phone(new_page, demo):
    phone = new_page(javascript=False, phone=True)
    sign_in(phone, demo["admin_opd"].nip, DEMO_PASSWORD)
    phone.get_by_role("heading", name=f"Selamat datang, {demo['admin_opd'].nama}").wait_for()
    phone.get_by_text("Menu").click()
    phone.locator("details.nav-toggle").get_by_role("link", name="Admin").click()
    phone.get_by_role("heading", name="Admin").wait_for()
    screenshot(phone, "accounts-admin-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.goto("/admin/pegawai")
    screenshot(phone, "accounts-admin-pegawai-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_import_in_the_browser_shows_the_report(page, demo, tmp_path):
    bad = tmp_path / "pegawai.csv"
    bad.write_text("nip,nama,unit_kode\n199002302015031001,Budi Santoso,DISDIK\n", encoding="utf-8")
    sign_in(page, demo["admin"].nip, DEMO_PASSWORD)
    page.goto("/admin/impor")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(bad))
    page.get_by_role("button", name="Periksa dan impor").click()
    page.get_by_text("Tanggal lahir pada NIP tidak valid.").wait_for()
    assert_accessible(page, "import report")
    screenshot(page, "accounts-import-report")


def _big_file(tmp_path):
    from tests.org.test_import import _big_rows

    rows = _big_rows(3000)
    lines = ["nip,nama,email,status,golongan,jenis_jabatan,jabatan,unit_kode,unit_nama,atasan_nip"]
    lines += [",".join(row[:10]) for row in rows]
    path = tmp_path / "ekspor-simpeg.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_large_import_shows_progress_and_a_clean_report(page, demo, tmp_path, queued_jobs):
    path = _big_file(tmp_path)
    polled = []
    page.on(
        "request",
        lambda request: polled.append(request.url) if "/progres/" in request.url else None,
    )
    sign_in(page, demo["admin"].nip, DEMO_PASSWORD)
    page.goto("/admin/impor")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(path))
    page.get_by_role("button", name="Periksa dan impor").click()
    page.get_by_text("Membaca berkas…").wait_for()  # queued: the job's page, polling
    assert "/admin/impor/progres/" in page.url  # the address of the job's page (HX-Push-Url)
    screenshot(page, "accounts-import-queued")
    queued_jobs()  # the consumer imports the file
    page.get_by_text("Impor selesai").wait_for(timeout=60000)
    page.get_by_text("3.000 baru").wait_for()
    screenshot(page, "accounts-import-done")
    assert polled, "the page polled the progress of the import"
    assert_accessible(page, "import done")


def test_an_import_without_javascript_ends_on_its_page_with_a_refresh_link(
    page_nojs, demo, tmp_path, queued_jobs
):
    page = page_nojs
    sign_in(page, demo["admin"].nip, DEMO_PASSWORD)
    page.goto("/admin/impor")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(_big_file(tmp_path)))
    page.get_by_role("button", name="Periksa dan impor").click()
    page.get_by_text("Membaca berkas…").wait_for()
    assert "/admin/impor/progres/" in page.url
    queued_jobs()
    page.get_by_role("link", name="Muat ulang").click()
    page.get_by_text("3.000 baru").wait_for()
    screenshot(page, "accounts-import-done-nojs")


def test_admin_fixes_an_atasan_and_sees_it_in_the_audit_log(page, demo):
    from portal.org.services import supervisor_chain

    kepala = supervisor_chain(demo["pegawai"])[-1]
    sign_in(page, demo["admin"].nip, DEMO_PASSWORD)
    page.goto("/admin/pegawai")
    page.get_by_label("NIP atau nama").fill(demo["pegawai"].nip)
    page.get_by_role("link", name=demo["pegawai"].nama).click()
    page.get_by_label("NIP atasan langsung").fill("1234")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("NIP harus 18 digit").or_(
        page.get_by_text("Tidak ada pegawai dengan NIP")
    ).wait_for()
    page.get_by_label("NIP atasan langsung").fill(kepala.nip)
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text(f"Pegawai {demo['pegawai'].nama} disimpan.").wait_for()
    page.get_by_text(f"Rantai atasan: {kepala.nama}").wait_for()
    page.goto("/admin/log-audit")
    page.get_by_label("Aksi").select_option("employee.update")
    page.get_by_role("button", name="Saring").click()
    page.get_by_role("cell", name="Data pegawai diubah").first.wait_for()
    screenshot(page, "accounts-audit-after-fix")


def test_admin_adds_a_unit_with_htmx_and_sees_errors_in_place(page, demo):
    sign_in(page, demo["admin"].nip, DEMO_PASSWORD)
    page.goto("/admin/unit/baru")
    page.get_by_label("Kode").fill("DISDIK")
    page.get_by_label("Nama", exact=True).fill("Dinas Pendidikan Kedua")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Kode unit DISDIK sudah dipakai.").wait_for()
    page.get_by_label("Kode").fill("DISPORA")
    page.get_by_label("Nama", exact=True).fill("Dinas Pemuda dan Olahraga")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Unit kerja Dinas Pemuda dan Olahraga disimpan.").wait_for()
    assert page.url.endswith("/admin/unit")
    screenshot(page, "accounts-admin-units-after-add")


def test_a_siasn_export_is_mapped_and_imported_without_javascript(new_page, demo, tmp_path):
    export = tmp_path / "siasn.csv"
    export.write_text(
        "NIP BARU;GELAR DEPAN;NAMA;GELAR BELAKANG;UNOR NAMA\n"
        "200012312024211001;;Rudi Hartono;S.T.;Dinas Lingkungan Hidup\n",
        encoding="utf-8",
    )
    nojs = new_page(javascript=False)
    sign_in(nojs, demo["admin"].nip, DEMO_PASSWORD)
    nojs.goto("/admin/impor")
    nojs.get_by_label("Berkas CSV atau XLSX").set_input_files(str(export))
    nojs.get_by_role("button", name="Periksa dan impor").click()
    nojs.get_by_role("heading", name="Cocokkan kolom").wait_for()
    assert nojs.get_by_label("nip", exact=True).input_value() == "nip_baru"
    screenshot(nojs, "accounts-import-mapping")
    nojs.locator("#mapping-form").get_by_role("button", name="Periksa dan impor").click()
    nojs.get_by_text("Impor selesai").wait_for()
    # With JavaScript the step comes in place (htmx), remembered, and passes axe.
    page = new_page()
    sign_in(page, demo["admin"].nip, DEMO_PASSWORD)
    page.goto("/admin/impor")
    page.get_by_label("Berkas CSV atau XLSX").set_input_files(str(export))
    page.get_by_role("button", name="Periksa dan impor").click()
    page.get_by_role("heading", name="Cocokkan kolom").wait_for()
    assert page.get_by_label("gelar_belakang", exact=True).input_value() == "gelar_belakang"
    assert_accessible(page, "import mapping")


def test_forgot_password_says_whom_to_ask_and_the_atasan_resets_it(new_page, demo):
    phone = new_page(phone=True)
    phone.goto("/masuk")
    phone.get_by_role("link", name="Lupa kata sandi?").click()
    phone.get_by_text("Minta atasan langsung Anda").wait_for()
    assert_accessible(phone, "forgot password")
    screenshot(phone, "accounts-forgot-password-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    sign_in(phone, demo["atasan"].nip, DEMO_PASSWORD)
    phone.goto("/profil")
    phone.get_by_role("button", name=f"Atur ulang kata sandi {demo['pegawai'].nama}").click()
    phone.locator("#temporary-password").wait_for()
    screenshot(phone, "accounts-temporary-password-phone")
