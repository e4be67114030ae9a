"""Peewee migrations -- 007_reviews.py.

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
    class ActingAssignment(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        absent = pw.ForeignKeyField(column_name='absent_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        acting = pw.ForeignKeyField(column_name='acting_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        kind = pw.CharField(default='Plh', max_length=3)
        start_date = pw.DateField()
        end_date = pw.DateField()
        reason = pw.CharField(default='', max_length=300)
        appointed_by = pw.ForeignKeyField(column_name='appointed_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        cancelled_at = pw.DateTimeField(null=True)
        cancelled_by = pw.ForeignKeyField(column_name='cancelled_by_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')

        class Meta:
            table_name = "acting_assignment"
            indexes = [(('acting', 'start_date'), False), (('absent', 'start_date'), False)]

    @migrator.create_model
    class Feedback(pw.Model):
        id = pw.AutoField()
        created_at = pw.DateTimeField()
        updated_at = pw.DateTimeField()
        employee = pw.ForeignKeyField(column_name='employee_id', field='id', model=migrator.orm['employee'], on_delete='CASCADE')
        activity = pw.ForeignKeyField(column_name='activity_id', field='id', model=migrator.orm['activity'], null=True, on_delete='CASCADE')
        period = pw.DateField(null=True)
        author = pw.ForeignKeyField(column_name='author_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        acting_for = pw.ForeignKeyField(column_name='acting_for_id', field='id', model=migrator.orm['employee'], null=True, on_delete='SET NULL')
        body = pw.TextField()

        class Meta:
            table_name = "feedback_message"
            indexes = [(('activity', 'created_at'), False), (('employee', 'period', 'created_at'), False)]


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Write your rollback migrations here."""
    
    migrator.remove_model('feedback_message')

    migrator.remove_model('acting_assignment')
