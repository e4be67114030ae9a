"""The app pools its connections on both engines: a page after the first opens none (on SQLite a
new connection would read the whole schema again, about 1 ms a page), and a request that runs
no query takes none from the pool."""

from playhouse.pool import PooledDatabase

from portal.db import db


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
