"""The Atom feeds of the public figures (the city's and each unit's): a realisasi entered,
imported, corrected or computed, and the IKM per service and period appear as entries with a
stable id, newest first, bounded, in a fixed number of queries; nothing personal or
unpublished."""

import io
from datetime import UTC, datetime
from xml.etree import ElementTree

import time_machine

from portal.clock import local_today
from portal.public_service import handling, indicators, skm
from portal.public_service.models import IndicatorValue, ServiceIndicator
from tests.conftest import count_queries

ATOM = "{http://www.w3.org/2005/Atom}"
PROFILE = skm.Profile("30-39", "P", "D4/S1", "Swasta")


def _indicator(actor, unit, source="manual", nama="Waktu penyelesaian izin"):
    data = indicators.IndicatorInput(unit.id, nama, "hari", "turun", source)
    return indicators.create_indicator(actor, data)


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    root = ElementTree.fromstring(response.data)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}id") and root.findtext(f"{ATOM}updated")
    entries = []
    for entry in root.findall(f"{ATOM}entry"):
        updated = entry.findtext(f"{ATOM}updated")
        assert entry.findtext(f"{ATOM}id") and updated
        entries.append(
            {
                "id": entry.findtext(f"{ATOM}id"),
                "title": entry.findtext(f"{ATOM}title"),
                "updated": datetime.fromisoformat(updated),
                "link": entry.find(f"{ATOM}link").get("href"),
                "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
            }
        )
    return entries, response.get_data(as_text=True)


def _csv(text):
    return io.BytesIO(text.encode("utf-8"))


def test_entered_imported_and_corrected_realisasi_in_both_feeds(
    client, login_as, unit, unit_admin, other_admin
):
    indicator = _indicator(unit_admin, unit)
    other = _indicator(other_admin, other_admin.unit, nama="Cakupan imunisasi")
    indicators.record_value(other_admin, other, 2026, 9, "91", local_today())
    login_as(unit_admin)
    base = f"/layanan/kelola/{indicator.id}"
    assert client.post(f"{base}/target", data={"year": "2026", "target": "5"}).status_code == 303
    with time_machine.travel("2026-11-23 08:05:00+00:00", tick=False):
        imported = client.post(
            f"{base}/impor",
            data={"berkas": (_csv("tahun,bulan,nilai\n2026,9,5\n2026,13,4\n"), "r.csv")},
            content_type="multipart/form-data",
        )
    assert imported.status_code == 422  # a bad file changes nothing
    with time_machine.travel("2026-11-23 08:05:00+00:00", tick=False):
        imported = client.post(
            f"{base}/impor",
            data={"berkas": (_csv("tahun;bulan;nilai\n2026;9;5,5\n"), "r.csv")},
            content_type="multipart/form-data",
        )
    assert imported.status_code == 303
    with time_machine.travel("2026-11-23 08:10:00+00:00", tick=False):
        entered = client.post(f"{base}/realisasi", data={"month": "10", "value": "4,2"})
    assert entered.status_code == 303
    client.get("/keluar")

    entries, text = _entries(client, "/pengaduan/feed.atom")
    titles = [entry["title"] for entry in entries]
    assert titles[0] == "Waktu penyelesaian izin — Oktober 2026: 4,2 hari (target 5)"
    assert titles[1] == "Waktu penyelesaian izin — September 2026: 5,5 hari (target 5)"
    assert "Cakupan imunisasi — September 2026: 91 hari" in titles  # no target: none shown
    assert entries[0]["updated"] == datetime(2026, 11, 23, 8, 10, tzinfo=UTC)
    assert entries[1]["updated"] == datetime(2026, 11, 23, 8, 5, tzinfo=UTC)
    assert entries[0]["author"] == unit.nama
    assert entries[0]["link"].endswith(f"/layanan/unit/{unit.id}")
    assert [e["updated"] for e in entries] == sorted((e["updated"] for e in entries), reverse=True)
    assert unit_admin.nama not in text  # who entered it is not public
    october_id = entries[0]["id"]

    mine, _text = _entries(client, f"/layanan/unit/{unit.id}/feed.atom")
    assert [e["title"] for e in mine] == titles[:2]  # only the unit's own figures
    page = client.get(f"/layanan/unit/{unit.id}").get_data(as_text=True)
    assert f'href="/layanan/unit/{unit.id}/feed.atom"' in page  # linked and auto-discoverable

    # a correction keeps the entry's id and moves its time; the same value again does not
    with time_machine.travel("2026-11-23 08:15:00+00:00", tick=False):
        indicators.record_value(unit_admin, indicator, 2026, 10, "3,9", local_today())
    with time_machine.travel("2026-11-23 08:20:00+00:00", tick=False):
        indicators.record_value(unit_admin, indicator, 2026, 10, "3,90", local_today())
    entries, _text = _entries(client, "/pengaduan/feed.atom")
    assert entries[0]["id"] == october_id
    assert entries[0]["title"].endswith("3,9 hari (target 5)")
    assert entries[0]["updated"] == datetime(2026, 11, 23, 8, 15, tzinfo=UTC)
    assert len(entries) == 3

    # an inactive indicator or unit is not public: it leaves the feed
    ServiceIndicator.update(active=False).where(ServiceIndicator.id == other.id).execute()
    entries, _text = _entries(client, "/pengaduan/feed.atom")
    assert len(entries) == 2
    assert client.get("/layanan/unit/999999/feed.atom").status_code == 404


def test_computed_realisasi_and_ikm_without_anything_personal(
    client, unit, unit_admin, handler, make_complaint
):
    _indicator(unit_admin, unit, source="waktu_respons", nama="Kecepatan respons pengaduan")
    service = skm.create_service(unit_admin, unit.id, "Perizinan Berusaha (PBG)", 1000)
    complaint = make_complaint(nama="Ahmad Warga", kontak="0812 3456 7890", consent=False)
    complaint = handling.assign(unit_admin, handling.verify(unit_admin, complaint), handler.id)
    with time_machine.travel("2026-11-26 03:00:00+00:00", tick=False):  # Thursday
        handling.answer(handler, complaint, "Rahasia: jawaban tanpa persetujuan warga.")
        for values in ([4] * 9, [3] * 9):
            answers = {f"u{n}": value for n, value in enumerate(values, start=1)}
            skm.submit(service, skm.new_token(), answers, PROFILE, "Saran pribadi", local_today())
        entries, text = _entries(client, "/pengaduan/feed.atom")
    titles = [entry["title"] for entry in entries]
    assert "Kecepatan respons pengaduan — November 2026: 3 hari" in titles
    ikm = [e for e in entries if e["title"].startswith("IKM ")]
    assert len(ikm) == 1
    assert ikm[0]["title"] == "IKM Perizinan Berusaha (PBG) — semester II 2026: 87,5 (B, Baik)"
    assert ikm[0]["link"].endswith(f"/layanan/unit/{unit.id}")
    assert ikm[0]["id"] == f"urn:portal-kinerja:layanan:ikm:{service.id}:2026-S2"
    for private in ("Ahmad Warga", "0812", "62812", "Rahasia", "Saran pribadi", handler.nama):
        assert private not in text, private
    assert len(entries) == 2  # the unconsented answer is not an entry


def _fill(actor, indicator, months):
    for year, month in months:
        indicators.record_value(actor, indicator, year, month, "4", local_today())


def test_feeds_run_a_fixed_number_of_queries_and_are_bounded(
    app, client, unit, unit_admin, handler, make_complaint
):
    manual = _indicator(unit_admin, unit)
    _indicator(unit_admin, unit, source="penyelesaian", nama="Penyelesaian pengaduan")
    _indicator(unit_admin, unit, source="ikm", nama="IKM bulanan")
    service = skm.create_service(unit_admin, unit.id, "Perizinan Berusaha (PBG)", 1000)
    make_complaint()
    skm.submit(
        service, skm.new_token(), {f"u{n}": 4 for n in range(1, 10)}, PROFILE, "", local_today()
    )
    _fill(unit_admin, manual, [(2026, 11)])
    urls = ("/pengaduan/feed.atom", f"/layanan/unit/{unit.id}/feed.atom")
    counts = {}
    for url in urls:
        client.get(url)
        with count_queries() as one:
            entries, _text = _entries(client, url)
        counts[url] = len(one.queries)
        assert len(entries) == 4  # manual, completion, monthly IKM, the service's IKM
    months = [(year, month) for year in range(2024, 2027) for month in range(1, 13)]
    _fill(unit_admin, manual, months[:35])  # 30 more changes than before and then some
    assert IndicatorValue.select().count() == 35
    for url in urls:
        with count_queries() as many:
            entries, _text = _entries(client, url)
        assert len(many.queries) == counts[url], url
        assert len(entries) == 38  # every change, under the bound of 50
    for number in range(2017, 2023):
        _fill(unit_admin, manual, [(number, month) for month in range(1, 4)])
    entries, _text = _entries(client, urls[0])
    assert len(entries) == 50  # bounded: setting public_service.feed_entries
