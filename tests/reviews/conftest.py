"""Fixtures of verifikasi: a team with an atasan chain, a frozen clock, entry factories."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from flask import g

from portal.activities.models import SUBMITTED, Activity

# Monday 23 November 2026, 15.00 WIB (08.00 UTC).
NOW_UTC = datetime(2026, 11, 23, 8, 0)
TODAY = date(2026, 11, 23)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW_UTC.replace(tzinfo=UTC), tick=False) as traveller:
        yield traveller


@pytest.fixture
def team(app, make_unit, make_employee):
    """kepala -> atasan -> (pegawai, rekan); an outsider atasan with their own pegawai in another
    unit; an admin; a plh candidate in the same unit."""
    unit = make_unit(nama="Badan Kepegawaian dan Pengembangan SDM")
    other = make_unit(nama="Dinas Perhubungan")
    kepala = make_employee(nama="Drs. Syamsul Bahri", unit=unit)
    atasan = make_employee(nama="Rina Marlina, S.E.", unit=unit, supervisor=kepala)
    pegawai = make_employee(nama="Ahmad Fauzi", unit=unit, supervisor=atasan)
    rekan = make_employee(nama="Dewi Anggraini", unit=unit, supervisor=atasan)
    plh = make_employee(nama="Bambang Sutrisno", unit=unit, supervisor=kepala)
    outsider = make_employee(nama="Yusuf Harahap", unit=other)
    outsider_staff = make_employee(nama="Lina Siregar", unit=other, supervisor=outsider)
    admin = make_employee(nama="Admin Kota", unit=other, roles=[("admin", None)])
    return {
        "unit": unit,
        "other": other,
        "kepala": kepala,
        "atasan": atasan,
        "pegawai": pegawai,
        "rekan": rekan,
        "plh": plh,
        "outsider": outsider,
        "outsider_staff": outsider_staff,
        "admin": admin,
    }


def _t(text):
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


@pytest.fixture
def make_entry():
    """make_entry(employee, tanggal=TODAY, start="08:00", end="09:00", status=SUBMITTED,
    submitted_at=<utc>): an entry written straight through the model."""

    def _make(employee, tanggal=TODAY, start="08:00", end="09:00", status=SUBMITTED, **columns):
        start_t, end_t = _t(start), _t(end)
        minutes = (end_t.hour * 60 + end_t.minute) - (start_t.hour * 60 + start_t.minute)
        submitted = columns.pop("submitted_at", None)
        if submitted is None and status != "draf":
            submitted = datetime(tanggal.year, tanggal.month, tanggal.day, 9, 0)
        return Activity.create(
            employee=employee,
            tanggal=tanggal,
            jam_mulai=start_t,
            jam_selesai=end_t,
            minutes=minutes,
            uraian=columns.pop("uraian", "Menyusun laporan absensi pegawai"),
            volume=columns.pop("volume", 1),
            satuan=columns.pop("satuan", "laporan"),
            status=status,
            version=columns.pop("version", 2),
            submitted_at=submitted,
            **columns,
        )

    return _make


@pytest.fixture
def make_entries(make_entry):
    """make_entries(employee, n, tanggal=...): n submitted entries of 30 minutes, one day."""

    def _make(employee, n, tanggal=TODAY - timedelta(days=1), **columns):
        entries = []
        for index in range(n):
            start = 7 * 60 + (index % 24) * 30
            day = tanggal - timedelta(days=index // 24)
            entries.append(
                make_entry(
                    employee,
                    tanggal=day,
                    start=f"{start // 60}:{start % 60:02d}",
                    end=f"{(start + 30) // 60}:{(start + 30) % 60:02d}",
                    **columns,
                )
            )
        return entries

    return _make


def reload(entry):
    return Activity.get_by_id(entry.id)


@pytest.fixture
def switch_to(login_as):
    """switch_to(employee): sign the test client in as someone else (Flask-Login caches the
    user in `g`, which outlives requests inside the test's app context)."""

    def _switch(employee):
        g.pop("_login_user", None)
        return login_as(employee)

    return _switch
