"""Peewee migrations -- 019_reports.py.

Some examples (model - class or model name)::

    > Model = migrator.orm['table_name']            # Return model in current state by name
    > Model = migrator.ModelClass                   # Return model in current state by name

    > migrator.sql(sql)                             # Run custom SQL
    > migrator.run(func, *args, **kwargs)           # Run python function with the given args
    > migrator.create_model(Model)                  # Create a model (could be used as decorator)
    > migrator.remove_model(model, cascade=True)    # Remove a model
    > migrator.add_fields(model, **fields)          # Add fields (allow_not_null=True skips default)
    > migrator.change_fields(model, **fields)       # Change fields
    > migrator.remove_fields(model, *field_names, cascade=True)
    > migrator.rename_field(model, old_field_name, new_field_name)
    > migrator.rename_table(model, new_table_name)
    > migrator.add_index(model, *col_names, unique=False)
    > migrator.add_not_null(model, *field_names)
    > migrator.add_default(model, field_name, default)
    > migrator.add_constraint(model, name, sql)
    > migrator.drop_index(model, *col_names)
    > migrator.drop_not_null(model, *field_names)
    > migrator.drop_constraints(model, *constraints)

"""

from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your migrations here."""
    
    @migrator.create_model
    class Attendance(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        tahun = pw.SmallIntegerField()
        bulan = pw.SmallIntegerField()
        basis_points = pw.IntegerField()
        imported_by = pw.ForeignKeyField(column_name='imported_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "attendance"
            indexes = [(('employee', 'tahun', 'bulan'), True), (('tahun', 'bulan'), False)]

    @migrator.create_model
    class ExportJob(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        token = pw.CharField(max_length=64, unique=True)
        owner = pw.ForeignKeyField(column_name='owner_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        kind = pw.CharField(max_length=16)
        params = pw.TextField(default='{}')
        status = pw.CharField(default='antri', max_length=10)
        total = pw.IntegerField(default=0)
        done = pw.IntegerField(default=0)
        filename = pw.CharField(default='', max_length=200)
        error = pw.TextField(null=True)
        result = pw.TextField(null=True)
        expires_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "export_job"
            indexes = [(('owner', 'created_at'), False)]

    @migrator.create_model
    class MonthClosure(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        tahun = pw.SmallIntegerField()
        bulan = pw.SmallIntegerField()
        status = pw.CharField(default='ditutup', max_length=10)
        live_key = pw.CharField(max_length=40, null=True, unique=True)
        closed_by = pw.ForeignKeyField(column_name='closed_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        closed_at = pw.DateTimeField(null=True)
        reopened_by = pw.ForeignKeyField(column_name='reopened_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        reopened_at = pw.DateTimeField(null=True)
        reopen_reason = pw.TextField(null=True)

        class Meta:
            table_name = "month_closure"
            indexes = [(('tahun', 'bulan', 'status'), False)]

    @migrator.create_model
    class RecapSnapshot(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        closure = pw.ForeignKeyField(column_name='closure_id', field='id', model=migrator.orm['month_closure'], on_delete='CASCADE')
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='RESTRICT')
        tahun = pw.SmallIntegerField()
        bulan = pw.SmallIntegerField()
        working_days = pw.SmallIntegerField(default=0)
        days_with_entries = pw.SmallIntegerField(default=0)
        minutes_submitted = pw.IntegerField(default=0)
        minutes_approved = pw.IntegerField(default=0)
        target = pw.IntegerField(default=0)
        waiting = pw.IntegerField(default=0)
        returned = pw.IntegerField(default=0)

        class Meta:
            table_name = "recap_snapshot"
            indexes = [(('employee', 'tahun', 'bulan'), True), (('tahun', 'bulan'), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('recap_snapshot')

    migrator.remove_model('month_closure')

    migrator.remove_model('export_job')

    migrator.remove_model('attendance')
