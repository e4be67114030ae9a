"""Dates, times and numbers the way Indonesian users write them."""

from datetime import date, datetime, time

import pytest

from portal.web import formatting


@pytest.fixture
def request_ctx(app):
    with app.test_request_context("/"):
        yield app


def test_long_date_in_indonesian(request_ctx):
    assert formatting.tanggal(date(2026, 11, 23)) == "Senin, 23 November 2026"


def test_time_uses_a_dot_and_the_zone_abbreviation(request_ctx):
    assert formatting.jam(time(14, 30)) == "14.30"
    # 07.30 UTC is 14.30 WIB
    assert formatting.jam(datetime(2026, 11, 23, 7, 30), with_zone=True) == "14.30 WIB"


def test_stored_utc_timestamp_late_in_the_day_belongs_to_the_next_local_date(app):
    app.config["TIMEZONE"] = "Asia/Makassar"
    with app.test_request_context("/"):
        # 15.30 UTC on the 22nd is 23.30 WITA on the 22nd; 16.30 UTC is 00.30 WITA on the 23rd.
        assert formatting.tanggal(datetime(2026, 11, 22, 15, 30)) == "Minggu, 22 November 2026"
        assert formatting.tanggal(datetime(2026, 11, 22, 16, 30)) == "Senin, 23 November 2026"
        assert formatting.waktu(datetime(2026, 11, 22, 15, 30)).endswith("23.30 WITA")


def test_durations_read_naturally(request_ctx):
    assert formatting.durasi(135) == "2 jam 15 menit"
    assert formatting.durasi(45) == "45 menit"
    assert formatting.durasi(180) == "3 jam"
    assert formatting.durasi(0) == "0 menit"


def test_durations_follow_the_locale_of_each_request(request_ctx):
    from flask_babel import force_locale

    assert formatting.durasi(135) == "2 jam 15 menit"
    with force_locale("en"):
        assert formatting.durasi(135) == "2 hours 15 minutes"
        assert formatting.angka(6750) == "6,750"
    assert formatting.durasi(135) == "2 jam 15 menit"


def test_numbers_use_indonesian_grouping(request_ctx):
    assert formatting.angka(6750) == "6.750"
    assert formatting.angka(-1250000) == "-1.250.000"
    assert [formatting.angka(n) for n in (0, 7, 999, -999)] == ["0", "7", "999", "-999"]
    assert formatting.angka(87.5) == "87,5"
    assert formatting.rentang_jam(time(8, 0), time(9, 30)) == "08.00–09.30"
