"""Peewee migrations -- 013_public_service.py.

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
from decimal import ROUND_HALF_EVEN

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your migrations here."""
    
    @migrator.create_model
    class Complaint(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        kode = pw.CharField(max_length=16, unique=True)
        kategori = pw.CharField(max_length=60)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], null=True, on_delete='RESTRICT')
        teks = pw.TextField()
        nama = pw.CharField(default='', max_length=150)
        kontak = pw.CharField(max_length=254)
        foto_stored = pw.CharField(default='', max_length=64)
        foto_name = pw.CharField(default='', max_length=200)
        foto_kind = pw.CharField(default='', max_length=8)
        consent_publish = pw.BooleanField(default=False)
        status = pw.CharField(default='diterima', max_length=16)
        filed_on = pw.DateField()
        due_date = pw.DateField()
        reason = pw.TextField(default='')
        assignee = pw.ForeignKeyField(column_name='assignee_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        answer = pw.TextField(default='')
        answered_at = pw.DateTimeField(null=True)
        answered_by = pw.ForeignKeyField(column_name='answered_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        closed_on = pw.DateField(null=True)
        response_days = pw.SmallIntegerField(null=True)
        reminded_on = pw.DateField(null=True)
        escalated_at = pw.DateTimeField(null=True)
        escalated_to = pw.ForeignKeyField(column_name='escalated_to_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        activity_id = pw.IntegerField(null=True)
        published = pw.BooleanField(default=False)
        public_summary = pw.TextField(default='')
        published_at = pw.DateTimeField(null=True)
        rating = pw.SmallIntegerField(null=True)
        rating_note = pw.TextField(default='')
        version = pw.IntegerField(default=1)

        class Meta:
            table_name = "complaint"
            indexes = [(('unit', 'status'), False), (('assignee', 'status'), False), (('status', 'due_date'), False), (('published', 'published_at'), False)]

    @migrator.create_model
    class ComplaintEvent(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        complaint = pw.ForeignKeyField(column_name='complaint_id', field='id', model=migrator.orm['complaint'], on_delete='CASCADE')
        status = pw.CharField(max_length=16)
        note = pw.TextField(default='')
        actor = pw.ForeignKeyField(column_name='actor_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "complaint_event"
            indexes = [(('complaint', 'id'), False)]

    @migrator.create_model
    class ServiceIndicator(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        nama = pw.CharField(max_length=200)
        satuan = pw.CharField(max_length=50)
        direction = pw.CharField(default='naik', max_length=8)
        source = pw.CharField(default='manual', max_length=16)
        active = pw.BooleanField(default=True)
        rhk = pw.ForeignKeyField(column_name='rhk_id', field='id', model=migrator.orm['rhk'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "service_indicator"
            indexes = [(('unit', 'active'), False)]

    @migrator.create_model
    class IndicatorTarget(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        indicator = pw.ForeignKeyField(column_name='indicator_id', field='id', model=migrator.orm['service_indicator'], on_delete='CASCADE')
        year = pw.SmallIntegerField()
        target = pw.DecimalField(auto_round=False, decimal_places=2, max_digits=14, rounding=ROUND_HALF_EVEN)

        class Meta:
            table_name = "service_indicator_target"
            indexes = [(('indicator', 'year'), True)]

    @migrator.create_model
    class IndicatorValue(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        indicator = pw.ForeignKeyField(column_name='indicator_id', field='id', model=migrator.orm['service_indicator'], on_delete='CASCADE')
        year = pw.SmallIntegerField()
        month = pw.SmallIntegerField()
        value = pw.DecimalField(auto_round=False, decimal_places=2, max_digits=14, rounding=ROUND_HALF_EVEN)

        class Meta:
            table_name = "service_indicator_value"
            indexes = [(('indicator', 'year', 'month'), True)]

    @migrator.create_model
    class SkmService(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        nama = pw.CharField(max_length=200)
        populasi = pw.IntegerField(default=0)
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "skm_service"
            indexes = [(('unit', 'active'), False)]

    @migrator.create_model
    class SkmResponse(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        service = pw.ForeignKeyField(column_name='service_id', field='id', model=migrator.orm['skm_service'], on_delete='CASCADE')
        period = pw.CharField(max_length=8)
        respondent = pw.CharField(max_length=64)
        u1 = pw.SmallIntegerField()
        u2 = pw.SmallIntegerField()
        u3 = pw.SmallIntegerField()
        u4 = pw.SmallIntegerField()
        u5 = pw.SmallIntegerField()
        u6 = pw.SmallIntegerField()
        u7 = pw.SmallIntegerField()
        u8 = pw.SmallIntegerField()
        u9 = pw.SmallIntegerField()
        usia = pw.CharField(max_length=8)
        jenis_kelamin = pw.CharField(max_length=1)
        pendidikan = pw.CharField(max_length=8)
        pekerjaan = pw.CharField(max_length=20)
        saran = pw.TextField(default='')

        class Meta:
            table_name = "skm_response"
            indexes = [(('service', 'period', 'respondent'), True), (('service', 'period'), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('skm_response')

    migrator.remove_model('skm_service')

    migrator.remove_model('service_indicator_value')

    migrator.remove_model('service_indicator_target')

    migrator.remove_model('service_indicator')

    migrator.remove_model('complaint_event')

    migrator.remove_model('complaint')
