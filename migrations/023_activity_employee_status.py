"""Peewee migrations -- 023_activity_employee_status.py: an index on the entries by (pegawai,
status), for a verifier's queue and its badge: the waiting entries of a team, read per pegawai,
whatever the size of the city (without it, every waiting entry of the city, or every entry of
the team, was read: 380 ms a queue page at 20,000 pegawai)."""

import peewee as pw
from peewee_migrate import Migrator


def _analyze(database: pw.Database) -> None:
    if isinstance(database, pw.SqliteDatabase):
        database.execute_sql("ANALYZE activity")


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.add_index("activity", "employee", "status", unique=False)
    if not fake:
        migrator.run(_analyze, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.drop_index("activity", "employee", "status")
