"""Demo data and the benchmark's seed command."""

import random

from portal.clock import local_today
from portal.dialogs import demo, reading, rules, survey
from portal.dialogs.models import DRAFT, RESULTS, Dialog, FollowUp, Question, Registration
from portal.org.models import ROLE_PENYELENGGARA


def test_demo_seed_makes_past_and_upcoming_dialogs(app, make_unit, make_employee, client):
    units = [make_unit(nama=f"Dinas {n}") for n in range(3)]
    organizer = make_employee(unit=units[0], roles=[(ROLE_PENYELENGGARA, units[0])])
    context = {
        "units": units,
        "employees": [organizer],
        "admin": None,
        "penyelenggara": organizer,
        "atasan": None,
        "pegawai": None,
        "today": local_today(),
    }
    demo.seed(random.Random(1), context)
    assert Dialog.select().count() == len(demo.DIALOGS)
    assert Dialog.select().where(Dialog.status == RESULTS).count() == 2
    assert FollowUp.select().count() >= 6 and Registration.select().count() > 40
    assert Question.select().where(Question.status == "menunggu").count() >= 1
    past = Dialog.get(Dialog.status == RESULTS)
    assert survey.survey_results(past)["count"] >= 12
    public = list(reading.public_dialogs(reading.Filters(waktu="semua")))
    assert all(d.status != DRAFT for d in public) and len(public) == len(demo.DIALOGS) - 1
    for dialog in public:
        assert client.get(f"/dialog-publik/{dialog.id}").status_code == 200
    assert client.get("/dialog-publik/").status_code == 200
    assert reading.managed_dialogs(organizer).count() >= 3


def test_seed_dialogs_command_creates_published_dialogs(app, runner, make_unit, client):
    make_unit()
    result = runner.invoke(args=["seed-dialogs", "--count", "50"])
    assert result.exit_code == 0, result.output
    assert "50 dialog publik dibuat." in result.output
    assert Dialog.select().where(rules.public_condition()).count() == 50
    assert Question.select().count() == 150
    html = client.get("/dialog-publik/?waktu=semua").get_data(as_text=True)
    assert "50 dialog" in html
