"""The verifikasi demo seed leaves decisions, a returned entry with its note, a Plt/Plh,
feedback threads and notices behind."""

import random

import pytest

from portal.activities.models import APPROVED, NEEDS_REVISION, SUBMITTED, Activity
from portal.notifications.models import Notification
from portal.reviews import demo
from portal.reviews.models import ActingAssignment, Feedback
from tests.reviews.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen")


def test_demo_seed_fills_the_verification_story(team, make_employee):
    for index in range(5):
        make_employee(nama=f"Staf Demo {index}", unit=team["unit"], supervisor=team["atasan"])
    context = {
        "atasan": team["atasan"],
        "pegawai": team["pegawai"],
        "today": TODAY,
        "units": [team["unit"]],
        "employees": [],
    }
    demo.seed(random.Random(7), context)
    statuses = {a.status for a in Activity.select()}
    assert {APPROVED, NEEDS_REVISION, SUBMITTED} <= statuses
    returned = Activity.get(Activity.status == NEEDS_REVISION)
    assert returned.employee_id == team["pegawai"].id and returned.decision_note
    assert Feedback.select().where(Feedback.activity.is_null(False)).count() == 1
    assert Feedback.select().where(Feedback.period.is_null(False)).count() == 2
    assert ActingAssignment.select().count() == 2
    kinds = {n.kind for n in Notification.select()}
    assert {"activity_approved", "activity_returned", "feedback_reply"} <= kinds
