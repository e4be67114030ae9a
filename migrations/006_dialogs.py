"""Peewee migrations -- 006_dialogs.py.

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
    class Dialog(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        judul = pw.CharField(max_length=200)
        topik = pw.CharField(index=True, max_length=60)
        layanan = pw.CharField(default='', max_length=200)
        deskripsi = pw.TextField(default='')
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        tempat = pw.CharField(default='', max_length=200)
        alamat = pw.CharField(default='', max_length=300)
        online_url = pw.CharField(default='', max_length=300)
        starts_at = pw.DateTimeField()
        ends_at = pw.DateTimeField()
        registration_closes_at = pw.DateTimeField(null=True)
        kuota = pw.IntegerField(null=True)
        unsur_peserta = pw.TextField(default='')
        status = pw.CharField(default='draf', max_length=24)
        notice = pw.TextField(default='')
        registered_count = pw.IntegerField(default=0)
        announced_at = pw.DateTimeField(null=True)
        results_published_at = pw.DateTimeField(null=True)
        notulen = pw.TextField(default='')
        hadir_total = pw.IntegerField(null=True)
        hadir_masyarakat = pw.IntegerField(null=True)
        created_by = pw.ForeignKeyField(column_name='created_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "dialog"
            indexes = [(('status', 'starts_at'), False), (('unit', 'starts_at'), False)]

    @migrator.create_model
    class DialogAttachment(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        dialog = pw.ForeignKeyField(column_name='dialog_id', field='id', model=migrator.orm['dialog'], on_delete='CASCADE')
        label = pw.CharField(default='', max_length=150)
        stored_name = pw.CharField(max_length=64)
        original_name = pw.CharField(max_length=200)
        kind = pw.CharField(max_length=8)
        size = pw.IntegerField(default=0)
        uploaded_by = pw.ForeignKeyField(column_name='uploaded_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "dialog_attachment"

    @migrator.create_model
    class FollowUp(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        dialog = pw.ForeignKeyField(column_name='dialog_id', field='id', model=migrator.orm['dialog'], on_delete='CASCADE')
        uraian = pw.TextField()
        owner_unit = pw.ForeignKeyField(column_name='owner_unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        due_date = pw.DateField()
        status = pw.CharField(default='direncanakan', max_length=16)
        progress_note = pw.TextField(default='')
        updated_by = pw.ForeignKeyField(column_name='updated_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "dialog_follow_up"
            indexes = [(('owner_unit', 'status'), False)]

    @migrator.create_model
    class Question(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        dialog = pw.ForeignKeyField(column_name='dialog_id', field='id', model=migrator.orm['dialog'], on_delete='CASCADE')
        nama = pw.CharField(default='', max_length=120)
        anonim = pw.BooleanField(default=False)
        teks = pw.TextField()
        status = pw.CharField(default='menunggu', max_length=16)
        merged_into = pw.ForeignKeyField(column_name='merged_into_id', field='id', model='self', null=True, on_delete='SET NULL')
        reject_reason = pw.CharField(default='', max_length=300)
        moderated_by = pw.ForeignKeyField(column_name='moderated_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        moderated_at = pw.DateTimeField(null=True)
        support_count = pw.IntegerField(default=0)

        class Meta:
            table_name = "dialog_question"
            indexes = [(('dialog', 'status'), False)]

    @migrator.create_model
    class QuestionSupport(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        question = pw.ForeignKeyField(column_name='question_id', field='id', model=migrator.orm['dialog_question'], on_delete='CASCADE')
        voter = pw.CharField(max_length=64)

        class Meta:
            table_name = "dialog_question_support"
            indexes = [(('question', 'voter'), True)]

    @migrator.create_model
    class Registration(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        dialog = pw.ForeignKeyField(column_name='dialog_id', field='id', model=migrator.orm['dialog'], on_delete='CASCADE')
        nama = pw.CharField(max_length=120)
        organisasi = pw.CharField(default='', max_length=150)
        kontak = pw.CharField(max_length=120)
        kontak_normal = pw.CharField(max_length=120)
        code = pw.CharField(max_length=16, unique=True)
        status = pw.CharField(default='terdaftar', max_length=16)
        consent_at = pw.DateTimeField()
        cancelled_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "dialog_registration"
            indexes = [(('dialog', 'kontak_normal'), True), (('dialog', 'status'), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('dialog_registration')

    migrator.remove_model('dialog_question_support')

    migrator.remove_model('dialog_question')

    migrator.remove_model('dialog_follow_up')

    migrator.remove_model('dialog_attachment')

    migrator.remove_model('dialog')
