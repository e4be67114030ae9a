"""Evaluation in real Chromium: the pegawai reports realisasi and sends it, the atasan writes
feedback and chooses the ratings (the predikat shows as they choose: htmx with JavaScript, the
"Lihat predikat" button without), saves and sets it (Tetapkan); the pegawai reads the predikat
and objects; the atasan pejabat penilai decides. With and without JavaScript, at 1280 and
360 px; axe."""

from decimal import Decimal

import pytest

from portal.performance import lifecycle as skp_lifecycle
from portal.performance import planning
from portal.performance.evaluation import lifecycle, periods
from portal.performance.evaluation.lifecycle import RatingInput
from portal.performance.models import EV_FINAL, OBJ_ACCEPTED, Evaluation, Objection
from tests.browser.conftest import assert_accessible, screenshot, sign_in
from tests.conftest import TEST_PASSWORD


def _skp(owner, approver, text, parent=None, perspektif=""):
    skp = skp_lifecycle.create_skp(owner, owner)
    rhk = planning.add_rhk(
        owner,
        skp,
        planning.RhkInput(
            uraian=text, intervenes_id=parent.id if parent else None, perspektif=perspektif
        ),
    )
    planning.add_indicator(
        owner,
        skp,
        rhk.id,
        planning.IndicatorInput(
            aspek="kuantitas",
            uraian="Berkas terverifikasi",
            target_angka=Decimal(240),
            satuan="berkas",
        ),
    )
    skp_lifecycle.submit_skp(owner, skp)
    skp_lifecycle.approve_skp(approver, skp)
    return skp, rhk


@pytest.fixture
def office(app, make_unit, make_employee):
    unit = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    kepala = make_employee(
        nama="Rahmat Hidayat",
        unit=unit,
        jenis_jabatan="JPT",
        jabatan="Kepala Dinas",
        golongan="IV/c",
    )
    atasan = make_employee(
        nama="Hendra Siregar",
        unit=unit,
        supervisor=kepala,
        jenis_jabatan="Administrator",
        jabatan="Kepala Bidang Perizinan",
    )
    pegawai = make_employee(
        nama="Siti Rahmawati", unit=unit, supervisor=atasan, jabatan="Analis Perizinan"
    )
    admin = make_employee(nama="Admin Pemda", unit=unit, roles=[("admin", None)])
    _kepala_skp, kepala_rhk = _skp(
        kepala, admin, "Meningkatnya kualitas layanan perizinan", perspektif="Proses Bisnis"
    )
    _atasan_skp, atasan_rhk = _skp(
        atasan, kepala, "Terselesaikannya izin tepat waktu", parent=kepala_rhk
    )
    skp, _rhk = _skp(pegawai, atasan, "Terverifikasinya berkas izin", parent=atasan_rhk)
    periods.make_calendar(admin, 2026)
    return {"kepala": kepala, "atasan": atasan, "pegawai": pegawai, "skp": skp}


def _journey(pegawai_page, atasan_page, kepala_page, office, label, javascript):
    # 1. the pegawai opens the quarter, reports realisasi with evidence, sends it
    sign_in(pegawai_page, office["pegawai"].nip, TEST_PASSWORD)
    pegawai_page.goto("/kinerja/evaluasi")
    pegawai_page.get_by_role("button", name="Isi realisasi Triwulan 4 2026").click()
    pegawai_page.get_by_role("heading", name="Realisasi", exact=True).wait_for()
    pegawai_page.get_by_label("Realisasi (angka)").fill("62")
    pegawai_page.get_by_label("Tautan bukti dukung (satu per baris)").fill(
        "https://drive.example.go.id/rekap-verifikasi.pdf"
    )
    pegawai_page.get_by_label("Penilaian diri (opsional)").fill("Target triwulan tercapai.")
    pegawai_page.get_by_role("button", name="Simpan realisasi").click()
    pegawai_page.get_by_text("Realisasi telah disimpan.").wait_for()
    if javascript:
        assert_accessible(pegawai_page, "realisasi")
    screenshot(pegawai_page, f"evaluation-{label}-1-realisasi")
    pegawai_page.get_by_role("button", name="Kirim ke pejabat penilai").click()
    pegawai_page.locator(".badge", has_text="Menunggu penilaian").wait_for()

    # 2. the atasan writes feedback, chooses the ratings: the predikat shows; saves; Tetapkan
    sign_in(atasan_page, office["atasan"].nip, TEST_PASSWORD)
    atasan_page.goto("/kinerja/evaluasi")
    atasan_page.get_by_role("link", name="Menunggu penilaian · Siti Rahmawati").click()
    atasan_page.get_by_role("heading", name="Penilaian dan umpan balik").wait_for()
    atasan_page.get_by_label("RHK 1: Terverifikasinya berkas izin").fill(
        "Verifikasi selalu selesai dalam tiga hari kerja."
    )
    atasan_page.get_by_label("Berorientasi Pelayanan").fill("Ramah kepada pemohon.")
    atasan_page.get_by_label("Hasil kerja").select_option("di_atas")
    atasan_page.get_by_label("Perilaku kerja").select_option("di_atas")
    if not javascript:
        atasan_page.get_by_role("button", name="Lihat predikat").click()
    atasan_page.locator("#predikat-box [data-predikat='sangat_baik']").wait_for()
    if javascript:
        assert_accessible(atasan_page, "rating")
    screenshot(atasan_page, f"evaluation-{label}-2-rating")
    atasan_page.get_by_role("button", name="Simpan penilaian").click()
    atasan_page.get_by_text("Penilaian dan umpan balik telah disimpan.").wait_for()
    atasan_page.get_by_role("button", name="Tetapkan").click()
    atasan_page.get_by_text("Predikat telah ditetapkan").wait_for()
    evaluation = Evaluation.get(Evaluation.employee == office["pegawai"].id)
    assert (evaluation.status, evaluation.predikat) == (EV_FINAL, "sangat_baik")

    # 3. the pegawai reads the predikat and the feedback, and objects
    pegawai_page.reload()
    pegawai_page.get_by_text("Verifikasi selalu selesai dalam tiga hari kerja.").wait_for()
    pegawai_page.locator(".badge", has_text="Sangat Baik").first.wait_for()
    screenshot(pegawai_page, f"evaluation-{label}-3-predikat")
    pegawai_page.get_by_label("Alasan keberatan").fill("Saya mohon ditinjau kembali.")
    pegawai_page.get_by_role("button", name="Ajukan keberatan").click()
    pegawai_page.get_by_text("Keberatan Anda telah diajukan.").wait_for()

    # 4. the atasan pejabat penilai decides
    sign_in(kepala_page, office["kepala"].nip, TEST_PASSWORD)
    kepala_page.goto("/kinerja/evaluasi")
    kepala_page.get_by_role("link", name="Siti Rahmawati").click()
    kepala_page.get_by_label("Keputusan", exact=True).select_option("terima")
    kepala_page.get_by_label("Predikat baru").select_option("baik")
    kepala_page.get_by_label("Alasan keputusan").fill("Disesuaikan dengan kurva unit.")
    if javascript:
        assert_accessible(kepala_page, "objection")
    screenshot(kepala_page, f"evaluation-{label}-4-objection")
    kepala_page.get_by_role("button", name="Putuskan").click()
    kepala_page.get_by_text("Keberatan telah diputus.").wait_for()
    assert Objection.get().status == OBJ_ACCEPTED
    assert Evaluation.get_by_id(evaluation.id).predikat == "baik"


def test_evaluation_journey_with_javascript(page, new_page, office):
    _journey(page, new_page(), new_page(), office, "js", javascript=True)
    assert page.console_errors == []


def test_evaluation_journey_without_javascript(page_nojs, new_page, office):
    _journey(
        page_nojs,
        new_page(javascript=False),
        new_page(javascript=False),
        office,
        "nojs",
        javascript=False,
    )


def test_the_evaluation_on_a_phone(phone_page, office):
    from portal.performance.evaluation import periods as calendar

    q4 = next(p for p in calendar.of_year(2026) if p.nomor == 4)
    evaluation = lifecycle.open_evaluation(office["pegawai"], office["skp"], q4)
    lifecycle.rate(office["atasan"], evaluation, RatingInput("sesuai", "di_atas", {}))
    sign_in(phone_page, office["atasan"].nip, TEST_PASSWORD)
    phone_page.goto(f"/kinerja/evaluasi/{evaluation.id}")
    phone_page.get_by_role("heading", name="Penilaian dan umpan balik").wait_for()
    assert_accessible(phone_page, "phone")
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 370, width
    screenshot(phone_page, "evaluation-phone-rating")
    phone_page.goto("/kinerja/evaluasi")
    # the team table scrolls inside its box (its visually hidden labels too)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 370
    assert_accessible(phone_page, "phone-index")
    screenshot(phone_page, "evaluation-phone-index")


def test_the_kepala_sees_the_curve_warning_and_calibrates(page, office):
    from portal.org.models import Employee
    from portal.performance.evaluation import distribution
    from portal.performance.models import ANNUAL, EvaluationPeriod

    annual = EvaluationPeriod.get(EvaluationPeriod.jenis == ANNUAL)
    evaluation = lifecycle.open_evaluation(office["atasan"], office["skp"], annual)
    lifecycle.rate(office["atasan"], evaluation, RatingInput("di_atas", "di_atas", {}))
    admin = Employee.get(Employee.nama == "Admin Pemda")
    distribution.set_unit_predikat(admin, office["pegawai"].unit, 2026, "baik")
    sign_in(page, office["kepala"].nip, TEST_PASSWORD)
    page.goto("/kinerja/evaluasi/distribusi?tahun=2026")
    page.get_by_text("Distribusi tidak sesuai kurva:").wait_for()
    assert_accessible(page, "distribution")
    screenshot(page, "evaluation-js-5-distribution")
    page.get_by_text("Kalibrasi Siti Rahmawati").click()
    page.get_by_label("Predikat", exact=True).select_option("baik")
    page.get_by_label("Alasan").fill("Menyesuaikan kurva predikat organisasi Baik.")
    page.get_by_role("button", name="Kalibrasi", exact=True).click()
    page.get_by_text("Predikat telah dikalibrasi.").wait_for()
    assert Evaluation.get_by_id(evaluation.id).predikat == "baik"
