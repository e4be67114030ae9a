"""Migration 012 renames the stored pelatihan.* settings to trainings.*, and back."""

from portal import settings
from portal.cli import router
from portal.db import db, make_database
from portal.settings.models import Setting
from portal.trainings import CANCEL_DEADLINE_HOURS, CONFIRMATION_HOURS, TARGET_JP
from tests.test_migrations import _drop, _fresh_url

BEFORE = "011_org_employee_name_index"
RENAME = "012_trainings_settings_keys"


def test_stored_training_settings_keep_their_values_under_the_new_keys(tmp_path):
    url = _fresh_url(tmp_path, "settings_keys")
    try:
        database = make_database(url)
        db.initialize(database)
        database.connect()
        router().run(BEFORE)
        for key, value in [
            ("pelatihan.jam_konfirmasi", "6"),
            ("pelatihan.target_jp", "32"),
            ("pelatihan.batas_batal_jam", "48"),
            ("activities.max_minutes_per_day", "480"),
        ]:
            Setting.create(key=key, value=value)
        router().run(RENAME)
        stored = {row.key: row.value for row in Setting.select()}
        assert stored == {
            CONFIRMATION_HOURS: "6",
            TARGET_JP: "32",
            CANCEL_DEADLINE_HOURS: "48",
            "activities.max_minutes_per_day": "480",
        }
        assert settings.get_many([CONFIRMATION_HOURS, TARGET_JP, CANCEL_DEADLINE_HOURS]) == {
            CONFIRMATION_HOURS: 6,
            TARGET_JP: 32,
            CANCEL_DEADLINE_HOURS: 48,
        }
        router().rollback()
        assert {row.key for row in Setting.select()} == {
            "pelatihan.jam_konfirmasi",
            "pelatihan.target_jp",
            "pelatihan.batas_batal_jam",
            "activities.max_minutes_per_day",
        }
        database.close()
    finally:
        _drop(url)
