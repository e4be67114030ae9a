"""With CSRF on (as in production), every form of the SKP page carries its token."""

import re

import pytest

from portal.performance import lifecycle
from portal.performance.models import Rhk


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def test_the_skp_page_forms_carry_the_csrf_token(client, login_as, org):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    login_as(pegawai)
    page = client.get(f"/kinerja/skp/{skp.id}").get_data(as_text=True)
    forms = re.findall(r'<form method="post".*?</form>', page, flags=re.S)
    assert forms and all('name="csrf_token"' in form for form in forms)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"baru-jenis": "utama", "baru-uraian": "Dengan token", "baru-intervenes": "0"}
    assert client.post(f"/kinerja/skp/{skp.id}/rhk", data=data).status_code == 400
    response = client.post(f"/kinerja/skp/{skp.id}/rhk", data={**data, "csrf_token": token})
    assert response.status_code == 303
    assert Rhk.get(Rhk.skp == skp.id).uraian == "Dengan token"
    assert client.post(f"/kinerja/skp/{skp.id}/ajukan").status_code == 400
