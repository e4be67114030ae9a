"""Fixtures of the training tests: a small organisation and a training factory."""

from datetime import timedelta

import pytest
from flask import g

from portal.db import utcnow
from portal.trainings.models import OPEN, Training, TrainingSession


@pytest.fixture
def org(app, make_unit, make_employee):
    """Dinas Kominfo (with a bidang below it), another dinas, the people and their roles."""
    kominfo = make_unit(nama="Dinas Komunikasi dan Informatika")
    bidang = make_unit(nama="Bidang Aplikasi Informatika", parent=kominfo)
    dinkes = make_unit(nama="Dinas Kesehatan")
    atasan = make_employee(nama="Hendra Saputra", unit=bidang, jenis_jabatan="Administrator")
    pegawai = make_employee(nama="Siti Rahmawati", unit=bidang, supervisor=atasan)
    other = make_employee(nama="Budi Santoso", unit=dinkes)
    organizer = make_employee(nama="Rina Marlina", unit=kominfo, roles=[("penyelenggara", kominfo)])
    other_organizer = make_employee(
        nama="Agus Salim", unit=dinkes, roles=[("penyelenggara", dinkes)]
    )
    admin = make_employee(nama="Admin Pemda", unit=kominfo, roles=[("admin", None)])
    return {
        "kominfo": kominfo,
        "bidang": bidang,
        "dinkes": dinkes,
        "atasan": atasan,
        "pegawai": pegawai,
        "other": other,
        "organizer": organizer,
        "other_organizer": other_organizer,
        "admin": admin,
    }


@pytest.fixture
def make_training(org):
    """An open training of Kominfo with one session a week from now (UTC times)."""

    def _make(status=OPEN, kuota=30, sessions=1, start=None, **fields):
        now = utcnow()
        start = start or now + timedelta(days=7)
        values = {
            "judul": "Bimtek Penyusunan SKP",
            "jenis": "bimtek",
            "unit": org["kominfo"],
            "jp": 8,
            "kuota": kuota,
            "registration_opens_at": now - timedelta(days=1),
            "registration_closes_at": start - timedelta(hours=12),
            "status": status,
            "starts_at": start,
            "ends_at": start + timedelta(days=sessions - 1, hours=4),
            **fields,
        }
        training = Training.create(**values)
        for day in range(sessions):
            begin = start + timedelta(days=day)
            TrainingSession.create(
                training=training, starts_at=begin, ends_at=begin + timedelta(hours=4)
            )
        return training

    return _make


@pytest.fixture
def login_as(login_as):
    """The root login_as, plus: forget the user Flask-Login cached in `g` (the app fixture keeps
    one app context for the whole test, so `g` outlives a request and a switch would not show)."""

    def _login(employee, target=None):
        g.pop("_login_user", None)
        return login_as(employee, target)

    return _login
