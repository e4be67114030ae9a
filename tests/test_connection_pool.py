"""The app pools its connections on both engines: a page after the first opens none (on SQLite a
new connection would read the whole schema again, about 1 ms a page), and a request that runs
no query takes none from the pool."""

import time

import pytest
from playhouse.pool import PooledDatabase

from portal.db import PING_AFTER_IDLE_SECONDS, db
from tests.conftest import ON_MYSQL


def test_pages_reuse_the_pooled_connection(app, client, login_as, make_employee, monkeypatch):
    assert isinstance(db.obj, PooledDatabase)
    login_as(make_employee())
    assert client.get("/kegiatan").status_code == 200  # warm-up: the pool has its connection
    # The engine's own connect, below the pool (the pool calls it only for a new connection).
    mro = type(db.obj).__mro__
    engine = next(c for c in mro[mro.index(PooledDatabase) + 1 :] if "_connect" in vars(c))
    opened = []
    original = engine._connect
    monkeypatch.setattr(engine, "_connect", lambda self: opened.append(1) or original(self))
    for path in ("/", "/kegiatan", "/kegiatan?tampilan=minggu", "/"):
        assert client.get(path).status_code == 200
    assert opened == []


def test_a_request_without_a_query_takes_no_connection(app, client):
    if not db.is_closed():
        db.close()  # the test's own connection back to the pool
    in_use = len(db.obj._in_use)
    response = client.get("/static/js/portal.js")
    assert response.status_code in (200, 304)
    response.close()
    assert len(db.obj._in_use) == in_use
    assert db.is_closed()


@pytest.mark.skipif(not ON_MYSQL, reason="MariaDB only")
def test_mariadb_pool_pings_and_rolls_back_only_when_it_must(app, monkeypatch):
    """The pool's checks cost a round trip each: a busy connection is not pinged when taken nor
    rolled back when given back; one idle for longer than the limit is pinged."""
    if not db.is_closed():
        db.close()
    pool = db.obj
    db.connect()
    conn = db.connection()
    assert type(conn).__module__.startswith("MySQLdb")  # mysqlclient, not PyMySQL
    db.close()
    calls = []
    driver = type(conn)  # the driver's connection class (its objects take no attributes)
    ping, rollback = driver.ping, driver.rollback
    monkeypatch.setattr(driver, "ping", lambda c, *a: calls.append("ping") or ping(c, *a))
    monkeypatch.setattr(driver, "rollback", lambda c: calls.append("rollback") or rollback(c))
    for _ in range(3):
        db.connect()
        assert db.connection() is conn
        db.execute_sql("SELECT 1")
        db.close()
    assert calls == []  # busy: no ping, no rollback

    with db.atomic():  # a transaction of peewee's own ends before the connection goes back
        db.execute_sql(
            "INSERT INTO setting (created_at, updated_at, `key`, value)"
            " VALUES (NOW(), NOW(), 'uji.pool', '1')"
        )
        db.rollback()
    db.close()

    clock = time.monotonic() + PING_AFTER_IDLE_SECONDS + 1
    monkeypatch.setattr(time, "monotonic", lambda: clock)
    db.connect()  # idle for longer than the limit: pinged
    assert db.connection() is conn
    assert calls == ["ping"]
    assert db.execute_sql("SELECT COUNT(*) FROM setting WHERE `key` = 'uji.pool'").fetchone() == (
        0,
    )
    db.close()
    assert pool._in_use == {}
