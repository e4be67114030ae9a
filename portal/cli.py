"""Flask commands: migrate, translate, create-admin, backup and the domains' own commands."""

import click
from flask.cli import AppGroup

from portal import DOMAINS, ROOT, optional_import
from portal.db import db, is_mysql

MIGRATIONS = ROOT / "migrations"


def router():
    from peewee_migrate import Router

    return Router(db.obj, migrate_dir=str(MIGRATIONS), ignore=["basemodel"])


def migrate_database():
    """Bring the database to the newest migration (idempotent)."""
    if is_mysql():
        name = db.obj.database
        db.execute_sql(f"ALTER DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    router().run()


@click.command("migrate")
def migrate_command():
    """Bring the database to the newest schema."""
    db.connect(reuse_if_open=True)
    migrate_database()
    click.echo("Basis data sudah pada skema terbaru.")


@click.command("make-migration")
@click.argument("name")
@click.option(
    "--domain",
    "domains",
    multiple=True,
    required=True,
    help="The domain(s) whose models changed, e.g. --domain activities.",
)
def make_migration_command(name, domains):
    """Write migrations/NNN_NAME.py for the changes in the given domains' models.

    Only those domains' models (plus the tables earlier migrations made) are compared, so work
    in progress in another domain never leaks into this migration.
    """
    from peewee_migrate.router import compile_migrations

    db.connect(reuse_if_open=True)
    rt = router()
    for migration in rt.diff:
        rt.run_one(migration, rt.migrator, fake=True)
    known = {model._meta.table_name for model in rt.migrator.orm}
    wanted = set()
    for domain in domains:
        module = optional_import(f"portal.{domain}.models")
        if module is None:
            raise click.UsageError(f"portal.{domain}.models does not exist")
        wanted.update(getattr(module, "MODELS", []))
    from portal.models import MODELS

    models = [m for m in MODELS if m in wanted or m._meta.table_name in known]
    migrate = compile_migrations(rt.migrator, models)
    if not migrate:
        click.echo("No changes found.")
        return
    rollback = compile_migrations(rt.migrator, models, reverse=True)
    click.echo(f"Created {rt.compile(name, migrate, rollback)}")


translate = AppGroup("translate", help="Translation catalogs (extract, update, compile).")


@translate.command("update")
@click.argument("catalogs", nargs=-1)
def translate_update(catalogs):
    """Extract messages and merge them into the id and en catalogs."""
    from portal import i18n

    i18n.update(set(catalogs) or None)


@translate.command("extract")
@click.argument("catalogs", nargs=-1)
def translate_extract(catalogs):
    """Write each catalog's messages.pot."""
    from portal import i18n

    for name, (directory, _sources) in i18n.catalog_dirs().items():
        if catalogs and name not in catalogs:
            continue
        directory.mkdir(parents=True, exist_ok=True)
        i18n.extract(name, directory / "messages.pot")


@translate.command("compile")
def translate_compile():
    """Compile every catalog to .mo files."""
    from portal import i18n

    i18n.compile_all()


def register(app):
    app.cli.add_command(migrate_command)
    app.cli.add_command(make_migration_command)
    app.cli.add_command(translate)
    for domain in DOMAINS:
        module = optional_import(f"portal.{domain}.commands")
        for command in getattr(module, "COMMANDS", []):
            app.cli.add_command(command)
