"""Two decisions racing on one SKP (the atasan approves while their Plh returns it): one winner,
a Conflict for the other, on SQLite and MariaDB; real threads, one connection each."""

import threading
from collections import Counter

from portal.db import db
from portal.errors import Conflict
from portal.performance import lifecycle
from portal.performance.models import APPROVED, RETURNED, Skp
from tests.performance.conftest import add_rhk, appoint

ROUNDS = 4


def _decide(app, barrier, outcomes, action):
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            barrier.wait()
            action()
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        except Exception as error:  # pragma: no cover - shown by the assertion
            outcomes.append(repr(error))
        finally:
            db.close()


def test_two_racing_decisions_give_one_winner_and_a_conflict(app, org, cascade, make_employee):
    kabid = org["kabid"]
    plh = make_employee(nama="Plh Kabid", unit=org["bidang"], supervisor=org["kepala"])
    appoint(kabid, plh)
    parent = cascade["kabid"][1][0]
    for round_number in range(ROUNDS):
        pegawai = make_employee(unit=org["bidang"], supervisor=kabid)
        skp = lifecycle.create_skp(pegawai, pegawai)
        add_rhk(pegawai, skp, f"RHK {round_number}", intervenes=parent)
        lifecycle.submit_skp(pegawai, skp)
        seen = Skp.get_by_id(skp.id)
        outcomes: list[str] = []
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(
                target=_decide,
                args=(
                    app,
                    barrier,
                    outcomes,
                    lambda seen=seen: lifecycle.approve_skp(
                        kabid, Skp.get_by_id(seen.id), revision=seen.revision
                    ),
                ),
            ),
            threading.Thread(
                target=_decide,
                args=(
                    app,
                    barrier,
                    outcomes,
                    lambda seen=seen: lifecycle.return_skp(
                        plh, Skp.get_by_id(seen.id), "Perbaiki", revision=seen.revision
                    ),
                ),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert Counter(outcomes) == {"won": 1, "conflict": 1}, outcomes
        final = Skp.get_by_id(skp.id)
        assert final.status in (APPROVED, RETURNED)
        assert final.revision == seen.revision + 1


def test_two_racing_decisions_over_http_give_303_and_409(
    app, org, cascade, make_employee, login_as
):
    kabid = org["kabid"]
    plh = make_employee(nama="Plh Kabid", unit=org["bidang"], supervisor=org["kepala"])
    appoint(kabid, plh)
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    add_rhk(pegawai, skp, "RHK", intervenes=cascade["kabid"][1][0])
    lifecycle.submit_skp(pegawai, skp)
    revision = str(Skp.get_by_id(skp.id).revision)
    clients = [login_as(kabid, app.test_client()), login_as(plh, app.test_client())]
    requests = [
        (clients[0], f"/kinerja/skp/{skp.id}/setujui", {"revision": revision}),
        (clients[1], f"/kinerja/skp/{skp.id}/kembalikan", {"revision": revision, "note": "Ubah"}),
    ]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def press(client, url, data):
        barrier.wait()
        statuses.append(client.post(url, data=data).status_code)

    threads = [threading.Thread(target=press, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [303, 409]
    assert Skp.get_by_id(skp.id).status in (APPROVED, RETURNED)
