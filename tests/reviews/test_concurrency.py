"""Two verifiers deciding the same entry at once, or a verifier and an editing pegawai, end with
exactly one outcome (one state change, one event, one audit row) and a clear message to the
other side. Real threads and real requests, on SQLite and on MariaDB."""

import threading
from datetime import timedelta

import pytest

from portal.activities.models import APPROVED, NEEDS_REVISION, SUBMITTED, Activity, ActivityEvent
from portal.audit.models import AuditLog
from portal.db import db, write_transaction
from portal.reviews import acting
from portal.reviews.acting import Appointment
from tests.reviews.conftest import TODAY

pytestmark = pytest.mark.usefixtures("frozen")
ROUNDS = 6


def _client_for(app, login_as, employee):
    client = app.test_client()
    login_as(employee, target=client)
    return client


def _run_together(*jobs):
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def runner(index, job):
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # pragma: no cover - surfaced below
            errors.append(error)
        finally:
            if not db.is_closed():
                db.close()

    threads = [threading.Thread(target=runner, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    return results


def test_two_verifiers_deciding_at_once_end_with_exactly_one_outcome(
    app, login_as, team, make_entry
):
    acting.appoint_acting(
        team["atasan"], Appointment(team["atasan"], team["plh"], "Plh", TODAY, TODAY)
    )
    atasan = _client_for(app, login_as, team["atasan"])
    plh = _client_for(app, login_as, team["plh"])
    entries = [
        make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=1 + i)) for i in range(ROUNDS)
    ]
    for entry in entries:
        url = f"/verifikasi/kegiatan/{entry.id}/putuskan"
        approve = {"action": "approve", "version": entry.version}
        send_back = {"action": "return", "version": entry.version, "note": "Lengkapi bukti"}
        first, second = _run_together(
            lambda url=url, data=approve: atasan.post(url, data=data),
            lambda url=url, data=send_back: plh.post(url, data=data),
        )
        statuses = sorted([first.status_code, second.status_code])
        assert statuses == [303, 409], statuses
        loser = first if first.status_code == 409 else second
        assert "sudah diputuskan oleh" in loser.get_data(as_text=True)
        db.connect(reuse_if_open=True)
        fresh = Activity.get_by_id(entry.id)
        assert fresh.status in (APPROVED, NEEDS_REVISION)
        assert fresh.version == entry.version + 1
        assert ActivityEvent.select().where(ActivityEvent.activity == entry.id).count() == 1
        audit = AuditLog.select().where(
            AuditLog.object_type == "Activity", AuditLog.object_id == str(entry.id)
        )
        assert audit.count() == 1


def test_bulk_approvals_racing_each_other_decide_each_entry_once(app, login_as, team, make_entries):
    acting.appoint_acting(
        team["atasan"], Appointment(team["atasan"], team["plh"], "Plh", TODAY, TODAY)
    )
    entries = make_entries(team["pegawai"], 40)
    items = ",".join(f"{e.id}:{e.version}" for e in entries)
    atasan = _client_for(app, login_as, team["atasan"])
    plh = _client_for(app, login_as, team["plh"])
    data = {"ids": items, "confirmed": "1"}
    first, second = _run_together(
        lambda: atasan.post("/verifikasi/setujui", data=data),
        lambda: plh.post("/verifikasi/setujui", data=data),
    )
    assert first.status_code == second.status_code == 303
    db.connect(reuse_if_open=True)
    ids = [e.id for e in entries]
    assert Activity.select().where(Activity.id.in_(ids), Activity.status == APPROVED).count() == 40
    assert ActivityEvent.select().where(ActivityEvent.activity.in_(ids)).count() == 40
    assert AuditLog.select().where(AuditLog.action == "activity.approved").count() == 40
    deciders = {row.decided_by_id for row in Activity.select().where(Activity.id.in_(ids))}
    assert deciders <= {team["atasan"].id, team["plh"].id}


def _pegawai_edit(entry_id, version):
    """What an edit does to the row: a conditional UPDATE on the version it read."""
    db.connect(reuse_if_open=True)
    with write_transaction():
        return (
            Activity.update(uraian="Diperbaiki", version=Activity.version + 1)
            .where(Activity.id == entry_id, Activity.version == version)
            .execute()
        )


def test_pegawai_edit_racing_an_approval_leaves_exactly_one_winner(app, login_as, team, make_entry):
    atasan = _client_for(app, login_as, team["atasan"])
    for index in range(ROUNDS):
        entry = make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=1 + index))
        url = f"/verifikasi/kegiatan/{entry.id}/putuskan"
        response, edited = _run_together(
            lambda url=url, v=entry.version: atasan.post(
                url, data={"action": "approve", "version": v}
            ),
            lambda e=entry: _pegawai_edit(e.id, e.version),
        )
        db.connect(reuse_if_open=True)
        fresh = Activity.get_by_id(entry.id)
        assert fresh.version == entry.version + 1  # exactly one change landed
        if response.status_code == 303:
            assert edited == 0 and fresh.status == APPROVED
        else:
            assert response.status_code == 409 and edited == 1
            assert fresh.status == SUBMITTED and fresh.uraian == "Diperbaiki"
            assert "Pegawai mengubah kegiatan ini" in response.get_data(as_text=True)
