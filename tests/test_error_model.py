"""The one error model and the one form cycle (portal/errors.py, portal/web/forms.py)."""

import pytest
from flask import Blueprint, url_for
from wtforms import StringField
from wtforms.validators import DataRequired

from portal.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from portal.web import access
from portal.web.forms import PortalForm, attempt, done, submit
from portal.web.respond import respond


class _Form(PortalForm):
    judul = StringField("Judul", validators=[DataRequired()])


def test_a_domain_error_carries_message_field_and_status():
    error = Invalid("Judul wajib diisi.", field="judul")
    assert str(error) == "Judul wajib diisi." and error.status == 422
    assert error.errors == {"judul": "Judul wajib diisi."}
    assert Conflict("x").status == 409 and NotFound("x").status == 404
    assert Forbidden("x").status == 403 and DomainError("x", status=409).status == 409
    many = Invalid(errors={"judul": "a", "jp": "b"})
    assert str(many) == "a b" and many.errors == {"judul": "a", "jp": "b"}


def _service(kind):
    if kind == "ok":
        return "disimpan"
    raise {
        "invalid": Invalid("Judul terlalu pendek.", field="judul"),
        "conflict": Conflict("Data sudah diubah orang lain."),
        "notfound": NotFound("Tidak ditemukan."),
        "forbidden": Forbidden("Tidak boleh."),
    }[kind]


@pytest.fixture
def form_app(app):
    bp = Blueprint("formcycle", __name__)

    @bp.route("/uji-form/<kind>", methods=["GET", "POST"])
    def run(kind):
        form = _Form()
        outcome = submit(form, lambda: _service(kind))
        if outcome.ok:
            return done("Tersimpan.", url_for("formcycle.run", kind=kind))
        return respond(
            "web/error.html",
            status=outcome.status,
            code=outcome.status,
            title="Form",
            message=" | ".join([*form.judul.errors, *form.form_errors]),
        )

    @bp.post("/uji-tombol/<kind>")
    def button(kind):
        outcome = attempt(lambda: _service(kind))
        return ("ok" if outcome.ok else "refused"), outcome.status

    app.register_blueprint(bp)
    access.register({"formcycle.run": access.PUBLIC, "formcycle.button": access.PUBLIC})
    yield app
    access._TABLE.pop("formcycle.run")
    access._TABLE.pop("formcycle.button")


def test_a_valid_form_runs_the_service_and_answers_303(form_app, client):
    response = client.post("/uji-form/ok", data={"judul": "Rapat"})
    assert response.status_code == 303


def test_an_invalid_form_answers_422_without_calling_the_service(form_app, client):
    response = client.post("/uji-form/notfound", data={"judul": ""})
    assert response.status_code == 422


def test_a_refusal_lands_on_its_field_with_its_status(form_app, client):
    invalid = client.post("/uji-form/invalid", data={"judul": "R"})
    assert invalid.status_code == 422
    assert "Judul terlalu pendek." in invalid.get_data(as_text=True)
    conflict = client.post("/uji-form/conflict", data={"judul": "Rapat"})
    assert conflict.status_code == 409
    assert "Data sudah diubah orang lain." in conflict.get_data(as_text=True)


def test_not_found_and_forbidden_become_the_error_page(form_app, client):
    missing = client.post("/uji-form/notfound", data={"judul": "Rapat"})
    assert missing.status_code == 404
    assert "Tidak ditemukan." not in missing.get_data(as_text=True)  # never say why
    denied = client.post("/uji-form/forbidden", data={"judul": "Rapat"})
    assert denied.status_code == 403 and "Tidak boleh." in denied.get_data(as_text=True)


def test_an_htmx_refusal_that_escapes_is_an_out_of_band_flash(form_app, client):
    response = client.post(
        "/uji-form/forbidden", data={"judul": "Rapat"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 403
    assert 'hx-swap-oob="true"' in response.get_data(as_text=True)
    assert response.headers["HX-Reswap"] == "none"


def test_a_button_refusal_is_flashed_with_its_status(form_app, client):
    assert client.post("/uji-tombol/ok").status_code == 200
    assert client.post("/uji-tombol/conflict").status_code == 409
    with pytest.raises(Exception, match="Tidak boleh"):
        # 403 is not a form matter: it propagates (to the app's handler in a real request)
        attempt(lambda: _service("forbidden"))


def test_wtforms_own_messages_are_indonesian(app):
    from wtforms import DateField, TimeField

    from portal.web.forms import PortalForm

    class DayForm(PortalForm):
        tanggal = DateField("Tanggal")
        jam = TimeField("Jam")

    with app.test_request_context(
        "/", method="POST", data={"tanggal": "2026-02-30", "jam": "25:00"}
    ):
        form = DayForm()
        assert not form.validate()
        assert form.tanggal.errors == ["Tanggal tidak sah (contoh yang benar: 2026-11-23)."]
        assert form.jam.errors == ["Jam tidak sah (contoh yang benar: 08:30)."]
