"""Peewee migrations -- 011_performance.py.

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

from decimal import ROUND_HALF_EVEN
from contextlib import suppress

import peewee as pw
from peewee_migrate import Migrator


with suppress(ImportError):
    import playhouse.postgres_ext as pw_pext


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your migrations here."""
    
    @migrator.create_model
    class Skp(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='RESTRICT')
        penilai = pw.ForeignKeyField(column_name='penilai_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        jabatan = pw.CharField(default='', max_length=200)
        jpt = pw.BooleanField(default=False)
        tahun = pw.SmallIntegerField()
        start_date = pw.DateField()
        end_date = pw.DateField()
        pendekatan = pw.CharField(default='kualitatif', max_length=12)
        status = pw.CharField(default='draf', max_length=12)
        revision = pw.IntegerField(default=1)
        version_no = pw.SmallIntegerField(default=1)
        previous = pw.ForeignKeyField(column_name='previous_id', field='id', model='self', null=True, on_delete='SET NULL')
        latest = pw.BooleanField(default=True)
        live_key = pw.CharField(max_length=40, null=True, unique=True)
        superseded_at = pw.DateTimeField(null=True)
        submitted_at = pw.DateTimeField(null=True)
        decided_at = pw.DateTimeField(null=True)
        decided_by = pw.ForeignKeyField(column_name='decided_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        decided_for = pw.ForeignKeyField(column_name='decided_for_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        return_note = pw.TextField(default='')
        dukungan_sumber_daya = pw.TextField(default='')
        skema_pertanggungjawaban = pw.TextField(default='')
        konsekuensi = pw.TextField(default='')

        class Meta:
            table_name = "skp"
            indexes = [(('employee', 'start_date', 'version_no'), True), (('employee', 'tahun', 'latest'), False), (('penilai', 'status'), False), (('unit', 'tahun', 'latest'), False), (('tahun', 'status', 'latest'), False)]

    @migrator.create_model
    class BehaviourExpectation(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        skp = pw.ForeignKeyField(column_name='skp_id', field='id', model=migrator.orm['skp'], on_delete='CASCADE')
        kode = pw.CharField(max_length=2)
        ekspektasi = pw.TextField(default='')
        author = pw.ForeignKeyField(column_name='author_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "behaviour_expectation"
            indexes = [(('skp', 'kode'), True)]

    @migrator.create_model
    class Iku(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='CASCADE')
        tahun = pw.SmallIntegerField()
        perspektif = pw.CharField(max_length=32)
        sasaran = pw.CharField(max_length=500)
        indikator = pw.CharField(default='', max_length=500)
        target = pw.CharField(default='', max_length=100)
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "iku"
            indexes = [(('unit', 'tahun', 'active'), False)]

    @migrator.create_model
    class Rhk(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        skp = pw.ForeignKeyField(column_name='skp_id', field='id', model=migrator.orm['skp'], on_delete='CASCADE')
        jenis = pw.CharField(default='utama', max_length=10)
        uraian = pw.TextField()
        urutan = pw.SmallIntegerField(default=0)
        intervenes = pw.ForeignKeyField(column_name='intervenes_id', field='id', model='self', null=True, on_delete='SET NULL')
        iku = pw.ForeignKeyField(column_name='iku_id', field='id', model=migrator.orm['iku'], null=True, on_delete='SET NULL')
        perspektif = pw.CharField(default='', max_length=32)
        lineage = pw.IntegerField(index=True, null=True)

        class Meta:
            table_name = "rhk"
            indexes = [(('skp', 'urutan'), False)]

    @migrator.create_model
    class Indicator(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        rhk = pw.ForeignKeyField(column_name='rhk_id', field='id', model=migrator.orm['rhk'], on_delete='CASCADE')
        aspek = pw.CharField(default='kualitatif', max_length=12)
        uraian = pw.TextField()
        target_angka = pw.DecimalField(auto_round=False, decimal_places=2, max_digits=16, null=True, rounding=ROUND_HALF_EVEN)
        satuan = pw.CharField(default='', max_length=50)
        target_uraian = pw.TextField(default='')
        urutan = pw.SmallIntegerField(default=0)

        class Meta:
            table_name = "indicator"
            indexes = [(('rhk', 'urutan'), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('indicator')

    migrator.remove_model('rhk')

    migrator.remove_model('iku')

    migrator.remove_model('behaviour_expectation')

    migrator.remove_model('skp')
