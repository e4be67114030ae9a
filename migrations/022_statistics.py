"""Peewee migrations -- 022_statistics.py: the query planner's statistics on SQLite (ANALYZE).

Without them SQLite guessed that `status = ?` on the entries was selective and read every
approved entry of the city for a verifier's queue or a decision (0.35-1.4 s at 2,000 pegawai);
with them it takes the (employee, date) index. MariaDB keeps its own statistics. The nightly
job `refresh_statistics` and the seed commands keep them current (portal.db.analyze)."""

import peewee as pw
from peewee_migrate import Migrator


def _analyze(database: pw.Database) -> None:
    if isinstance(database, pw.SqliteDatabase):
        database.execute_sql("ANALYZE")


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    if not fake:
        migrator.run(_analyze, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    pass  # statistics only help; nothing to undo
