"""The reports demo seed: kehadiran imported and last month closed, through the services."""

import random
from datetime import date

from portal.reports import demo
from portal.reports.models import CLOSED, Attendance, MonthClosure, RecapSnapshot


def test_the_demo_imports_kehadiran_and_closes_last_month(october):
    context = {
        "admin_opd": october["admin_opd"],
        "admin": october["admin"],
        "today": date(2026, 11, 23),
    }
    demo.seed(random.Random(3), context)
    # every active pegawai of the admin OPD's tree (5), none elsewhere
    assert Attendance.select().where(Attendance.bulan == 10).count() == 5
    assert all(0 <= row.basis_points <= 10000 for row in Attendance.select())
    closure = MonthClosure.get()
    assert (closure.unit_id, closure.tahun, closure.bulan, closure.status) == (
        october["ptsp"].id,
        2026,
        10,
        CLOSED,
    )
    siti = RecapSnapshot.get(RecapSnapshot.employee == october["siti"].id)
    assert siti.minutes_approved == 320
    assert RecapSnapshot.select().count() == 5


def test_the_demo_without_an_admin_opd_does_nothing(october):
    demo.seed(random.Random(3), {"today": date(2026, 11, 23)})
    assert MonthClosure.select().count() == 0
