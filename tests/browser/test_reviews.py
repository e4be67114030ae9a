"""Verifikasi in real Chromium: the whole journey (the pegawai submits on the activities page,
the atasan bulk-approves some and returns one with a note, the pegawai sees the note, fixes and
resubmits, the atasan approves), the no-JavaScript confirmation, the phone layout."""

import re
from datetime import time

import pytest

from portal.activities.models import DRAFT, SUBMITTED, Activity
from portal.clock import local_today
from portal.db import utcnow
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD

URAIAN = [
    ("08:00", "09:00", "Menyusun daftar hadir apel pagi"),
    ("09:00", "10:30", "Memverifikasi berkas usulan kenaikan pangkat"),
    ("10:30", "12:00", "Menginput data SKP ke aplikasi"),
]


def _t(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def _entry(employee, start, end, uraian, status=DRAFT):
    start_t, end_t = _t(start), _t(end)
    minutes = (end_t.hour * 60 + end_t.minute) - (start_t.hour * 60 + start_t.minute)
    return Activity.create(
        employee=employee,
        tanggal=local_today(),
        jam_mulai=start_t,
        jam_selesai=end_t,
        minutes=minutes,
        uraian=uraian,
        volume=1,
        satuan="dokumen",
        status=status,
        submitted_at=None if status == DRAFT else utcnow(),
    )


@pytest.fixture
def office(app, make_unit, make_employee):
    unit = make_unit(nama="Badan Kepegawaian dan Pengembangan SDM")
    atasan = make_employee(nama="Hendra Siregar", unit=unit, jabatan="Kepala Bidang Mutasi")
    pegawai = make_employee(nama="Siti Rahmawati", unit=unit, supervisor=atasan)
    rekan = make_employee(nama="Andi Pratama", unit=unit, supervisor=atasan)
    drafts = [_entry(pegawai, *row) for row in URAIAN]
    others = [
        _entry(rekan, "07:30", "09:00", "Mengarsipkan surat masuk", SUBMITTED),
        _entry(rekan, "09:00", "11:00", "Melayani konsultasi cuti pegawai", SUBMITTED),
    ]
    return {
        "atasan": atasan,
        "pegawai": pegawai,
        "rekan": rekan,
        "drafts": drafts,
        "others": others,
    }


def _status(entry):
    return Activity.get_by_id(entry.id).status


def test_verification_journey(page, new_page, office):
    pegawai_page = page
    first, second, third = office["drafts"]
    # 1. the pegawai submits the day on the activities page
    sign_in(pegawai_page, office["pegawai"].nip, TEST_PASSWORD)
    pegawai_page.goto("/kegiatan")
    pegawai_page.get_by_role("button", name="Ajukan", exact=True).click()
    pegawai_page.locator(f"#entri-{third.id}").locator(".badge", has_text="Diajukan").wait_for()
    assert {_status(e) for e in office["drafts"]} == {SUBMITTED}
    screenshot(pegawai_page, "reviews-1-pegawai-submitted")

    # 2. the atasan sees the queue grouped by pegawai and day
    atasan_page = new_page()
    atasan_page.on("dialog", lambda dialog: dialog.accept())
    sign_in(atasan_page, office["atasan"].email, TEST_PASSWORD)
    badge = atasan_page.locator(".navbar-nav .nav-link", has_text="Verifikasi").first
    assert "5" in badge.text_content()
    atasan_page.goto("/verifikasi")
    atasan_page.get_by_role("heading", name="Siti Rahmawati").wait_for()
    assert_accessible(atasan_page, "queue")
    screenshot(atasan_page, "reviews-2-queue")

    # 3. bulk approval of a selection (htmx, confirmed) and of the colleague's whole day
    atasan_page.get_by_label(f"Pilih: {first.uraian}").check()
    atasan_page.get_by_label(f"Pilih: {second.uraian}").check()
    atasan_page.get_by_role("button", name="Setujui yang dipilih").click()
    atasan_page.get_by_text("2 kegiatan disetujui.").wait_for()
    atasan_page.get_by_role("button", name="Setujui hari", exact=False).filter(
        has_text="(2)"
    ).click()
    atasan_page.get_by_role("heading", name="Andi Pratama").wait_for(state="detached")
    assert [_status(e) for e in office["drafts"]] == ["disetujui", "disetujui", SUBMITTED]
    assert {_status(e) for e in office["others"]} == {"disetujui"}
    screenshot(atasan_page, "reviews-3-after-bulk")

    # 4. the atasan returns the third entry with a note
    atasan_page.get_by_role("link", name=re.compile(f"Periksa.*{third.uraian}")).click()
    atasan_page.get_by_role("heading", name="Keputusan").wait_for()
    assert_accessible(atasan_page, "entry")
    note = "Mohon cantumkan nama aplikasi dan jumlah data yang diinput."
    atasan_page.get_by_label("Catatan untuk pegawai").fill(note)
    screenshot(atasan_page, "reviews-4-entry-decision")
    atasan_page.get_by_role("button", name="Kembalikan untuk Revisi").click()
    atasan_page.get_by_text("1 kegiatan dikembalikan untuk revisi.").wait_for()
    assert _status(third) == "perlu_revisi"

    # 5. the pegawai sees the notice and the note, fixes the entry and submits again
    pegawai_page.goto("/notifikasi")
    pegawai_page.get_by_text("mengembalikan kegiatan Anda").first.wait_for()
    assert_accessible(pegawai_page, "notifications")
    screenshot(pegawai_page, "reviews-5-notifications")
    pegawai_page.goto("/kegiatan")
    returned = pegawai_page.locator(f"#entri-{third.id}")
    returned.get_by_role("note").filter(has_text=note).wait_for()
    screenshot(pegawai_page, "reviews-6-pegawai-sees-note")
    returned.get_by_role("link", name="Ubah").click()
    editing = pegawai_page.locator(f"#entri-{third.id}.editing")
    editing.get_by_label("Uraian kegiatan").fill("Menginput 24 data SKP ke aplikasi e-Kinerja")
    editing.get_by_role("button", name="Simpan", exact=True).click()
    pegawai_page.get_by_text("Menginput 24 data SKP ke aplikasi e-Kinerja").wait_for()
    pegawai_page.get_by_role("button", name="Ajukan", exact=True).click()
    pegawai_page.locator(f"#entri-{third.id}").locator(".badge", has_text="Diajukan").wait_for()
    assert _status(third) == SUBMITTED

    # 6. the atasan approves the fixed entry from its page
    atasan_page.goto("/verifikasi")
    atasan_page.get_by_role("link", name=re.compile("Periksa.*Menginput 24 data SKP")).click()
    atasan_page.get_by_role("button", name="Setujui", exact=True).click()
    atasan_page.get_by_text("1 kegiatan disetujui.").wait_for()
    atasan_page.get_by_text("Tidak ada kegiatan yang menunggu verifikasi Anda.").wait_for()
    assert _status(third) == "disetujui"

    # 7. the pegawai's entry page tells who decided, when and why
    pegawai_page.goto(f"/verifikasi/kegiatan/{third.id}")
    pegawai_page.get_by_text("oleh Hendra Siregar").wait_for()
    pegawai_page.locator(".history").get_by_text(note).wait_for()  # the return note stays
    assert_accessible(pegawai_page, "entry-pegawai")
    screenshot(pegawai_page, "reviews-7-entry-history")
    assert pegawai_page.console_errors == [] and atasan_page.console_errors == []


def test_bulk_approval_without_javascript_has_a_confirmation_page(page_nojs, office):
    for entry in office["drafts"]:
        Activity.update(status=SUBMITTED).where(Activity.id == entry.id).execute()
    sign_in(page_nojs, office["atasan"].nip, TEST_PASSWORD)
    page_nojs.goto("/verifikasi")
    page_nojs.get_by_role("button", name="Setujui semua yang ditampilkan (5)").click()
    page_nojs.get_by_role("heading", name="Konfirmasi persetujuan").wait_for()
    screenshot(page_nojs, "reviews-nojs-confirm")
    page_nojs.get_by_role("button", name="Setujui", exact=True).click()
    page_nojs.get_by_text("5 kegiatan disetujui.").wait_for()
    assert Activity.select().where(Activity.status == "disetujui").count() == 5


def test_queue_and_entry_fit_a_phone(new_page, office):
    phone = new_page(phone=True)
    for entry in office["drafts"]:
        Activity.update(status=SUBMITTED).where(Activity.id == entry.id).execute()
    sign_in(phone, office["atasan"].nip, TEST_PASSWORD)
    phone.goto("/verifikasi")
    phone.get_by_role("heading", name="Siti Rahmawati").wait_for()
    screenshot(phone, "reviews-phone-queue")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.goto(f"/verifikasi/kegiatan/{office['drafts'][0].id}")
    screenshot(phone, "reviews-phone-entry")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.goto("/verifikasi/plh")
    assert_accessible(phone, "acting")
    screenshot(phone, "reviews-phone-acting")


def test_on_a_360px_phone_the_atasan_reaches_an_entry_through_periksa(new_page, office):
    phone = new_page(phone=True)
    waiting = office["others"][1]
    sign_in(phone, office["atasan"].nip, TEST_PASSWORD)
    phone.goto("/verifikasi")
    phone.get_by_role("heading", name="Andi Pratama").wait_for()
    review = phone.get_by_role("link", name=re.compile(r"^Periksa\s*: Melayani konsultasi"))
    review.wait_for()
    box = review.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    overflowing = phone.evaluate(
        "[...document.querySelectorAll('.queue .table-responsive')]"
        ".filter(e => e.scrollWidth > e.clientWidth).length"
    )
    assert overflowing == 0
    assert_accessible(phone, "queue at 360 px")
    screenshot(phone, "reviews-phone-queue-cards")
    review.click()
    phone.wait_for_url(f"**/verifikasi/kegiatan/{waiting.id}")
    phone.get_by_text("Melayani konsultasi cuti pegawai").first.wait_for()
