"""Fixtures of the reports tests: a small city (an OPD with a bidang on a 5-day week, a Dinas on
a 6-day week), October 2026 with two holidays, and entries in every status."""

from datetime import date, time

import pytest

from portal.activities import month_totals
from portal.activities.models import Activity, Holiday
from portal.clock import utcnow


@pytest.fixture
def app_config(tmp_path):
    return {"EXPORT_DIR": str(tmp_path / "exports")}


@pytest.fixture
def city(app, make_unit, make_employee):
    ptsp = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    bidang = make_unit(nama="Bidang Pelayanan Perizinan", parent=ptsp)
    dinkes = make_unit(nama="Dinas Kesehatan", work_days=6)
    kepala = make_employee(nama="Rahmat Hidayat", unit=ptsp, jenis_jabatan="JPT")
    kabid = make_employee(
        nama="Hendra Saputra", unit=bidang, supervisor=kepala, jenis_jabatan="Administrator"
    )
    siti = make_employee(nama="Siti Rahmawati", unit=bidang, supervisor=kabid)
    dewi = make_employee(nama="Dewi Lestari", unit=bidang, supervisor=kabid)
    budi = make_employee(nama="Budi Santoso", unit=dinkes)
    admin_opd = make_employee(nama="Rina Marlina", unit=ptsp, roles=[("admin_opd", ptsp)])
    admin = make_employee(nama="Admin Pemda", unit=dinkes, roles=[("admin", None)])
    outsider = make_employee(nama="Orang Luar", unit=dinkes)
    Holiday.create(tanggal=date(2026, 10, 14), keterangan="Libur uji (Rabu)")
    Holiday.create(tanggal=date(2026, 10, 17), keterangan="Libur uji (Sabtu)")
    return {
        "ptsp": ptsp,
        "bidang": bidang,
        "dinkes": dinkes,
        "kepala": kepala,
        "kabid": kabid,
        "siti": siti,
        "dewi": dewi,
        "budi": budi,
        "admin_opd": admin_opd,
        "admin": admin,
        "outsider": outsider,
    }


def entry(employee, day, minutes, status, diakui=None, deleted=False, start=8):
    """An entry of `minutes` starting at `start` o'clock, in `status` (written directly, so it
    marks its month for the monthly totals as the lifecycle does)."""
    end_minutes = start * 60 + minutes
    month_totals.mark([(getattr(employee, "id", employee), day)])
    return Activity.create(
        employee=employee,
        tanggal=day,
        jam_mulai=time(start, 0),
        jam_selesai=time(end_minutes // 60, end_minutes % 60),
        minutes=minutes,
        uraian="Kegiatan uji",
        status=status,
        menit_diakui=diakui,
        deleted_at=utcnow() if deleted else None,
    )


@pytest.fixture(params=["marked", "refreshed"])
def october(city, request):
    """Siti's October: 4 days with entries, 450 minutes submitted, 320 approved, one waiting,
    one returned (a rejected, a deleted and a November entry do not count). Each test runs
    twice: with the months only marked stale (the readers compute them live) and after the
    monthly totals' refresh (the readers take the stored sums)."""
    siti = city["siti"]
    entry(siti, date(2026, 10, 5), 240, "disetujui", diakui=200)
    entry(siti, date(2026, 10, 5), 120, "disetujui", start=13)
    entry(siti, date(2026, 10, 6), 90, "diajukan")
    entry(siti, date(2026, 10, 7), 60, "perlu_revisi")
    entry(siti, date(2026, 10, 8), 100, "ditolak")
    entry(siti, date(2026, 10, 9), 30, "draf")
    entry(siti, date(2026, 10, 12), 300, "disetujui", deleted=True)
    entry(siti, date(2026, 11, 2), 300, "disetujui")
    entry(city["budi"], date(2026, 10, 3), 420, "disetujui")  # a Saturday, 6-day week
    if request.param == "refreshed":
        assert month_totals.refresh() == 3  # Siti's October and November, Budi's October
    return city
