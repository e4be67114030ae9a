import random

from portal.clock import local_today
from portal.trainings import catalogue, demo, ledger
from portal.trainings.models import DONE, OPEN, Registration, Training


def test_demo_seed_makes_a_realistic_catalogue(org, make_employee):
    employees = [make_employee(unit=org["bidang"]) for _ in range(60)] + [org["pegawai"]]
    context = {
        "units": [org["kominfo"], org["bidang"], org["dinkes"]],
        "employees": employees,
        "admin": org["admin"],
        "penyelenggara": org["organizer"],
        "atasan": org["atasan"],
        "pegawai": org["pegawai"],
        "today": local_today(),
    }
    demo.seed(random.Random(2026), context)
    assert Training.select().where(Training.status == DONE).count() == 3
    assert Training.select().where(Training.status == OPEN).count() == 4
    assert Registration.select().where(Registration.certificate_number.is_null(False)).exists()
    rows = catalogue.catalogue(org["pegawai"])
    assert any(0 < row.seats_left <= 3 for row in rows)
    assert ledger.jp_ledger(org["pegawai"])["total"] > 0
