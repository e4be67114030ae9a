"""htmx answers only what changed: adding or deleting an entry answers the row (or its removal)
and out-of-band updates of the count, the totals, the day in the week strip and the submit
button, at most 10% of the full page's bytes; without htmx the same forms answer 303 and the
page is whole."""

import re

import pytest
from flask import g

from portal.activities.models import Activity
from tests.activities.conftest import TODAY, form_data

HX = {"HX-Request": "true"}
SHARE = 0.10


@pytest.fixture
def busy_day(people, make_activity, frozen):
    """The pegawai's Monday with five entries (07.00-12.00) and a Friday with two."""
    for hour in range(7, 12):
        make_activity(people["pegawai"], f"{hour:02d}:00", f"{hour:02d}:30")
    return people["pegawai"]


def _page_bytes(client):
    return len(client.get("/kegiatan").get_data())


def test_adding_an_entry_answers_only_the_row_and_the_totals(client, sign_in_as, busy_day):
    sign_in_as(busy_day)
    page = _page_bytes(client)
    response = client.post(
        "/kegiatan/tambah",
        data=form_data(start="09:30", end="10:00", uraian="Menelaah izin reklame"),
        headers=HX,
    )
    assert response.status_code == 200 and response.headers["HX-Reswap"] == "none"
    body = response.get_data(as_text=True)
    assert len(response.get_data()) <= SHARE * page, (len(response.get_data()), page)
    added = Activity.get(Activity.uraian == "Menelaah izin reklame")
    # The row goes in its place by time: before the 10.00 entry.
    ten = Activity.get(Activity.jam_mulai == "10:00:00")
    assert f'hx-swap-oob="beforebegin:#entri-{ten.id}"' in body
    assert f'id="entri-{added.id}"' in body and "Menelaah izin reklame" in body
    assert 'id="entry-count" class="text-body-secondary fw-normal" hx-swap-oob="true">(6)' in body
    assert re.search(r'id="day-total" hx-swap-oob="true">.*3 jam', body)
    assert 'id="day-bar"' in body
    assert f'id="wd-{TODAY.isoformat()}" hx-swap-oob="true"' in body
    assert 'id="submit-area"' not in body  # "Ajukan" is there already
    assert 'id="no-entries"' not in body
    # The new row's upload form comes from the day page when its <details> opens.
    assert 'hx-trigger="toggle once"' in body and 'class="evidence-form' not in body
    assert "Kegiatan ditambahkan." in body  # the flash, out of band
    assert 'id="day-panel"' not in body and "<html" not in body
    assert '"entry-saved": {"start": "11:30"' in response.headers["HX-Trigger"]


def test_the_last_entry_of_the_day_is_appended(client, sign_in_as, busy_day):
    sign_in_as(busy_day)
    response = client.post(
        "/kegiatan/tambah", data=form_data(start="13:00", end="14:00"), headers=HX
    )
    assert 'hx-swap-oob="beforeend:#entries"' in response.get_data(as_text=True)


def test_deleting_an_entry_answers_only_its_removal_and_the_totals(client, sign_in_as, busy_day):
    sign_in_as(busy_day)
    page = _page_bytes(client)
    entry = Activity.select().order_by(Activity.id).first()
    response = client.post(
        f"/kegiatan/{entry.id}/hapus", data={"version": entry.version}, headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Reswap"] == "none"
    assert len(response.get_data()) <= SHARE * page, (len(response.get_data()), page)
    assert f'<li id="entri-{entry.id}" hx-swap-oob="delete"></li>' in body
    assert "(4)" in body and "Kegiatan dihapus." in body
    assert Activity.get_by_id(entry.id).deleted_at is not None


def test_the_first_entry_of_an_empty_day_hides_the_empty_note(client, sign_in_as, people, frozen):
    sign_in_as(people["pegawai"])
    assert 'id="no-entries" class="text-body-secondary">' in client.get("/kegiatan").text
    body = client.post("/kegiatan/tambah", data=form_data(), headers=HX).get_data(as_text=True)
    assert 'hx-swap-oob="beforeend:#entries"' in body
    assert re.search(r'id="no-entries"[^>]* hidden hx-swap-oob="true"', body)
    assert 'id="submit-area" hx-swap-oob="true"> <form id="submit-form"' in body


@pytest.mark.parametrize("action", ["add", "delete"])
def test_without_javascript_the_same_forms_answer_303_and_the_page_is_whole(
    client, sign_in_as, busy_day, action
):
    sign_in_as(busy_day)
    if action == "add":
        response = client.post("/kegiatan/tambah", data=form_data(start="13:00", end="13:30"))
    else:
        entry = Activity.select().first()
        response = client.post(f"/kegiatan/{entry.id}/hapus", data={"version": entry.version})
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).text
    assert 'id="day-panel"' in page and 'id="entries"' in page and 'id="day-totals"' in page


def test_a_refused_entry_still_answers_the_whole_panel_with_the_message(
    client, sign_in_as, busy_day
):
    sign_in_as(busy_day)
    response = client.post(
        "/kegiatan/tambah", data=form_data(start="07:15", end="07:45"), headers=HX
    )
    assert response.status_code == 422
    assert 'id="day-panel"' in response.text and "HX-Reswap" not in response.headers


def test_deleting_the_last_entry_shows_the_empty_note_and_drops_the_submit_button(
    client, sign_in_as, people, make_activity, frozen
):
    entry = make_activity(people["pegawai"], "08:00", "09:00")
    sign_in_as(people["pegawai"])
    response = client.post(f"/kegiatan/{entry.id}/hapus", data={"version": 1}, headers=HX)
    body = response.get_data(as_text=True)
    assert 'id="no-entries" class="text-body-secondary" hx-swap-oob="true">' in body
    assert 'id="submit-area" hx-swap-oob="true"> </div>' in body
    assert re.search(r'id="day-bar"[^>]* hidden', body)


def test_the_lazy_upload_form_of_a_new_row_is_in_the_day_page(client, sign_in_as, busy_day):
    sign_in_as(busy_day)
    body = client.post("/kegiatan/tambah", data=form_data(start="13:00", end="13:30"), headers=HX)
    url = re.search(r'<details class="small mt-1" hx-get="([^"]+)"', body.get_data(as_text=True))
    added = Activity.select().order_by(Activity.id.desc()).first()
    panel = client.get(url.group(1).replace("&amp;", "&"), headers=HX).get_data(as_text=True)
    row = re.search(
        rf'<li class="list-group-item entry[^"]*" id="entri-{added.id}">.*?</li>', panel, re.S
    )
    assert f'action="/kegiatan/{added.id}/bukti"' in row.group(0)


def test_editing_an_entry_answers_the_row_in_its_new_place_and_the_totals(
    client, sign_in_as, busy_day
):
    sign_in_as(busy_day)
    page = _page_bytes(client)
    first = Activity.select().order_by(Activity.jam_mulai).first()  # 07.00-07.30
    editing = client.get(f"/kegiatan?tanggal={TODAY.isoformat()}&ubah={first.id}").text
    assert 'id="ubah-jam_mulai"' in editing and 'for="ubah-jam_mulai"' in editing
    assert 'id="jam_mulai"' in editing  # the add form stays, with its own ids
    response = client.post(
        f"/kegiatan/{first.id}/ubah",
        data=form_data(start="11:30", end="12:30", uraian="Rapat evaluasi", version=first.version),
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["HX-Reswap"] == "none"
    assert len(response.get_data()) <= SHARE * page, (len(response.get_data()), page)
    # The edit form goes, the row lands after the 11.00 entry (the last): appended.
    assert body.index(f'<li id="entri-{first.id}" hx-swap-oob="delete">') < body.index(
        'hx-swap-oob="beforeend:#entries"'
    )
    assert "Rapat evaluasi" in body and "Kegiatan disimpan." in body
    assert "HX-Trigger" not in response.headers  # the add form is left as the user has it
    assert re.search(r'id="day-total" hx-swap-oob="true">.*3 jam', body)


def test_an_entry_moved_to_another_day_answers_the_whole_panel_of_that_day(
    client, sign_in_as, busy_day
):
    sign_in_as(busy_day)
    entry = Activity.select().first()
    friday = TODAY.replace(day=20)
    response = client.post(
        f"/kegiatan/{entry.id}/ubah",
        data=form_data(tanggal=friday, version=entry.version),
        headers=HX,
    )
    assert response.status_code == 200 and 'id="day-panel"' in response.text
    assert "Jumat, 20 November 2026" in response.text


def test_the_add_answer_runs_the_same_queries_for_few_and_many_entries(
    client, sign_in_as, people, make_activity, frozen, query_counter
):
    counts = []
    for employee, count in ((people["pegawai"], 1), (people["rekan"], 40)):
        for index in range(count):
            start = 6 * 60 + index * 12
            make_activity(
                employee,
                f"{start // 60:02d}:{start % 60:02d}",
                f"{(start + 10) // 60:02d}:{(start + 10) % 60:02d}",
            )
        sign_in_as(employee)
        response, queries = _add_counting(client, query_counter, "14:00", "14:30")
        assert response.status_code == 200 and response.headers["HX-Reswap"] == "none"
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def _add_counting(client, query_counter, start, end):
    """Add an entry with htmx after a warm-up page: the answer and the statements it ran."""
    client.get("/kegiatan")  # warm-up
    g.pop("_login_user", None)
    with query_counter() as queries:
        response = client.post("/kegiatan/tambah", data=form_data(start=start, end=end), headers=HX)
    return response, queries.queries


def test_the_add_answer_reads_the_history_of_the_new_row_only(
    client, sign_in_as, busy_day, query_counter
):
    """The answer shows one row: its history and evidence are read, not the whole day's."""
    sign_in_as(busy_day)
    response, queries = _add_counting(client, query_counter, "12:30", "13:00")
    assert response.status_code == 200
    for table in ("activity_event", "evidence"):
        reads = [
            q
            for q in queries
            if q.startswith("('SELECT") and re.search(rf'FROM [`"]{table}[`"]', q)
        ]
        assert len(reads) == 1, (table, reads)
        assert re.search(r"IN \((\?|%s)\)\)", reads[0]), reads[0]  # one id: the new row's
