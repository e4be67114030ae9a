"""Every route of accounts and admin x every kind of user, plain and with HX-Request.

Roles: anonymous, pegawai, atasan, penyelenggara, pimpinan (read-only leader) of the unit, admin
OPD of another unit, admin OPD of the unit, admin. A new auth.* or admin.* route without a row
here fails test_every_route_of_this_area_is_in_the_matrix.
"""

import pytest

from portal.org.models import RoleAssignment

ROLES = ["anon", "pegawai", "atasan", "penyelenggara", "pimpinan", "opd_other", "opd_own", "admin"]

# endpoint: (method, url template, form data, expected statuses in ROLES order)
ADMIN_AREA = (302, 403, 403, 403, 403, 200, 200, 200)
ADMIN_ONLY = (302, 403, 403, 403, 403, 403, 403, 200)
OWN_OBJECT = (302, 403, 403, 403, 403, 404, 200, 200)
OWN_ACTION = (302, 403, 403, 403, 403, 404, 303, 303)
SIGNED_IN = (302, 200, 200, 200, 200, 200, 200, 200)

MATRIX = {
    "auth.login": ("GET", "/masuk", None, (200, 302, 302, 302, 302, 302, 302, 302)),
    "auth.logout": ("POST", "/keluar", {}, (302,) * 8),
    "auth.profile": ("GET", "/profil", None, SIGNED_IN),
    "auth.change_password": ("GET", "/profil/kata-sandi", None, SIGNED_IN),
    "auth.language": ("POST", "/profil/bahasa", {"language": "id"}, (302,) + (303,) * 7),
    "auth.forgot_password": ("GET", "/lupa-kata-sandi", None, (200,) * 8),
    "auth.reset_with_link": ("GET", "/lupa-kata-sandi/abc", None, (422,) * 8),
    "auth.reset_subordinate": (
        "POST",
        "/profil/bawahan/{pegawai}/reset-kata-sandi",
        {},
        (302, 404, 200, 404, 404, 404, 404, 404),
    ),
    "admin.index": ("GET", "/admin/", None, ADMIN_AREA),
    "admin.units": ("GET", "/admin/unit", None, ADMIN_AREA),
    "admin.unit_new": ("GET", "/admin/unit/baru", None, ADMIN_AREA),
    "admin.unit_edit": ("GET", "/admin/unit/{unit}", None, OWN_OBJECT),
    "admin.employees": ("GET", "/admin/pegawai", None, ADMIN_AREA),
    "admin.employee_new": ("GET", "/admin/pegawai/baru", None, ADMIN_AREA),
    "admin.employee_edit": ("GET", "/admin/pegawai/{pegawai}", None, OWN_OBJECT),
    "admin.employee_active": (
        "POST",
        "/admin/pegawai/{pegawai}/status",
        {"aktif": "0"},
        OWN_ACTION,
    ),
    "admin.employee_reset": ("POST", "/admin/pegawai/{pegawai}/reset-sandi", {}, OWN_OBJECT),
    "admin.employee_end_sessions": ("POST", "/admin/pegawai/{pegawai}/akhiri-sesi", {}, OWN_ACTION),
    "admin.role_grant": (
        "POST",
        "/admin/pegawai/{pegawai}/peran",
        {"peran-role": "penyelenggara", "peran-unit": "{unit}"},
        OWN_ACTION,
    ),
    "admin.role_revoke": ("POST", "/admin/peran/{role}/cabut", {}, OWN_ACTION),
    "admin.roles": ("GET", "/admin/peran", None, ADMIN_AREA),
    "admin.import_page": ("GET", "/admin/impor", None, ADMIN_AREA),
    "admin.import_template": ("GET", "/admin/impor/templat.csv", None, ADMIN_AREA),
    # a job is seen only by the admin who started it: an unknown token is 404 for everyone
    "admin.import_progress": (
        "GET",
        "/admin/impor/progres/abc",
        None,
        (302, 403, 403, 403, 403, 404, 404, 404),
    ),
    "admin.audit_log": ("GET", "/admin/log-audit", None, ADMIN_AREA),
    "admin.settings_page": ("GET", "/admin/pengaturan", None, ADMIN_ONLY),
}


def test_every_route_of_this_area_is_in_the_matrix(app):
    endpoints = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in ("auth", "admin")
    }
    assert endpoints == set(MATRIX)


@pytest.fixture
def make_world(make_unit, make_employee):
    """A fresh little organisation (so actions that change it never leak between cases)."""

    def _make():
        dinas = make_unit(nama="Dinas Pendidikan")
        bidang = make_unit(nama="UPT SKB", parent=dinas, jenis="UPT")
        other = make_unit(nama="Dinas Kesehatan")
        atasan = make_employee(unit=dinas, nama="Hendra Siregar")
        pegawai = make_employee(unit=bidang, supervisor=atasan, nama="Siti Rahmawati")
        organizer = make_employee(unit=dinas, roles=[("penyelenggara", dinas)])
        people = {
            "pegawai": pegawai,
            "atasan": atasan,
            "penyelenggara": organizer,
            "pimpinan": make_employee(unit=dinas, roles=[("pimpinan", dinas)]),
            "opd_other": make_employee(unit=other, roles=[("admin_opd", other)]),
            "opd_own": make_employee(unit=dinas, roles=[("admin_opd", dinas)]),
            "admin": make_employee(unit=other, roles=[("admin", None)]),
        }
        role = RoleAssignment.get(RoleAssignment.employee == organizer)
        return people, {"unit": bidang.id, "pegawai": pegawai.id, "role": role.id}

    return _make


def _expected(endpoint, index, role, htmx):
    status = MATRIX[endpoint][3][index]
    if htmx:
        if status == 302 and role == "anon" and endpoint != "auth.logout":
            return 401  # HX-Redirect to the login page
        if status == 303 and endpoint.startswith("admin."):
            return 204  # HX-Redirect to the next page
    return status


@pytest.mark.parametrize("endpoint", list(MATRIX))
def test_access(app, make_world, login_as, endpoint):
    method, url, data, _statuses = MATRIX[endpoint]
    mismatches = []
    world = make_world()
    for index, role in enumerate(ROLES):
        for htmx in (False, True):
            if method == "POST":
                world = make_world()  # a fresh organisation for every state change
            people, ids = world
            expected = _expected(endpoint, index, role, htmx)
            client = app.test_client()
            if role != "anon":
                login_as(people[role], client)
            headers = {"HX-Request": "true"} if htmx else {}
            target = url.format(**ids)
            if method == "POST":
                form = {key: value.format(**ids) for key, value in data.items()}
                response = client.post(target, data=form, headers=headers)
            else:
                response = client.get(target, headers=headers)
            html = response.get_data(as_text=True)
            case = f"{role}{' hx' if htmx else ''}"
            if response.status_code != expected:
                mismatches.append(f"{case}: {response.status_code} (expected {expected})")
            elif expected in (403, 404) and role != "pegawai" and people["pegawai"].nip in html:
                mismatches.append(f"{case}: a denied page shows the pegawai")
            elif expected == 401 and not response.headers["HX-Redirect"].startswith("/masuk"):
                mismatches.append(f"{case}: no HX-Redirect to the login page")
    assert mismatches == []
