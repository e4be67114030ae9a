"""SKP in real Chromium: the pegawai drafts (an RHK serving the atasan's, an indicator) and
submits, the atasan returns it with a note, the pegawai fixes the RHK inline and resubmits, the
atasan approves; once with JavaScript (htmx), once without; at 1280 and 360 px; axe."""

import pytest

from portal.activities.models import Activity
from portal.performance import lifecycle, planning
from portal.performance.models import APPROVED, RETURNED, SUBMITTED, Rhk, Skp
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD

ATASAN_RHK = "Meningkatnya ketepatan waktu penerbitan izin"


@pytest.fixture
def office(app, make_unit, make_employee):
    unit = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    atasan = make_employee(
        nama="Hendra Siregar",
        unit=unit,
        jenis_jabatan="JPT",
        jabatan="Kepala Dinas",
        golongan="IV/c",
    )
    pegawai = make_employee(
        nama="Siti Rahmawati", unit=unit, supervisor=atasan, jabatan="Analis Perizinan"
    )
    admin = make_employee(nama="Admin Pemda", unit=unit, roles=[("admin", None)])
    skp = lifecycle.create_skp(atasan, atasan)
    rhk = planning.add_rhk(
        atasan, skp, planning.RhkInput(uraian=ATASAN_RHK, perspektif="Proses Bisnis")
    )
    planning.add_indicator(
        atasan,
        skp,
        rhk.id,
        planning.IndicatorInput(
            aspek="kuantitas", uraian="Izin terbit tepat waktu", target_angka=95, satuan="persen"
        ),
    )
    lifecycle.submit_skp(atasan, skp)
    lifecycle.approve_skp(admin, skp)
    return {"atasan": atasan, "pegawai": pegawai}


def _status(pegawai):
    return Skp.get(Skp.employee == pegawai.id).status


def _journey(pegawai_page, atasan_page, office, label, javascript):
    pegawai = office["pegawai"]
    # 1. the pegawai creates a draft, adds an RHK serving the atasan's, an indicator, submits
    sign_in(pegawai_page, pegawai.nip, TEST_PASSWORD)
    pegawai_page.goto("/kinerja/skp")
    pegawai_page.get_by_role("button", name="Buat SKP").click()
    pegawai_page.get_by_role("heading", name="Hasil kerja").wait_for()
    add = pegawai_page.locator("form[action$='/rhk']")
    add.get_by_label("Rencana hasil kerja").fill("Terverifikasinya berkas izin tepat waktu")
    add.get_by_label("RHK atasan yang diintervensi").select_option(label=ATASAN_RHK)
    add.get_by_role("button", name="Tambah").click()
    card = pegawai_page.locator(".rhk-list li", has_text="Terverifikasinya berkas izin")
    card.wait_for()
    card.locator("summary").click()
    indicator = card.locator("form[action$='/indikator']")
    indicator.get_by_label("Aspek").select_option("kuantitas")
    indicator.get_by_label("Indikator").fill("Berkas terverifikasi")
    indicator.get_by_label("Target (angka)").fill("240")
    indicator.get_by_label("Satuan").fill("berkas")
    indicator.get_by_role("button", name="Tambah indikator").click()
    pegawai_page.get_by_role("cell", name="Berkas terverifikasi", exact=True).wait_for()
    screenshot(pegawai_page, f"performance-{label}-1-draft")
    if javascript:  # axe runs as a script
        assert_accessible(pegawai_page, "draft")
    pegawai_page.get_by_role("button", name="Ajukan").click()
    pegawai_page.locator(".badge", has_text="Diajukan").first.wait_for()
    assert _status(pegawai) == SUBMITTED

    # 2. the atasan returns it with a note
    sign_in(atasan_page, office["atasan"].nip, TEST_PASSWORD)
    atasan_page.goto("/kinerja/skp")
    atasan_page.get_by_role("link", name=pegawai.nama).click()
    atasan_page.get_by_role("heading", name="Keputusan").wait_for()
    if javascript:
        assert_accessible(atasan_page, "decision")
    screenshot(atasan_page, f"performance-{label}-2-decision")
    atasan_page.get_by_label("Catatan (yang harus diperbaiki)").fill("Sebutkan batas waktunya.")
    atasan_page.get_by_role("button", name="Kembalikan untuk Revisi").click()
    atasan_page.locator(".badge", has_text="Dikembalikan").first.wait_for()
    assert _status(pegawai) == RETURNED

    # 3. the pegawai sees the note, edits the RHK inline and resubmits
    pegawai_page.reload()
    pegawai_page.get_by_text("Sebutkan batas waktunya.").wait_for()
    pegawai_page.get_by_role("link", name="Ubah").first.click()
    edit = pegawai_page.locator("form[action*='/rhk/']").filter(
        has=pegawai_page.get_by_role("button", name="Simpan")
    )
    edit.get_by_label("Rencana hasil kerja").fill("Terverifikasinya berkas izin dalam 3 hari kerja")
    edit.get_by_role("button", name="Simpan").click()
    pegawai_page.locator("p", has_text="Terverifikasinya berkas izin dalam 3 hari kerja").wait_for()
    screenshot(pegawai_page, f"performance-{label}-3-fixed")
    pegawai_page.get_by_role("button", name="Ajukan").click()
    pegawai_page.locator(".badge", has_text="Diajukan").first.wait_for()

    # 4. the atasan approves
    atasan_page.reload()
    atasan_page.get_by_role("button", name="Setujui").click()
    atasan_page.locator(".badge", has_text="Disetujui").first.wait_for()
    assert _status(pegawai) == APPROVED
    screenshot(atasan_page, f"performance-{label}-4-approved")
    atasan_page.goto("/kinerja/pohon")
    atasan_page.locator(".pohon-node", has_text="dalam 3 hari kerja").wait_for()
    screenshot(atasan_page, f"performance-{label}-5-pohon")

    # 5. the pegawai logs a day's work against the approved RHK
    _log_entry_against_rhk(pegawai_page, "Verifikasi 12 berkas izin reklame")
    screenshot(pegawai_page, f"performance-{label}-6-entry")
    assert javascript or pegawai_page.console_errors == []


PEGAWAI_RHK = "Terverifikasinya berkas izin dalam 3 hari kerja"


def _log_entry_against_rhk(page, uraian, rhk=PEGAWAI_RHK):
    page.goto("/kegiatan")
    form = page.locator("form.entry-form")
    form.get_by_label("Uraian kegiatan").fill(uraian)
    form.get_by_label("RHK yang didukung (Rencana Hasil Kerja)").select_option(label=rhk)
    form.get_by_role("button", name="Tambah", exact=True).click()
    entry = page.locator("li.entry", has_text=uraian)
    entry.locator(".entry-rhk", has_text=rhk).wait_for()
    # The add form is ready for the next entry (htmx: reset by the page's script; without
    # JavaScript: the page after the redirect).
    assert form.get_by_label("Uraian kegiatan").input_value() == ""
    assert form.get_by_label("Jam mulai").input_value() == "08:30"
    page.locator("#day-total", has_text="1 jam").wait_for()
    row = Activity.get(Activity.uraian == uraian)
    assert row.rhk_id == Rhk.get(Rhk.uraian == rhk).id


def test_skp_journey_with_javascript(page, new_page, office):
    _journey(page, new_page(), office, "js", javascript=True)
    assert page.console_errors == []


def test_skp_journey_without_javascript(page_nojs, new_page, office):
    _journey(page_nojs, new_page(javascript=False), office, "nojs", javascript=False)


def test_skp_page_on_a_phone(phone_page, office):
    pegawai = office["pegawai"]
    lifecycle.create_skp(pegawai, pegawai)
    sign_in(phone_page, pegawai.nip, TEST_PASSWORD)
    phone_page.goto("/kinerja/skp")
    phone_page.get_by_role("link", name="SKP 2026").first.click()
    phone_page.get_by_role("heading", name="Hasil kerja").wait_for()
    assert_accessible(phone_page, "phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 370, width
    screenshot(phone_page, "performance-phone-draft")
    phone_page.goto("/kinerja/pohon")
    screenshot(phone_page, "performance-phone-pohon")


def test_pegawai_logs_an_entry_against_an_rhk_on_a_phone(phone_page, office):
    pegawai, atasan = office["pegawai"], office["atasan"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    parent = Rhk.get(Rhk.uraian == ATASAN_RHK)
    rhk = planning.add_rhk(
        pegawai, skp, planning.RhkInput(uraian=PEGAWAI_RHK, intervenes_id=parent.id)
    )
    planning.add_indicator(
        pegawai,
        skp,
        rhk.id,
        planning.IndicatorInput(aspek="kualitatif", uraian="Berkas", target_uraian="Tepat waktu"),
    )
    lifecycle.submit_skp(pegawai, skp)
    lifecycle.approve_skp(atasan, skp)
    sign_in(phone_page, pegawai.nip, TEST_PASSWORD)
    _log_entry_against_rhk(phone_page, "Verifikasi berkas izin usaha mikro")
    assert_accessible(phone_page, "entry with rhk")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 370, width
    screenshot(phone_page, "performance-phone-entry-rhk")
    phone_page.goto("/kegiatan/bulan")
    phone_page.locator(".rhk-totals", has_text=PEGAWAI_RHK).wait_for()
    screenshot(phone_page, "performance-phone-month-rhk")
