"""Peewee migrations -- 017_activity_rhk_link.py.

`activity.rhk_id` (a bare integer since 003) becomes a real foreign key to `rhk` (ON DELETE SET
NULL), with its index. Existing values that point to no RHK become NULL first.

MariaDB/MySQL: ALTER TABLE adds the index and the constraint. SQLite cannot add a constraint to
an existing table, and the usual rebuild (create, copy, drop, rename) would cascade: dropping
`activity` with foreign_keys=ON deletes its events and evidence, and the pragma cannot be turned
off inside the migration's transaction. The constraint changes nothing on disk, so the table's
CREATE statement is amended in sqlite_schema (the procedure SQLite documents for such changes:
writable_schema, schema_version + 1), then `PRAGMA foreign_key_check` proves the rows obey it.
"""

import peewee as pw
from peewee_migrate import Migrator

CONSTRAINT = ', FOREIGN KEY ("rhk_id") REFERENCES "rhk" ("id") ON DELETE SET NULL'
DANGLING = (
    "UPDATE activity SET rhk_id = NULL WHERE rhk_id IS NOT NULL "
    "AND NOT EXISTS (SELECT 1 FROM rhk WHERE rhk.id = activity.rhk_id)"
)


def _sqlite_add_constraint(database: pw.Database) -> None:
    (sql,) = database.execute_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'activity'"
    ).fetchone()
    if 'REFERENCES "rhk"' not in sql:
        end = sql.rstrip().rindex(")")
        amended = sql[:end] + CONSTRAINT + sql[end:]
        (version,) = database.execute_sql("PRAGMA schema_version").fetchone()
        database.execute_sql("PRAGMA writable_schema = ON")
        try:
            database.execute_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'activity'",
                (amended,),
            )
            database.execute_sql(f"PRAGMA schema_version = {int(version) + 1}")
        finally:
            database.execute_sql("PRAGMA writable_schema = OFF")
    problems = database.execute_sql("PRAGMA foreign_key_check(activity)").fetchall()
    if problems:
        raise RuntimeError(f"activity rows break a foreign key: {problems[:5]}")
    database.execute_sql('CREATE INDEX IF NOT EXISTS "activity_rhk_id" ON "activity" ("rhk_id")')


def _mysql_add_constraint(database: pw.Database) -> None:
    database.execute_sql("ALTER TABLE `activity` ADD INDEX `activity_rhk_id` (`rhk_id`)")
    database.execute_sql(
        "ALTER TABLE `activity` ADD CONSTRAINT `fk_activity_rhk_id_refs_rhk` "
        "FOREIGN KEY (`rhk_id`) REFERENCES `rhk` (`id`) ON DELETE SET NULL"
    )


def _link(database: pw.Database) -> None:
    database.execute_sql(DANGLING)
    if isinstance(database, pw.SqliteDatabase):
        _sqlite_add_constraint(database)
    else:
        _mysql_add_constraint(database)


def _unlink(database: pw.Database) -> None:
    if isinstance(database, pw.SqliteDatabase):
        database.execute_sql('DROP INDEX IF EXISTS "activity_rhk_id"')
        (sql,) = database.execute_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'activity'"
        ).fetchone()
        (version,) = database.execute_sql("PRAGMA schema_version").fetchone()
        database.execute_sql("PRAGMA writable_schema = ON")
        try:
            database.execute_sql(
                "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'activity'",
                (sql.replace(CONSTRAINT, ""),),
            )
            database.execute_sql(f"PRAGMA schema_version = {int(version) + 1}")
        finally:
            database.execute_sql("PRAGMA writable_schema = OFF")
    else:
        database.execute_sql(
            "ALTER TABLE `activity` DROP FOREIGN KEY `fk_activity_rhk_id_refs_rhk`"
        )
        database.execute_sql("ALTER TABLE `activity` DROP INDEX `activity_rhk_id`")


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """rhk_id -> a foreign key to rhk."""
    meta = migrator.orm["activity"]._meta
    meta.remove_field("rhk_id")
    meta.add_field(
        "rhk",
        pw.ForeignKeyField(
            column_name="rhk_id",
            field="id",
            model=migrator.orm["rhk"],
            null=True,
            on_delete="SET NULL",
        ),
    )
    if not fake:
        migrator.run(_link, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """The foreign key -> the bare integer again (values kept)."""
    meta = migrator.orm["activity"]._meta
    meta.remove_field("rhk")
    meta.add_field("rhk_id", pw.IntegerField(null=True))
    if not fake:
        migrator.run(_unlink, database)
