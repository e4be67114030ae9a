"""Fixtures of the daily log: a pegawai with an atasan, a frozen clock, entry factories."""

from datetime import date, datetime, time

import pytest
import time_machine
from flask import g

from portal.activities.entries import EntryInput
from portal.activities.models import DRAFT, Activity, ActivityEvent, Holiday

# Monday 23 November 2026, 15.00 WIB (08.00 UTC).
NOW_UTC = datetime(2026, 11, 23, 8, 0)
TODAY = date(2026, 11, 23)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW_UTC.replace(tzinfo=__import__("datetime").UTC), tick=False) as t:
        yield t


@pytest.fixture
def people(make_unit, make_employee):
    """An atasan, two of their pegawai, an outsider, an admin and an admin OPD of the unit."""
    unit = make_unit(nama="Dinas Penanaman Modal dan PTSP")
    other_unit = make_unit(nama="Dinas Kesehatan")
    kepala = make_employee(nama="Ir. Hendra Wijaya", unit=unit)
    atasan = make_employee(nama="Rina Marlina", unit=unit, supervisor=kepala)
    pegawai = make_employee(nama="Ahmad Fauzi", unit=unit, supervisor=atasan)
    rekan = make_employee(nama="Dewi Anggraini", unit=unit, supervisor=atasan)
    outsider = make_employee(nama="Yusuf Harahap", unit=other_unit)
    admin = make_employee(nama="Admin Kota", unit=other_unit, roles=[("admin", None)])
    admin_opd = make_employee(nama="Admin DPMPTSP", unit=unit, roles=[("admin_opd", unit)])
    admin_opd_other = make_employee(
        nama="Admin Dinkes", unit=other_unit, roles=[("admin_opd", other_unit)]
    )
    return {
        "unit": unit,
        "kepala": kepala,
        "atasan": atasan,
        "pegawai": pegawai,
        "rekan": rekan,
        "outsider": outsider,
        "admin": admin,
        "admin_opd": admin_opd,
        "admin_opd_other": admin_opd_other,
    }


def t(text):
    hours, minutes = text.replace(".", ":").split(":")
    return time(int(hours), int(minutes))


@pytest.fixture
def make_activity():
    """make_activity(employee, "08:00", "09:30", tanggal=TODAY, status=DRAFT, **columns)."""

    def _make(employee, start="08:00", end="09:00", tanggal=TODAY, status=DRAFT, **columns):
        start_t, end_t = t(start), t(end)
        minutes = (end_t.hour * 60 + end_t.minute) - (start_t.hour * 60 + start_t.minute)
        activity = Activity.create(
            employee=employee,
            tanggal=tanggal,
            jam_mulai=start_t,
            jam_selesai=end_t,
            minutes=minutes,
            uraian=columns.pop("uraian", "Verifikasi berkas SPJ"),
            volume=columns.pop("volume", 2),
            satuan=columns.pop("satuan", "berkas"),
            status=status,
            **columns,
        )
        ActivityEvent.create(activity=activity, actor=employee, action="created", to_status=DRAFT)
        return activity

    return _make


@pytest.fixture
def holiday():
    def _make(day, keterangan="Libur uji", jenis="libur_nasional"):
        return Holiday.create(tanggal=day, jenis=jenis, keterangan=keterangan)

    return _make


def _typed(extra):
    return {
        "uraian": extra.pop("uraian", "Menyusun draf surat balasan permohonan izin"),
        "volume": extra.pop("volume", 3),
        "satuan": extra.pop("satuan", "dokumen"),
        "lokasi": extra.pop("lokasi", "WFO"),
        **extra,
    }


def entry_data(tanggal=TODAY, start="08:00", end="09:00", **extra):
    """What the service gets for one entry."""
    return EntryInput(tanggal=tanggal, jam_mulai=t(start), jam_selesai=t(end), **_typed(extra))


def form_data(tanggal=TODAY, start="08:00", end="09:00", **extra):
    """What the browser posts for one entry (extra fields such as version pass through)."""
    return {
        "tanggal": tanggal.isoformat(),
        "jam_mulai": start,
        "jam_selesai": end,
        **_typed(extra),
    }


@pytest.fixture
def sign_in_as(login_as):
    """sign_in_as(employee): like login_as, and forgets the user cached in `g` (the test app
    context outlives requests, so Flask-Login's cached user would survive a switch)."""

    def _sign_in(employee):
        g.pop("_login_user", None)
        return login_as(employee)

    return _sign_in
