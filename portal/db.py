"""DATABASE_URL -> Peewee database, the base model, and transaction helpers.

SQLite runs with WAL, foreign keys, a busy timeout and synchronous=NORMAL; MySQL/MariaDB with
utf8mb4. The app pools connections on both engines: a request takes one on its first query and
gives it back at teardown (a request that runs no query takes none). On SQLite the pool saves
the reading of the schema that every new connection pays on its first statement (about 1 ms
for this schema, on every page).

Writes that depend on a read go through `write_transaction()`: an IMMEDIATE transaction on
SQLite (the writer lock is taken at BEGIN, so two writers never both read the old state) and a
plain transaction on MySQL, where the rows read must be taken with `locked(query)` (SELECT ...
FOR UPDATE; REPEATABLE READ alone would oversell).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

import MySQLdb
import peewee as pw
from flask import abort
from playhouse.pool import PooledSqliteDatabase, _PooledMySQLDatabase
from playhouse.shortcuts import ReconnectMixin

from portal.clock import utcnow

db = pw.DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
    "cache_size": -16000,
}


class MySQLClientDatabase(pw.MySQLDatabase):
    """MySQL through mysqlclient (MySQLdb), the C driver: PyMySQL reads every reply in Python,
    each column's description and each value, which cost as much CPU as the page around it
    (a one-row SELECT: 410 -> 180 µs of this process's CPU; fifty rows: 1.7 -> 0.6 ms).
    Peewee would take PyMySQL, which its migrations' tools also install."""

    def _connect(self) -> Any:
        return MySQLdb.connect(database=self.database, autocommit=True, **self.connect_params)


class ReconnectingMySQLDatabase(ReconnectMixin, MySQLClientDatabase):
    """MySQL that reconnects after the server closed an idle connection."""


PING_AFTER_IDLE_SECONDS = 30.0


class PooledReconnectingMySQLDatabase(ReconnectMixin, _PooledMySQLDatabase, MySQLClientDatabase):
    """MySQL with a per-process pool: a request takes a connection on its first query and gives
    it back at teardown, so a page pays no connect (about 25 ms with PyMySQL); connections
    older than the stale timeout are replaced, and a server-side close is reconnected.

    The pool's own checks cost a round trip each per request (a ping when a connection is
    taken, a ROLLBACK when it is given back): the ping is sent only to a connection idle for
    more than 30 s (a busy one that the server closed is reconnected by its first statement),
    and no rollback: peewee refuses to close a connection inside one of its transactions
    (`db.close()` raises; an error inside `db.atomic()` has rolled back on its way out), and
    the portal opens transactions no other way."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._given_back: dict[int, float] = {}  # id(connection) -> when it was given back

    def _is_closed(self, conn: Any) -> bool:
        idle = time.monotonic() - self._given_back.get(id(conn), float("-inf"))
        if idle < PING_AFTER_IDLE_SECONDS and getattr(conn, "open", True):
            return False
        return super()._is_closed(conn)

    def _can_reuse(self, conn: Any) -> bool:
        self._given_back[id(conn)] = time.monotonic()
        return True

    def _close_raw(self, conn: Any) -> None:
        self._given_back.pop(id(conn), None)
        super()._close_raw(conn)


@dataclass(frozen=True)
class Pool:
    """Pool bounds per process (one gunicorn worker): size it so that workers x instances x
    max_connections stays under the server's max_connections."""

    max_connections: int = 8
    stale_seconds: int = 300
    wait_seconds: int = 10


def make_database(url: str, pool: Pool | None = None) -> pw.Database:
    """Turn a DATABASE_URL into an (unconnected) Peewee database, pooled when `pool` is given
    (the app always gives one; one-off tools connect plainly)."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        path = unquote(parsed.path)[1:] or ":memory:"
        if pool is None or path == ":memory:":  # each pooled connection would be a new database
            return pw.SqliteDatabase(path, pragmas=SQLITE_PRAGMAS, timeout=10)
        # The busy wait is the pragma (10 s); the pool's own `timeout` is its wait for a
        # free connection. A pooled connection is used by one thread at a time, not always
        # the thread that opened it.
        return PooledSqliteDatabase(
            path,
            pragmas=SQLITE_PRAGMAS,
            check_same_thread=False,
            max_connections=pool.max_connections,
            stale_timeout=pool.stale_seconds,
            timeout=pool.wait_seconds,
        )
    if parsed.scheme in ("mysql", "mariadb", "mysql+pymysql"):
        options = dict(parse_qsl(parsed.query))
        params: dict[str, Any] = {
            "host": parsed.hostname or "127.0.0.1",
            "port": parsed.port or 3306,
            "user": unquote(parsed.username or "root"),
            "password": unquote(parsed.password or ""),
            "charset": "utf8mb4",
            **options,
        }
        name = parsed.path.lstrip("/")
        if pool is None:
            return ReconnectingMySQLDatabase(name, **params)
        return PooledReconnectingMySQLDatabase(
            name,
            max_connections=pool.max_connections,
            stale_timeout=pool.stale_seconds,
            timeout=pool.wait_seconds,
            **params,
        )
    raise ValueError(f"DATABASE_URL tidak dikenal: {parsed.scheme}://...")


def is_mysql(database: pw.Database | None = None) -> bool:
    target = database or db.obj
    return isinstance(target, pw.MySQLDatabase)


def json_rows(*columns: Any) -> pw.Function:
    """An aggregate giving the group's rows as one JSON array of arrays of `columns` (SQLite:
    "[]" for no row; MariaDB: NULL): a statement carries a few rows of another table in one
    column (the signed-in user's load carries their roles)."""
    if is_mysql():
        return pw.fn.JSON_ARRAYAGG(pw.fn.JSON_ARRAY(*columns))
    return pw.fn.json_group_array(pw.fn.json_array(*columns))


def json_object(key: Any, value: Any) -> pw.Function:
    """An aggregate giving the group's rows as one JSON object {key: value} (SQLite: "{}" for
    no row; MariaDB: NULL)."""
    gather = pw.fn.JSON_OBJECTAGG if is_mysql() else pw.fn.json_group_object
    return gather(key, value)


def analyze() -> None:
    """Refresh the query planner's statistics: ANALYZE on SQLite, which has none until asked
    (and then plans the entries' queries by a guess: see migration 022); MariaDB keeps its
    own. After bulk loads (the seed commands) and every night (`refresh_statistics`)."""
    if isinstance(db.obj, pw.SqliteDatabase):
        db.execute_sql("ANALYZE")


def raw_rows(query: Any, *key: Any) -> list[tuple[Any, ...]]:
    """The rows of a SELECT as the driver returns them, without peewee's conversion of each
    value (for a city's rows it costs more than the query): for integer and text columns,
    which both engines return as int and str (a date or a boolean comes back as stored).
    With `key`, its text is compiled once per key (see `kept`)."""
    if key:
        return list(db.execute_sql(*_kept_sql(query, key)).fetchall())
    return list(db.execute(query).fetchall())


_KEPT_SQL: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_KEPT_SQL_SIZE = 8192  # per process: then it starts again (a few MB at most)
_check_kept_sql = False


def check_kept_statements(on: bool = True) -> None:
    """From now on every `kept` statement is compiled again and compared (the tests' setting)."""
    global _check_kept_sql
    _check_kept_sql = on


def key_unless(subquery: Any, *key: Any) -> tuple[Any, ...]:
    """`key`, or none when the statement holds `subquery` (not None: a subquery or a list of
    ids): its text then depends on it, which the key cannot name, so it is built afresh
    (`kept` and `raw_rows` without a key)."""
    return key if subquery is None else ()


def kept(query: Any, *key: Any) -> Any:
    """Run a SELECT whose SQL text is compiled once per `key` (and engine), and return its rows
    as running `query` would (models, dicts or tuples, values converted).

    Peewee builds the text of a statement anew each time, and for a select of a few models that
    costs more than SQLite running it (0.5-4 ms a statement on this machine). For the
    statements every page runs: `key` names the statement and every value it was built from
    (ids, days, settings), so that the same key always means the same SQL and parameters; the
    tests (`check_kept_statements`) compile every use again and fail on a key that says less.
    Without a key the statement is built afresh (see `key_unless`)."""
    if not key:
        return query.execute()
    cursor = db.execute_sql(*_kept_sql(query, key))
    return query._get_cursor_wrapper(cursor)  # peewee's own row conversion for this query


def kept_sql(key: tuple[Any, ...], build: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
    """What `build()` returns (a statement's SQL text and parameters, and whatever else the
    caller derived while building it), built once per `key` and engine and kept per process.
    `key` must name every value the statement is built from; the tests
    (`check_kept_statements`) build every use again and fail on a key that says less."""
    full_key = (type(db.obj), *key)
    kept_value = _KEPT_SQL.get(full_key)
    if kept_value is None or _check_kept_sql:
        fresh = build()
        if kept_value is not None and kept_value != fresh:
            raise AssertionError(f"kept SQL for {key!r} changed: the key misses a value")
        if len(_KEPT_SQL) >= _KEPT_SQL_SIZE:
            _KEPT_SQL.clear()
        _KEPT_SQL[full_key] = kept_value = fresh
    return kept_value


def _kept_sql(query: Any, key: tuple[Any, ...]) -> tuple[str, tuple[Any, ...]]:
    def build() -> tuple[str, tuple[Any, ...]]:
        sql, params = query.sql()
        return sql, tuple(params)

    return kept_sql(key, build)


def kept_count(query: Any, *key: Any) -> int:
    """`query.count()` with its text compiled once per `key` (see `kept`): peewee's own count,
    the query wrapped and its columns reduced to 1 where that keeps the count."""
    clone = query.order_by().alias("_wrapped")
    if clone._count_can_project_one():
        clone = clone.select(pw.SQL("1"))
    counting = pw.Select([clone], [pw.fn.COUNT(pw.SQL("1"))]).bind(db).tuples()
    return int(next(iter(kept(counting, "count", *key)))[0])


def write_transaction() -> Any:
    """A transaction for read-then-write steps, safe on both engines."""
    if isinstance(db.obj, pw.SqliteDatabase) and not db.in_transaction():
        return db.atomic("IMMEDIATE")
    return db.atomic()


def locked(query: Any) -> Any:
    """`SELECT ... FOR UPDATE` where the engine has it (MySQL); SQLite locks at BEGIN."""
    return query.for_update() if is_mysql() else query


class BaseModel(pw.Model):
    created_at = pw.DateTimeField(default=utcnow)
    updated_at = pw.DateTimeField(default=utcnow)

    class Meta:
        database = db
        legacy_table_names = False

    def save(self, *args, **kwargs):
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)


def get_or_404(model: Any, pk: Any, *where: Any) -> Any:
    """Fetch one row by primary key (and extra conditions) or abort with 404."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        abort(404)
    query = model.select().where(model._meta.primary_key == pk, *where)
    row = query.first()
    if row is None:
        abort(404)
    return row
