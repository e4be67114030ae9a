"""portal.web.field_html: a form field with its label, help and error, wired for screen readers,
as the templates render it (`field` from macros.html)."""

import re

from flask import render_template_string
from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from portal.web.forms import PortalForm


class _Form(PortalForm):
    nama = StringField("Nama <lengkap>", validators=[DataRequired()], description="Sesuai KTP")
    setuju = BooleanField("Setuju")
    pilihan = RadioField(
        "Pilihan", choices=[SelectChoice("a", "Satu"), SelectChoice("b", "Dua & tiga")]
    )
    unit = SelectField("Unit", choices=[SelectChoice("1", "Dinas Kesehatan")])


def _render(source, **context):
    return render_template_string('{% from "macros.html" import field %}' + source, **context)


def _tag(html, name):
    return re.search(rf"<(input|select)[^>]*name=\"{name}\"[^>]*>", html).group(0)


def test_a_field_with_an_error_is_described_by_its_help_and_its_error(app):
    with app.test_request_context("/", method="POST", data={"nama": ""}):
        form = _Form()
        assert not form.validate()
        html = _render("{{ field(f.nama, autofocus=True, class_='mb-2') }}", f=form)
    control = _tag(html, "nama")
    assert 'aria-describedby="nama-help nama-error"' in control
    assert 'aria-invalid="true"' in control and "required" in control and "autofocus" in control
    assert 'class="form-control is-invalid"' in control
    assert '<label class="form-label" for="nama">Nama &lt;lengkap&gt;</label>' in html
    assert '<span class="text-danger" aria-hidden="true">*</span>' in html
    assert '<div id="nama-help" class="form-text">Sesuai KTP</div>' in html
    error = re.search(r'<div id="nama-error" class="invalid-feedback d-block">([^<]+)</div>', html)
    assert error and error.group(1).strip()
    assert html.startswith('<div class="mb-3 mb-2">') and html.endswith("</div>")


def test_labels_help_and_choices_are_escaped_and_kinds_keep_their_markup(app):
    with app.test_request_context("/"):
        form = _Form(formdata=None)
        html = _render(
            "{{ field(f.setuju) }}|{{ field(f.pilihan, label='Pilih <satu>') }}|"
            "{{ field(f.unit, help='<b>bukan tag</b>') }}",
            f=form,
        )
    check, radio, select = html.split("|")
    assert check.startswith('<div class="form-check mb-3 ">')
    assert 'class="form-check-input"' in _tag(check, "setuju") and "aria-" not in check
    assert radio.startswith('<fieldset class="mb-3 ">') and radio.endswith("</fieldset>")
    assert '<legend class="form-label fs-6">Pilih &lt;satu&gt;</legend>' in radio
    assert "Dua &amp; tiga" in radio and radio.count('class="form-check form-check-inline"') == 2
    assert 'class="form-select"' in _tag(select, "unit")
    assert 'aria-describedby="unit-help"' in _tag(select, "unit")
    assert "&lt;b&gt;bukan tag&lt;/b&gt;" in select
