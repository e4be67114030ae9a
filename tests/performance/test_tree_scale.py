"""The pohon and the monitoring of a big unit tree: the pohon shows a fixed number of levels of
pegawai and opens the rest from a pegawai down (`?dari=`, checked per role); the monitoring
shows one of its lists at a time, a page at a time."""

import re

import pytest

from portal.errors import NotFound
from portal.notifications.models import Notification
from portal.performance import tree

HTMX = {"HX-Request": "true"}


def test_the_pohon_stops_at_its_last_level_and_counts_who_is_below(org, cascade, approved_skp):
    _skp, pegawai_rhk = approved_skp(
        org["pegawai"],
        ["Terverifikasinya berkas"],
        intervenes=[cascade["kabid"][1][0]],
        approver=org["kabid"],
    )
    result = tree.pohon_of(org["ptsp"], 2026, levels=2)
    [root] = result.roots
    kabid_nodes = root.children
    assert [n.rhk.id for n in kabid_nodes] == [r.id for r in cascade["kabid"][1]]
    for node in kabid_nodes:
        assert node.children == [] and node.below == 2  # the pegawai and the rekan
        assert not node.gap  # unknown at the cut: their staff's RHK are not loaded
    shown = {person.id for person, _state in result.without_approved}
    assert org["rekan"].id not in shown  # below the cut
    assert result.above == []

    lower = tree.pohon_of(org["ptsp"], 2026, top=org["kabid"].id, levels=2)
    first, second = lower.roots
    assert [c.rhk.id for c in first.children] == [pegawai_rhk[0].id]
    assert second.gap  # now known: nobody serves the SOP RHK
    assert [e.id for e in lower.above] == [org["kepala"].id]
    assert {p.id for p, _s in lower.without_approved} == {org["rekan"].id}


def test_a_pohon_from_someone_outside_the_unit_is_not_found(org, cascade):
    with pytest.raises(NotFound):
        tree.pohon_of(org["ptsp"], 2026, top=org["other"].id)


def test_the_admin_opens_the_pohon_below_the_cut(
    client, login_as, org, cascade, approved_skp, monkeypatch
):
    approved_skp(
        org["pegawai"],
        ["Terverifikasinya berkas"],
        intervenes=[cascade["kabid"][1][0]],
        approver=org["kabid"],
    )
    monkeypatch.setattr(tree, "LEVELS", 2)
    login_as(org["admin_opd"])
    page = client.get(f"/kinerja/pohon?unit={org['ptsp'].id}").get_data(as_text=True)
    assert cascade["kabid"][1][0].uraian in page
    assert "Terverifikasinya berkas" not in page
    link = f"dari={org['kabid'].id}"
    assert link in page and "Buka pohon di bawah Hendra Saputra (2 pegawai)" in page

    response = client.get(f"/kinerja/pohon?unit={org['ptsp'].id}&tahun=2026&{link}", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="tree-body">')
    assert "Terverifikasinya berkas" in fragment
    # the breadcrumb leads back up: the unit, then the kepala
    assert re.search(
        r"breadcrumb.*Dinas Penanaman Modal.*Rahmat Hidayat.*Hendra Saputra", fragment, re.S
    )

    assert (
        client.get(f"/kinerja/pohon?unit={org['ptsp'].id}&dari={org['other'].id}").status_code
        == 404
    )
    for bad in ("abc", "-3", "99999999999"):  # ignored: the pohon from the heads
        assert client.get(f"/kinerja/pohon?unit={org['ptsp'].id}&dari={bad}").status_code == 200


def test_an_atasan_opens_only_the_pohon_below_themself(client, login_as, org, cascade):
    login_as(org["kabid"])
    page = client.get(f"/kinerja/pohon?dari={org['pegawai'].id}").get_data(as_text=True)
    assert "Rahmat Hidayat" not in page  # nobody above the atasan in the breadcrumb
    assert "Hendra Saputra" in page
    assert client.get(f"/kinerja/pohon?dari={org['kepala'].id}").status_code == 404
    assert client.get(f"/kinerja/pohon?dari={org['other'].id}").status_code == 404
    login_as(org["pegawai"])
    assert client.get(f"/kinerja/pohon?dari={org['rekan'].id}").status_code == 404
    assert client.get(f"/kinerja/pohon?dari={org['pegawai'].id}").status_code == 200


def _names_listed(page):
    section = page.split('id="list-title"', 1)[1]
    return re.findall(r"<li>([^<]+?) <span", section)


def test_the_monitoring_shows_one_list_a_page_at_a_time(
    client, login_as, org, cascade, make_employee
):
    staff = [
        make_employee(nama=f"Tanpa SKP {number:02d}", unit=org["bidang"], supervisor=org["kabid"])
        for number in range(55)
    ]
    make_employee(nama="Yudi Pratama", unit=org["bidang"], supervisor=staff[0])
    login_as(org["admin_opd"])
    base = f"/kinerja/monitoring?unit={org['ptsp'].id}&tahun=2026"
    first = client.get(base).get_data(as_text=True)
    names = _names_listed(first)
    # by name: the rekan, the admin OPD and the pegawai, the 55, and Yudi
    assert names[:4] == ["Dewi Lestari", "Rina Marlina", "Siti Rahmawati", "Tanpa SKP 00"]
    assert len(names) == tree.LIST_SIZE and "Belum memiliki SKP (59)" in first
    second = client.get(base + "&page=2").get_data(as_text=True)
    assert _names_listed(second) == [
        *(f"Tanpa SKP {n}" for n in range(47, 55)),
        "Yudi Pratama",
    ]
    last = client.get(base + "&page=999").get_data(as_text=True)
    assert _names_listed(last) == _names_listed(second)
    assert _names_listed(client.get(base + "&page=abc").get_data(as_text=True)) == names

    waiting = client.get(base + "&daftar=menunggu").get_data(as_text=True)
    assert "Rantai atasan" in waiting
    assert re.search(r"<td>Yudi Pratama</td>\s*<td>Tanpa SKP 00 \(Belum ada SKP\)", waiting)
    assert _names_listed(client.get(base + "&daftar=bogus").get_data(as_text=True)) == names

    response = client.get(base + "&daftar=cek", headers=HTMX)
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in fragment
    assert fragment.lstrip().startswith('<div id="monitoring-list">')
    assert len(fragment) < len(first) / 3


def test_the_pohon_pages_who_has_no_approved_skp(client, login_as, org, cascade, make_employee):
    for number in range(55):
        make_employee(nama=f"Tanpa SKP {number:02d}", unit=org["bidang"], supervisor=org["kabid"])
    login_as(org["kabid"])
    first = client.get("/kinerja/pohon?tahun=2026").get_data(as_text=True)
    names = re.findall(r"<li>(Tanpa SKP \d+) <span", first)
    assert len(names) == tree.LIST_SIZE - 2  # after the rekan and the pegawai, by name
    assert "Pegawai tanpa SKP yang disetujui (57)" in first
    link = re.search(r'href="(/kinerja/pohon\?[^"]*page=2[^"]*)"', first).group(1)
    assert "tahun=2026" in link
    response = client.get(link.replace("&amp;", "&"), headers=HTMX)
    rest = re.findall(r"<li>(Tanpa SKP \d+) <span", response.get_data(as_text=True))
    assert rest == [f"Tanpa SKP {n}" for n in range(48, 55)]


def test_the_reminder_speaks_each_pegawai_s_language(org, cascade, make_employee):
    english = make_employee(unit=org["bidang"], supervisor=org["kabid"], language="en")
    assert tree.remind_missing(org["admin_opd"], org["ptsp"], 2026) >= 2
    messages = {
        n.recipient_id: n.message
        for n in Notification.select().where(Notification.kind == "skp_reminder")
    }
    assert messages[english.id] == "Please draft your SKP 2026: you have none yet."
    assert messages[org["rekan"].id] == "Silakan susun SKP 2026 Anda: Anda belum memilikinya."
