"""Migrating an empty database yields exactly the schema the models declare, on each engine."""

import uuid

import pytest

from portal.db import make_database
from tests.conftest import ON_MYSQL, TEST_DATABASE_URL, _create_mysql_database


def _fresh_url(tmp_path, label):
    if ON_MYSQL:
        url = f"{TEST_DATABASE_URL}_{label}_{uuid.uuid4().hex[:6]}"
        _create_mysql_database(url)
        return url
    return f"sqlite:///{tmp_path / label}.sqlite3"


def _drop(url):
    if ON_MYSQL:
        database = make_database(url)
        database.connect()
        database.execute_sql(f"DROP DATABASE `{database.database}`")
        database.close()


def _schema(database):
    tables = {}
    for table in sorted(database.get_tables()):
        if table == "migratehistory":
            continue
        columns = {
            c.name: (c.data_type.lower().split("(")[0], c.null, c.primary_key)
            for c in database.get_columns(table)
        }
        indexes = {(tuple(i.columns), i.unique) for i in database.get_indexes(table)}
        fks = {(f.column, f.dest_table, f.dest_column) for f in database.get_foreign_keys(table)}
        tables[table] = (columns, indexes, fks)
    return tables


def test_migrations_build_the_schema_the_models_declare(tmp_path):
    from portal.cli import router
    from portal.db import db
    from portal.models import MODELS

    migrated_url = _fresh_url(tmp_path, "migrated")
    declared_url = _fresh_url(tmp_path, "declared")
    try:
        migrated = make_database(migrated_url)
        db.initialize(migrated)
        migrated.connect()
        router().run()
        assert router().todo == router().done  # nothing left to apply
        declared = make_database(declared_url)
        declared.connect()
        with declared.bind_ctx(MODELS):
            declared.create_tables(MODELS)
        got, want = _schema(migrated), _schema(declared)
        assert set(got) == set(want)
        for table in want:
            assert got[table] == want[table], table
        migrated.close()
        declared.close()
    finally:
        _drop(migrated_url)
        _drop(declared_url)


@pytest.mark.skipif(not ON_MYSQL, reason="MariaDB only")
def test_mariadb_tables_are_utf8mb4(app):
    from portal.db import db

    rows = db.execute_sql(
        "SELECT table_name, table_collation FROM information_schema.tables "
        "WHERE table_schema = DATABASE()"
    ).fetchall()
    assert rows and all(collation.startswith("utf8mb4") for _name, collation in rows)
