"""The job queue: immediate in tests; SqliteHuey by default and RedisHuey with REDIS_URL, each
really storing and running a task; the periodic tasks replace cron."""

import os
import socket

import pytest

from portal import jobs


def _double(value):
    return value * 2


def test_tests_run_jobs_at_once(app):
    assert jobs.huey.immediate
    assert jobs.backend_name() == "immediate"


def _round_trip(queue):
    double = queue.task()(_double)
    result = double(21)
    assert len(queue) == 1  # stored, waiting for a consumer
    task = queue.dequeue()
    queue.execute(task)
    assert result.get() == 42


def test_sqlite_huey_stores_and_runs_a_task(tmp_path):
    queue = jobs.make_huey(sqlite_path=str(tmp_path / "huey.sqlite3"))
    assert jobs.backend_name(queue) == "sqlite"
    _round_trip(queue)


def _redis_up(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis server on 127.0.0.1:6379")
def test_redis_huey_stores_and_runs_a_task(worker_id):
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    queue = jobs.make_huey(redis_url=url, name=f"portal-test-{worker_id}-{os.getpid()}")
    queue.flush()
    try:
        assert jobs.backend_name(queue) == "redis"
        _round_trip(queue)
    finally:
        queue.flush()


def test_the_periodic_tasks_replace_cron(app):
    loaded = jobs.load_tasks()
    assert {
        "reviews",
        "trainings",
        "notifications",
        "reports",
        "performance",
        "public_service",
    } <= set(loaded)
    names = {task.__name__ for task in jobs.huey._registry._periodic_tasks}
    assert {
        "morning_reminders",
        "hourly_training_reminders",
        "deliver_notification_emails",
        "nightly_backup",
        "refresh_statistics",
        "delete_expired_exports",
        "evaluation_reminders",
        "complaint_deadlines",
    } <= names


def test_the_morning_reminders_run_as_a_task(app, make_employee):
    from portal.reviews.tasks import morning_reminders

    make_employee()
    assert morning_reminders.call_local() >= 0


def test_the_evaluation_and_complaint_sweeps_run_as_tasks(app):
    from portal.performance.tasks import evaluation_reminders
    from portal.public_service.tasks import complaint_deadlines

    assert evaluation_reminders.call_local() == 0
    assert complaint_deadlines.call_local() == 0


def test_the_nightly_backup_runs_as_a_task(app, tmp_path):
    path = jobs.nightly_backup.call_local()
    assert os.path.exists(path)
    os.remove(path)


def test_at_local_turns_the_pemda_hour_into_utc(monkeypatch):
    monkeypatch.setenv("TIMEZONE", "Asia/Makassar")
    schedule = jobs.at_local(7, 0)
    from datetime import datetime

    assert schedule(datetime(2026, 11, 23, 23, 0))  # 07.00 WITA is 23.00 UTC
    assert not schedule(datetime(2026, 11, 23, 0, 0))
