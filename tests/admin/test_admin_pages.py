"""The admin area in use: find a pegawai, fix their atasan, units, roles, settings, audit log."""

import io
import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from portal import settings
from portal.admin.models import ImportJob
from portal.audit.models import AuditLog
from portal.errors import Invalid
from portal.org.editing import check_employee_data
from portal.org.models import Employee, RoleAssignment, Unit


@pytest.fixture
def org_world(make_unit, make_employee):
    dinas = make_unit(nama="Dinas Pendidikan", kode="DISDIK")
    upt = make_unit(nama="UPT SKB", parent=dinas, jenis="UPT", kode="DISDIK-UPT")
    other = make_unit(nama="Dinas Kesehatan", kode="DINKES")
    kepala = make_employee(unit=dinas, nama="Endang Susanti")
    kasi = make_employee(unit=dinas, supervisor=kepala, nama="Hendra Siregar")
    staf = make_employee(unit=upt, supervisor=kasi, nama="Siti Rahmawati")
    admin = make_employee(unit=other, roles=[("admin", None)], nama="Rudi Hartono")
    opd = make_employee(unit=dinas, roles=[("admin_opd", dinas)], nama="Dewi Anggraini")
    outsider = make_employee(unit=other, nama="Agus Tarigan")
    return locals()


def _edit_data(employee, **changes):
    data = {
        "nip": employee.nip,
        "nama": employee.nama,
        "email": employee.email or "",
        "status": employee.status,
        "golongan": employee.golongan or "",
        "jenis_jabatan": employee.jenis_jabatan,
        "jabatan": employee.jabatan,
        "unit": str(employee.unit_id),
        "atasan_nip": employee.supervisor.nip if employee.supervisor_id else "",
    }
    data.update(changes)
    return data


def test_admin_finds_a_pegawai_by_nip_and_fixes_their_atasan(client, login_as, org_world):
    w = org_world
    login_as(w["admin"])
    html = client.get(f"/admin/pegawai?q={w['staf'].nip[:12]}").get_data(as_text=True)
    assert "Siti Rahmawati" in html and "Hendra Siregar" in html and "Agus Tarigan" not in html
    response = client.post(
        f"/admin/pegawai/{w['staf'].id}", data=_edit_data(w["staf"], atasan_nip=w["kepala"].nip)
    )
    assert response.status_code == 303
    assert Employee.get_by_id(w["staf"].id).supervisor_id == w["kepala"].id
    row = AuditLog.select().where(AuditLog.action == "employee.update").get()
    assert row.actor_label == "Rudi Hartono" and row.ip == "127.0.0.1"
    assert w["kasi"].nip in row.before and w["kepala"].nip in row.after
    assert "jabatan" not in row.after  # only what changed


def test_a_cycle_of_atasan_is_refused_and_the_form_keeps_what_was_typed(
    client, login_as, org_world
):
    w = org_world
    login_as(w["admin"])
    data = _edit_data(w["kepala"], atasan_nip=w["staf"].nip, jabatan="Kepala Dinas Baru")
    response = client.post(f"/admin/pegawai/{w['kepala'].id}", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "siklus" in html and "Kepala Dinas Baru" in html
    assert Employee.get_by_id(w["kepala"].id).supervisor_id is None
    own = client.post(
        f"/admin/pegawai/{w['kasi'].id}", data=_edit_data(w["kasi"], atasan_nip=w["kasi"].nip)
    )
    assert own.status_code == 422 and "dirinya sendiri" in own.get_data(as_text=True)


def test_admin_opd_sees_and_edits_only_their_subtree(client, login_as, org_world):
    w = org_world
    login_as(w["opd"])
    html = client.get("/admin/pegawai").get_data(as_text=True)
    assert "Siti Rahmawati" in html and "Agus Tarigan" not in html
    assert client.get(f"/admin/pegawai/{w['outsider'].id}").status_code == 404
    moved = _edit_data(w["staf"], unit=str(w["other"].id))
    assert client.post(f"/admin/pegawai/{w['staf'].id}", data=moved).status_code == 422
    assert client.get("/admin/pengaturan").status_code == 403
    tree = client.get("/admin/unit").get_data(as_text=True)
    assert "UPT SKB" in tree and "Dinas Kesehatan" not in tree


def test_admin_adds_a_pegawai_with_a_bad_nip_and_gets_the_reason(client, login_as, org_world):
    w = org_world
    login_as(w["admin"])
    data = {
        "nip": "198502302010011001",
        "nama": "Budi Santoso",
        "status": "PNS",
        "jenis_jabatan": "Pelaksana",
        "unit": str(w["dinas"].id),
        "golongan": "",
    }
    response = client.post("/admin/pegawai/baru", data=data)
    assert response.status_code == 422
    assert "Tanggal lahir pada NIP tidak valid" in response.get_data(as_text=True)
    data["nip"] = "198502282010011001"
    assert client.post("/admin/pegawai/baru", data=data).status_code == 303
    assert Employee.get(Employee.nip == "198502282010011001").nama == "Budi Santoso"


def test_deactivation_keeps_the_pegawai_and_is_audited(client, login_as, org_world):
    w = org_world
    login_as(w["admin"])
    response = client.post(f"/admin/pegawai/{w['staf'].id}/status", data={"aktif": "0"})
    assert response.status_code == 303
    staf = Employee.get_by_id(w["staf"].id)
    assert staf.active is False
    listing = client.get("/admin/pegawai", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert staf.nip not in listing
    assert staf.nip in client.get("/admin/pegawai?nonaktif=1").get_data(as_text=True)
    self_off = client.post(f"/admin/pegawai/{w['admin'].id}/status", data={"aktif": "0"})
    assert self_off.status_code == 422
    assert AuditLog.select().where(AuditLog.action == "employee.deactivate").count() == 1


def test_password_reset_shows_a_temporary_password_once(client, login_as, org_world):
    w = org_world
    login_as(w["opd"])
    response = client.post(f"/admin/pegawai/{w['staf'].id}/reset-sandi")
    assert response.status_code == 200
    assert "Kata sandi sementara" in response.get_data(as_text=True)
    assert Employee.get_by_id(w["staf"].id).must_change_password is True
    assert "Kata sandi sementara" not in client.get(f"/admin/pegawai/{w['staf'].id}").get_data(
        as_text=True
    )


def test_roles_are_granted_within_the_subtree_and_admin_only_by_admin(client, login_as, org_world):
    w = org_world
    login_as(w["opd"])
    client.post(
        f"/admin/pegawai/{w['staf'].id}/peran",
        data={"peran-role": "penyelenggara", "peran-unit": str(w["upt"].id)},
    )
    assert RoleAssignment.select().where(RoleAssignment.employee == w["staf"].id).count() == 1
    client.post(
        f"/admin/pegawai/{w['staf'].id}/peran", data={"peran-role": "admin", "peran-unit": ""}
    )
    assert (
        not RoleAssignment.select()
        .where(RoleAssignment.employee == w["staf"].id, RoleAssignment.role == "admin")
        .exists()
    )
    assert "Penyelenggara" in client.get("/admin/peran").get_data(as_text=True)


def test_units_are_created_and_a_unit_cannot_move_below_itself(client, login_as, org_world):
    w = org_world
    login_as(w["admin"])
    data = {
        "kode": "kel-mawar",
        "nama": "Kelurahan Mawar",
        "jenis": "Kelurahan",
        "parent": str(w["upt"].id),
        "work_days": "5",
    }
    assert client.post("/admin/unit/baru", data=data).status_code == 303
    mawar = Unit.get(Unit.kode == "KEL-MAWAR")
    assert mawar.path == f"{w['upt'].path}{mawar.id}/"
    loop = {
        "kode": "DISDIK",
        "nama": "Dinas Pendidikan",
        "jenis": "Dinas",
        "parent": str(mawar.id),
        "work_days": "5",
        "active": "y",
    }
    response = client.post(f"/admin/unit/{w['dinas'].id}", data=loop)
    assert response.status_code == 422 and "di bawah dirinya sendiri" in response.get_data(
        as_text=True
    )
    moved = {**loop, "parent": str(w["other"].id)}
    assert client.post(f"/admin/unit/{w['dinas'].id}", data=moved).status_code == 303
    assert Unit.get_by_id(mawar.id).path.startswith(Unit.get_by_id(w["other"].id).path)


def test_pegawai_list_runs_the_same_queries_for_one_or_many(
    client, login_as, org_world, make_employee, query_counter
):
    w = org_world
    login_as(w["admin"])
    client.get(f"/admin/pegawai?unit={w['upt'].id}")
    with query_counter() as few:
        assert client.get(f"/admin/pegawai?unit={w['upt'].id}").status_code == 200
    for _ in range(30):
        make_employee(unit=w["upt"], supervisor=w["kasi"], roles=[("penyelenggara", w["upt"])])
    with query_counter() as many:
        assert client.get(f"/admin/pegawai?unit={w['upt'].id}").status_code == 200
    assert len(many.queries) == len(few.queries)


def test_settings_page_validates_every_definition_and_audits_changes(
    client, login_as, org_world, monkeypatch
):
    w = org_world
    monkeypatch.setitem(
        settings.DEFINITIONS,
        "uji.menit",
        settings.Definition(
            "uji.menit", "Menit kerja per hari", int, 300, 60, 600, "Batas harian", "Kegiatan"
        ),
    )
    monkeypatch.setitem(
        settings.DEFINITIONS,
        "uji.aktif",
        settings.Definition("uji.aktif", "Pengingat aktif", bool, True, group="Kegiatan"),
    )
    login_as(w["admin"])
    html = client.get("/admin/pengaturan").get_data(as_text=True)
    assert "Menit kerja per hari" in html and 'min="60"' in html and "Kegiatan" in html
    values = {}
    for key, definition in settings.DEFINITIONS.items():
        value = settings.get(key)
        values[key] = ("1" if value else "0") if definition.kind is bool else str(value)
    response = client.post("/admin/pengaturan", data={**values, "uji.menit": "5000"})
    assert response.status_code == 422 and "5000" in response.get_data(as_text=True)
    assert settings.get("uji.menit") == 300
    response = client.post(
        "/admin/pengaturan", data={**values, "uji.menit": "310", "uji.aktif": "0"}
    )
    assert response.status_code == 303
    assert settings.get("uji.menit") == 310 and settings.get("uji.aktif") is False
    others = [(key, value) for key, value in values.items() if key != "uji.aktif"]
    ticked = MultiDict([*others, ("uji.aktif", "0"), ("uji.aktif", "1")])
    ticked.setlist("uji.menit", ["310"])
    assert client.post("/admin/pengaturan", data=ticked).status_code == 303
    assert settings.get("uji.aktif") is True
    assert AuditLog.select().where(AuditLog.action == "setting.update").count() == 3


def test_audit_log_is_browsable_and_filterable_by_admin(client, login_as, org_world):
    w = org_world
    login_as(w["admin"])
    client.post(f"/admin/pegawai/{w['staf'].id}/akhiri-sesi")
    client.post(f"/admin/pegawai/{w['kasi'].id}/status", data={"aktif": "0"})
    html = client.get("/admin/log-audit?aksi=auth.end_sessions").get_data(as_text=True)
    assert "auth.end_sessions" in html and "employee.deactivate</td>" not in html
    assert "1 catatan" in html, html[html.find('id="results"') :][:500]


def test_import_by_upload_runs_as_a_job_with_its_own_progress_page(
    client, login_as, org_world, make_employee
):
    w = org_world
    login_as(w["admin"])
    good = (
        f"nip,nama,unit_kode,atasan_nip\n199001012015031001,Andi Pratama,DISDIK,{w['kasi'].nip}\n"
    ).encode()
    bad = b"nip,nama,unit_kode\n199002302015031001,Budi,DISDIK\n"
    # Plain: the upload is queued and answered with a redirect to the job's page.
    response = client.post(
        "/admin/impor", data={"token": "tok-1", "file": (io.BytesIO(bad), "p.csv")}
    )
    assert response.status_code == 303
    page_url = response.headers["Location"]
    assert "/admin/impor/progres/" in page_url
    job = ImportJob.get(ImportJob.token == page_url.rsplit("/", 1)[1])
    assert job.phase == "gagal" and job.actor_id == w["admin"].id
    result = client.get(page_url)
    html = result.get_data(as_text=True)
    assert result.status_code == 422 and "Tanggal lahir pada NIP tidak valid" in html
    assert "tidak ada yang diimpor" in html and "load delay" not in html
    assert not Employee.select().where(Employee.nip == "199002302015031001").exists()
    # htmx: only the result block comes back, and the address bar gets the job's page.
    upload = {"token": "tok-2", "file": (io.BytesIO(good), "p.csv")}
    response = client.post("/admin/impor", data=upload, headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "1 baru" in html, html[-800:]
    assert (
        html.lstrip().startswith('<div id="import-result"') and '<form id="import-form"' not in html
    )
    assert "/admin/impor/progres/" in response.headers["HX-Push-Url"]
    assert Employee.get(Employee.nip == "199001012015031001").supervisor_id == w["kasi"].id
    assert AuditLog.select().where(AuditLog.action == "employee.import_create").count() == 1
    finished = client.get(response.headers["HX-Push-Url"], headers={"HX-Request": "true"})
    assert "load delay" not in finished.get_data(as_text=True)  # finished: polling stops
    # Only the admin who started it sees it.
    assert client.get("/admin/impor/progres/belum-ada").status_code == 404
    client.post("/keluar")
    login_as(make_employee(roles=[("admin", None)]))
    assert client.get(page_url).status_code == 404
    assert client.get(response.headers["HX-Push-Url"]).status_code == 404
    template = client.get("/admin/impor/templat.xlsx")
    assert template.headers["Content-Disposition"].startswith("attachment")


def test_a_running_import_polls_and_offers_a_refresh_link(client, login_as, org_world):
    w = org_world
    login_as(w["admin"])
    job = ImportJob.create(
        token="tok-running-1", actor=w["admin"].id, filename="p.csv", phase="memeriksa", total=3000
    )
    ImportJob.update(done=1500).where(ImportJob.id == job.id).execute()
    plain = client.get("/admin/impor/progres/tok-running-1").get_data(as_text=True)
    assert "Memeriksa baris: 1.500 dari 3.000" in plain
    assert 'value="1500"' in plain and 'max="3000"' in plain
    assert 'href="/admin/impor/progres/tok-running-1">Muat ulang</a>' in plain
    polled = client.get("/admin/impor/progres/tok-running-1", headers={"HX-Request": "true"})
    html = polled.get_data(as_text=True)
    assert 'hx-get="/admin/impor/progres/tok-running-1"' in html and "load delay" in html
    assert "<html" not in html


def test_audit_log_and_unit_tree_run_fixed_queries(
    client, login_as, org_world, make_unit, query_counter
):
    w = org_world
    login_as(w["admin"])
    client.get("/admin/log-audit")
    with query_counter() as few_audit:
        client.get("/admin/log-audit")
    with query_counter() as few_units:
        client.get("/admin/unit")
    for number in range(40):
        make_unit(nama=f"Kelurahan Uji {number}", parent=w["upt"], jenis="Kelurahan")
        client.post(f"/admin/pegawai/{w['staf'].id}/akhiri-sesi")
    with query_counter() as many_audit:
        client.get("/admin/log-audit")
    with query_counter() as many_units:
        client.get("/admin/unit")
    assert len(many_audit.queries) == len(few_audit.queries)
    assert len(many_units.queries) == len(few_units.queries)


def test_garbage_in_admin_forms_gets_a_4xx_never_a_crash(client, login_as, org_world):
    w = org_world
    login_as(w["admin"])
    cases = [
        (
            "/admin/unit/baru",
            {"kode": "X", "nama": "Y", "jenis": "Planet", "parent": "x", "work_days": "9"},
        ),
        ("/admin/pegawai/baru", {"nip": "abc", "nama": "Z", "unit": "x", "status": "ASN"}),
        (f"/admin/pegawai/{w['staf'].id}", {"nip": w["staf"].nip, "nama": "", "unit": "999"}),
        (f"/admin/pegawai/{w['staf'].id}/peran", {"peran-role": "raja", "peran-unit": "x"}),
        ("/admin/impor", {"token": "t", "file": (io.BytesIO(b"PK\x03\x04garbage"), "a.xlsx")}),
        ("/admin/impor", {"token": "t", "file": (io.BytesIO(b"\xff\xfe\x00"), "a.csv")}),
        ("/admin/pengaturan", {"nothing": "1"}),
    ]
    for path, data in cases:
        response = client.post(path, data=data)
        assert response.status_code in (303, 400, 422), (path, response.status_code)
    assert client.get("/admin/log-audit?dari=kemarin&page=-3").status_code == 200
    assert client.get("/admin/pegawai?page=99999&unit=abc").status_code == 200


def test_admin_opd_reads_only_the_audit_rows_of_their_subtree(client, login_as, org_world):
    from portal.auth import services as auth

    w = org_world
    auth.end_sessions_by_admin(w["admin"], w["staf"])
    auth.end_sessions_by_admin(w["admin"], w["outsider"])
    login_as(w["opd"])
    html = client.get("/admin/log-audit", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"#{w['staf'].id}<" in html
    assert f"#{w['outsider'].id}<" not in html
    assert "1 catatan" in html


def test_paginate_counts_without_loading_every_row():
    from portal.admin.services import paginate

    class Query:
        def __len__(self):
            raise AssertionError("the query was loaded to test its truthiness")

        def count(self):
            return 60

        def paginate(self, number, size):
            return [number] * size

    page = paginate(Query(), 2, {}, size=25, count_query=Query())
    assert (page.total, page.pages, page.number, len(page.items)) == (60, 3, 2, 25)


@pytest.mark.parametrize(
    "junk",
    [bytes(range(256)) * 40, b'nip,nama,unit_kode\n"' + b"a" * 200_000 + b"\n"],
    ids=["binary", "huge-field"],
)
def test_a_junk_csv_upload_gets_a_clear_refusal_not_a_500(client, login_as, org_world, junk):
    login_as(org_world["admin"])
    response = client.post(
        "/admin/impor",
        data={"token": "tok-junk", "file": (io.BytesIO(junk), "p.csv")},
        follow_redirects=True,  # a file readable at its header is read in full by the job
    )
    assert response.status_code == 422
    assert "CSV" in response.get_data(as_text=True)


SIASN = (
    b"NIP BARU;GELAR DEPAN;NAMA;GELAR BELAKANG;GOL AKHIR NAMA;JABATAN NAMA;UNOR NAMA\n"
    b"197203151998031002;Drs.;Bambang Wijaya;M.Si.;IV/c;Kepala Dinas;Dinas Lingkungan Hidup\n"
    b"200012312024211001;;Rudi Hartono;S.T.;IX;Penata Kelola;Dinas Lingkungan Hidup\n"
)


def test_an_admin_maps_the_columns_of_a_siasn_export_and_the_choice_is_remembered(
    client, login_as, org_world
):
    login_as(org_world["admin"])
    step = client.post(
        "/admin/impor", data={"token": "tok-siasn-1", "file": (io.BytesIO(SIASN), "siasn.csv")}
    )
    html = step.get_data(as_text=True)
    assert step.status_code == 200 and 'id="mapping-form"' in html
    assert '<option value="nip_baru" selected>NIP BARU</option>' in html
    assert '<option value="unor_nama" selected>UNOR NAMA</option>' in html
    assert not Employee.select().where(Employee.nip == "197203151998031002").exists()
    upload = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    chosen = {
        "kolom-nip": "nip_baru",
        "kolom-nama": "nama",
        "kolom-gelar_depan": "gelar_depan",
        "kolom-gelar_belakang": "gelar_belakang",
        "kolom-golongan": "gol_akhir_nama",
        "kolom-jabatan": "jabatan_nama",
        "kolom-unit_nama": "unor_nama",
    }
    response = client.post(
        "/admin/impor", data={"token": "tok-siasn-2", "upload": upload, **chosen}
    )
    assert response.status_code == 303
    response = client.get(response.headers["Location"])
    assert response.status_code == 200, response.get_data(as_text=True)[-1500:]
    kadis = Employee.get(Employee.nip == "197203151998031002")
    assert kadis.nama == "Drs. Bambang Wijaya, M.Si."
    assert kadis.unit.nama == "Dinas Lingkungan Hidup"
    assert Employee.get(Employee.nip == "200012312024211001").status == "PPPK"
    # The next export: the same columns are proposed from memory (the jabatan too).
    again = client.post(
        "/admin/impor", data={"token": "tok-siasn-3", "file": (io.BytesIO(SIASN), "siasn.csv")}
    ).get_data(as_text=True)
    assert '<option value="gol_akhir_nama" selected>GOL AKHIR NAMA</option>' in again


def test_a_mapped_file_with_a_bad_row_imports_nothing(client, login_as, org_world):
    login_as(org_world["admin"])
    bad = SIASN + b"199013012015031001;;Budi;;III/a;Staf;Dinas Lingkungan Hidup\n"
    html = client.post(
        "/admin/impor", data={"token": "tok-bad-1", "file": (io.BytesIO(bad), "siasn.csv")}
    ).get_data(as_text=True)
    upload = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    data = {"kolom-nip": "nip_baru", "kolom-nama": "nama", "kolom-unit_nama": "unor_nama"}
    response = client.post(
        "/admin/impor", data={"token": "tok-bad-2", "upload": upload, **data}, follow_redirects=True
    )
    assert response.status_code == 422 and "Tanggal lahir" in response.get_data(as_text=True)
    assert not Employee.select().where(Employee.nip == "197203151998031002").exists()


def test_another_admins_upload_cannot_be_used(client, login_as, org_world, make_employee):
    login_as(org_world["admin"])
    html = client.post(
        "/admin/impor", data={"token": "tok-own-1", "file": (io.BytesIO(SIASN), "siasn.csv")}
    ).get_data(as_text=True)
    upload = re.search(r'name="upload" value="([^"]+)"', html).group(1)
    client.post("/keluar")
    login_as(make_employee(roles=[("admin", None)]))
    data = {"kolom-nip": "nip_baru", "kolom-nama": "nama", "kolom-unit_nama": "unor_nama"}
    response = client.post("/admin/impor", data={"token": "tok-own-2", "upload": upload, **data})
    assert response.status_code == 422
    assert not Employee.select().where(Employee.nip == "197203151998031002").exists()


@pytest.mark.parametrize("blank", ["\u200b", "\u00a0 \u2060"])
def test_admin_forms_refuse_text_of_only_invisible_characters(client, login_as, org_world, blank):
    w = org_world
    login_as(w["admin"])
    unit = {"kode": blank, "nama": "Kelurahan Mawar", "jenis": "Kelurahan", "work_days": "5"}
    response = client.post("/admin/unit/baru", data=unit)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Isi kode." in html
    assert 'value="Kelurahan Mawar"' in html  # the rest is kept
    response = client.post("/admin/unit/baru", data={**unit, "kode": "KEL-MAWAR", "nama": blank})
    assert response.status_code == 422 and "Isi nama." in response.get_data(as_text=True)
    assert not Unit.select().where(Unit.kode == "KEL-MAWAR").exists()
    employee = {
        "nip": "198502282010011001",
        "nama": blank,
        "status": "PNS",
        "jenis_jabatan": "Pelaksana",
        "jabatan": "Analis Kebijakan",
        "unit": str(w["dinas"].id),
        "golongan": "",
    }
    response = client.post("/admin/pegawai/baru", data=employee)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Isi nama." in html
    assert 'value="Analis Kebijakan"' in html
    assert not Employee.select().where(Employee.nip == "198502282010011001").exists()
    response = client.post("/admin/pegawai/baru", data={**employee, "nip": blank, "nama": "Budi"})
    assert response.status_code == 422 and "Isi NIP." in response.get_data(as_text=True)


@pytest.mark.parametrize("blank", ["\u200b", "\u00a0 \u2060"])
def test_the_import_refuses_a_name_of_only_invisible_characters(app, blank):
    with pytest.raises(Invalid, match="Nama wajib diisi"):
        check_employee_data({"nip": "198502282010011001", "nama": blank, "status": "PNS"})


def test_a_queued_import_writes_nothing_until_the_job_runs_and_then_shows_its_counts(
    client, login_as, org_world, queued_jobs
):
    w = org_world
    login_as(w["admin"])
    rows = "".join(
        f"1990010120150310{number:02d},Pegawai {number},DISDIK,{w['kasi'].nip}\n"
        for number in range(1, 4)
    )
    data = {
        "token": "tok-q",
        "file": (io.BytesIO(f"nip,nama,unit_kode,atasan_nip\n{rows}".encode()), "q.csv"),
    }
    uploads = Path(client.application.instance_path, "import-uploads")
    before = set(uploads.glob("*.csv"))
    response = client.post("/admin/impor", data=data)
    assert response.status_code == 303
    url = response.headers["Location"]
    kept = {f for f in set(uploads.glob("*.csv")) - before if b"Pegawai 1," in f.read_bytes()}
    assert len(kept) == 1  # the upload waits on the server for the job
    waiting = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Membaca berkas…" in waiting and "load delay" in waiting  # queued: it polls
    assert f'href="{url}">Muat ulang</a>' in waiting
    assert not Employee.select().where(Employee.nip.startswith("19900101201503100")).exists()
    queued_jobs()  # the consumer runs the import
    done = client.get(url)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "3 baris: 3 baru, 0 berubah, 0 tidak berubah." in html
    assert "load delay" not in html and "Muat ulang" not in html
    assert Employee.select().where(Employee.nip.startswith("19900101201503100")).count() == 3
    assert AuditLog.select().where(AuditLog.action == "employee.import").count() == 1
    assert not kept.pop().exists()  # and is removed once imported


def test_the_import_page_runs_fixed_queries_however_many_rows_were_bad(
    client, login_as, org_world, query_counter
):
    w = org_world
    login_as(w["admin"])
    pages = []
    for count in (1, 60):
        bad = "".join(f"1990023020150310{n:02d},Budi {n},DISDIK\n" for n in range(count))
        data = {
            "token": "tok",
            "file": (io.BytesIO(f"nip,nama,unit_kode\n{bad}".encode()), "b.csv"),
        }
        pages.append(client.post("/admin/impor", data=data).headers["Location"])
    client.get(pages[0])
    with query_counter() as few:
        assert client.get(pages[0]).status_code == 422
    with query_counter() as many:
        html = client.get(pages[1]).get_data(as_text=True)
    assert html.count("Tanggal lahir pada NIP tidak valid") == 60
    assert len(many.queries) == len(few.queries)


def test_an_import_that_crashes_ends_failed_and_writes_nothing(
    client, login_as, org_world, queued_jobs, monkeypatch
):
    from portal.admin import services
    from portal.org import importer

    w = org_world
    login_as(w["admin"])

    def broken(*args, **kwargs):  # the audit write fails after the pegawai rows were inserted
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importer.audit, "record_many", broken)
    data = {
        "token": "t",
        "file": (io.BytesIO(b"nip,nama,unit_kode\n199001012015031001,Andi,DISDIK\n"), "c.csv"),
    }
    url = client.post("/admin/impor", data=data).headers["Location"]
    job = ImportJob.get(ImportJob.token == url.rsplit("/", 1)[1])
    upload = services._upload_dir().glob(f"{w['admin'].id}-*.csv")
    name = next(path.name for path in upload if b"Andi" in path.read_bytes())
    with pytest.raises(RuntimeError):
        services.run_import(job.id, name)
    page = client.get(url)
    assert page.status_code == 422
    assert "Impor gagal. Coba lagi, atau beri tahu admin." in page.get_data(as_text=True)
    assert "load delay" not in page.get_data(as_text=True)
    assert not Employee.select().where(Employee.nip == "199001012015031001").exists()
