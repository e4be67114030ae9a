"""Fixtures of the dialogs tests: a unit with its penyelenggara, and dialogs in any state."""

from datetime import time, timedelta

import pytest

from portal.clock import local_today
from portal.db import utcnow
from portal.dialogs.models import ANNOUNCED, DRAFT, Dialog
from portal.org.models import ROLE_PENYELENGGARA


@pytest.fixture
def unit(app, make_unit):
    return make_unit(nama="Dinas Penanaman Modal dan PTSP")


@pytest.fixture
def organizer(make_employee, unit):
    return make_employee(nama="Rina Organizer", unit=unit, roles=[(ROLE_PENYELENGGARA, unit)])


@pytest.fixture
def make_dialog(unit, organizer):
    """make_dialog(status=ANNOUNCED, kuota=None, days=7, **fields): a dialog in that state."""

    def _make(status=ANNOUNCED, kuota=None, days=7, **fields):
        starts = utcnow().replace(microsecond=0) + timedelta(days=days)
        values = {
            "judul": "Forum Konsultasi Publik Rancangan Standar Pelayanan Perizinan Berusaha",
            "topik": "Perizinan",
            "layanan": "Perizinan Berusaha Berbasis Risiko",
            "deskripsi": "Pembahasan rancangan standar pelayanan.",
            "unit": fields.pop("unit", unit),
            "tempat": "Aula Mal Pelayanan Publik",
            "alamat": "Jl. Merdeka No. 1",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "kuota": kuota,
            "status": status,
            "created_by": organizer,
            "announced_at": None if status == DRAFT else utcnow() - timedelta(days=1),
        }
        values.update(fields)
        return Dialog.create(**values)

    return _make


@pytest.fixture
def form_data():
    def _data(unit, **changes):
        data = {
            "judul": "Dialog Publik Layanan Adminduk Jemput Bola",
            "topik": "Kependudukan",
            "layanan": "KTP-el dan Kartu Keluarga",
            "deskripsi": "",
            "unit": unit.id,
            "tempat": "Kantor Camat",
            "alamat": "",
            "online_url": "",
            "tanggal": (local_today() + timedelta(days=10)).isoformat(),
            "jam_mulai": time(9, 0).strftime("%H:%M"),
            "jam_selesai": time(11, 30).strftime("%H:%M"),
            "kuota": "50",
            "unsur_peserta": "RT/RW, tokoh masyarakat",
        }
        data.update(changes)
        return data

    return _data
