"""Peewee migrations -- 004_activities_calendar_evidence.py.

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


# The national holidays and cuti bersama of 2026 (portal/activities/data/libur-2026.csv),
# so a fresh database knows this year's working days. Admins maintain them at /admin/libur.
HOLIDAYS_2026 = [
    ('2026-01-01', 'libur_nasional', 'Tahun Baru 2026 Masehi'),
    ('2026-01-16', 'libur_nasional', 'Isra Mikraj Nabi Muhammad SAW'),
    ('2026-02-16', 'cuti_bersama', 'Cuti bersama Tahun Baru Imlek 2577 Kongzili'),
    ('2026-02-17', 'libur_nasional', 'Tahun Baru Imlek 2577 Kongzili'),
    ('2026-03-18', 'cuti_bersama', 'Cuti bersama Hari Suci Nyepi'),
    ('2026-03-19', 'libur_nasional', 'Hari Suci Nyepi (Tahun Baru Saka 1948)'),
    ('2026-03-20', 'cuti_bersama', 'Cuti bersama Idul Fitri 1447 H'),
    ('2026-03-21', 'libur_nasional', 'Idul Fitri 1447 H'),
    ('2026-03-22', 'libur_nasional', 'Idul Fitri 1447 H'),
    ('2026-03-23', 'cuti_bersama', 'Cuti bersama Idul Fitri 1447 H'),
    ('2026-03-24', 'cuti_bersama', 'Cuti bersama Idul Fitri 1447 H'),
    ('2026-04-03', 'libur_nasional', 'Wafat Yesus Kristus'),
    ('2026-04-05', 'libur_nasional', 'Kebangkitan Yesus Kristus (Paskah)'),
    ('2026-05-01', 'libur_nasional', 'Hari Buruh Internasional'),
    ('2026-05-14', 'libur_nasional', 'Kenaikan Yesus Kristus'),
    ('2026-05-15', 'cuti_bersama', 'Cuti bersama Kenaikan Yesus Kristus'),
    ('2026-05-27', 'libur_nasional', 'Idul Adha 1447 H'),
    ('2026-05-28', 'cuti_bersama', 'Cuti bersama Idul Adha 1447 H'),
    ('2026-05-31', 'libur_nasional', 'Hari Raya Waisak 2570 BE'),
    ('2026-06-01', 'libur_nasional', 'Hari Lahir Pancasila'),
    ('2026-06-16', 'libur_nasional', '1 Muharam Tahun Baru Islam 1448 H'),
    ('2026-08-17', 'libur_nasional', 'Hari Proklamasi Kemerdekaan RI'),
    ('2026-08-25', 'libur_nasional', 'Maulid Nabi Muhammad SAW'),
    ('2026-12-24', 'cuti_bersama', 'Cuti bersama Kelahiran Yesus Kristus'),
    ('2026-12-25', 'libur_nasional', 'Kelahiran Yesus Kristus'),
]


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your migrations here."""
    
    @migrator.create_model
    class ActivityTemplate(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        uraian = pw.TextField()
        volume = pw.IntegerField(default=1)
        satuan = pw.CharField(default='kegiatan', max_length=50)
        lokasi = pw.CharField(default='WFO', max_length=5)
        minutes = pw.IntegerField(default=60)

        class Meta:
            table_name = "activity_template"

    @migrator.create_model
    class DateUnlock(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        tanggal = pw.DateField()
        reason = pw.TextField()
        granted_by = pw.ForeignKeyField(column_name='granted_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        valid_until = pw.DateField()

        class Meta:
            table_name = "date_unlock"
            indexes = [(('employee', 'tanggal'), False)]

    @migrator.create_model
    class Evidence(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        activity = pw.ForeignKeyField(column_name='activity_id', field='id', model=migrator.orm['activity'], on_delete='CASCADE')
        kind = pw.CharField(max_length=8)
        stored_name = pw.CharField(max_length=64, null=True)
        original_name = pw.CharField(max_length=200)
        size = pw.IntegerField(default=0)
        url = pw.CharField(max_length=500, null=True)

        class Meta:
            table_name = "evidence"

    @migrator.create_model
    class Holiday(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        tanggal = pw.DateField(unique=True)
        jenis = pw.CharField(default='libur_nasional', max_length=20)
        keterangan = pw.CharField(max_length=200)

        class Meta:
            table_name = "holiday"


    if not fake:
        for tanggal, jenis, keterangan in HOLIDAYS_2026:
            migrator.sql(
                "INSERT INTO holiday (created_at, updated_at, tanggal, jenis, keterangan) "
                "VALUES (CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, %s, %s, %s)"
                % (repr(tanggal), repr(jenis), repr(keterangan))
            )


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('holiday')

    migrator.remove_model('evidence')

    migrator.remove_model('date_unlock')

    migrator.remove_model('activity_template')
