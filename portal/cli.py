"""Flask commands: migrate, translate, create-admin, backup and the domains' own commands."""

import click
import peewee as pw
from flask import Flask
from flask.cli import AppGroup
from peewee_migrate import Router
from peewee_migrate.auto import diff_many
from peewee_migrate.router import CLEAN_RE, NEWLINE

from portal import i18n, jobs
from portal.backup import backup, restore
from portal.db import db, is_mysql
from portal.domains import DOMAINS, ROOT, domain_module

MIGRATIONS = ROOT / "migrations"


def router() -> Router:
    return Router(db.obj, migrate_dir=str(MIGRATIONS), ignore=["basemodel"])


def migrate_database() -> None:
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
    # Always against an empty in-memory database: every existing migration is replayed (fake)
    # to learn the schema they build, whatever state the developer's own database is in.
    db.initialize(pw.SqliteDatabase(":memory:"))
    db.connect(reuse_if_open=True)
    rt = router()
    for migration in rt.diff:
        rt.run_one(migration, rt.migrator, fake=True)
    wanted = set()
    for domain in domains:
        module = domain_module(domain, "models")
        if module is None:
            raise click.UsageError(f"portal.{domain}.models does not exist")
        wanted.update(getattr(module, "MODELS", []))
    tables = {model._meta.table_name for model in wanted}
    # By table name: peewee-migrate keys its ORM by class name, and two domains may both
    # have a class called Registration.
    known_tables = rt.migrator.orm.__tables__
    source = [known_tables[name] for name in tables if name in known_tables]

    def compile_code(changes):
        if not changes:
            return ""
        return CLEAN_RE.sub("\n", NEWLINE + NEWLINE.join("\n\n".join(changes).split("\n")))

    def index_signature(model):
        signature = set()
        for index in model._meta.fields_to_index():
            columns = tuple(
                getattr(part, "column_name", None) or getattr(part, "name", str(part))
                for part in index._expressions
            )
            signature.add((columns, bool(index._unique)))
        return signature

    # peewee-migrate reports every index of a changed table as dropped and re-added even when
    # nothing changed; keep index changes only for tables whose indexes really differ.
    same_indexes = {
        old._meta.table_name
        for old in source
        for new in wanted
        if old._meta.table_name == new._meta.table_name
        and index_signature(old) == index_signature(new)
    }

    def real(changes):
        return [
            change
            for change in changes
            if not (
                change.lstrip().startswith(("migrator.drop_index(", "migrator.add_index("))
                and change.split("'")[1] in same_indexes
            )
        ]

    migrate = compile_code(real(diff_many(list(wanted), source, rt.migrator)))
    if not migrate:
        click.echo("No changes found.")
        return
    rollback = compile_code(real(diff_many(source, list(wanted), rt.migrator, reverse=True)))
    # peewee-migrate numbers by counting files; number after the highest instead, so a gap
    # (a migration regenerated under a new number) never produces a duplicate number.
    numbers = [int(path.name[:3]) for path in MIGRATIONS.glob("[0-9][0-9][0-9]_*.py")]
    created = rt.compile(name, migrate, rollback)
    wanted_name = f"{max(numbers, default=0) + 1:03d}_{name}"
    if created != wanted_name:
        (MIGRATIONS / f"{created}.py").rename(MIGRATIONS / f"{wanted_name}.py")
    click.echo(f"Created {wanted_name}")


@click.command("backup")
@click.option("--output", default="instance/backups", show_default=True, help="Folder.")
def backup_command(output):
    """Write an online backup of the database."""
    db.connect(reuse_if_open=True)
    click.echo(f"Cadangan ditulis ke {backup(output)}")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(path, yes):
    """Replace the database's content with a backup (stop the portal first)."""
    if not yes:
        click.confirm("Seluruh isi basis data akan diganti dengan cadangan. Lanjutkan?", abort=True)
    restore(path)
    click.echo("Basis data dipulihkan dari cadangan.")


translate = AppGroup("translate", help="Translation catalogs (extract, update, compile).")


@translate.command("update")
@click.argument("catalogs", nargs=-1)
def translate_update(catalogs):
    """Extract messages and merge them into the id and en catalogs."""
    i18n.update(set(catalogs) or None)


@translate.command("extract")
@click.argument("catalogs", nargs=-1)
def translate_extract(catalogs):
    """Write each catalog's messages.pot."""
    for name, (directory, _sources) in i18n.catalog_dirs().items():
        if catalogs and name not in catalogs:
            continue
        directory.mkdir(parents=True, exist_ok=True)
        i18n.extract(name, directory / "messages.pot")


@translate.command("compile")
def translate_compile():
    """Compile every catalog to .mo files."""
    i18n.compile_all()


def register(app: Flask) -> None:
    app.cli.add_command(migrate_command)
    app.cli.add_command(make_migration_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    app.cli.add_command(translate)
    app.cli.add_command(jobs.jobs_command)
    for domain in DOMAINS:
        module = domain_module(domain, "commands")
        for command in getattr(module, "COMMANDS", []):
            app.cli.add_command(command)
