"""Shared fixtures: an app on a fresh database (SQLite, or MariaDB when TEST_DATABASE_URL says
so), the test client, `login_as`, factories and a query counter.

SQLite: the schema is built once per session into a template file, copied for each test.
MariaDB: one database per xdist worker, tables built once, emptied after each test.
"""

import itertools
import logging
import os
import shutil
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from hypothesis import HealthCheck, settings

from portal import clock, create_app
from portal.db import check_kept_statements, db, is_mysql, make_database

# Statements run with `portal.db.kept` are compiled again at every use in the tests, and a
# kept text that differs from the fresh one (a key that misses a value) fails the test.
check_kept_statements()

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
ON_MYSQL = TEST_DATABASE_URL.startswith("mysql")
TEST_PASSWORD = "kata-sandi-uji-yang-panjang"

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "PASSWORD_HASH_MEMORY_KIB": 1024,
    "PASSWORD_HASH_TIME_COST": 1,
    "SERVER_NAME": None,
    # The race tests run up to 120 requests at once on MariaDB, each on its own connection.
    "DB_POOL_MAX_CONNECTIONS": 130,
}


# Every test starts at one fixed moment: Monday 23 November 2026, 15.00 WIB (08.00 UTC), and the
# clock runs on from there. No test sees the machine's clock, so the suite passes at any hour
# (`make test-clock` runs it at 23.30 and 00.30 WIB). Tests that need another moment travel
# again inside this one (time_machine nests).
# Property tests: no per-example deadline and no "too slow" health check, so a loaded machine
# (CI beside other work) cannot fail them; what they check is unchanged.
settings.register_profile("portal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("portal")

FROZEN_START = "2026-11-23 08:00:00+00:00"


def pytest_configure(config):
    # `make test-clock` starts the process with its wall clock moved (tests/wall_clock): make
    # sure it really is, or that run would prove nothing.
    moved_to = os.environ.get("PORTAL_WALL_CLOCK")
    if moved_to:
        moved = datetime.fromisoformat(moved_to).astimezone(UTC).replace(tzinfo=None)
        drift = abs(clock.utcnow() - moved)
        assert drift < timedelta(hours=1), f"the wall clock is not at {moved_to}"
    # Collection too (parametrize values, module constants) sees the fixed moment.
    config._portal_clock = time_machine.travel(FROZEN_START, tick=True)
    config._portal_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_portal_clock", None)
    if clock is not None:
        clock.stop()


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(FROZEN_START, tick=True) as traveller:
        yield traveller


def _models():
    from portal.models import MODELS

    return MODELS


def _mysql_url(worker):
    return f"{TEST_DATABASE_URL}_{worker}"


def _create_mysql_database(url):
    from urllib.parse import urlparse

    import pymysql

    parsed = urlparse(url)
    connection = pymysql.connect(
        host=parsed.hostname,
        port=parsed.port or 3306,
        user=parsed.username or "root",
        password=parsed.password or "",
        charset="utf8mb4",
    )
    name = parsed.path.lstrip("/")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory, worker_id):
    """SQLite: path of a file with the full schema. MariaDB: the URL of this worker's database."""
    if ON_MYSQL:
        url = _mysql_url(worker_id)
        _create_mysql_database(url)
        database = make_database(url)
        database.connect()
        with database.bind_ctx(_models()):
            database.create_tables(_models())
        database.close()
        return url
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    database = make_database(f"sqlite:///{path}")
    with database.bind_ctx(_models()):
        database.create_tables(_models())
    database.close()
    return str(path)


def _empty_mysql_tables():
    db.connect(reuse_if_open=True)
    db.execute_sql("SET FOREIGN_KEY_CHECKS=0")
    for model in _models():
        db.execute_sql(f"DELETE FROM `{model._meta.table_name}`")
    db.execute_sql("SET FOREIGN_KEY_CHECKS=1")
    db.close()


@pytest.fixture
def database_url(database_template, tmp_path):
    if ON_MYSQL:
        return database_template
    target = tmp_path / "portal.sqlite3"
    shutil.copyfile(database_template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app_config(tmp_path):
    """Override in a test module to change settings."""
    return {}


def _fresh_g():
    from flask import g

    g.__dict__.clear()


@pytest.fixture
def app(database_url, tmp_path, app_config):
    config = {
        **BASE_CONFIG,
        "DATABASE_URL": database_url,
        "UPLOAD_DIR": str(tmp_path / "uploads"),
        **app_config,
    }
    application = create_app(config)
    # The test keeps one app context open (models, gettext and settings work in the test body),
    # so every request would share its `g`. Give each request a clean `g`, as in production,
    # where each request has an app context of its own (Flask-Login and Flask-Babel cache there).
    application.before_request_funcs.setdefault(None, []).insert(0, _fresh_g)
    application.teardown_request_funcs.setdefault(None, []).append(lambda exc: _fresh_g())
    with application.app_context():
        db.connect(reuse_if_open=True)
        yield application
        if not db.is_closed():
            db.close()
    if ON_MYSQL:
        _empty_mysql_tables()
        db.obj.close_all()  # the pool's idle connections: the next test builds its own app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login_as(client):
    """login_as(employee): the test client is now signed in as that pegawai."""

    def _login(employee, target=None):
        target = target or client
        with target.session_transaction() as session:
            session["_user_id"] = employee.get_id()
            session["_fresh"] = True
        # The test's app context (and its `g`) outlives each request: forget the user that
        # Flask-Login cached there, or the previous (or anonymous) user sticks.
        from flask import g

        g.pop("_login_user", None)
        return target

    return _login


# --- factories -----------------------------------------------------------------------------

_serial = itertools.count(1)


def valid_nip(serial=None, sex=1, birth="19850312", tmt="201001"):
    serial = next(_serial) if serial is None else serial
    return f"{birth}{tmt}{sex}{serial % 1000:03d}"


@pytest.fixture
def make_unit():
    from portal.org.models import Unit

    def _make(nama=None, parent=None, jenis="Dinas", kode=None, work_days=5):
        number = next(_serial)
        unit = Unit.create(
            kode=kode or f"U{number:05d}",
            nama=nama or f"Dinas Uji {number}",
            jenis=jenis,
            parent=parent,
            work_days=work_days,
        )
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        unit.save()
        return unit

    return _make


@pytest.fixture
def make_employee(make_unit):
    """make_employee(unit=..., supervisor=..., roles=[("admin", None)], password=...)."""
    from portal.auth.passwords import hash_password
    from portal.org.models import Employee, RoleAssignment

    hashed = {}

    def _make(nama=None, unit=None, supervisor=None, roles=(), password=TEST_PASSWORD, **extra):
        number = next(_serial)
        if password not in hashed:
            hashed[password] = hash_password(password)
        # Born 1970-1989: always at least 17 at the TMT CPNS of valid_nip (2010), whatever the
        # counter says, so a NIP never depends on how many tests ran before.
        birth = f"19{70 + number % 20:02d}{1 + number % 12:02d}{1 + number % 28:02d}"
        employee = Employee.create(
            nip=extra.pop("nip", None) or valid_nip(number, birth=birth),
            nama=nama or f"Pegawai Uji {number}",
            email=extra.pop("email", None) or f"pegawai{number}@sukamaju.go.id",
            unit=unit or (supervisor.unit if supervisor else make_unit()),
            supervisor=supervisor,
            password_hash=hashed[password],
            jabatan=extra.pop("jabatan", "Analis"),
            golongan=extra.pop("golongan", "III/a"),
            **extra,
        )
        for role, role_unit in roles:
            RoleAssignment.create(employee=employee, role=role, unit=role_unit)
        return employee

    return _make


# --- query counting ----------------------------------------------------------------------


class _Counter(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.queries = []
        self.statements = []  # (sql, params) of peewee's own statements, e.g. to EXPLAIN them

    def emit(self, record):
        self.queries.append(record.getMessage())
        if record.name == "peewee" and isinstance(record.msg, tuple):
            self.statements.append(record.msg)


@contextmanager
def count_queries():
    """with count_queries() as queries: ...; len(queries.queries) is the SQL statements run."""
    logger = logging.getLogger("peewee")
    handler = _Counter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)


@pytest.fixture
def query_counter():
    return count_queries


@pytest.fixture(scope="session")
def worker_id(request):
    """The xdist worker name ('gw0', ...), or 'main' without xdist (also with -p no:xdist)."""
    workerinput = getattr(request.config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


def pytest_report_header(config):
    engine = "MariaDB/MySQL" if ON_MYSQL else "SQLite"
    return f"portal database engine: {engine}"


__all__ = ["TEST_PASSWORD", "count_queries", "is_mysql", "valid_nip"]


@pytest.fixture
def queued_jobs(app, tmp_path):
    """Jobs really queued (SqliteHuey), run by `run_next()` as the consumer would: a job's
    page shows it waiting, then finished (the reports' exports, the admin's pegawai import)."""
    from portal import jobs

    queue = jobs.make_huey(sqlite_path=str(tmp_path / "queued-jobs.sqlite3"))
    original = jobs.huey.storage, jobs.huey.immediate
    jobs.huey._immediate = False
    jobs.huey.storage = queue.storage

    def run_next():
        task = jobs.huey.dequeue()
        assert task is not None
        jobs.huey.execute(task)

    yield run_next
    jobs.huey.storage, jobs.huey._immediate = original
