"""Peewee migrations -- 001_org_audit.py.

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
    class Unit(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        kode = pw.CharField(max_length=32, unique=True)
        nama = pw.CharField(max_length=200)
        jenis = pw.CharField(max_length=32)
        parent = pw.ForeignKeyField(column_name='parent_id', field='id', model='self', null=True, on_delete='RESTRICT')
        path = pw.CharField(default='/', index=True, max_length=255)
        work_days = pw.SmallIntegerField(default=5)
        active = pw.BooleanField(default=True)

        class Meta:
            table_name = "unit"

    @migrator.create_model
    class Employee(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        nip = pw.CharField(max_length=18, unique=True)
        nama = pw.CharField(max_length=150)
        email = pw.CharField(max_length=254, null=True, unique=True)
        status = pw.CharField(default='PNS', max_length=8)
        golongan = pw.CharField(max_length=5, null=True)
        jenis_jabatan = pw.CharField(default='Pelaksana', max_length=32)
        jabatan = pw.CharField(default='', max_length=200)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], on_delete='RESTRICT')
        supervisor = pw.ForeignKeyField(column_name='supervisor_id', field='id', model='self', null=True, on_delete='SET NULL')
        active = pw.BooleanField(default=True, index=True)
        password_hash = pw.CharField(default='', max_length=255)
        session_version = pw.IntegerField(default=1)
        must_change_password = pw.BooleanField(default=False)
        failed_logins = pw.IntegerField(default=0)
        locked_until = pw.DateTimeField(null=True)
        last_login_at = pw.DateTimeField(null=True)
        language = pw.CharField(default='id', max_length=5)

        class Meta:
            table_name = "employee"
            indexes = [(('unit', 'active'), False), (('supervisor', 'active'), False)]

    @migrator.create_model
    class AuditLog(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        actor = pw.ForeignKeyField(column_name='actor_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        actor_label = pw.CharField(default='', max_length=200)
        action = pw.CharField(index=True, max_length=64)
        object_type = pw.CharField(max_length=64)
        object_id = pw.CharField(default='', max_length=64)
        before = pw.TextField(null=True)
        after = pw.TextField(null=True)
        note = pw.TextField(null=True)
        ip = pw.CharField(default='', max_length=64)

        class Meta:
            table_name = "audit_log"
            indexes = [(('object_type', 'object_id'), False), (('created_at',), False)]

    @migrator.create_model
    class RoleAssignment(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        role = pw.CharField(max_length=20)
        unit = pw.ForeignKeyField(column_name='unit_id', field='id', model=migrator.orm['unit'], null=True, on_delete='CASCADE')

        class Meta:
            table_name = "role_assignment"
            indexes = [(('employee', 'role', 'unit'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('role_assignment')

    migrator.remove_model('audit_log')

    migrator.remove_model('employee')

    migrator.remove_model('unit')
