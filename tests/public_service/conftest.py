"""Fixtures of the public-service tests: the PTSP office with its admin OPD, a handling pegawai
with an atasan, and complaints filed through the citizens' service."""

import pytest

from portal.org.models import ROLE_ADMIN, ROLE_ADMIN_OPD
from portal.public_service import filing


@pytest.fixture
def unit(app, make_unit):
    return make_unit(nama="Dinas Penanaman Modal dan PTSP")


@pytest.fixture
def unit_admin(make_employee, unit):
    return make_employee(nama="Sari Admin", unit=unit, roles=[(ROLE_ADMIN_OPD, unit)])


@pytest.fixture
def atasan(make_employee, unit):
    return make_employee(nama="Budi Kepala Bidang", unit=unit)


@pytest.fixture
def handler(make_employee, unit, atasan):
    return make_employee(nama="Dewi Pelaksana", unit=unit, supervisor=atasan)


@pytest.fixture
def admin(make_employee):
    return make_employee(nama="Admin Pemda", roles=[(ROLE_ADMIN, None)])


@pytest.fixture
def other_admin(make_employee, make_unit):
    other = make_unit(nama="Dinas Kesehatan")
    return make_employee(nama="Admin Dinkes", unit=other, roles=[(ROLE_ADMIN_OPD, other)])


@pytest.fixture
def make_complaint(unit):
    """make_complaint(unit=..., consent=True, **fields): a complaint filed by a citizen."""

    def _make(unit=unit, consent=True, **fields):
        data = filing.ComplaintInput(
            kategori=fields.pop("kategori", "Perizinan"),
            unit_id=unit.id if unit is not None else None,
            teks=fields.pop("teks", "Izin usaha saya belum terbit sudah tiga minggu."),
            kontak=fields.pop("kontak", "0812 3456 7890"),
            nama=fields.pop("nama", "Ahmad Warga"),
            consent_publish=consent,
        )
        return filing.file_complaint(data)

    return _make
