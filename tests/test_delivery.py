"""How pages and files travel: compressed responses, fingerprinted static files cached for good
and served without the session or the database, a session cookie sent only when it changed."""

import re

import pytest

from tests.conftest import count_queries

GZIP = {"Accept-Encoding": "gzip"}


def _asset_urls(html):
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_static_names_are_fingerprinted_and_cached_for_a_year(client):
    html = client.get("/masuk").get_data(as_text=True)
    urls = _asset_urls(html)
    assert any("/vendor/htmx/htmx.min." in url for url in urls)
    for url in urls:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", url), url
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        response.close()


def test_a_stale_or_plain_name_is_served_with_a_short_cache(client):
    with client.get("/static/css/portal.css") as plain:
        assert plain.status_code == 200 and "immutable" not in plain.headers["Cache-Control"]
    wrong = client.get("/static/css/portal.000000000000.css")
    assert wrong.status_code == 404
    assert client.get("/static/../portal/config.py").status_code == 404


def test_static_files_touch_neither_the_database_nor_the_session(client, login_as, make_employee):
    login_as(make_employee())
    url = next(u for u in _asset_urls(client.get("/").get_data(as_text=True)) if "htmx" in u)
    with count_queries() as queries:
        response = client.get(url, headers=GZIP)
    response.close()
    assert queries.queries == []
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"].startswith("public")


def test_precompressed_twin_is_sent_to_clients_that_accept_gzip(client):
    url = next(
        u for u in _asset_urls(client.get("/masuk").get_data(as_text=True)) if "bootstrap.min" in u
    )
    with client.get(url) as plain, client.get(url, headers=GZIP) as zipped:
        _check_twin(plain, zipped)


def _check_twin(plain, zipped):
    assert zipped.headers.get("Content-Encoding") == "gzip"
    assert zipped.headers["Content-Type"].startswith("text/css")
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert len(zipped.get_data()) < len(plain.get_data()) / 3


@pytest.mark.parametrize("path", ["/masuk", "/dialog-publik"])
def test_pages_are_compressed(client, path):
    response = client.get(path, headers=GZIP)
    assert response.status_code == 200
    assert response.headers.get("Content-Encoding") in {"gzip", "br", "zstd"}
    assert response.headers["Content-Type"].startswith("text/html")


def test_signed_in_pages_resend_the_session_cookie_at_most_once_a_minute(
    client, login_as, make_employee, frozen_clock
):
    login_as(make_employee())
    first = client.get("/")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-store"
    again = client.get("/")
    assert "Set-Cookie" not in again.headers
    frozen_clock.shift(61)
    later = client.get("/")
    assert "Set-Cookie" in later.headers
