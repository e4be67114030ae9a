"""Finished pegawai import runs are deleted after the setting's days (nightly, or by
`flask purge-import-jobs`); a queued or running one never is. The clock is the suite's frozen
one, moved with time_machine."""

from datetime import timedelta

import pytest
import time_machine

from portal import settings
from portal.admin import services
from portal.admin.models import ImportJob
from portal.admin.tasks import purge_import_jobs
from portal.jobs import huey
from tests.conftest import count_queries

KEEP = "admin.import_jobs_keep_days"


@pytest.fixture
def admin(make_employee):
    return make_employee(nama="Rudi Hartono", roles=[("admin", None)])


def _job(actor, phase, token):
    return ImportJob.create(token=token, actor=actor.id, filename="pegawai.csv", phase=phase)


def _left():
    return {job.token for job in ImportJob.select(ImportJob.token)}


def test_the_keeping_time_is_a_bounded_setting_of_30_days(client, login_as, admin):
    definition = settings.DEFINITIONS[KEEP]
    assert (definition.default, definition.minimum, definition.maximum) == (30, 1, 365)
    assert settings.get(KEEP) == 30
    for bad in (0, 366):
        with pytest.raises(ValueError):
            settings.put(KEEP, bad)
    login_as(admin)
    page = client.get("/admin/pengaturan").get_data(as_text=True)
    assert "Simpan riwayat impor yang selesai (hari)" in page and "Impor pegawai" in page


def test_finished_runs_go_after_the_keeping_days_and_running_ones_never(app, admin):
    for phase in ("membaca", "memeriksa", "menyimpan", "selesai", "gagal"):
        _job(admin, phase, f"lama-{phase}")
    with time_machine.travel(timedelta(days=20)):
        _job(admin, "selesai", "baru-selesai")
    with time_machine.travel(timedelta(days=29, hours=23)):
        assert services.purge_import_jobs() == 0
    with time_machine.travel(timedelta(days=30, hours=1)):
        assert services.purge_import_jobs() == 2
        assert _left() == {"lama-membaca", "lama-memeriksa", "lama-menyimpan", "baru-selesai"}
    with time_machine.travel(timedelta(days=3650)):  # a stuck run is still never deleted
        assert services.purge_import_jobs() == 1
        assert _left() == {"lama-membaca", "lama-memeriksa", "lama-menyimpan"}


def test_the_age_counts_from_the_end_of_the_run_not_its_start(app, admin):
    job = _job(admin, "membaca", "antre-lama")  # queued today, run ten days later
    with time_machine.travel(timedelta(days=10)), app.test_request_context():
        services.run_import(job.id, f"{admin.id}-tidakada.csv")  # the upload is gone
    assert ImportJob.get_by_id(job.id).phase == "gagal"
    with time_machine.travel(timedelta(days=35)):
        assert services.purge_import_jobs() == 0
    with time_machine.travel(timedelta(days=41)):
        assert services.purge_import_jobs() == 1


def test_a_shorter_setting_purges_sooner_and_the_progress_page_is_then_gone(
    app, client, login_as, admin
):
    _job(admin, "selesai", "tok-selesai-1")
    settings.put(KEEP, 1)
    login_as(admin)
    assert client.get("/admin/impor/progres/tok-selesai-1").status_code == 200
    with time_machine.travel(timedelta(hours=25)):
        assert services.purge_import_jobs() == 1
        fresh = login_as(admin, app.test_client())  # the old session timed out
        assert fresh.get("/admin/impor/progres/tok-selesai-1").status_code == 404


def test_the_purge_is_a_nightly_task_and_a_command(app, admin):
    assert "purge_import_jobs" in {task.__name__ for task in huey._registry._periodic_tasks}
    _job(admin, "gagal", "tok-gagal-1")
    _job(admin, "selesai", "tok-selesai-2")
    _job(admin, "memeriksa", "tok-jalan-1")
    with time_machine.travel(timedelta(days=31)):
        assert purge_import_jobs.call_local() == 2
    assert _left() == {"tok-jalan-1"}
    _job(admin, "selesai", "tok-selesai-3")
    with time_machine.travel(timedelta(days=31)):
        result = app.test_cli_runner().invoke(args=["purge-import-jobs"])
    assert result.exit_code == 0 and "Riwayat impor dihapus: 1" in result.output
    assert _left() == {"tok-jalan-1"}


def test_the_purge_runs_the_same_queries_however_many_runs_there_are(app, admin):
    def measure(count, offset):
        for number in range(count):
            _job(admin, "selesai", f"tok-{offset}-{number}")
        with time_machine.travel(timedelta(days=31)), count_queries() as queries:
            assert services.purge_import_jobs() == count
        return len(queries.queries)

    assert measure(2, "a") == measure(40, "b")
