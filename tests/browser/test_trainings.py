"""Pelatihan in real Chromium: an organizer publishes a training with 2 seats, three pegawai sign
up, the third waits, one cancels, the third is offered the seat and confirms it."""

import random
from datetime import timedelta

from portal.clock import local_today
from portal.db import utcnow
from portal.trainings import demo, seats
from portal.trainings.models import OPEN, Registration, Training, TrainingSession
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD


def _people(make_unit, make_employee):
    dinas = make_unit(nama="Badan Kepegawaian dan Pengembangan SDM")
    organizer = make_employee(nama="Rina Marlina", unit=dinas, roles=[("penyelenggara", dinas)])
    atasan = make_employee(nama="Hendra Saputra", unit=dinas, jenis_jabatan="Administrator")
    names = ["Siti Rahmawati", "Budi Santoso", "Dewi Lestari"]
    pegawai = [make_employee(nama=n, unit=dinas, supervisor=atasan) for n in names]
    return dinas, organizer, pegawai


def test_two_seats_three_pegawai_waiting_list_and_promotion(new_page, make_unit, make_employee):
    _, organizer, pegawai = _people(make_unit, make_employee)
    day = (local_today() + timedelta(days=10)).isoformat()

    # The organizer creates and publishes the training.
    page = new_page()
    sign_in(page, organizer.nip, TEST_PASSWORD)
    page.goto("/pelatihan/kelola")
    page.get_by_role("link", name="Tambah Pelatihan").click()
    page.get_by_label("Judul", exact=True).fill("Workshop Tata Naskah Dinas")
    page.get_by_label("Jenis", exact=True).select_option("workshop")
    page.get_by_label("Tempat").fill("Ruang Rapat BKPSDM")
    page.get_by_label("JP (1 JP = 45 menit)").fill("6")
    page.get_by_label("Kuota (kursi)").fill("2")
    page.get_by_label("Pendaftaran ditutup").fill(f"{day}T07:00")
    page.get_by_label("Tanggal sesi 1").fill(day)
    page.locator("#sessions-0-mulai").fill("08:00")
    page.locator("#sessions-0-selesai").fill("12:00")
    screenshot(page, "trainings-form-desktop")
    assert_accessible(page, "training form")
    page.get_by_role("button", name="Simpan").click()
    page.get_by_text("Pelatihan disimpan sebagai draf.").wait_for()
    page.get_by_role("button", name="Terbitkan").click()
    page.get_by_text("Pelatihan diterbitkan.").wait_for()
    training = Training.get(Training.judul == "Workshop Tata Naskah Dinas")
    assert training.status == OPEN and training.kuota == 2

    # Three pegawai sign up (htmx swaps the seat panel).
    pages = []
    for person in pegawai:
        p = new_page()
        sign_in(p, person.nip, TEST_PASSWORD)
        p.goto("/pelatihan/")
        p.get_by_role("link", name="Workshop Tata Naskah Dinas").click()
        p.get_by_role("button", name="Daftar").click()
        pages.append(p)
    pages[0].get_by_text("Anda terdaftar.").wait_for()
    pages[1].get_by_text("Anda terdaftar.").wait_for()
    pages[2].get_by_text("Anda nomor 1 di Daftar Tunggu.").wait_for()
    screenshot(pages[2], "trainings-detail-waiting")
    assert_accessible(pages[2], "detail waiting")

    # The second cancels; the third is offered the seat and confirms it.
    pages[1].get_by_role("button", name="Batalkan Pendaftaran").click()
    pages[1].get_by_text("Pendaftaran Anda dibatalkan.").wait_for()
    pages[2].reload()
    pages[2].get_by_text("Ada kursi kosong untuk Anda.").wait_for()
    screenshot(pages[2], "trainings-detail-offered")
    assert_accessible(pages[2], "detail offered")
    pages[2].get_by_role("button", name="Konfirmasi Kursi Saya").click()
    pages[2].get_by_text("Kursi Anda terkonfirmasi. Anda terdaftar.").wait_for()
    statuses = {
        r.employee.nama: r.status
        for r in Registration.select().where(Registration.training == training.id)
    }
    assert statuses == {
        "Siti Rahmawati": "terdaftar",
        "Budi Santoso": "dibatalkan",
        "Dewi Lestari": "terdaftar",
    }

    # The organizer sees the participants; the catalogue shows it full.
    page.goto(f"/pelatihan/{training.id}/peserta")
    page.get_by_text("Terdaftar: 2 dari 2").wait_for()
    screenshot(page, "trainings-participants")
    assert_accessible(page, "participants")
    pages[0].goto("/pelatihan/")
    pages[0].get_by_text("Penuh").first.wait_for()
    screenshot(pages[0], "trainings-catalogue-desktop")
    assert_accessible(pages[0], "catalogue")
    for p in [page, *pages]:
        assert p.console_errors == []


def _open_training(dinas, kuota=2):
    start = utcnow() + timedelta(days=5)
    training = Training.create(
        judul="Pelatihan Pelayanan Prima",
        jenis="pelatihan",
        unit=dinas,
        jp=24,
        kuota=kuota,
        registration_opens_at=utcnow() - timedelta(days=1),
        registration_closes_at=start - timedelta(days=1),
        status=OPEN,
        starts_at=start,
        ends_at=start + timedelta(hours=7),
        tempat="Gedung Diklat BKPSDM",
    )
    TrainingSession.create(training=training, starts_at=start, ends_at=start + timedelta(hours=7))
    return training


def test_sign_up_and_cancel_work_without_javascript(page_nojs, make_unit, make_employee):
    dinas, _, pegawai = _people(make_unit, make_employee)
    training = _open_training(dinas)
    sign_in(page_nojs, pegawai[0].nip, TEST_PASSWORD)
    page_nojs.goto(f"/pelatihan/{training.id}")
    page_nojs.get_by_role("button", name="Daftar").click()
    page_nojs.get_by_text("Anda terdaftar.").wait_for()
    page_nojs.get_by_role("button", name="Batalkan Pendaftaran").click()
    page_nojs.get_by_text("Pendaftaran Anda dibatalkan.").wait_for()


def test_catalogue_ledger_and_report_on_a_phone(phone_page, make_unit, make_employee):
    dinas, _, pegawai = _people(make_unit, make_employee)
    training = _open_training(dinas)
    seats.sign_up(pegawai[0], training)
    atasan = pegawai[0].supervisor
    sign_in(phone_page, atasan.nip, TEST_PASSWORD)
    for path, name in [
        ("/pelatihan/", "trainings-catalogue-phone"),
        ("/pelatihan/jp-saya", "trainings-ledger-phone"),
        ("/pelatihan/rekap-jp", "trainings-report-phone"),
        (f"/pelatihan/{training.id}", "trainings-detail-phone"),
    ]:
        phone_page.goto(path)
        screenshot(phone_page, name)
        assert_accessible(phone_page, name)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_attendance_completion_certificate_and_feedback(new_page, make_unit, make_employee):
    dinas, organizer, pegawai = _people(make_unit, make_employee)
    training = _open_training(dinas, kuota=5)
    for person in pegawai[:2]:
        seats.sign_up(person, training)
    # The training took place yesterday (move it back instead of moving the live server's clock).
    start = utcnow() - timedelta(days=1)
    Training.update(starts_at=start, ends_at=start + timedelta(hours=7)).where(
        Training.id == training.id
    ).execute()
    TrainingSession.update(starts_at=start, ends_at=start + timedelta(hours=7)).execute()

    page = new_page()
    sign_in(page, organizer.nip, TEST_PASSWORD)
    page.goto(f"/pelatihan/{training.id}/peserta")
    page.get_by_label("Siti Rahmawati").check()
    page.get_by_role("button", name="Simpan Presensi").click()
    page.get_by_text("Presensi disimpan.").wait_for()
    page.get_by_text("(Hadir)").wait_for()
    screenshot(page, "trainings-attendance")
    assert_accessible(page, "attendance")
    page.get_by_role("button", name="Selesaikan dan Terbitkan Sertifikat").click()
    page.get_by_text("Pelatihan selesai; JP dan sertifikat diterbitkan.").wait_for()

    siti = new_page()
    sign_in(siti, pegawai[0].nip, TEST_PASSWORD)
    siti.goto(f"/pelatihan/{training.id}")
    siti.get_by_role("link", name="Lihat sertifikat").click()
    siti.get_by_role("heading", name="Sertifikat").wait_for()
    screenshot(siti, "trainings-certificate")
    assert_accessible(siti, "certificate")
    verify_url = siti.locator(".certificate .text-break").inner_text().strip()
    siti.goto(f"/pelatihan/{training.id}")
    siti.get_by_label("4").check()
    siti.get_by_label("Komentar").fill("Materi pelayanan prima sangat aplikatif.")
    siti.get_by_role("button", name="Kirim").click()
    siti.get_by_text("Terima kasih atas umpan balik Anda.").wait_for()
    siti.goto("/pelatihan/jp-saya")
    siti.get_by_text("24", exact=True).first.wait_for()
    screenshot(siti, "trainings-ledger-desktop")
    assert_accessible(siti, "ledger")

    anonymous = new_page()  # not signed in; axe needs JavaScript
    anonymous.goto(verify_url)
    anonymous.get_by_text("Sertifikat ini sah.").wait_for()
    assert_accessible(anonymous, "verification")
    screenshot(anonymous, "trainings-verification")
    page.goto(f"/pelatihan/{training.id}/peserta")
    page.get_by_text("Rata-rata 4,0 dari 5, dari 1 peserta.").wait_for()


def test_organizer_pages_fit_a_phone(phone_page, make_unit, make_employee):
    dinas, organizer, pegawai = _people(make_unit, make_employee)
    training = _open_training(dinas)
    for person in pegawai:
        seats.sign_up(person, training)
    sign_in(phone_page, organizer.nip, TEST_PASSWORD)
    for path, name in [
        (f"/pelatihan/{training.id}/peserta", "trainings-participants-phone"),
        ("/pelatihan/baru", "trainings-form-phone"),
        ("/pelatihan/kelola", "trainings-manage-phone"),
    ]:
        phone_page.goto(path)
        screenshot(phone_page, name)
        assert_accessible(phone_page, name)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 360, path


def test_demo_catalogue_and_recap_look_right(new_page, make_unit, make_employee):
    dinas, organizer, pegawai = _people(make_unit, make_employee)
    admin = make_employee(nama="Admin Pemda", unit=dinas, roles=[("admin", None)])
    people = [make_employee(unit=dinas, supervisor=pegawai[0].supervisor) for _ in range(40)]
    context = {
        "units": [dinas],
        "employees": [*pegawai, *people],
        "admin": admin,
        "penyelenggara": organizer,
        "atasan": pegawai[0].supervisor,
        "pegawai": pegawai[0],
        "today": local_today(),
    }
    demo.seed(random.Random(7), context)
    page = new_page()
    sign_in(page, pegawai[0].nip, TEST_PASSWORD)
    page.goto("/pelatihan")
    screenshot(page, "trainings-demo-catalogue")
    assert_accessible(page, "demo catalogue")
    page.goto("/")
    screenshot(page, "trainings-demo-dashboard")
    admin_page = new_page()
    sign_in(admin_page, admin.nip, TEST_PASSWORD)
    admin_page.goto("/pelatihan/rekap-jp")
    screenshot(admin_page, "trainings-demo-recap")
    assert_accessible(admin_page, "demo recap")
    admin_page.goto("/pelatihan/jp-eksternal")
    assert_accessible(admin_page, "external records")
    screenshot(admin_page, "trainings-demo-records")
