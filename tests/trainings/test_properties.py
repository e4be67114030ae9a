"""Whatever pegawai do (sign up, cancel, confirm, wait until offers expire), a training never
has more seats taken than its quota, and a free seat never sits beside a waiting list."""

from datetime import timedelta

import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.errors import DomainError
from portal.trainings import seats
from portal.trainings.models import OFFERED, SEAT_HOLDING, WAITING, Registration

ACTIONS = st.lists(
    st.tuples(st.sampled_from(["daftar", "batal", "konfirmasi", "tunggu"]), st.integers(0, 5)),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(kuota=st.integers(1, 3), actions=ACTIONS)
def test_seats_are_never_oversold_and_never_left_free(
    org, make_training, make_employee, kuota, actions
):
    people = org.setdefault("_people", [make_employee(unit=org["bidang"]) for _ in range(6)])
    with time_machine.travel("2026-11-02 01:00:00+00:00", tick=False) as clock:
        training = make_training(kuota=kuota, start=None)
        for action, who in actions:
            person = people[who]
            try:
                if action == "daftar":
                    seats.sign_up(person, training)
                elif action == "batal":
                    seats.cancel_registration(person, training)
                elif action == "konfirmasi":
                    seats.confirm_offer(person, training)
                else:
                    clock.shift(timedelta(hours=13))
            except DomainError:
                pass
            seats.process_expired_offers(training.id)
            rows = list(Registration.select().where(Registration.training == training.id))
            taken = sum(1 for r in rows if r.status in SEAT_HOLDING)
            waiting = sum(1 for r in rows if r.status == WAITING)
            assert taken <= kuota
            assert taken == kuota or waiting == 0
            assert all(r.offer_expires_at for r in rows if r.status == OFFERED)
