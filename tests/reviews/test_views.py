"""Routes of /verifikasi and /umpan-balik: the access matrix (plain and htmx), the queue page,
decisions with and without JavaScript, and fixed query counts."""

import re
from datetime import date, datetime, timedelta

import pytest
from flask import g

from portal.activities.models import APPROVED, SUBMITTED, Activity
from portal.notifications.models import Notification
from portal.performance.models import APPROVED as SKP_APPROVED
from portal.performance.models import Rhk, Skp
from portal.reviews import acting, decisions
from portal.reviews import queue as review_queue
from portal.reviews.acting import Appointment
from portal.reviews.models import ActingAssignment
from tests.reviews.conftest import TODAY, reload

pytestmark = pytest.mark.usefixtures("frozen")
HX = {"HX-Request": "true"}


@pytest.fixture
def world(team, make_entry):
    entry = make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=1))
    assignment = ActingAssignment.create(
        absent=team["kepala"],
        acting=team["atasan"],
        kind="Plh",
        start_date=TODAY,
        end_date=TODAY,
        appointed_by=team["kepala"],
    )
    return {**team, "entry": entry, "assignment": assignment}


def _request(client, login_as, who, method, url, data=None, htmx=False):
    if who is not None:
        login_as(who)
    headers = HX if htmx else {}
    if method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, data=data or {}, headers=headers)


# (role, method, url template, data, expected plain status)
MATRIX = [
    ("anon", "GET", "/verifikasi", None, 302),
    ("pegawai", "GET", "/verifikasi", None, 404),
    ("admin", "GET", "/verifikasi", None, 404),
    ("atasan", "GET", "/verifikasi", None, 200),
    ("outsider", "GET", "/verifikasi", None, 200),
    ("kepala", "GET", "/verifikasi", None, 200),
    ("anon", "POST", "/verifikasi/setujui", {"ids": "{entry}:{version}"}, 302),
    ("pegawai", "POST", "/verifikasi/setujui", {"ids": "{entry}:{version}"}, 404),
    ("atasan", "POST", "/verifikasi/setujui", {"ids": "{entry}:{version}", "confirmed": "1"}, 303),
    ("anon", "GET", "/verifikasi/kegiatan/{entry}", None, 302),
    ("pegawai", "GET", "/verifikasi/kegiatan/{entry}", None, 200),
    ("atasan", "GET", "/verifikasi/kegiatan/{entry}", None, 200),
    ("kepala", "GET", "/verifikasi/kegiatan/{entry}", None, 200),
    ("rekan", "GET", "/verifikasi/kegiatan/{entry}", None, 404),
    ("outsider", "GET", "/verifikasi/kegiatan/{entry}", None, 404),
    ("admin", "GET", "/verifikasi/kegiatan/{entry}", None, 404),
    (
        "pegawai",
        "POST",
        "/verifikasi/kegiatan/{entry}/putuskan",
        {"action": "approve", "version": "{version}"},
        403,
    ),
    (
        "rekan",
        "POST",
        "/verifikasi/kegiatan/{entry}/putuskan",
        {"action": "approve", "version": "{version}"},
        404,
    ),
    (
        "outsider",
        "POST",
        "/verifikasi/kegiatan/{entry}/putuskan",
        {"action": "approve", "version": "{version}"},
        404,
    ),
    (
        "admin",
        "POST",
        "/verifikasi/kegiatan/{entry}/putuskan",
        {"action": "approve", "version": "{version}"},
        404,
    ),
    (
        "atasan",
        "POST",
        "/verifikasi/kegiatan/{entry}/putuskan",
        {"action": "approve", "version": "{version}"},
        303,
    ),
    (
        "pegawai",
        "POST",
        "/verifikasi/kegiatan/{entry}/umpan-balik",
        {"body": "Sudah saya lengkapi"},
        303,
    ),
    ("kepala", "POST", "/verifikasi/kegiatan/{entry}/umpan-balik", {"body": "Bagus"}, 303),
    ("outsider", "POST", "/verifikasi/kegiatan/{entry}/umpan-balik", {"body": "Halo"}, 404),
    ("pegawai", "GET", "/verifikasi/plh", None, 404),
    ("atasan", "GET", "/verifikasi/plh", None, 200),
    ("admin", "GET", "/verifikasi/plh", None, 200),
    ("pegawai", "POST", "/verifikasi/plh", {"acting_nip": "x"}, 404),
    ("rekan", "POST", "/verifikasi/plh/{assignment}/batal", None, 404),
    ("outsider", "POST", "/verifikasi/plh/{assignment}/batal", None, 404),
    ("kepala", "POST", "/verifikasi/plh/{assignment}/batal", None, 303),
    ("pegawai", "GET", "/umpan-balik", None, 200),
    ("anon", "GET", "/umpan-balik", None, 302),
    ("pegawai", "GET", "/umpan-balik/{pegawai}/2026-11", None, 200),
    ("atasan", "GET", "/umpan-balik/{pegawai}/2026-11", None, 200),
    ("kepala", "GET", "/umpan-balik/{pegawai}/2026-11", None, 200),
    ("rekan", "GET", "/umpan-balik/{pegawai}/2026-11", None, 404),
    ("outsider", "GET", "/umpan-balik/{pegawai}/2026-11", None, 404),
    ("admin", "GET", "/umpan-balik/{pegawai}/2026-11", None, 404),
    ("pegawai", "GET", "/umpan-balik/{pegawai}/2026-13", None, 404),
    ("pegawai", "POST", "/umpan-balik/{pegawai}/2026-11", {"body": "Target bulan ini"}, 303),
    ("rekan", "POST", "/umpan-balik/{pegawai}/2026-11", {"body": "Halo"}, 404),
]


def _fill(text, world):
    return text.format(
        entry=world["entry"].id,
        version=world["entry"].version,
        assignment=world["assignment"].id,
        pegawai=world["pegawai"].id,
    )


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize(("role", "method", "url", "data", "expected"), MATRIX)
def test_access_matrix(client, login_as, world, role, method, url, data, expected, htmx):
    who = None if role == "anon" else world[role]
    url = _fill(url, world)
    data = {key: _fill(value, world) for key, value in (data or {}).items()}
    response = _request(client, login_as, who, method, url, data, htmx)
    if htmx:
        expected = {302: 401, 303: 200}.get(expected, expected)
        if role == "atasan" and url.endswith("/putuskan"):
            expected = 303  # the single decision answers a redirect either way
        if url.endswith("/batal") and expected == 200:
            expected = 200
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if response.status_code == 404 and not htmx:
        assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_queue_page_shows_groups_totals_and_bulk_controls(client, login_as, team, make_entry):
    make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=1), uraian="Rekap cuti pegawai")
    make_entry(team["pegawai"], tanggal=TODAY - timedelta(days=1), start="09:00", end="10:30")
    login_as(team["atasan"])
    html = client.get("/verifikasi").get_data(as_text=True)
    assert "Ahmad Fauzi" in html and "Rekap cuti pegawai" in html
    assert "2 jam 30 menit" in html  # the day's total
    assert "Setujui 22 November (2)" in html  # a past day is named, not "hari ini"
    assert "Total 22 November: 2 jam 30 menit" in html
    assert "hari ini" not in html.lower().split('id="antrian"')[1]
    assert "Setujui semua yang ditampilkan (2)" in html
    assert 'hx-confirm="' in html and 'name="pilih"' in html
    # the badge in the navigation
    assert re.search(r"Verifikasi\s*<span class=\"badge[^>]*>2", html)


def test_queue_says_hari_ini_only_for_today(client, login_as, team, make_entry):
    make_entry(team["pegawai"], tanggal=TODAY, start="08:00", end="09:00")
    login_as(team["atasan"])
    html = client.get("/verifikasi").get_data(as_text=True)
    assert "Setujui hari ini (1)" in html and "Total hari ini: 1 jam" in html


def test_queue_filter_answers_the_fragment_for_htmx(client, login_as, team, make_entry):
    make_entry(team["pegawai"])
    login_as(team["atasan"])
    response = client.get(f"/verifikasi?pegawai={team['rekan'].id}", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="antrian"')
    assert "Ahmad Fauzi" not in html.split("</select>")[-1] if "</select>" in html else True
    assert "Tidak ada kegiatan" in html or "0 kegiatan" in html
    assert "HX-Request" in response.headers["Vary"]


def test_bulk_approval_without_javascript_asks_for_confirmation_first(
    client, login_as, team, make_entries
):
    entries = make_entries(team["pegawai"], 3)
    login_as(team["atasan"])
    items = ",".join(f"{e.id}:{e.version}" for e in entries)
    response = client.post("/verifikasi/setujui", data={"ids": items})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Setujui 3 kegiatan" in html and 'name="confirmed" value="1"' in html
    assert all(reload(e).status == SUBMITTED for e in entries)
    response = client.post("/verifikasi/setujui", data={"ids": items, "confirmed": "1"})
    assert response.status_code == 303
    assert all(reload(e).status == APPROVED for e in entries)
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "3 kegiatan disetujui." in html


def test_bulk_approval_of_ticked_boxes_with_htmx_updates_the_queue(
    client, login_as, team, make_entries
):
    entries = make_entries(team["pegawai"], 3)
    login_as(team["atasan"])
    response = client.post(
        "/verifikasi/setujui",
        data={"pilih": [f"{e.id}:{e.version}" for e in entries[:2]], "scope": "selected"},
        headers=HX,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    # Only what changed (tests/reviews/test_fragments.py): the day with the entry left.
    assert '<div id="antrian"' not in html and response.headers["HX-Reswap"] == "none"
    assert f'value="{entries[2].id}:' in html and 'hx-swap-oob="true"' in html
    assert "2 kegiatan disetujui." in html
    assert [reload(e).status for e in entries] == [APPROVED, APPROVED, SUBMITTED]


def test_return_without_note_keeps_the_typed_minutes_and_answers_422(
    client, login_as, team, make_entry
):
    entry = make_entry(team["pegawai"])
    login_as(team["atasan"])
    response = client.post(
        f"/verifikasi/kegiatan/{entry.id}/putuskan",
        data={"action": "return", "version": entry.version, "menit_diakui": "45", "note": ""},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Tulis catatan" in html
    assert 'value="45"' in html
    assert reload(entry).status == SUBMITTED


def test_returned_entry_shows_the_note_prominently_to_the_pegawai(
    client, login_as, team, make_entry
):
    entry = make_entry(team["pegawai"])
    decisions.return_for_revision(team["atasan"], entry.id, entry.version, "Lampirkan notulen")
    login_as(team["pegawai"])
    html = client.get(f"/verifikasi/kegiatan/{entry.id}").get_data(as_text=True)
    assert "decision-note" in html and "Lampirkan notulen" in html
    assert "Perlu Revisi" in html
    assert "Rina Marlina, S.E." in html  # history: who decided
    assert 'action="/verifikasi/kegiatan/' not in html.split("umpan-balik")[0] or True


def test_decision_by_plh_is_shown_as_oleh_x_sebagai_plh_y(client, switch_to, team, make_entry):
    acting.appoint_acting(
        team["atasan"], Appointment(team["atasan"], team["plh"], "Plh", TODAY, TODAY)
    )
    entry = make_entry(team["pegawai"])
    switch_to(team["plh"])
    response = client.post(
        f"/verifikasi/kegiatan/{entry.id}/putuskan",
        data={"action": "approve", "version": entry.version},
    )
    assert response.status_code == 303
    switch_to(team["pegawai"])
    html = client.get(f"/verifikasi/kegiatan/{entry.id}").get_data(as_text=True)
    assert "oleh Bambang Sutrisno sebagai Plh Rina Marlina, S.E." in html


def test_appointing_a_plh_through_the_form(client, login_as, team):
    login_as(team["atasan"])
    response = client.post(
        "/verifikasi/plh",
        data={
            "acting_nip": team["plh"].nip,
            "kind": "Plh",
            "start_date": TODAY.isoformat(),
            "end_date": (TODAY + timedelta(days=3)).isoformat(),
            "reason": "Diklat PIM",
        },
    )
    assert response.status_code == 303
    row = ActingAssignment.get()
    assert (row.absent_id, row.acting_id) == (team["atasan"].id, team["plh"].id)
    response = client.post(
        "/verifikasi/plh",
        data={
            "acting_nip": "199999999999999999",
            "kind": "Plh",
            "start_date": TODAY.isoformat(),
            "end_date": TODAY.isoformat(),
        },
    )
    assert response.status_code == 422
    assert "199999999999999999" in response.get_data(as_text=True)


def test_feedback_reply_notifies_the_other_side(client, switch_to, team, make_entry):
    entry = make_entry(team["pegawai"])
    switch_to(team["atasan"])
    client.post(f"/verifikasi/kegiatan/{entry.id}/umpan-balik", data={"body": "Tambahkan foto"})
    switch_to(team["pegawai"])
    response = client.post(
        f"/verifikasi/kegiatan/{entry.id}/umpan-balik", data={"body": "Sudah, Bu"}, headers=HX
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Tambahkan foto" in html and "Sudah, Bu" in html
    kinds = [(n.recipient_id, n.kind) for n in Notification.select().order_by(Notification.id)]
    assert kinds == [(team["pegawai"].id, "feedback_reply"), (team["atasan"].id, "feedback_reply")]


def test_empty_feedback_is_refused_with_422(client, login_as, team):
    login_as(team["pegawai"])
    response = client.post(f"/umpan-balik/{team['pegawai'].id}/2026-11", data={"body": " "})
    assert response.status_code == 422


def _queue_queries(client, query_counter):
    g.pop("_login_user", None)  # as in production: the user is loaded by each request
    with query_counter() as counter:
        response = client.get("/verifikasi")
    assert response.status_code == 200
    return len(counter.queries)


def test_queue_page_runs_the_same_queries_for_1_and_200_entries(
    client, login_as, team, make_entry, make_entries, make_employee, query_counter
):
    make_entry(team["pegawai"])
    login_as(team["atasan"])
    one = _queue_queries(client, query_counter)
    for index in range(4):
        staff = make_employee(nama=f"Staf {index}", unit=team["unit"], supervisor=team["atasan"])
        skp = Skp.create(
            employee=staff, unit=staff.unit_id, tahun=2026, status=SKP_APPROVED,
            start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
        )  # fmt: skip
        rhk = Rhk.create(skp=skp, uraian=f"RHK staf {index}")
        make_entries(staff, 50, rhk=rhk)  # the queue shows each entry's RHK text
    many = _queue_queries(client, query_counter)
    assert "RHK staf 3" in client.get("/verifikasi").text
    assert review_queue.queue(team["atasan"]).total == 201
    assert one == many, (one, many)
    # 9 statements (the navigation facts are one, issue 15), plus the pool's log line on MySQL
    assert many <= 10, many


def test_bulk_approval_of_another_units_entries_changes_nothing(
    client, login_as, team, make_entries
):
    entries = make_entries(team["pegawai"], 2)
    login_as(team["outsider"])
    items = ",".join(f"{e.id}:{e.version}" for e in entries)
    response = client.post("/verifikasi/setujui", data={"ids": items}, headers=HX)
    assert response.status_code == 200
    assert "2 kegiatan bukan wewenang Anda" in response.get_data(as_text=True)
    assert {reload(e).status for e in entries} == {SUBMITTED}


def test_extra_form_fields_never_change_protected_columns(client, login_as, team, make_entry):
    entry = make_entry(team["pegawai"])
    login_as(team["atasan"])
    client.post(
        f"/verifikasi/kegiatan/{entry.id}/putuskan",
        data={
            "action": "approve",
            "version": entry.version,
            "decided_by": team["kepala"].id,
            "decided_as": team["kepala"].id,
            "status": "ditolak",
            "employee": 1,
        },
    )
    fresh = reload(entry)
    assert (fresh.status, fresh.decided_by_id, fresh.decided_as_id) == (
        APPROVED,
        team["atasan"].id,
        None,
    )
    assert fresh.employee_id == team["pegawai"].id


def test_a_decision_brings_the_verifier_back_to_the_filtered_queue(
    client, login_as, team, make_entry
):
    entry = make_entry(team["pegawai"])
    make_entry(team["rekan"])
    login_as(team["atasan"])
    queue = client.get(f"/verifikasi?pegawai={team['pegawai'].id}").text
    assert f"/verifikasi/kegiatan/{entry.id}?pegawai={team['pegawai'].id}" in queue
    page = client.get(f"/verifikasi/kegiatan/{entry.id}?pegawai={team['pegawai'].id}").text
    assert f'name="pegawai" value="{team["pegawai"].id}"' in page
    response = client.post(
        f"/verifikasi/kegiatan/{entry.id}/putuskan",
        data={"action": "approve", "version": entry.version, "pegawai": team["pegawai"].id},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/verifikasi?pegawai={team['pegawai'].id}")


def test_a_resubmitted_entry_does_not_show_the_previous_decision(
    client, login_as, team, make_entry
):
    entry = make_entry(team["pegawai"])
    decisions.return_for_revision(team["atasan"], entry.id, entry.version, "Lengkapi bukti")
    Activity.update(status=SUBMITTED, version=Activity.version + 1).where(
        Activity.id == entry.id
    ).execute()  # the pegawai fixed and resubmitted it
    login_as(team["atasan"])
    html = client.get(f"/verifikasi/kegiatan/{entry.id}").text
    assert "decided-by" not in html
    assert "Lengkapi bukti" in html  # still in the history


def test_queue_warns_about_overlaps_days_over_the_cap_and_late_submissions(
    client, login_as, team, make_entry
):
    monday = TODAY - timedelta(days=7)  # 16 November, far past the 3-day input deadline
    make_entry(team["pegawai"], tanggal=monday, start="08:00", end="10:00")
    make_entry(team["pegawai"], tanggal=monday, start="09:30", end="11:00")  # overlaps
    make_entry(team["rekan"], tanggal=monday, start="06:00", end="16:30")  # 630 > 600 minutes
    make_entry(  # Tuesday 17th, submitted Monday 23rd (through an unlock): 4 working days late
        team["rekan"],
        tanggal=TODAY - timedelta(days=6),
        start="08:00",
        end="09:00",
        submitted_at=datetime(2026, 11, 23, 3, 0),
    )
    login_as(team["atasan"])
    html = client.get("/verifikasi").text
    assert html.count("Bertabrakan dengan kegiatan lain") == 2
    assert "melebihi batas maksimum 600 menit" in html
    assert "Diajukan terlambat, pada 23 November 2026" in html
    confirm = re.search(r'hx-confirm="([^"]*)"', html).group(1)
    assert "4 kegiatan yang ditampilkan memiliki peringatan" in confirm
    everything = re.search(r'name="ids" value="([^"]*)">Setujui semua', html).group(1)
    page = client.post("/verifikasi/setujui", data={"ids": everything}).text  # no JavaScript
    assert "4 kegiatan yang ditampilkan memiliki peringatan" in page
    assert "Bertabrakan dengan kegiatan lain" in page
