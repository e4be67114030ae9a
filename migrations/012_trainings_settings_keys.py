"""Peewee migrations -- 012_trainings_settings_keys.py.

The training settings take the one key style `<domain>.<name>` (English domain name): stored
rows of the settings table are renamed, so a pemda keeps the values it set.
"""

import peewee as pw
from peewee_migrate import Migrator

RENAMED = {
    "pelatihan.jam_konfirmasi": "trainings.confirmation_hours",
    "pelatihan.target_jp": "trainings.target_jp",
    "pelatihan.batas_batal_jam": "trainings.cancel_deadline_hours",
}


def _rename(database: pw.Database, pairs: dict[str, str]) -> None:
    setting = pw.Table("setting", ("id", "key", "value")).bind(database)
    for old, new in pairs.items():
        setting.update({setting.key: new}).where(setting.key == old).execute()


def migrate(migrator: Migrator, database: pw.Database, *, fake=False):
    """Rename the stored training settings to their trainings.* keys."""
    if not fake:
        migrator.run(_rename, database, RENAMED)


def rollback(migrator: Migrator, database: pw.Database, *, fake=False):
    """Give them back their pelatihan.* keys."""
    if not fake:
        migrator.run(_rename, database, {new: old for old, new in RENAMED.items()})
