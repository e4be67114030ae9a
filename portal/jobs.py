"""Background jobs on huey: the one queue of the portal.

- Backend: SqliteHuey in instance/huey.sqlite3 by default (HUEY_DATABASE moves it), RedisHuey
  when REDIS_URL is set (e.g. redis://127.0.0.1:6379/0). Read from the environment when this
  module is imported, because tasks are declared on the one `huey` object at import time.
- Tasks live in `portal/<domain>/tasks.py`, declared with `@task()` or `@periodic(crontab)`
  from here; each runs inside an app context with its own database connection (the consumer
  is a separate process: `flask --app portal jobs`, started by `make run` beside gunicorn).
- Tests (app.config TESTING) and JOBS_IMMEDIATE=1 run every task at once, in the caller's
  process and app context (huey's immediate mode, memory storage).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import click
from flask import Flask, current_app, has_app_context, has_request_context
from huey import Huey, RedisHuey, SqliteHuey, crontab

from portal.backup import backup
from portal.db import analyze, db
from portal.domains import DOMAINS, ROOT, domain_module

log = logging.getLogger("portal.jobs")

QUEUE_NAME = "portal"


def make_huey(
    redis_url: str | None = None, sqlite_path: str | None = None, name: str = QUEUE_NAME
) -> Huey:
    """RedisHuey on `redis_url` when given, else SqliteHuey in `sqlite_path`."""
    if redis_url:
        return RedisHuey(name, url=redis_url)
    path = Path(sqlite_path or ROOT / "instance" / "huey.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(name, filename=str(path))


huey: Huey = make_huey(os.environ.get("REDIS_URL"), os.environ.get("HUEY_DATABASE"))

_bound: dict[str, Flask] = {}


def backend_name(queue: Huey | None = None) -> str:
    queue = queue or huey
    if queue.immediate:
        return "immediate"
    return "redis" if isinstance(queue, RedisHuey) else "sqlite"


def init_app(app: Flask) -> None:
    """Bind the app whose context tasks run in; immediate mode for tests or JOBS_IMMEDIATE."""
    app.extensions["huey"] = huey
    _bound.setdefault("app", app)
    immediate = bool(app.config.get("TESTING") or app.config.get("JOBS_IMMEDIATE"))
    if immediate:
        _bound["app"] = app  # the test's app, not an earlier one of the same process
    huey.immediate = immediate or bool(os.environ.get("JOBS_IMMEDIATE"))


@contextmanager
def _context() -> Iterator[None]:
    """The caller's app context (immediate mode), or the bound app's with a fresh connection."""
    if has_app_context():
        yield
        return
    app = _bound.get("app")
    if app is None:
        from portal import create_app  # the consumer process builds its app on first use

        app = create_app()
        _bound["app"] = app
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            yield
        finally:
            if not db.is_closed():
                db.close()


@contextmanager
def request_scope() -> Iterator[None]:
    """A bare request (anonymous, the default language) around work that renders templates
    or reads gettext outside a request, e.g. in the consumer; nothing inside a request."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context("/"):
        yield


def _in_context(function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _context():
            return function(*args, **kwargs)

    return run


def task(**options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a background task (called as `name(...)` it is queued; `.call_local` runs it)."""

    def declare(function: Callable[..., Any]) -> Any:
        return huey.task(**options)(_in_context(function))

    return declare


def periodic(schedule: Callable[..., bool], **options: Any) -> Callable[[Callable[..., Any]], Any]:
    """Declare a periodic task (`schedule` is a huey crontab in the pemda's local time)."""

    def declare(function: Callable[..., Any]) -> Any:
        return huey.periodic_task(schedule, **options)(_in_context(function))

    return declare


def at_local(hour: int, minute: int = 0) -> Callable[..., bool]:
    """A daily crontab at `hour`:`minute` in the pemda's time zone (TIMEZONE; the Indonesian
    zones keep no daylight saving, so a fixed offset from UTC, in which huey evaluates it)."""
    zone = ZoneInfo(os.environ.get("TIMEZONE", "Asia/Jakarta"))
    offset = zone.utcoffset(datetime(2026, 1, 1))  # noqa: DTZ001 (an offset, not a moment)
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return crontab(minute=str(minute), hour=str((hour - hours) % 24))


def load_tasks() -> list[str]:
    """Import every domain's tasks module (the consumer must know every task)."""
    loaded = []
    for domain in DOMAINS:
        if domain_module(domain, "tasks") is not None:
            loaded.append(domain)
    return loaded


# --- the portal-wide periodic tasks: the nightly backup, the planner's statistics ------------


@periodic(at_local(1, 30))
def nightly_backup() -> str:
    """The nightly online backup (also `flask --app portal backup`)."""
    path = backup(str(Path(current_app.instance_path) / "backups"))
    log.info("backup written to %s", path)
    return str(path)


@periodic(at_local(2, 30))
def refresh_statistics() -> None:
    """The query planner's statistics, after the day's changes (portal.db.analyze)."""
    analyze()


# --- the consumer -----------------------------------------------------------------------------


@click.command("jobs")
@click.option("--workers", default=2, show_default=True, help="Worker threads.")
def jobs_command(workers: int) -> None:
    """Run the job consumer (exports, imports, reminders, e-mails, backup) beside gunicorn."""
    _bound["app"] = current_app._get_current_object()  # type: ignore[attr-defined]
    huey.immediate = False
    domains = load_tasks()
    click.echo(
        f"Antrean pekerjaan ({backend_name()}, {workers} pekerja) untuk: {', '.join(domains)}"
    )
    # flush_locks: a task lock left by a consumer that was killed mid-task is released
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=True, flush_locks=True
    )
    consumer.run()
