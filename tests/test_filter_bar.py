"""The one GET filter bar (templates/macros.html: filter_bar): a plain form that works without
JavaScript, with htmx only as an enhancement."""

from types import SimpleNamespace

import pytest
from flask import render_template_string

CALL = """{% from "macros.html" import filter_bar %}{{ filter_bar("admin.employees", [
  dict(name="q", label="Nama", type="search", value="budi", col="col-md-4"),
  dict(name="unit", label="Unit", type="select", value=2, options=[(1, "Dinas A"), (2, "Dinas B")],
       blank="Semua unit"),
  dict(name="aksi", label="Aksi", type="select", value="unit.create",
       options=["role.grant", "unit.create"]),
  dict(name="opd", label="OPD", type="select", value="7", options=rows, option_value="id",
       option_text="nama"),
  dict(name="nonaktif", label="Termasuk nonaktif", type="checkbox", value=True, id="cari-x"),
  dict(name="dari", label="Dari", type="date", value=none),
], submit="Cari", reset="Atur ulang", label="Saring", target=target) }}"""


@pytest.fixture
def render(app):
    def run(**context):
        rows = [SimpleNamespace(id=6, nama="Dinas F"), SimpleNamespace(id=7, nama="Dinas G")]
        with app.test_request_context("/admin/pegawai"):
            return render_template_string(CALL, rows=rows, **{"target": None, **context})

    return run


def test_the_filter_bar_is_a_plain_get_form_with_its_values(render):
    html = render()
    assert '<form method="get" action="/admin/pegawai"' in html
    assert 'role="search" aria-label="Saring"' in html
    assert 'type="search" id="f-q" name="q" value="budi"' in html
    assert '<option value="">Semua unit</option>' in html
    assert '<option value="2" selected>Dinas B</option>' in html
    assert '<option value="1">Dinas A</option>' in html
    assert '<option value="unit.create" selected>unit.create</option>' in html
    assert '<option value="7" selected>Dinas G</option>' in html
    assert 'id="cari-x" name="nonaktif" value="1" checked' in html
    assert 'type="date" id="f-dari" name="dari" value=""' in html
    assert '<button class="btn btn-outline-primary flex-grow-1" type="submit">Cari</button>' in html
    assert '<a class="btn btn-link px-1" href="/admin/pegawai">Atur ulang</a>' in html
    assert "hx-get" not in html  # no target: no htmx at all


def test_with_a_target_htmx_replaces_only_the_list_and_pushes_the_url(render):
    html = render(target="#results")
    assert 'hx-get="/admin/pegawai" hx-target="#results" hx-swap="outerHTML"' in html
    assert 'hx-push-url="true"' in html
