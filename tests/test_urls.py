"""portal.web.urls: url_for remembered per process gives the URL Flask builds."""

from flask import url_for


def test_remembered_urls_are_the_urls_flask_builds(app):
    with app.test_request_context("/pelatihan/"):
        first = url_for("trainings.index", bulan="2026-11")
        again = url_for("trainings.index", bulan="2026-11")
        assert first == again == "/pelatihan?bulan=2026-11"
        assert url_for("dialogs.index", page=1) == "/dialog-publik?page=1"
        assert url_for("dialogs.index", page=True) == "/dialog-publik?page=True"  # 1 == True
        assert url_for("dialogs.index", page=1.5) == "/dialog-publik?page=1.5"
        assert url_for("dialogs.index", unit=[3, 4]) == "/dialog-publik?unit=3&unit=4"
        assert url_for("static", filename="css/portal.css").startswith("/static/css/portal.")


def test_relative_endpoints_and_external_urls_follow_the_request(app):
    with app.test_request_context("/pelatihan/", base_url="http://portal.example.go.id"):
        assert url_for(".index") == "/pelatihan"
        assert url_for("web.home", _external=True) == "http://portal.example.go.id/"
    with app.test_request_context("/dialog-publik", base_url="https://lain.example.go.id/kinerja"):
        assert url_for(".index") == "/kinerja/dialog-publik"
        assert url_for("web.home", _external=True) == "https://lain.example.go.id/kinerja/"
        assert url_for("web.home", _anchor="konten") == "/kinerja/#konten"
