"""Production behind a TLS proxy: HSTS is sent whatever PROXY_FIX_HOPS says; the pemda's time
zone may be any Indonesian one."""

import pytest

from portal import config as portal_config
from portal import create_app


@pytest.fixture
def production_app(monkeypatch, database_url, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 48)
    monkeypatch.delenv("PROXY_FIX_HOPS", raising=False)
    return create_app({"DATABASE_URL": database_url, "UPLOAD_DIR": str(tmp_path / "u")})


def test_production_sends_hsts_behind_a_proxy_it_was_not_told_about(production_app):
    assert production_app.config["PROXY_FIX_HOPS"] == 0
    client = production_app.test_client()
    # The TLS proxy speaks plain HTTP to gunicorn and says https in X-Forwarded-Proto.
    response = client.get("/masuk", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_development_sends_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/masuk").headers


@pytest.mark.parametrize(
    ("zone", "label"),
    [
        ("Asia/Jakarta", "WIB"),
        ("Asia/Pontianak", "WIB"),
        ("Asia/Makassar", "WITA"),
        ("Asia/Jayapura", "WIT"),
    ],
)
def test_every_indonesian_time_zone_is_accepted(monkeypatch, tmp_path, zone, label):
    monkeypatch.setenv("TIMEZONE", zone)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    assert portal_config.from_environment(str(tmp_path))["TIMEZONE"] == zone
    assert portal_config.TIMEZONES[zone] == label


def test_a_zone_outside_indonesia_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMEZONE", "Asia/Singapore")
    with pytest.raises(portal_config.ConfigError):
        portal_config.from_environment(str(tmp_path))
