"""Peewee migrations -- 021_month_totals.py: each pegawai's month of entries, summed
(portal.activities.month_totals). Every month with entries is marked stale here; the
refresh job (every minute) fills the totals, and readers compute stale months live meanwhile,
so the figures are exact from the first request."""

import peewee as pw
from peewee_migrate import Migrator

MARK_SQLITE = (
    "INSERT INTO month_total_stale (created_at, updated_at, employee_id, tahun, bulan, version) "
    "SELECT DISTINCT CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, employee_id, "
    "CAST(strftime('%Y', tanggal) AS INTEGER), CAST(strftime('%m', tanggal) AS INTEGER), 1 "
    "FROM activity"
)
MARK_MYSQL = (
    "INSERT INTO month_total_stale (created_at, updated_at, employee_id, tahun, bulan, version) "
    "SELECT DISTINCT UTC_TIMESTAMP(), UTC_TIMESTAMP(), employee_id, YEAR(tanggal), "
    "MONTH(tanggal), 1 FROM activity"
)


def _mark_every_month(database: pw.Database) -> None:
    database.execute_sql(MARK_SQLITE if isinstance(database, pw.SqliteDatabase) else MARK_MYSQL)


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    @migrator.create_model
    class MonthTotal(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(
            column_name="employee_id",
            field="id",
            model=migrator.orm["employee"],
            on_delete="CASCADE",
        )
        tahun = pw.SmallIntegerField()
        bulan = pw.SmallIntegerField()
        minutes_submitted = pw.IntegerField(default=0)
        minutes_approved = pw.IntegerField(default=0)
        waiting = pw.IntegerField(default=0)
        returned = pw.IntegerField(default=0)
        day_mask = pw.BigIntegerField(default=0)
        decisions = pw.TextField(default="")

        class Meta:
            table_name = "month_total"
            indexes = [(("employee", "tahun", "bulan"), True), (("tahun", "bulan"), False)]

    @migrator.create_model
    class MonthTotalStale(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(
            column_name="employee_id",
            field="id",
            model=migrator.orm["employee"],
            on_delete="CASCADE",
        )
        tahun = pw.SmallIntegerField()
        bulan = pw.SmallIntegerField()
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "month_total_stale"
            indexes = [(("employee", "tahun", "bulan"), True), (("tahun", "bulan"), False)]

    if not fake:
        migrator.run(_mark_every_month, database)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    migrator.remove_model("month_total_stale")
    migrator.remove_model("month_total")
