"""Peewee migrations -- 018_evaluation.py.

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
    class EvaluationPeriod(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        tahun = pw.SmallIntegerField()
        jenis = pw.CharField(default='periodik', max_length=10)
        nomor = pw.SmallIntegerField(default=1)
        months = pw.SmallIntegerField(default=3)
        start_date = pw.DateField()
        end_date = pw.DateField()
        opens_on = pw.DateField()
        closes_on = pw.DateField()

        class Meta:
            table_name = "evaluation_period"
            indexes = [(('tahun', 'jenis', 'nomor'), True), (('start_date', 'end_date'), False)]

    @migrator.create_model
    class Evaluation(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        period = pw.ForeignKeyField(column_name='period_id', field='id', model=migrator.orm['evaluation_period'], on_delete='RESTRICT')
        skp = pw.ForeignKeyField(column_name='skp_id', field='id', model=migrator.orm['skp'], on_delete='RESTRICT')
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='RESTRICT')
        penilai = pw.ForeignKeyField(column_name='penilai_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        status = pw.CharField(default='draf', max_length=12)
        revision = pw.IntegerField(default=1)
        hasil = pw.CharField(max_length=10, null=True)
        perilaku = pw.CharField(max_length=10, null=True)
        predikat = pw.CharField(max_length=16, null=True)
        self_note = pw.TextField(default='')
        submitted_at = pw.DateTimeField(null=True)
        rated_at = pw.DateTimeField(null=True)
        rated_by = pw.ForeignKeyField(column_name='rated_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        finalized_at = pw.DateTimeField(null=True)
        finalized_by = pw.ForeignKeyField(column_name='finalized_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        calibration_note = pw.TextField(default='')

        class Meta:
            table_name = "evaluation"
            indexes = [(('period', 'skp'), True), (('penilai', 'period'), False), (('unit', 'period'), False), (('employee', 'status', 'finalized_at'), False)]

    @migrator.create_model
    class Feedback(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        evaluation = pw.ForeignKeyField(column_name='evaluation_id', field='id', model=migrator.orm['evaluation'], on_delete='CASCADE')
        key = pw.CharField(max_length=24)
        umpan_balik = pw.TextField(default='')

        class Meta:
            table_name = "feedback"
            indexes = [(('evaluation', 'key'), True)]

    @migrator.create_model
    class FollowUp(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        evaluation = pw.ForeignKeyField(column_name='evaluation_id', field='id', model=migrator.orm['evaluation'], on_delete='CASCADE')
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='RESTRICT')
        jenis = pw.CharField(max_length=24)
        uraian = pw.TextField(default='')
        nomor_dokumen = pw.CharField(max_length=100)
        tanggal_dokumen = pw.DateField()
        recorded_by = pw.ForeignKeyField(column_name='recorded_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "follow_up"
            indexes = [(('employee', 'tanggal_dokumen'), False)]

    @migrator.create_model
    class Objection(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        evaluation = pw.ForeignKeyField(column_name='evaluation_id', field='id', model=migrator.orm['evaluation'], on_delete='CASCADE', unique=True)
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='RESTRICT')
        decider = pw.ForeignKeyField(column_name='decider_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        alasan = pw.TextField()
        status = pw.CharField(default='diajukan', max_length=10)
        old_predikat = pw.CharField(max_length=16)
        new_predikat = pw.CharField(max_length=16, null=True)
        decision_note = pw.TextField(default='')
        decided_by = pw.ForeignKeyField(column_name='decided_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        decided_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "objection"
            indexes = [(('decider', 'status'), False)]

    @migrator.create_model
    class PeerRequest(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        evaluation = pw.ForeignKeyField(column_name='evaluation_id', field='id', model=migrator.orm['evaluation'], on_delete='CASCADE')
        peer = pw.ForeignKeyField(column_name='peer_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        requested_by = pw.ForeignKeyField(column_name='requested_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        submitted_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "peer_request"
            indexes = [(('evaluation', 'peer'), True), (('peer', 'submitted_at'), False)]

    @migrator.create_model
    class PeerInput(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        request = pw.ForeignKeyField(column_name='request_id', field='id', model=migrator.orm['peer_request'], on_delete='CASCADE')
        kode = pw.CharField(max_length=2)
        catatan = pw.TextField(default='')

        class Meta:
            table_name = "peer_input"
            indexes = [(('request', 'kode'), True)]

    @migrator.create_model
    class Realisasi(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        evaluation = pw.ForeignKeyField(column_name='evaluation_id', field='id', model=migrator.orm['evaluation'], on_delete='CASCADE')
        indicator = pw.ForeignKeyField(column_name='indicator_id', field='id', model=migrator.orm['indicator'], on_delete='CASCADE')
        angka = pw.DecimalField(auto_round=False, decimal_places=2, max_digits=16, null=True, rounding=ROUND_HALF_EVEN)
        uraian = pw.TextField(default='')
        bukti = pw.TextField(default='')

        class Meta:
            table_name = "realisasi"
            indexes = [(('evaluation', 'indicator'), True)]

    @migrator.create_model
    class UnitPredikat(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='CASCADE')
        tahun = pw.SmallIntegerField()
        predikat = pw.CharField(max_length=16)

        class Meta:
            table_name = "unit_predikat"
            indexes = [(('unit', 'tahun'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('unit_predikat')

    migrator.remove_model('realisasi')

    migrator.remove_model('peer_input')

    migrator.remove_model('peer_request')

    migrator.remove_model('objection')

    migrator.remove_model('follow_up')

    migrator.remove_model('feedback')

    migrator.remove_model('evaluation')

    migrator.remove_model('evaluation_period')
