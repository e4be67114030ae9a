"""Peewee migrations -- 002_settings_ratelimit_notifications.py.

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
    class Notification(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        recipient = pw.ForeignKeyField(column_name='recipient_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        kind = pw.CharField(max_length=40)
        message = pw.TextField()
        link = pw.CharField(default='', max_length=500)
        dedupe_key = pw.CharField(max_length=190, null=True)
        read_at = pw.DateTimeField(null=True)
        emailed_at = pw.DateTimeField(null=True)

        class Meta:
            table_name = "notification"
            indexes = [(('recipient', 'read_at'), False), (('recipient', 'dedupe_key'), True)]

    @migrator.create_model
    class RateCounter(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        key = pw.CharField(max_length=190)
        window = pw.BigIntegerField()
        count = pw.IntegerField(default=0)

        class Meta:
            table_name = "rate_counter"
            indexes = [(('key', 'window'), True)]

    @migrator.create_model
    class Setting(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        key = pw.CharField(max_length=64, unique=True)
        value = pw.TextField()

        class Meta:
            table_name = "setting"


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('setting')

    migrator.remove_model('rate_counter')

    migrator.remove_model('notification')
