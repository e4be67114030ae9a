"""Races on real connections: two writers that read the same version, exactly one wins."""

import threading

from portal.activities import entries
from portal.activities.models import NEEDS_REVISION, Activity
from portal.db import db
from portal.errors import Conflict, DomainError
from tests.activities.conftest import entry_data


def _in_thread(app, barrier, results, work):
    def run():
        with app.app_context():
            db.connect(reuse_if_open=True)
            try:
                barrier.wait(timeout=10)
                work()
                results.append("ok")
            except DomainError as error:
                results.append(type(error).__name__)
            finally:
                db.close()

    return threading.Thread(target=run)


def test_two_tabs_editing_the_same_version_have_one_winner(app, people, frozen, make_activity):
    entry = make_activity(people["pegawai"], "08:00", "09:00", status=NEEDS_REVISION)
    employee = people["pegawai"]
    db.close()  # let the threads take the database
    barrier = threading.Barrier(2)
    results = []
    threads = [
        _in_thread(
            app,
            barrier,
            results,
            lambda end=end: entries.update_entry(
                employee, entry, entry_data(start="08:00", end=end), expected_version=1
            ),
        )
        for end in ("08:30", "08:45")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.connect(reuse_if_open=True)
    assert sorted(results) == ["Conflict", "ok"]
    assert Activity.get_by_id(entry.id).version == 2


def test_edit_racing_a_conditional_approval_has_one_winner(app, people, frozen, make_activity):
    """The reviews domain decides with UPDATE ... WHERE version = seen AND status = diajukan;
    a pegawai resubmitting an edited entry moves the version, so only one of them lands."""
    entry = make_activity(people["pegawai"], "08:00", "09:00", status=NEEDS_REVISION)
    employee = people["pegawai"]
    db.close()
    barrier = threading.Barrier(2)
    results = []

    def approve_seen_version():
        changed = (
            Activity.update(status="disetujui", version=Activity.version + 1)
            .where(Activity.id == entry.id, Activity.version == 1)
            .execute()
        )
        if not changed:
            raise Conflict("stale")

    def edit():
        entries.update_entry(employee, entry, entry_data(start="08:00", end="08:30"), 1)

    threads = [_in_thread(app, barrier, results, f) for f in (approve_seen_version, edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    db.connect(reuse_if_open=True)
    assert len(results) == 2
    assert results.count("ok") == 1
