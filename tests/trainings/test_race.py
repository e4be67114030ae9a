"""200 pegawai press "Daftar" at the same moment for 30 seats: real parallel requests (one
thread and one database connection each, through the whole app), on SQLite and MariaDB."""

import threading
import time
from collections import Counter

from portal.trainings.models import REGISTERED, WAITING, Registration
from tests.conftest import ON_MYSQL

PEOPLE = 200
SEATS = 30
# MariaDB's default max_connections is 151 and colleagues share the server: at most this many
# requests hold a connection at once there (all 200 still start together and race).
IN_FLIGHT = 120 if ON_MYSQL else PEOPLE


def test_parallel_sign_ups_never_oversell(app, org, make_training, make_employee, login_as):
    training = make_training(kuota=SEATS)
    people = [make_employee(unit=org["bidang"]) for _ in range(PEOPLE)]
    clients = [login_as(person, app.test_client()) for person in people]
    barrier = threading.Barrier(PEOPLE)
    gate = threading.Semaphore(IN_FLIGHT)
    statuses = [None] * PEOPLE
    errors = []

    def press(index):
        barrier.wait()
        try:
            with gate:
                response = clients[index].post(f"/pelatihan/{training.id}/daftar")
            statuses[index] = response.status_code
        except Exception as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=press, args=(i,)) for i in range(PEOPLE)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    elapsed = time.perf_counter() - started

    assert errors == []
    assert Counter(statuses) == {303: PEOPLE}
    rows = list(Registration.select().where(Registration.training == training.id))
    counts = Counter(row.status for row in rows)
    assert counts == {REGISTERED: SEATS, WAITING: PEOPLE - SEATS}
    assert len({row.employee_id for row in rows}) == PEOPLE
    waiting = sorted(row.queued_at for row in rows if row.status == WAITING)
    assert len(waiting) == PEOPLE - SEATS
    engine = "MariaDB" if ON_MYSQL else "SQLite"
    print(
        f"\nRACE {engine}: {PEOPLE} parallel sign-ups for {SEATS} seats -> "
        f"{counts[REGISTERED]} Terdaftar + {counts[WAITING]} Daftar Tunggu, "
        f"0 errors, {elapsed:.2f} s ({IN_FLIGHT} in flight)"
    )


def test_the_same_pegawai_pressing_twice_in_parallel_signs_up_once(
    app, org, make_training, login_as
):
    training = make_training(kuota=5)
    clients = [login_as(org["pegawai"], app.test_client()) for _ in range(10)]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def press(client):
        barrier.wait()
        statuses.append(client.post(f"/pelatihan/{training.id}/daftar").status_code)

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [303] + [409] * 9
    assert Registration.select().where(Registration.training == training.id).count() == 1
