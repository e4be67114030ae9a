"""The handlers' complaint queue in pages (`?page=`): every complaint is reachable, the
status filter is kept across pages, plain links and htmx, a bad page number is clamped, the
same roles see the same complaints, and a page runs the same queries however many there are."""

import re

import pytest

from portal.public_service import handling, reading
from portal.public_service.models import DONE, RECEIVED
from tests.conftest import count_queries


def _html(response):
    return response.get_data(as_text=True)


def _codes(html):
    return set(re.findall(r"ADU-[A-Z0-9]{8}", html))


def _answered(make_complaint, unit_admin, handler):
    complaint = handling.assign(
        unit_admin, handling.verify(unit_admin, make_complaint()), handler.id
    )
    return handling.answer(handler, complaint, "Izin Anda sudah terbit; silakan unduh di OSS.")


@pytest.fixture
def small_pages(monkeypatch):
    """Three complaints a page, so that a few rows make several pages."""
    monkeypatch.setattr(reading, "PAGE_SIZE", 3)


@pytest.fixture
def queue_rows(make_complaint, unit_admin, handler):
    """Four open complaints (Diterima, the same deadline: in filing order), then two answered
    by the handler (Selesai: after every open one)."""
    received = [make_complaint() for _ in range(4)]
    done = [_answered(make_complaint, unit_admin, handler) for _ in range(2)]
    return {"received": received, "done": done}


def test_the_second_page_shows_the_complaints_past_the_first(
    client, login_as, unit_admin, queue_rows, small_pages
):
    received, done = queue_rows["received"], queue_rows["done"]
    login_as(unit_admin)
    first = _html(client.get("/pengaduan/kelola"))
    assert _codes(first) == {c.kode for c in received[:3]}
    assert "6 pengaduan" in first and "halaman 1 dari 2" in first
    assert 'href="/pengaduan/kelola?page=2"' in first
    second = client.get("/pengaduan/kelola?page=2")
    assert second.status_code == 200
    # the last open complaint, then the closed ones (unreachable before: the queue stopped)
    assert _codes(_html(second)) == {received[3].kode} | {c.kode for c in done}
    assert "halaman 2 dari 2" in _html(second)


def test_the_status_filter_is_kept_across_pages(
    client, login_as, unit_admin, queue_rows, small_pages
):
    received = queue_rows["received"]
    login_as(unit_admin)
    first = _html(client.get(f"/pengaduan/kelola?status={RECEIVED}"))
    assert _codes(first) == {c.kode for c in received[:3]}
    assert f'href="/pengaduan/kelola?page=2&amp;status={RECEIVED}"' in first
    second = _html(client.get(f"/pengaduan/kelola?status={RECEIVED}&page=2"))
    assert _codes(second) == {received[3].kode}  # not the answered ones
    only_done = _html(client.get(f"/pengaduan/kelola?status={DONE}&page=2"))
    assert _codes(only_done) == {c.kode for c in queue_rows["done"]}  # one page: clamped


def test_page_links_work_with_htmx_and_answer_only_the_list(
    client, login_as, unit_admin, queue_rows, small_pages
):
    login_as(unit_admin)
    page = _html(client.get("/pengaduan/kelola"))
    assert 'hx-get="/pengaduan/kelola?page=2" hx-target="#antrian"' in page
    response = client.get("/pengaduan/kelola?page=2", headers={"HX-Request": "true"})
    html = _html(response)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="antrian">')
    assert queue_rows["received"][3].kode in html
    assert "HX-Request" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("abc", 1),
        ("", 1),
        ("0", 1),
        ("-4", 1),
        ("2.5", 1),
        ("99", 2),
        ("9" * 40, 2),
        ("9" * 5000, 1),  # longer than int() reads: not a number
    ],
)
def test_a_bad_or_out_of_range_page_number_is_clamped(
    client, login_as, unit_admin, queue_rows, small_pages, number, shown
):
    login_as(unit_admin)
    response = client.get("/pengaduan/kelola", query_string={"page": number})
    assert response.status_code == 200
    assert f"halaman {shown} dari 2" in _html(response)


def test_each_role_pages_through_only_its_own_complaints(
    client,
    login_as,
    make_employee,
    make_complaint,
    admin,
    unit_admin,
    other_admin,
    handler,
    queue_rows,
    small_pages,
):
    everyone = {c.kode for rows in queue_rows.values() for c in rows}
    elsewhere = make_complaint(unit=other_admin.unit)

    def seen(actor):
        login_as(actor)
        pages = [_html(client.get(f"/pengaduan/kelola?page={n}")) for n in (1, 2, 3)]
        return set().union(*(_codes(page) for page in pages))

    assert seen(admin) == everyone | {elsewhere.kode}  # 3 pages of 3
    assert seen(unit_admin) == everyone
    assert seen(other_admin) == {elsewhere.kode}
    assert seen(handler) == {c.kode for c in queue_rows["done"]}  # assigned to the handler
    login_as(make_employee())
    assert client.get("/pengaduan/kelola?page=2").status_code == 404
    client.get("/keluar")
    with client.session_transaction() as session:
        session.clear()
    assert client.get("/pengaduan/kelola?page=2").status_code == 302


def test_a_queue_page_runs_the_same_queries_however_many_complaints(
    client, login_as, make_unit, make_complaint, admin, unit_admin, handler, small_pages
):
    """Each row shows its unit and its handler: read with the page, not one query a row."""

    def measure():
        counts = {}
        for name, actor in (("admin", admin), ("admin OPD", unit_admin), ("handler", handler)):
            login_as(actor)
            for url in (
                "/pengaduan/kelola",
                "/pengaduan/kelola?page=2",
                f"/pengaduan/kelola?status={DONE}&page=2",
            ):
                client.get(url)  # warm-up
                with count_queries() as queries:
                    assert client.get(url).status_code == 200
                counts[name, url] = len(queries.queries)
        return counts

    _answered(make_complaint, unit_admin, handler)
    make_complaint(unit=None)  # "tidak tahu": not routed yet
    few = measure()
    for number in range(8):
        make_complaint(unit=make_unit(nama=f"Dinas Uji Antrean {number}"))
        make_complaint(unit=None)
        _answered(make_complaint, unit_admin, handler)
    assert reading.queue(admin).pages > 3
    assert measure() == few
