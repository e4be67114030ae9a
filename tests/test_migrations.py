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
        if table == "migratehistory" or table.startswith("sqlite_stat"):
            continue  # the planner's statistics (migration 022) are the engine's, not a model's
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
        if not ON_MYSQL:  # migration 022: SQLite plans with statistics from the start
            assert "sqlite_stat1" in migrated.get_tables()
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


def test_activity_rhk_becomes_a_foreign_key_and_dangling_ids_become_null(tmp_path):
    """Migration 017: the bare `activity.rhk_id` becomes a foreign key to `rhk`; a value that
    points to an RHK survives, one that points nowhere becomes NULL, and no entry, event or
    evidence row is lost on the way (on SQLite the table is not rebuilt, so nothing cascades)."""
    from datetime import date, time

    import peewee as pw

    from portal.activities.models import Activity, ActivityEvent
    from portal.cli import router
    from portal.db import db
    from portal.models import MODELS
    from portal.org.models import Employee, Unit
    from portal.performance.models import Rhk, Skp

    url = _fresh_url(tmp_path, "rhk_link")
    try:
        database = make_database(url)
        db.initialize(database)
        database.connect()
        router().run("016_performance")
        with database.bind_ctx(MODELS):
            unit = Unit.create(kode="U017", nama="Dinas Uji", jenis="Dinas", path="/")
            owner = Employee.create(nip="198503122010011017", nama="Pegawai Uji", unit=unit)
            skp = Skp.create(
                employee=owner, unit=unit, tahun=2026,
                start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
            )  # fmt: skip
            rhk = Rhk.create(skp=skp, uraian="Terlayaninya izin")
            rows = {}
            for label, rhk_id in (("linked", rhk.id), ("dangling", rhk.id + 999), ("none", None)):
                rows[label] = Activity.insert(
                    employee=owner.id, tanggal=date(2026, 11, 2), jam_mulai=time(8),
                    jam_selesai=time(9), minutes=60, uraian=label, rhk_id=rhk_id,
                ).execute()  # fmt: skip
                ActivityEvent.create(activity=rows[label], action="created")
        router().run()
        with database.bind_ctx(MODELS):
            got = {a.uraian: a.rhk_id for a in Activity.select()}
            assert got == {"linked": rhk.id, "dangling": None, "none": None}
            assert ActivityEvent.select().count() == 3
            fks = {(f.column, f.dest_table) for f in database.get_foreign_keys("activity")}
            assert ("rhk_id", "rhk") in fks
            with pytest.raises(pw.IntegrityError), database.atomic():
                Activity.update(rhk_id=rhk.id + 999).where(Activity.id == rows["none"]).execute()
        database.close()
    finally:
        _drop(url)
