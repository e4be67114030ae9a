"""The /kinerja/skp pages per role, plain and with htmx; extra fields; query counts."""

import pytest

from portal.performance import lifecycle
from portal.performance.models import APPROVED, DRAFT, RETURNED, SUBMITTED, Indicator, Rhk, Skp
from tests.performance.conftest import add_rhk

HX = {"HX-Request": "true"}


def _rhk_form(uraian, intervenes=0, prefix="baru", **extra):
    return {
        f"{prefix}-jenis": "utama",
        f"{prefix}-uraian": uraian,
        f"{prefix}-intervenes": str(intervenes),
        **extra,
    }


def test_the_whole_flow_through_the_pages(client, login_as, org, cascade):
    pegawai, kabid = org["pegawai"], org["kabid"]
    parent = cascade["kabid"][1][0]
    login_as(pegawai)
    assert client.get("/kinerja/skp").status_code == 200
    response = client.post("/kinerja/skp", data={"tahun": "2026", "salin_dari": "0"})
    assert response.status_code == 303
    skp = Skp.get(Skp.employee == pegawai.id)
    page = client.get(f"/kinerja/skp/{skp.id}").get_data(as_text=True)
    assert parent.uraian in page  # offered as the RHK to serve

    response = client.post(
        f"/kinerja/skp/{skp.id}/rhk", data=_rhk_form("Terlayaninya pemohon", parent.id), headers=HX
    )
    assert response.status_code == 200 and 'id="rhk-section"' in response.get_data(as_text=True)
    assert "<html" not in response.get_data(as_text=True)
    rhk = Rhk.get(Rhk.skp == skp.id)
    response = client.post(
        f"/kinerja/skp/{skp.id}/rhk/{rhk.id}/indikator",
        data={
            f"ind{rhk.id}-aspek": "kuantitas",
            f"ind{rhk.id}-uraian": "Jumlah pemohon",
            f"ind{rhk.id}-target_angka": "250",
            f"ind{rhk.id}-satuan": "orang",
        },
    )
    assert response.status_code == 303
    assert client.post(f"/kinerja/skp/{skp.id}/ajukan").status_code == 303
    assert Skp.get_by_id(skp.id).status == SUBMITTED

    login_as(kabid)
    assert pegawai.nama in client.get("/kinerja/skp").get_data(as_text=True)
    response = client.post(f"/kinerja/skp/{skp.id}/kembalikan", data={"note": ""})
    assert response.status_code == 422
    response = client.post(
        f"/kinerja/skp/{skp.id}/kembalikan", data={"note": "Targetnya terlalu rendah"}
    )
    assert response.status_code == 303 and Skp.get_by_id(skp.id).status == RETURNED

    login_as(pegawai)
    assert "Targetnya terlalu rendah" in client.get(f"/kinerja/skp/{skp.id}").get_data(as_text=True)
    response = client.post(
        f"/kinerja/skp/{skp.id}/rhk/{rhk.id}",
        data=_rhk_form("Terlayaninya 300 pemohon", parent.id, prefix=f"rhk{rhk.id}"),
    )
    assert response.status_code == 303
    client.post(f"/kinerja/skp/{skp.id}/ajukan")
    login_as(kabid)
    revision = Skp.get_by_id(skp.id).revision
    response = client.post(f"/kinerja/skp/{skp.id}/setujui", data={"revision": str(revision)})
    assert response.status_code == 303 and Skp.get_by_id(skp.id).status == APPROVED
    response = client.post(f"/kinerja/skp/{skp.id}/setujui", data={"revision": str(revision)})
    assert response.status_code == 409


def test_a_link_to_someone_elses_rhk_is_refused_on_the_form(client, login_as, org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    login_as(pegawai)
    foreign = cascade["kepala"][1][0]
    response = client.post(
        f"/kinerja/skp/{skp.id}/rhk", data=_rhk_form("x", foreign.id), headers=HX
    )
    assert response.status_code == 422
    assert "yang sudah disetujui" in response.get_data(as_text=True)
    assert not Rhk.select().where(Rhk.skp == skp.id).exists()


def test_extra_form_fields_never_change_the_owner_or_the_state(client, login_as, org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    login_as(pegawai)
    extra = {
        "skp": "1",
        "skp_id": str(cascade["kabid"][0].id),
        "employee": str(org["rekan"].id),
        "employee_id": str(org["rekan"].id),
        "status": APPROVED,
        "penilai": str(pegawai.id),
        "revision": "99",
        "latest": "0",
    }
    client.post(f"/kinerja/skp/{skp.id}/rhk", data=_rhk_form("RHK", **extra))
    client.post(
        f"/kinerja/skp/{skp.id}/lampiran",
        data={"pendekatan": "kualitatif", "konsekuensi": "x", **extra},
    )
    client.post("/kinerja/skp", data={"tahun": "2027", "salin_dari": "0", **extra})
    fresh = Skp.get_by_id(skp.id)
    assert (fresh.employee_id, fresh.status, fresh.penilai_id) == (
        pegawai.id,
        DRAFT,
        org["kabid"].id,
    )
    assert Rhk.get(Rhk.uraian == "RHK").skp_id == skp.id
    assert Skp.get(Skp.tahun == 2027).employee_id == pegawai.id


@pytest.mark.parametrize("who", ["rekan", "other", "kepala", "admin_dinkes"])
def test_others_get_404(client, login_as, org, who):
    skp = lifecycle.create_skp(org["pegawai"], org["pegawai"])
    login_as(org[who])
    assert client.get(f"/kinerja/skp/{skp.id}").status_code == 404
    assert client.post(f"/kinerja/skp/{skp.id}/rhk", data=_rhk_form("x")).status_code == 404
    assert client.post(f"/kinerja/skp/{skp.id}/ajukan").status_code == 404


@pytest.mark.parametrize("who", ["kabid", "admin_opd", "admin"])
def test_the_atasan_and_admins_see_a_pegawais_skp(client, login_as, org, who):
    skp = lifecycle.create_skp(org["pegawai"], org["pegawai"])
    login_as(org[who])
    assert client.get(f"/kinerja/skp/{skp.id}").status_code == 200
    assert client.post(f"/kinerja/skp/{skp.id}/rhk", data=_rhk_form("x")).status_code == 409


def test_editing_an_rhk_inline_and_without_javascript(client, login_as, org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    rhk = add_rhk(pegawai, skp, "Draf RHK")
    login_as(pegawai)
    fragment = client.get(f"/kinerja/skp/{skp.id}/rhk/{rhk.id}/ubah", headers=HX)
    assert fragment.status_code == 200 and f'name="rhk{rhk.id}-uraian"' in fragment.get_data(
        as_text=True
    )
    assert "<html" not in fragment.get_data(as_text=True)
    page = client.get(f"/kinerja/skp/{skp.id}/rhk/{rhk.id}/ubah")
    assert "<html" in page.get_data(as_text=True) and f'name="rhk{rhk.id}-uraian"' in page.get_data(
        as_text=True
    )
    indicator = Indicator.get(Indicator.rhk == rhk.id)
    response = client.post(f"/kinerja/skp/{skp.id}/indikator/{indicator.id}/hapus", headers=HX)
    assert (
        response.status_code == 200
        and not Indicator.select().where(Indicator.id == indicator.id).exists()
    )
    assert client.post(f"/kinerja/skp/{skp.id}/rhk/{rhk.id}/hapus").status_code == 303


def test_the_penilai_writes_ekspektasi_on_the_page(client, login_as, org):
    skp = lifecycle.create_skp(org["pegawai"], org["pegawai"])
    login_as(org["kabid"])
    response = client.post(f"/kinerja/skp/{skp.id}/perilaku", data={"BO": "Ramah pada pemohon"})
    assert response.status_code == 303
    login_as(org["pegawai"])
    assert "Ramah pada pemohon" in client.get(f"/kinerja/skp/{skp.id}").get_data(as_text=True)


def test_the_atasan_shares_an_rhk_from_the_page(client, login_as, org, cascade):
    rhk = cascade["kabid"][1][0]
    login_as(org["kabid"])
    assert client.get(f"/kinerja/rhk/{rhk.id}/bagikan").status_code == 200
    response = client.post(
        f"/kinerja/rhk/{rhk.id}/bagikan",
        data={"employees": [str(org["pegawai"].id), str(org["rekan"].id)]},
    )
    assert response.status_code == 303
    assert Rhk.select().where(Rhk.intervenes == rhk.id).count() == 2
    login_as(org["pegawai"])
    assert client.get(f"/kinerja/rhk/{rhk.id}/bagikan").status_code == 404


def _skp_with(owner, count, parent):
    skp = lifecycle.create_skp(owner, owner)
    rows = [
        {
            "skp": skp.id,
            "jenis": "utama",
            "uraian": f"RHK {n}",
            "urutan": n,
            "intervenes": parent.id,
        }
        for n in range(count)
    ]
    Rhk.insert_many(rows).execute()
    Indicator.insert_many(
        [
            {"rhk": r.id, "aspek": "kualitatif", "uraian": "Ind", "target_uraian": "T"}
            for r in Rhk.select().where(Rhk.skp == skp.id)
        ]
    ).execute()
    return skp


@pytest.mark.parametrize("viewer", ["owner", "kabid"])
def test_the_skp_page_runs_the_same_queries_with_1_and_200_rhk(
    client, login_as, org, cascade, make_employee, query_counter, viewer
):
    parent = cascade["kabid"][1][0]
    counts = []
    for size in (1, 200):
        owner = make_employee(unit=org["bidang"], supervisor=org["kabid"])
        skp = _skp_with(owner, size, parent)
        login_as(owner if viewer == "owner" else org["kabid"])
        client.get(f"/kinerja/skp/{skp.id}")  # warm the session's caches alike
        with query_counter() as queries:
            response = client.get(f"/kinerja/skp/{skp.id}")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("RHK 0") >= 1
        counts.append(len(queries.queries))
    assert counts[0] == counts[1], counts


def test_an_rhk_of_only_invisible_characters_is_refused(client, login_as, org, cascade):
    pegawai = org["pegawai"]
    skp = lifecycle.create_skp(pegawai, pegawai)
    login_as(pegawai)
    parent = cascade["kabid"][1][0]
    response = client.post(
        f"/kinerja/skp/{skp.id}/rhk", data=_rhk_form("\u200b \u2060", parent.id), headers=HX
    )
    assert response.status_code == 422
    assert not Rhk.select().where(Rhk.skp == skp.id).exists()
