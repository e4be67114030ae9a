"""htmx answers only what changed in the verification queue: a decision answers the touched
days (re-rendered or removed), the pegawai's count, the summary and the toolbar, out of band,
at most 10% of the queue page's bytes; without JavaScript the same form confirms, then 303."""

from datetime import timedelta

from flask import g

from portal.activities.models import APPROVED, Activity
from tests.reviews.conftest import TODAY

HX = {"HX-Request": "true"}
SHARE = 0.10


def _busy_queue(team, make_entries, make_employee):
    """Five staff with 8 waiting entries each over two days, plus the team's two pegawai."""
    for index in range(5):
        staff = make_employee(nama=f"Staf {index}", unit=team["unit"], supervisor=team["atasan"])
        make_entries(staff, 4, tanggal=TODAY - timedelta(days=1))
        make_entries(staff, 4, tanggal=TODAY - timedelta(days=2))
    make_entries(team["pegawai"], 3, tanggal=TODAY - timedelta(days=1))
    make_entries(team["rekan"], 3, tanggal=TODAY - timedelta(days=1))


def _queue_bytes(client):
    g.pop("_login_user", None)
    return len(client.get("/verifikasi").get_data())


def test_approving_a_day_answers_only_that_day_and_the_counts(
    client, login_as, team, make_entries, make_employee
):
    _busy_queue(team, make_entries, make_employee)
    login_as(team["atasan"])
    page = _queue_bytes(client)
    day = TODAY - timedelta(days=1)
    rows = list(Activity.select().where(Activity.employee == team["pegawai"].id))
    items = ",".join(f"{row.id}:{row.version}" for row in rows)
    response = client.post("/verifikasi/setujui", data={"ids": items}, headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Reswap"] == "none"
    assert len(response.get_data()) <= SHARE * page, (len(response.get_data()), page)
    # Nothing of Ahmad is left: his section goes; the summary and the toolbar follow.
    assert f'<section id="qg-{team["pegawai"].id}" hx-swap-oob="delete">' in body
    assert 'id="ringkasan" hx-swap-oob="true"' in body and "43 kegiatan menunggu" in body
    assert 'id="queue-toolbar" hx-swap-oob="true"' in body
    assert "3 kegiatan disetujui." in body
    assert 'id="antrian"' not in body
    assert all(r.status == APPROVED for r in Activity.select().where(Activity.id.in_(rows)))
    assert day.isoformat() not in body.split("hx-swap-oob")[0]


def test_approving_some_of_a_day_rerenders_that_day(
    client, login_as, team, make_entries, make_employee
):
    _busy_queue(team, make_entries, make_employee)
    login_as(team["atasan"])
    page = _queue_bytes(client)
    staff = (
        Activity.select()
        .where(Activity.employee.not_in([team["pegawai"].id, team["rekan"].id]))
        .order_by(Activity.id)
        .first()
    )  # one of Staf 0..4: eight waiting entries each
    response = client.post(
        "/verifikasi/setujui", data={"pilih": f"{staff.id}:{staff.version}"}, headers=HX
    )
    body = response.get_data(as_text=True)
    assert len(response.get_data()) <= SHARE * page, (len(response.get_data()), page)
    key = f"qd-{staff.employee_id}-{staff.tanggal.isoformat()}"
    assert f'id="{key}" hx-swap-oob="true"' in body
    assert f'id="qg-count-{staff.employee_id}" hx-swap-oob="true">7 kegiatan' in body
    assert f'value="{staff.id}:' not in body  # the approved entry is gone from the day


def test_the_last_decision_answers_the_empty_queue(client, login_as, team, make_entries):
    rows = make_entries(team["pegawai"], 2)
    login_as(team["atasan"])
    items = ",".join(f"{row.id}:{row.version}" for row in rows)
    body = client.post("/verifikasi/setujui", data={"ids": items}, headers=HX).text
    assert 'id="antrian"' in body and "Tidak ada kegiatan yang menunggu verifikasi Anda." in body


def test_without_javascript_a_decision_still_confirms_then_redirects(
    client, login_as, team, make_entries
):
    rows = make_entries(team["pegawai"], 2)
    login_as(team["atasan"])
    items = ",".join(f"{row.id}:{row.version}" for row in rows)
    confirm = client.post("/verifikasi/setujui", data={"ids": items})
    assert confirm.status_code == 200 and "<html" in confirm.text
    done = client.post("/verifikasi/setujui", data={"ids": items, "confirmed": "1"})
    assert done.status_code == 303
