"""Peewee migrations -- 010_dialogs_survey.py.

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
    class SurveyResponse(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        dialog = pw.ForeignKeyField(column_name='dialog_id', field='id', model=migrator.orm['dialog'], on_delete='CASCADE')
        voter = pw.CharField(max_length=64)
        u1 = pw.SmallIntegerField()
        u2 = pw.SmallIntegerField()
        u3 = pw.SmallIntegerField()
        u4 = pw.SmallIntegerField()
        u5 = pw.SmallIntegerField()
        u6 = pw.SmallIntegerField()
        u7 = pw.SmallIntegerField()
        u8 = pw.SmallIntegerField()
        u9 = pw.SmallIntegerField()
        saran = pw.TextField(default='')

        class Meta:
            table_name = "dialog_survey_response"
            indexes = [(('dialog', 'voter'), True)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('dialog_survey_response')

