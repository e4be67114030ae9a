"""Dialog publik in real Chromium: the organiser announces, a citizen on a 360 px phone
registers and asks, the organiser approves, the question appears; results and follow-ups are
published; every public page is axe-clean; registration works without JavaScript."""

from datetime import timedelta

import pytest

from portal.clock import local_today
from portal.db import utcnow
from portal.dialogs.models import ANNOUNCED, DONE, Dialog, Question
from portal.org.models import ROLE_PENYELENGGARA
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD


@pytest.fixture
def unit(app, make_unit):
    return make_unit(nama="Dinas Kependudukan dan Pencatatan Sipil")


@pytest.fixture
def organizer(make_employee, unit):
    return make_employee(nama="Rina Wulandari", unit=unit, roles=[(ROLE_PENYELENGGARA, unit)])


def _dialog(unit, organizer, status=ANNOUNCED, days=5, **fields):
    starts = utcnow().replace(microsecond=0, second=0) + timedelta(days=days)
    values = {
        "judul": "Dialog Publik Layanan Adminduk Jemput Bola",
        "topik": "Kependudukan",
        "layanan": "Perekaman KTP-el dan penerbitan Kartu Keluarga di kelurahan",
        "deskripsi": "Masyarakat diundang memberi masukan tentang layanan jemput bola.",
        "unit": unit,
        "tempat": "Kantor Camat Ilir Barat I",
        "alamat": "Jl. Demang Lebar Daun No. 4",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "kuota": 50,
        "unsur_peserta": "RT/RW, tokoh masyarakat, penyandang disabilitas",
        "status": status,
        "created_by": organizer,
        "announced_at": utcnow() - timedelta(days=3),
    }
    values.update(fields)
    return Dialog.create(**values)


def _fits_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_organizer_announces_and_citizen_on_phone_registers_and_asks(page, phone_page, organizer):
    sign_in(page, organizer.nip, TEST_PASSWORD)
    page.goto("/dialog-publik/kelola")
    page.get_by_role("link", name="Tambah Dialog").click()
    page.get_by_label("Judul").fill("Forum Konsultasi Publik Standar Pelayanan Adminduk")
    page.get_by_label("Topik").select_option("Kependudukan")
    page.get_by_label("Layanan atau kebijakan yang dibahas").fill("Standar pelayanan KTP-el")
    day = (local_today() + timedelta(days=7)).isoformat()
    page.get_by_label("Tanggal", exact=True).fill(day)
    page.get_by_label("Jam mulai").fill("09:00")
    page.get_by_label("Jam selesai").fill("11:30")
    page.get_by_label("Tempat", exact=True).fill("Aula Disdukcapil")
    page.get_by_label("Kuota peserta (opsional)").fill("40")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Dialog disimpan sebagai draf.").wait_for()
    page.get_by_role("button", name="Umumkan").click()
    page.get_by_text("Status dialog sekarang: Diumumkan.").wait_for()
    assert_accessible(page, "dialog manage")
    screenshot(page, "dialogs-organizer-announced")
    dialog = Dialog.get()

    phone = phone_page
    phone.emulate_media(reduced_motion="reduce")  # no colour transitions while axe measures
    phone.goto("/dialog-publik/")
    phone.get_by_role("heading", name="Dialog Publik", exact=True).wait_for()
    assert_accessible(phone, "dialog list phone")
    screenshot(phone, "dialogs-list-phone")
    _fits_phone(phone)
    phone.get_by_role("link", name="Forum Konsultasi Publik Standar Pelayanan Adminduk").click()
    phone.get_by_role("heading", name="Pendaftaran").wait_for()
    assert_accessible(phone, "dialog detail phone")
    _fits_phone(phone)
    phone.get_by_label("Nama lengkap").fill("Siti Aminah")
    phone.get_by_label("Nomor telepon/WhatsApp atau e-mail").fill("0812 7788 9900")
    phone.get_by_label("Saya telah membaca dan menyetujui pemberitahuan privasi").check()
    phone.get_by_role("button", name="Daftar", exact=True).click()
    phone.get_by_role("heading", name="Anda terdaftar.").wait_for()
    phone.get_by_text("Kode pendaftaran Anda").wait_for()
    code = dialog.registrations.get().code
    assert code in phone.content()
    assert_accessible(phone, "registration confirmation phone")
    screenshot(phone, "dialogs-registered-phone")
    _fits_phone(phone)
    phone.reload()  # the code is not a one-time message
    assert code in phone.content()
    phone.get_by_role("link", name="Kembali ke dialog").click()
    phone.get_by_role("heading", name="Pendaftaran").wait_for()
    assert code in phone.content()
    phone.get_by_label("Nama Anda", exact=True).fill("Siti Aminah")
    phone.get_by_label("Pertanyaan atau masukan").fill(
        "Apakah perekaman KTP-el bisa dilakukan di rumah untuk lansia yang sakit?"
    )
    phone.get_by_role("button", name="Kirim").click()
    phone.get_by_text("akan tampil setelah dimoderasi").wait_for()
    assert "bisa dilakukan di rumah" not in phone.locator("#daftar-pertanyaan").inner_text()
    screenshot(phone, "dialogs-detail-phone-after-question")

    page.goto(f"/dialog-publik/kelola/{dialog.id}")
    page.get_by_text("bisa dilakukan di rumah").wait_for()
    page.get_by_role("button", name="Setujui").click()
    page.get_by_text("Pertanyaan disetujui").wait_for()

    phone.goto(f"/dialog-publik/{dialog.id}")
    question = phone.locator("#daftar-pertanyaan")
    question.get_by_text("bisa dilakukan di rumah").wait_for()
    question.get_by_role("button", name="Dukung").click()
    question.get_by_text("1", exact=True).wait_for()
    assert_accessible(phone, "dialog detail with question")
    screenshot(phone, "dialogs-detail-phone-question-approved")
    _fits_phone(phone)
    assert page.console_errors == [] and phone.console_errors == []


def test_minutes_and_follow_ups_are_published_and_tracked(
    page, new_page, organizer, unit, make_unit
):
    dialog = _dialog(unit, organizer, status=DONE, days=-2)
    owner = make_unit(nama="Dinas Komunikasi dan Informatika")
    sign_in(page, organizer.nip, TEST_PASSWORD)
    page.goto(f"/dialog-publik/kelola/{dialog.id}")
    page.get_by_label("Notulen / berita acara").fill(
        "Forum dihadiri warga tiga kelurahan.\nKesepakatan: jadwal jemput bola diumumkan."
    )
    page.get_by_label("Jumlah hadir").fill("62")
    page.get_by_label("Masyarakat hadir").fill("41")
    page.get_by_role("button", name="Simpan Notulen").click()
    page.get_by_text("Notulen disimpan.").wait_for()
    for text, unit_name, due in (
        ("Menjadwalkan jemput bola KTP-el di setiap kelurahan", unit.nama, "2026-12-31"),
        ("Membuat kanal WhatsApp informasi jadwal layanan", owner.nama, "2027-01-31"),
    ):
        page.get_by_label("Komitmen tindak lanjut").fill(text)
        page.get_by_label("Unit penanggung jawab").select_option(label=unit_name)
        page.get_by_label("Tenggat waktu").fill(due)
        page.get_by_role("button", name="Tambah", exact=True).click()
        page.get_by_text("Tindak lanjut telah ditambahkan.").wait_for()
    page.get_by_role("button", name="Publikasikan Hasil").click()
    page.get_by_text("Hasil dialog telah dipublikasikan.").wait_for()
    first = page.locator("#tindak-lanjut .card").filter(has_text="jemput bola KTP-el")
    first.get_by_label("Status").select_option(label="Selesai")
    first.get_by_label("Catatan perkembangan").fill("Jadwal terbit untuk 12 kelurahan")
    first.get_by_role("button", name="Simpan").click()
    page.get_by_text("Status tindak lanjut telah diperbarui.").wait_for()
    screenshot(page, "dialogs-organizer-results")

    citizen = new_page(phone=True)
    citizen.goto(f"/dialog-publik/{dialog.id}")
    citizen.get_by_role("heading", name="Hasil dialog").wait_for()
    tracker = citizen.locator("#tindak-lanjut")
    assert "1 dari 2 selesai" in tracker.inner_text()
    assert "Jadwal terbit untuk 12 kelurahan" in tracker.inner_text()
    assert "Hadir: 62 orang, di antaranya 41 masyarakat." in citizen.content()
    assert_accessible(citizen, "dialog results phone")
    screenshot(citizen, "dialogs-results-phone")
    _fits_phone(citizen)
    citizen.get_by_role("link", name="Nilai layanan yang dibahas").click()
    assert_accessible(citizen, "survey form phone")
    screenshot(citizen, "dialogs-survey-form-phone")
    _fits_phone(citizen)
    unsur = [
        "Persyaratan",
        "Sistem, Mekanisme, dan Prosedur",
        "Waktu Penyelesaian",
        "Biaya/Tarif",
        "Produk Spesifikasi Jenis Pelayanan",
        "Kompetensi Pelaksana",
        "Perilaku Pelaksana",
        "Penanganan Pengaduan, Saran dan Masukan",
        "Sarana dan Prasarana",
    ]
    for name, value in zip(unsur, [4, 3, 4, 4, 3, 3, 4, 4, 3], strict=True):
        group = citizen.get_by_role("group", name=name)
        group.get_by_label({3: "Baik", 4: "Sangat Baik"}[value], exact=True).check()
    citizen.get_by_role("button", name="Kirim").click()
    citizen.get_by_text("Terima kasih telah mengisi survei kepuasan.").wait_for()
    assert "dari 1 responden" in citizen.content()
    assert_accessible(citizen, "dialog survey phone")
    screenshot(citizen, "dialogs-survey-phone")
    _fits_phone(citizen)
    citizen.emulate_media(media="print")
    screenshot(citizen, "dialogs-results-print")


def test_registration_works_without_javascript(page_nojs, organizer, unit):
    dialog = _dialog(unit, organizer)
    page_nojs.goto(f"/dialog-publik/{dialog.id}")
    page_nojs.get_by_label("Nama lengkap").fill("Budi Hartono")
    page_nojs.get_by_label("Nomor telepon/WhatsApp atau e-mail").fill("budi@example.id")
    page_nojs.get_by_role("button", name="Daftar", exact=True).click()
    page_nojs.get_by_text("Setujui pemberitahuan privasi untuk mendaftar.").first.wait_for()
    assert page_nojs.get_by_label("Nama lengkap").input_value() == "Budi Hartono"
    page_nojs.get_by_label("Saya telah membaca dan menyetujui pemberitahuan privasi").check()
    page_nojs.get_by_role("button", name="Daftar", exact=True).click()
    page_nojs.get_by_text("Kode pendaftaran Anda").wait_for()
    assert dialog.registrations.count() == 1


def test_other_public_pages_are_accessible(page, phone_page, organizer, unit):
    cancelled = _dialog(
        unit, organizer, status="dibatalkan", notice="Dibatalkan karena lokasi terdampak banjir."
    )
    past = _dialog(
        unit,
        organizer,
        status="hasil_dipublikasikan",
        days=-20,
        notulen="Notulen singkat.",
        hadir_total=30,
        hadir_masyarakat=20,
    )
    Question.create(dialog=past, nama="Budi", teks="Pertanyaan lama", status="disetujui")
    for path, name in (
        (f"/dialog-publik/{cancelled.id}", "dialogs-cancelled"),
        ("/dialog-publik/?waktu=lalu", "dialogs-list-past"),
        ("/dialog-publik/privasi", "dialogs-privacy"),
    ):
        for browser_page, suffix in ((page, "desktop"), (phone_page, "phone")):
            browser_page.goto(path)
            assert_accessible(browser_page, path)
            screenshot(browser_page, f"{name}-{suffix}")
    phone_page.goto(f"/dialog-publik/{cancelled.id}")
    phone_page.get_by_text("Dibatalkan karena lokasi terdampak banjir.").wait_for()
    _fits_phone(phone_page)


def test_organiser_pages_work_on_a_phone(new_page, organizer, unit):
    dialog = _dialog(unit, organizer)
    Question.create(dialog=dialog, nama="Budi", teks="Apakah <b>ada</b> biaya?")
    Question.create(dialog=dialog, nama="Sari", teks="Berapa lama?", status="disetujui")
    phone = new_page(phone=True)
    phone.emulate_media(reduced_motion="reduce")
    sign_in(phone, organizer.nip, TEST_PASSWORD)
    phone.goto("/dialog-publik/kelola")
    assert_accessible(phone, "manage list phone")
    screenshot(phone, "dialogs-manage-phone")
    _fits_phone(phone)
    phone.goto(f"/dialog-publik/kelola/{dialog.id}")
    phone.get_by_text("Apakah <b>ada</b> biaya?").wait_for()
    assert_accessible(phone, "manage detail phone")
    screenshot(phone, "dialogs-manage-detail-phone")
    _fits_phone(phone)
    phone.goto(f"/dialog-publik/kelola/{dialog.id}/ubah")
    assert_accessible(phone, "edit phone")
    _fits_phone(phone)


def test_rate_limit_page_is_indonesian_and_accessible(app, phone_page, organizer, unit):
    app.config["DIALOG_POSTS_PER_IP"] = 1
    dialog = _dialog(unit, organizer)
    for text in ("Pertanyaan pertama", "Pertanyaan kedua"):
        phone_page.goto(f"/dialog-publik/{dialog.id}")
        phone_page.get_by_label("Bertanya secara anonim (nama Anda tidak ditampilkan)").check()
        phone_page.get_by_label("Pertanyaan atau masukan").fill(text)
        phone_page.get_by_role("button", name="Kirim").click()
        phone_page.wait_for_load_state()
    phone_page.get_by_text("Terlalu banyak kiriman dari koneksi Anda").wait_for()
    assert_accessible(phone_page, "429 page")
    screenshot(phone_page, "dialogs-rate-limited-phone")
