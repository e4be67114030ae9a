"""The minutes that count toward the monthly target are their own setting (issue 16, item 14):
a day's entries may total up to the cap (600 minutes), but at most `counted_minutes_per_day`
(300 by default, never below the national floor) of its approved minutes count."""

from datetime import date

import pytest

from portal import settings
from portal.activities import COUNTED_MINUTES_FLOOR
from portal.activities.models import APPROVED
from portal.activities.pages import dashboard_context, month_view
from portal.admin.services import save_settings

COUNTED = "activities.counted_minutes_per_day"
CAP = "activities.max_minutes_per_day"


def _all_settings(**changes):
    values = {}
    for key, definition in settings.DEFINITIONS.items():
        value = settings.get(key)
        values[key] = ("1" if value else "0") if definition.kind is bool else str(value)
    return {**values, **changes}


@pytest.fixture
def approved_days(people, make_activity):
    """Two approved days of the pegawai: 08.00-16.00 (480 minutes) and 08.00-10.00 (120)."""
    pegawai = people["pegawai"]
    make_activity(pegawai, "08:00", "12:00", tanggal=date(2026, 11, 16), status=APPROVED)
    make_activity(pegawai, "13:00", "17:00", tanggal=date(2026, 11, 16), status=APPROVED)
    make_activity(pegawai, "08:00", "10:00", tanggal=date(2026, 11, 17), status=APPROVED)
    return pegawai


def test_a_long_day_counts_only_the_minutes_per_day_toward_the_target(app, approved_days):
    month = month_view(approved_days, 2026, 11)
    assert month.approved == 600  # all of it is approved ...
    assert month.counted == 300 + 120  # ... but a day counts at most 300 minutes
    assert month.percent == round(420 * 100 / 6750)
    assert dashboard_context(approved_days)["approved"] == 420
    settings.put(COUNTED, 310)
    assert month_view(approved_days, 2026, 11).counted == 310 + 120


def test_the_month_page_shows_what_counts_and_what_was_approved(client, sign_in_as, approved_days):
    sign_in_as(approved_days)
    html = client.get("/kegiatan/bulan?bulan=2026-11").get_data(as_text=True)
    assert "Dihitung untuk target" in html
    assert 'value="420"' in html  # the progress bar
    assert "Disetujui seluruhnya 600; paling banyak 300 menit sehari yang dihitung." in html


def test_the_setting_keeps_the_national_floor_and_stays_within_the_daily_cap(app, people):
    admin = people["admin"]
    assert COUNTED_MINUTES_FLOOR == 300 and settings.get(COUNTED) == 300
    errors = save_settings(admin, _all_settings(**{COUNTED: "200"}))
    assert str(errors[COUNTED]) == "Minimal 300."
    errors = save_settings(admin, _all_settings(**{COUNTED: "480", CAP: "450"}))
    assert str(errors[COUNTED]) == "Tidak boleh melebihi batas menit per hari."
    assert settings.get(COUNTED) == 300 and settings.get(CAP) == 600  # nothing stored
    assert save_settings(admin, _all_settings(**{COUNTED: "305"})) == {}
    assert settings.get(COUNTED) == 305 and settings.get(CAP) == 600


def test_the_settings_page_refuses_a_value_below_the_floor(client, sign_in_as, people):
    sign_in_as(people["admin"])
    response = client.post("/admin/pengaturan", data=_all_settings(**{COUNTED: "120"}))
    assert response.status_code == 422 and "Minimal 300." in response.get_data(as_text=True)
    assert settings.get(COUNTED) == 300
