"""The skeleton: headers, errors, access policy, htmx wiring, settings."""

import os
import re
import stat

import pytest
from flask import Blueprint

from portal import config as portal_config
from portal import create_app
from portal.web import access


def test_login_page_is_indonesian_and_carries_security_headers(client):
    response = client.get("/masuk")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="id">' in html
    assert "Masuk" in html
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert "base-uri 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "HX-Request" in response.headers["Vary"]
    assert "Strict-Transport-Security" not in response.headers


def test_hsts_only_over_https(client):
    response = client.get("/masuk", base_url="https://portal.example")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_page_shell_has_skip_link_csrf_header_and_local_assets(client):
    html = client.get("/masuk").get_data(as_text=True)
    assert 'href="#konten"' in html
    assert "hx-headers" in html and "X-CSRFToken" in html
    assert re.search(r"/static/vendor/htmx/htmx\.min\.[0-9a-f]{12}\.js", html)
    assert '"allowEval": false' in html and '"historyCacheSize": 0' in html
    assert "cdn" not in html.lower()


def test_anonymous_visitor_is_sent_to_login_with_next(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=/")


def test_expired_session_on_htmx_request_answers_hx_redirect(client):
    response = client.get("/", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/masuk")


def test_authenticated_pages_are_not_cached(client, login_as, make_employee):
    login_as(make_employee())
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"


def test_unknown_page_gives_indonesian_404_without_traceback(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Halaman tidak ditemukan" in html
    assert "Traceback" not in html


def test_htmx_error_is_swapped_out_of_band_into_the_flash_region(client):
    response = client.get("/tidak-ada", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Reswap"] == "none"
    assert 'hx-swap-oob="true"' in response.get_data(as_text=True)


def test_every_route_has_an_access_policy_entry(app):
    table = access.table()
    missing = sorted(
        rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint not in table
    )
    assert missing == [], f"routes without an access-policy entry: {missing}"


def test_route_missing_from_the_policy_is_denied(database_url, tmp_path):
    from tests.conftest import BASE_CONFIG

    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url})
    extra = Blueprint("extra", __name__)
    extra.add_url_rule("/rahasia", "secret", lambda: "secret")
    app.register_blueprint(extra)
    response = app.test_client().get("/rahasia")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


def test_csrf_token_is_required_for_state_changes(database_url, make_employee):
    from tests.conftest import BASE_CONFIG

    app = create_app({**BASE_CONFIG, "DATABASE_URL": database_url, "WTF_CSRF_ENABLED": True})
    client = app.test_client()
    response = client.post("/masuk", data={"identifier": "x", "password": "y"})
    assert response.status_code == 400
    assert "Formulir" in response.get_data(as_text=True)


def test_request_larger_than_the_limit_gets_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = client.post("/masuk", data={"identifier": "x" * 5000, "password": "y"})
    assert response.status_code == 413
    assert "terlalu besar" in response.get_data(as_text=True)


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(portal_config.ConfigError):
        portal_config.from_environment(str(tmp_path))


def test_production_settings_make_cookies_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    settings = portal_config.from_environment(str(tmp_path))
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert settings["SESSION_COOKIE_HTTPONLY"] is True
    assert settings["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_secret_key_is_generated_once_with_mode_0600(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    first = portal_config.from_environment(str(tmp_path))["SECRET_KEY"]
    second = portal_config.from_environment(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 32
    mode = stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode)
    assert mode == 0o600


def test_unknown_timezone_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("TIMEZONE", "Europe/Paris")
    with pytest.raises(portal_config.ConfigError):
        portal_config.from_environment(str(tmp_path))


def test_health_endpoint_needs_no_login(client):
    assert client.get("/sehat").get_json() == {"status": "ok"}
