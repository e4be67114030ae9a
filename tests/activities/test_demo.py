"""Demo data and the bulk seeding command."""

import random
from datetime import time

from portal.activities import demo
from portal.activities.models import DRAFT, SUBMITTED, Activity, ActivityEvent
from tests.activities.conftest import TODAY


def test_demo_seed_gives_the_atasan_work_and_never_breaks_a_rule(app, people, frozen):
    context = {
        "employees": [people[k] for k in ("kepala", "atasan", "pegawai", "rekan", "outsider")],
        "atasan": people["atasan"],
        "pegawai": people["pegawai"],
        "today": TODAY,
        "units": [people["unit"]],
        "admin": people["admin"],
        "penyelenggara": None,
    }
    demo.seed(random.Random(1), context)
    waiting = Activity.select().where(
        Activity.status == SUBMITTED, Activity.employee.in_([people["pegawai"], people["rekan"]])
    )
    assert waiting.count() >= 10
    assert ActivityEvent.select().count() > Activity.select().count()
    for row in Activity.select():
        assert row.jam_selesai > row.jam_mulai and row.tanggal <= TODAY
        if row.tanggal == TODAY:
            assert row.status == DRAFT and row.jam_selesai <= time(15, 0)  # frozen at 15.00


def test_seed_activities_command_fills_a_year(app, runner, people, frozen):
    result = runner.invoke(args=["seed-activities", "--days", "30", "--per-day", "3"])
    assert result.exit_code == 0, result.output
    count = Activity.select().count()
    assert count > 7 * 15 * 2
    assert Activity.select().where(Activity.tanggal >= TODAY).count() == 0
