"""Demo data of the evaluation, through the services: this year's calendar; a finished period
for the PTSP office (realisasi reported and submitted, each pegawai rated by their penilai with
feedback, the predikat set), one keberatan waiting for the atasan pejabat penilai; the annual
ratings of the office (not yet final) against the curve of an organisation predikat of Baik,
which they break (nobody rated Butuh Perbaikan or Kurang), so the warning shows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from portal.org.models import Employee, Unit
from portal.performance.evaluation import distribution, lifecycle, objections, periods
from portal.performance.evaluation.lifecycle import RatingInput, RealisasiInput
from portal.performance.models import (
    ANNUAL,
    APPROVED,
    BAIK,
    DI_ATAS,
    DI_BAWAH,
    SESUAI,
    EvaluationPeriod,
    Indicator,
    Rhk,
    Skp,
)
from portal.performance.rules import value_codes

FEEDBACK = [
    "Target tercapai tepat waktu; pertahankan kualitas dokumentasi.",
    "Hasil kerja baik, perlu lebih cepat menindaklanjuti berkas yang tertunda.",
    "Koordinasi dengan tim sudah berjalan; tingkatkan ketelitian verifikasi.",
]
VALUE_FEEDBACK = {
    "BO": "Ramah dan responsif kepada pemohon.",
    "KL": "Aktif membantu rekan kerja lintas bidang.",
}
OBJECTION = "Beberapa kegiatan verifikasi lapangan belum diperhitungkan dalam penilaian."


def _finished_period(tahun: int, today) -> EvaluationPeriod | None:
    rows = [p for p in periods.of_year(tahun) if p.jenis != ANNUAL]
    done = [p for p in rows if p.end_date < today]
    return done[-1] if done else (rows[0] if rows else None)


def _realisasi(rng, evaluation) -> dict[int, RealisasiInput]:
    items = {}
    for indicator in Indicator.select().join(Rhk).where(Rhk.skp == evaluation.skp_id):
        if indicator.aspek == "kualitatif":
            items[indicator.id] = RealisasiInput(
                uraian="Hasil kerja sesuai standar; dua kali revisi minor.",
                bukti="https://drive.example.go.id/bukti/laporan-triwulan.pdf",
            )
        else:
            share = Decimal(rng.choice([80, 95, 100, 110])) / 100
            angka = ((indicator.target_angka or Decimal(0)) * share / 4).quantize(Decimal("1"))
            items[indicator.id] = RealisasiInput(angka=angka, uraian="")
    return items


def _ratings(rng) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.35:
        return DI_ATAS, DI_ATAS
    if roll < 0.85:
        return SESUAI, SESUAI
    return rng.choice([(DI_ATAS, SESUAI), (DI_BAWAH, SESUAI)])


def _feedback(rng, evaluation) -> dict[str, str]:
    texts = {
        f"rhk:{rhk.lineage or rhk.id}": rng.choice(FEEDBACK)
        for rhk in Rhk.select().where(Rhk.skp == evaluation.skp_id)
    }
    texts.update({f"nilai:{k}": v for k, v in VALUE_FEEDBACK.items() if k in value_codes()})
    return texts


def seed(rng, context) -> None:
    admin, today = context.get("admin"), context["today"]
    ptsp = Unit.get_or_none(Unit.kode == "DPMPTSP")
    if admin is None or ptsp is None:
        return
    tahun = today.year
    if not EvaluationPeriod.select().where(EvaluationPeriod.tahun == tahun).exists():
        periods.make_calendar(admin, tahun)
    period = _finished_period(tahun, today)
    if period is not None and not periods.is_open(period, today):
        # The admin extended the finished period's window for late reports.
        periods.move_window(admin, period, period.opens_on, today + timedelta(days=7))
    annual = EvaluationPeriod.get(EvaluationPeriod.tahun == tahun, EvaluationPeriod.jenis == ANNUAL)
    staff = list(
        Skp.select()
        .join(Employee, on=(Skp.employee == Employee.id))
        .where(
            Skp.status == APPROVED,
            Skp.superseded_at.is_null(),
            Skp.tahun == tahun,
            Skp.penilai.is_null(False),
            Employee.unit.in_(Unit.select(Unit.id).where(Unit.path.startswith(ptsp.path))),
        )
        .order_by(Skp.id)
    )
    objected = False
    for skp in staff:
        penilai = Employee.get_by_id(skp.penilai_id)
        owner = Employee.get_by_id(skp.employee_id)
        if period is not None:
            evaluation = lifecycle.open_evaluation(owner, skp, period)
            lifecycle.save_realisasi(
                owner, evaluation, _realisasi(rng, evaluation), "Target triwulan tercapai."
            )
            lifecycle.submit_realisasi(owner, evaluation)
            hasil, perilaku = _ratings(rng)
            if not objected and penilai.supervisor_id:
                hasil, perilaku = SESUAI, DI_BAWAH  # the one who objects got Kurang
            lifecycle.rate(
                penilai, evaluation, RatingInput(hasil, perilaku, _feedback(rng, evaluation))
            )
            lifecycle.finalize(penilai, evaluation)
            if not objected and penilai.supervisor_id:
                objections.file_objection(owner, evaluation, OBJECTION)
                objected = True
        # The annual ratings so far: generous, which breaks the Baik curve.
        yearly = lifecycle.open_evaluation(penilai, skp, annual)
        hasil, perilaku = rng.choice([(DI_ATAS, DI_ATAS), (SESUAI, SESUAI)])
        lifecycle.rate(penilai, yearly, RatingInput(hasil, perilaku, {}))
    distribution.set_unit_predikat(admin, ptsp, tahun, BAIK)
