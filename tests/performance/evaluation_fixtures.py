"""Fixtures of the evaluation tests: the calendar of 2026 and an approved SKP of the pegawai
(serving the kabid's) with a kualitatif and a kuantitas indicator."""

from datetime import date, time

import pytest

from portal.activities.models import APPROVED, SUBMITTED, Activity
from portal.performance import lifecycle as skp_lifecycle
from portal.performance.evaluation import lifecycle, periods
from portal.performance.models import PERIODIC, EvaluationPeriod
from tests.performance.conftest import add_rhk, kuantitas


@pytest.fixture
def calendar(org):
    return periods.make_calendar(org["admin"], 2026)


def quarter(number=4, tahun=2026):
    return EvaluationPeriod.get(
        EvaluationPeriod.tahun == tahun,
        EvaluationPeriod.jenis == PERIODIC,
        EvaluationPeriod.nomor == number,
    )


def approved_for(owner, atasan, parent, texts=("Terverifikasinya berkas izin",)):
    skp = skp_lifecycle.create_skp(owner, owner)
    rows = [add_rhk(owner, skp, text, intervenes=parent) for text in texts]
    kuantitas(owner, skp, rows[0], angka=240, satuan="berkas")
    skp_lifecycle.submit_skp(owner, skp)
    skp_lifecycle.approve_skp(atasan, skp)
    return skp, rows


@pytest.fixture
def staff_skp(org, cascade):
    return approved_for(org["pegawai"], org["kabid"], cascade["kabid"][1][0])


@pytest.fixture
def evaluation(org, calendar, staff_skp):
    return lifecycle.open_evaluation(org["pegawai"], staff_skp[0], quarter())


def entry(
    employee, day, rhk_id, minutes=60, volume=1, satuan="berkas", status=APPROVED, diakui=None
):
    start = time(8, 0)
    end = time(8 + minutes // 60, minutes % 60)
    return Activity.create(
        employee=employee,
        tanggal=day,
        jam_mulai=start,
        jam_selesai=end,
        minutes=minutes,
        uraian="Verifikasi berkas izin",
        volume=volume,
        satuan=satuan,
        rhk_id=rhk_id,
        status=status,
        menit_diakui=diakui,
    )


__all__ = ["APPROVED", "SUBMITTED", "approved_for", "date", "entry", "quarter"]
