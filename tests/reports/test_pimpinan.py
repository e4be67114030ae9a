"""The pimpinan role (a read-only leader): at an OPD it reads that OPD's tree, at the root unit
the whole city; the dashboard, the recap, a pegawai's month and the exports of what it reads,
and nothing else (no closing, reopening or kehadiran import: 404). Granted through the admin
pages, audited; the roles add up with being an atasan."""

from datetime import date

import pytest

from portal.audit.models import AuditLog
from portal.org import editing
from portal.org.models import ROLE_PIMPINAN, RoleAssignment
from portal.reports import closing, dashboard, demo
from portal.reports.models import ExportJob
from portal.reports.recap import Month
from portal.reports.scope import can_close_month, can_import_attendance, scope_for
from tests.conftest import count_queries
from tests.reports.conftest import entry

OCTOBER = Month(2026, 10)
HTMX = {"HX-Request": "true"}


@pytest.fixture
def kepala(october):
    """The head of the PTSP office, pimpinan there (granted by the admin, as in the pages)."""
    editing.assign_role(october["admin"], october["kepala"], ROLE_PIMPINAN, october["ptsp"])
    return october["kepala"]


@pytest.fixture
def pemda(app, make_unit, make_employee):
    """A city with a single root unit (the pemda), two OPDs below, and its Sekda as pimpinan."""
    root = make_unit(nama="Pemerintah Kota Uji", jenis="Pemda")
    dinsos = make_unit(nama="Dinas Sosial Uji", parent=root)
    dishub = make_unit(nama="Dinas Perhubungan Uji", parent=root)
    admin = make_employee(nama="Admin Kota", unit=root, roles=[("admin", None)])
    sekda = make_employee(nama="Sekda Kota", unit=root, jenis_jabatan="JPT")
    ani = make_employee(nama="Ani Sosial", unit=dinsos)
    joko = make_employee(nama="Joko Hubung", unit=dishub)
    entry(ani, date(2026, 10, 5), 120, "disetujui")
    entry(joko, date(2026, 10, 5), 90, "disetujui")
    editing.assign_role(admin, sekda, ROLE_PIMPINAN, root)
    return {"root": root, "dinsos": dinsos, "dishub": dishub, "sekda": sekda, "admin": admin}


def test_the_scope_of_a_pimpinan_is_the_tree_of_the_role_and_grants_no_action(october, kepala):
    scope = scope_for(kepala)
    assert not scope.all and [root.id for root in scope.roots] == [october["ptsp"].id]
    assert dashboard.can_view_dashboard(kepala)
    assert scope.may_see(october["siti"]) and not scope.may_see(october["budi"])
    assert not can_close_month(kepala, october["ptsp"])
    assert not can_import_attendance(kepala)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_pimpinan_at_an_opd_reads_its_dashboard_and_recap(client, login_as, kepala, headers):
    login_as(kepala)
    page = client.get("/laporan/dasbor?bulan=2026-10", headers=headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Dinas Penanaman Modal dan PTSP" in html and "Dinas Kesehatan" not in html
    recap = client.get("/laporan/?bulan=2026-10", headers=headers).get_data(as_text=True)
    assert ("<html" in recap) is not bool(headers)  # htmx gets the fragment only
    assert "Siti Rahmawati" in recap and "Budi Santoso" not in recap
    # the leaders' reading only: no closing button, no import link
    assert "/laporan/tutup" not in recap and "/laporan/kehadiran" not in recap


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_pimpinan_gets_404_for_another_opd_and_for_every_action(
    client, login_as, october, kepala, headers
):
    login_as(kepala)
    dinkes = october["dinkes"].id
    assert client.get(f"/laporan/dasbor?unit={dinkes}", headers=headers).status_code == 404
    assert client.get(f"/laporan/?unit={dinkes}", headers=headers).status_code == 404
    assert client.get(f"/laporan/pegawai/{october['budi'].id}", headers=headers).status_code == 404
    bidang = october["bidang"].id
    closed = client.post(
        "/laporan/tutup", data={"unit": bidang, "bulan": "2026-10"}, headers=headers
    )
    assert closed.status_code == 404
    closure = closing.close_month(october["admin_opd"], october["bidang"], OCTOBER)
    assert client.get(f"/laporan/buka/{closure.id}", headers=headers).status_code == 404
    reopened = client.post(
        f"/laporan/buka/{closure.id}", data={"alasan": "x" * 20}, headers=headers
    )
    assert reopened.status_code == 404
    assert client.get("/laporan/kehadiran", headers=headers).status_code == 404
    assert client.post("/laporan/kehadiran", data={}, headers=headers).status_code == 404
    assert client.get("/admin/", headers=headers).status_code == 403


def test_a_pimpinan_drills_down_opens_a_month_and_exports_what_it_reads(
    client, login_as, october, kepala
):
    login_as(kepala)
    drill = client.get(f"/laporan/dasbor?unit={october['ptsp'].id}&bulan=2026-10")
    assert "Bidang Pelayanan Perizinan" in drill.get_data(as_text=True)
    recap = client.get(f"/laporan/?unit={october['bidang'].id}&bulan=2026-10")
    assert "Dewi Lestari" in recap.get_data(as_text=True)
    month = client.get(f"/laporan/pegawai/{october['siti'].id}?bulan=2026-10")
    assert month.status_code == 200
    response = client.post("/laporan/ekspor", data={"format": "csv", "bulan": "2026-10"})
    assert response.status_code == 303
    job = ExportJob.get()
    assert job.status == "selesai" and job.total == 5  # the PTSP tree, not Dinas Kesehatan
    assert client.get(response.headers["Location"]).status_code == 200
    assert client.post(
        "/laporan/ekspor", data={"format": "csv", "unit": str(october["dinkes"].id)}
    ).status_code in (404, 422)


def test_the_nav_shows_laporan_and_the_recap_links_the_dashboard(client, login_as, october, kepala):
    login_as(kepala)
    assert 'href="/laporan/"' in client.get("/").get_data(as_text=True)
    assert 'href="/laporan/dasbor"' in client.get("/laporan/").get_data(as_text=True)
    login_as(october["kabid"])  # an atasan: the recap of a team, no dashboard
    assert 'href="/laporan/"' in client.get("/").get_data(as_text=True)
    assert 'href="/laporan/dasbor"' not in client.get("/laporan/").get_data(as_text=True)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_pimpinan_at_the_root_reads_the_city(client, login_as, pemda, headers):
    login_as(pemda["sekda"])
    board = client.get(f"/laporan/dasbor?unit={pemda['root'].id}&bulan=2026-10", headers=headers)
    assert board.status_code == 200
    html = board.get_data(as_text=True)
    assert "Dinas Sosial Uji" in html and "Dinas Perhubungan Uji" in html
    recap = client.get("/laporan/?bulan=2026-10", headers=headers).get_data(as_text=True)
    assert "Ani Sosial" in recap and "Joko Hubung" in recap
    figures = dashboard.build(pemda["sekda"], OCTOBER, pemda["root"])
    assert {o.unit.nama: o.pegawai for o in figures.opds} == {
        "Dinas Sosial Uji": 1,
        "Dinas Perhubungan Uji": 1,
    }
    assert not can_close_month(pemda["sekda"], pemda["dinsos"])
    assert client.get("/laporan/kehadiran", headers=headers).status_code == 404


def test_a_pimpinan_who_is_an_atasan_keeps_their_team(october):
    # Hendra leads Siti and Dewi in the bidang; as pimpinan of Dinas Kesehatan he reads it too
    editing.assign_role(october["admin"], october["kabid"], ROLE_PIMPINAN, october["dinkes"])
    scope = scope_for(october["kabid"])
    assert scope.may_see(october["siti"]) and scope.may_see(october["budi"])
    assert not scope.may_see(october["kepala"])


def test_a_held_twice_or_nested_tree_is_read_once(october, kepala):
    editing.assign_role(october["admin"], kepala, ROLE_PIMPINAN, october["bidang"])
    fresh = type(kepala).get_by_id(kepala.id)
    assert [root.id for root in scope_for(fresh).roots] == [october["ptsp"].id]


def test_the_admin_grants_and_revokes_the_role_in_the_admin_pages(client, login_as, october):
    login_as(october["admin"])
    form = client.get(f"/admin/pegawai/{october['kepala'].id}").get_data(as_text=True)
    assert 'value="pimpinan"' in form and "Pimpinan" in form
    granted = client.post(
        f"/admin/pegawai/{october['kepala'].id}/peran",
        data={"peran-role": "pimpinan", "peran-unit": str(october["ptsp"].id)},
    )
    assert granted.status_code == 303
    row = RoleAssignment.get(RoleAssignment.role == ROLE_PIMPINAN)
    assert row.employee_id == october["kepala"].id and row.unit_id == october["ptsp"].id
    assert AuditLog.select().where(AuditLog.action == "role.grant").count() == 1
    assert "Pimpinan" in client.get("/admin/peran").get_data(as_text=True)
    revoked = client.post(f"/admin/peran/{row.id}/cabut")
    assert revoked.status_code == 303
    assert not RoleAssignment.select().where(RoleAssignment.role == ROLE_PIMPINAN).exists()
    assert AuditLog.select().where(AuditLog.action == "role.revoke").count() == 1
    login_as(october["kepala"])
    assert client.get("/laporan/dasbor").status_code == 404


def test_the_demo_grants_the_role_to_the_head_of_the_ptsp_office(october, make_unit):
    october["ptsp"].kode = demo.PTSP_KODE
    october["ptsp"].save()
    demo.seed_pimpinan({"admin": october["admin"]})
    row = RoleAssignment.get(RoleAssignment.role == ROLE_PIMPINAN)
    assert (row.employee_id, row.unit_id) == (october["kepala"].id, october["ptsp"].id)
    assert AuditLog.select().where(AuditLog.action == "role.grant").count() == 1


def test_the_demo_also_grants_it_at_a_single_root(pemda):
    RoleAssignment.delete().where(RoleAssignment.role == ROLE_PIMPINAN).execute()
    demo.seed_pimpinan({"admin": pemda["admin"]})
    rows = RoleAssignment.select().where(RoleAssignment.role == ROLE_PIMPINAN)
    held = {row.unit_id for row in rows}
    assert held == {pemda["root"].id}


def test_seed_demo_gives_the_role_and_demo_logins_prints_the_pimpinan(runner, monkeypatch):
    from portal.auth import commands

    monkeypatch.setattr(commands, "domain_demo_modules", lambda: [("reports", demo)])
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    rows = list(RoleAssignment.select().where(RoleAssignment.role == ROLE_PIMPINAN))
    assert len(rows) == 1  # the demo pemda has many top-level units: no single root to read
    row = rows[0]
    head = row.employee
    assert (row.unit.kode, head.jabatan, head.supervisor_id) == ("DPMPTSP", "Kepala DPMPTSP", None)
    assert dashboard.can_view_dashboard(head) and not can_import_attendance(head)
    output = runner.invoke(args=["demo-logins"]).output
    assert f"Pimpinan       NIP {head.nip}" in output


def test_a_pimpinan_page_runs_the_same_queries_for_few_and_many_pegawai(
    client, login_as, make_employee, october, kepala
):
    login_as(kepala)
    urls = ("/laporan/dasbor?bulan=2026-10", "/laporan/?bulan=2026-10")
    counts = []
    for added in (1, 40):
        for _number in range(added):
            person = make_employee(unit=october["bidang"], supervisor=october["kabid"])
            entry(person, date(2026, 10, 5), 60, "disetujui")
        for url in urls:
            client.get(url)
        seen = []
        for url in urls:
            with count_queries() as queries:
                assert client.get(url).status_code == 200
            seen.append(len(queries.queries))
        counts.append(seen)
    assert counts[0] == counts[1], counts
