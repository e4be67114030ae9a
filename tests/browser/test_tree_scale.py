"""The monitoring's lists and the pohon's drill-down in real Chromium, at 1280 and 360 px: the
tabs and the page links swap only the list with htmx and are plain links without JavaScript;
the pohon opens below its last level and leads back up by its breadcrumb; axe."""

import pytest

from portal.performance import lifecycle, planning, tree
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def office(app, make_unit, make_employee):
    unit = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    kepala = make_employee(
        nama="Hendra Siregar", unit=unit, jenis_jabatan="JPT", jabatan="Kepala Dinas"
    )
    kabid = make_employee(
        nama="Rudi Hartono",
        unit=unit,
        supervisor=kepala,
        jenis_jabatan="Administrator",
        jabatan="Kepala Bidang Perizinan",
    )
    staff = [
        make_employee(nama=f"Staf Perizinan {n:02d}", unit=unit, supervisor=kabid)
        for n in range(60)
    ]
    admin = make_employee(nama="Admin Pemda", unit=unit, roles=[("admin", None)])
    skp = lifecycle.create_skp(kepala, kepala)
    rhk = planning.add_rhk(
        kepala,
        skp,
        planning.RhkInput(uraian="Meningkatnya layanan izin", perspektif="Proses Bisnis"),
    )
    planning.add_indicator(
        kepala, skp, rhk.id, planning.IndicatorInput(uraian="Izin tepat waktu", target_uraian="95%")
    )
    lifecycle.submit_skp(kepala, skp)
    lifecycle.approve_skp(admin, skp)
    return {"unit": unit, "admin": admin, "kepala": kepala, "kabid": kabid, "staff": staff}


def _monitoring(page, office, label, javascript):
    sign_in(page, office["admin"].nip, TEST_PASSWORD)
    page.goto(f"/kinerja/monitoring?unit={office['unit'].id}&tahun=2026")
    listed = page.locator("#monitoring-list li", has_text="Staf Perizinan")
    assert listed.count() == tree.LIST_SIZE - 2  # the admin and the kabid come first by name
    page.get_by_role("link", name="2", exact=True).click()
    page.locator("#monitoring-list li", has_text="Staf Perizinan 59").wait_for()
    assert "page=2" in page.url
    page.get_by_role("link", name="Menunggu SKP atasan").click()
    page.locator("#monitoring-list td", has_text="Rudi Hartono (Belum ada SKP)").first.wait_for()
    assert "daftar=menunggu" in page.url
    if javascript:  # axe runs in the page's JavaScript
        assert_accessible(page, f"monitoring-{label}")
    screenshot(page, f"monitoring-{label}")


def test_monitoring_lists_with_javascript(page, office):
    _monitoring(page, office, "js", javascript=True)
    assert page.console_errors == []


def test_monitoring_lists_without_javascript(page_nojs, office):
    _monitoring(page_nojs, office, "nojs", javascript=False)


def test_monitoring_and_pohon_on_a_phone(phone_page, office, monkeypatch):
    monkeypatch.setattr(tree, "LEVELS", 2)
    sign_in(phone_page, office["admin"].nip, TEST_PASSWORD)
    phone_page.goto(f"/kinerja/monitoring?unit={office['unit'].id}&tahun=2026")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 370, width
    screenshot(phone_page, "monitoring-phone")
    phone_page.goto(f"/kinerja/pohon?unit={office['unit'].id}&tahun=2026")
    # the kabid (the last level shown) has no SKP: the list of who lacks one opens below him
    phone_page.get_by_role("link", name="Buka pohon di bawah Rudi Hartono (60 pegawai)").click()
    crumbs = phone_page.get_by_role("navigation", name="Pohon dari")
    crumbs.get_by_role("link", name="Hendra Siregar").wait_for()
    assert f"dari={office['kabid'].id}" in phone_page.url
    phone_page.get_by_text("Staf Perizinan 00").wait_for()
    assert_accessible(phone_page, "pohon-phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 370, width
    screenshot(phone_page, "pohon-phone")
