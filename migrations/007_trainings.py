"""Peewee migrations -- 005_trainings.py.

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
    class Training(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        judul = pw.CharField(max_length=200)
        deskripsi = pw.TextField(default='')
        jenis = pw.CharField(default='pelatihan', max_length=20)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        penyelenggara = pw.CharField(default='', max_length=200)
        narasumber = pw.CharField(default='', max_length=300)
        tempat = pw.CharField(default='', max_length=200)
        link_daring = pw.CharField(default='', max_length=500)
        jp = pw.IntegerField(default=1)
        kuota = pw.IntegerField(default=30)
        registration_opens_at = pw.DateTimeField()
        registration_closes_at = pw.DateTimeField()
        target_units = pw.CharField(default='', max_length=500)
        target_jabatan = pw.CharField(default='', max_length=300)
        needs_approval = pw.BooleanField(default=False)
        status = pw.CharField(default='draf', index=True, max_length=12)
        starts_at = pw.DateTimeField(index=True, null=True)
        ends_at = pw.DateTimeField(null=True)
        cancel_reason = pw.TextField(null=True)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "training"

    @migrator.create_model
    class Registration(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        training = pw.ForeignKeyField(column_name='training_id', field='id', model=migrator.orm['training'], on_delete='CASCADE')
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        status = pw.CharField(max_length=16)
        queued_at = pw.DateTimeField(null=True)
        offer_expires_at = pw.DateTimeField(null=True)
        decided_by = pw.ForeignKeyField(column_name='decided_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        completed = pw.BooleanField(default=False)
        jp_credited = pw.IntegerField(default=0)
        certificate_number = pw.CharField(max_length=40, null=True, unique=True)
        verification_code = pw.CharField(max_length=32, null=True, unique=True)
        certificate_issued_at = pw.DateTimeField(null=True)
        rating = pw.SmallIntegerField(null=True)
        comment = pw.TextField(null=True)
        reminded_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "training_registration"
            indexes = [(('training', 'employee'), True), (('training', 'status', 'queued_at'), False), (('employee', 'status'), False), (('status', 'offer_expires_at'), False)]

    @migrator.create_model
    class TrainingSession(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        training = pw.ForeignKeyField(column_name='training_id', field='id', model=migrator.orm['training'], on_delete='CASCADE')
        starts_at = pw.DateTimeField()
        ends_at = pw.DateTimeField()
        topik = pw.CharField(default='', max_length=200)

        class Meta:
            table_name = "training_session"
            indexes = [(('training', 'starts_at'), False)]

    @migrator.create_model
    class Attendance(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        registration = pw.ForeignKeyField(column_name='registration_id', field='id', model=migrator.orm['training_registration'], on_delete='CASCADE')
        session = pw.ForeignKeyField(column_name='session_id', field='id', model=migrator.orm['training_session'], on_delete='CASCADE')
        present = pw.BooleanField()
        marked_by = pw.ForeignKeyField(column_name='marked_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "training_attendance"
            indexes = [(('registration', 'session'), True)]

    @migrator.create_model
    class CalendarToken(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE', unique=True)
        token = pw.CharField(max_length=64, unique=True)

        class Meta:
            table_name = "training_calendar_token"

    @migrator.create_model
    class ExternalRecord(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        judul = pw.CharField(max_length=200)
        penyelenggara = pw.CharField(max_length=200)
        tanggal = pw.DateField()
        jp = pw.IntegerField()
        stored_name = pw.CharField(max_length=64)
        original_name = pw.CharField(max_length=200)
        kind = pw.CharField(max_length=8)
        status = pw.CharField(default='diajukan', max_length=12)
        verified_by = pw.ForeignKeyField(column_name='verified_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        verified_at = pw.DateTimeField(null=True)
        note = pw.TextField(null=True)

        class Meta:
            table_name = "training_external_record"
            indexes = [(('employee', 'tanggal'), False), (('status',), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('training_external_record')

    migrator.remove_model('training_calendar_token')

    migrator.remove_model('training_attendance')

    migrator.remove_model('training_session')

    migrator.remove_model('training_registration')

    migrator.remove_model('training')
