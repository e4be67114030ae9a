"""Peewee migrations -- 003_activities.py.

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
    class Activity(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='RESTRICT')
        tanggal = pw.DateField()
        jam_mulai = pw.TimeField()
        jam_selesai = pw.TimeField()
        minutes = pw.IntegerField()
        uraian = pw.TextField()
        volume = pw.IntegerField(default=1)
        satuan = pw.CharField(default='kegiatan', max_length=50)
        lokasi = pw.CharField(default='WFO', max_length=5)
        rhk_id = pw.IntegerField(null=True)
        status = pw.CharField(default='draf', max_length=16)
        version = pw.IntegerField(default=1)
        submitted_at = pw.DateTimeField(null=True)
        menit_diakui = pw.IntegerField(null=True)
        decided_by = pw.ForeignKeyField(column_name='decided_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        decided_as = pw.ForeignKeyField(column_name='decided_as_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        decided_at = pw.DateTimeField(null=True)
        decision_note = pw.TextField(null=True)
        deleted_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "activity"
            indexes = [(('employee', 'tanggal'), False), (('status', 'submitted_at'), False)]

    @migrator.create_model
    class ActivityEvent(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        activity = pw.ForeignKeyField(column_name='activity_id', field='id', model=migrator.orm['activity'], on_delete='CASCADE')
        actor = pw.ForeignKeyField(column_name='actor_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        acting_for = pw.ForeignKeyField(column_name='acting_for_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        action = pw.CharField(max_length=32)
        from_status = pw.CharField(max_length=16, null=True)
        to_status = pw.CharField(max_length=16, null=True)
        note = pw.TextField(null=True)

        class Meta:
            table_name = "activity_event"
            indexes = [(('activity', 'created_at'), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('activity_event')

    migrator.remove_model('activity')
