"""The pohon kinerja and the monitoring: gaps, chains, reminders, access and query counts."""

import pytest

from portal.errors import NotFound
from portal.notifications.models import Notification
from portal.performance import lifecycle, planning, tree
from portal.performance.models import Iku, Indicator, Rhk


def test_the_pohon_hangs_each_rhk_under_the_one_it_serves_and_marks_gaps(
    org, cascade, approved_skp
):
    kepala_rhk = cascade["kepala"][1][0]
    kabid_rhk = cascade["kabid"][1]
    _skp, pegawai_rhk = approved_skp(
        org["pegawai"],
        ["Terverifikasinya berkas"],
        intervenes=[kabid_rhk[0]],
        approver=org["kabid"],
    )
    result = tree.pohon(tree.load_people([org["ptsp"]], 2026))
    [root] = result.roots
    assert root.rhk.id == kepala_rhk.id and not root.gap
    assert [c.rhk.id for c in root.children] == [r.id for r in kabid_rhk]
    first, second = root.children
    assert [c.rhk.id for c in first.children] == [pegawai_rhk[0].id]
    assert second.gap  # the kabid has staff, none serves the SOP RHK
    assert not first.children[0].gap  # the pegawai has no subordinates
    states = {p.id: s for p, s in result.without_approved}
    assert states[org["rekan"].id] == "none" and org["pegawai"].id not in states


def test_links_to_an_older_version_still_hang_under_the_newer(org, cascade, approved_skp):
    kabid = org["kabid"]
    old_skp, old_rhk = cascade["kabid"]
    _skp, pegawai_rhk = approved_skp(
        org["pegawai"], ["Berkas"], intervenes=[old_rhk[0]], approver=kabid
    )
    fresh = lifecycle.new_version(kabid, old_skp)
    lifecycle.submit_skp(kabid, fresh)
    lifecycle.approve_skp(org["kepala"], fresh)
    result = tree.pohon(tree.load_people([org["ptsp"]], 2026))
    first = result.roots[0].children[0]
    assert first.rhk.skp_id == fresh.id
    assert [c.rhk.id for c in first.children] == [pegawai_rhk[0].id]


def test_monitoring_counts_names_who_has_none_and_whom_to_chase(org, cascade, make_employee):
    kabid = org["kabid"]
    # A new kasi under the kabid with no SKP, and staff under the kasi waiting on them.
    kasi = make_employee(
        nama="Kasi Baru", unit=org["bidang"], supervisor=kabid, jenis_jabatan="Pengawas"
    )
    staf = make_employee(nama="Staf Kasi", unit=org["bidang"], supervisor=kasi)
    lifecycle.create_skp(staf, staf)
    result = tree.monitoring(org["admin_opd"], org["ptsp"], 2026)
    assert result.totals["disetujui"] == 2 and result.totals["draf"] == 1
    assert {e.id for e in result.without} >= {kasi.id, org["pegawai"].id}
    waiting = {w.employee.id: w for w in result.waiting}
    assert waiting[staf.id].chase.id == kasi.id
    assert [b.id for b, _s in waiting[staf.id].chain][:2] == [kasi.id, kabid.id]
    with pytest.raises(NotFound):
        tree.monitoring(org["admin_dinkes"], org["ptsp"], 2026)


def test_monitoring_flags_an_atasan_of_a_lower_level_or_outside(org, make_employee):
    staf = make_employee(
        nama="Staf", unit=org["bidang"], supervisor=org["other"], jenis_jabatan="Pengawas"
    )
    result = tree.monitoring(org["admin_opd"], org["ptsp"], 2026)
    reasons = [reason for person, _boss, reason in result.odd_atasan if person.id == staf.id]
    assert len(reasons) == 2


def test_the_admin_opd_reminds_those_without_an_skp_once_a_day(org, cascade):
    sent = tree.remind_missing(org["admin_opd"], org["ptsp"], 2026)
    assert sent >= 2
    assert (
        Notification.select()
        .where(Notification.recipient == org["pegawai"].id, Notification.kind == "skp_reminder")
        .count()
        == 1
    )
    assert tree.remind_missing(org["admin_opd"], org["ptsp"], 2026) == 0


def test_the_tree_and_monitoring_pages_by_role(client, login_as, org, cascade):
    login_as(org["kepala"])
    page = client.get("/kinerja/pohon").get_data(as_text=True)
    assert cascade["kabid"][1][1].uraian in page
    assert client.get("/kinerja/monitoring").status_code == 404
    login_as(org["admin_opd"])
    assert client.get(f"/kinerja/pohon?unit={org['ptsp'].id}").status_code == 200
    assert client.get(f"/kinerja/pohon?unit={org['dinkes'].id}").status_code == 404
    assert client.get("/kinerja/monitoring").status_code == 200
    response = client.post(
        "/kinerja/monitoring/ingatkan", data={"unit": str(org["ptsp"].id), "tahun": "2026"}
    )
    assert response.status_code == 303
    assert client.get("/kinerja/iku").status_code == 200
    response = client.post(
        "/kinerja/iku",
        data={
            "unit": str(org["ptsp"].id),
            "tahun": "2026",
            "perspektif": "Anggaran",
            "sasaran": "Serapan anggaran 95%",
        },
    )
    assert response.status_code == 303
    login_as(org["pegawai"])
    assert client.get("/kinerja/iku").status_code == 404
    assert client.get("/kinerja/pohon").status_code == 200


def _team_with_rhk(make_employee, org, parent, size):
    """`size` RHK spread over staff under the kabid, each serving `parent`, in approved SKP."""
    people = [
        make_employee(unit=org["bidang"], supervisor=org["kabid"])
        for _ in range(max(1, size // 20))
    ]
    per_person = max(1, size // len(people))
    for person in people:
        skp = lifecycle.create_skp(person, person)
        Rhk.insert_many(
            [
                {
                    "skp": skp.id,
                    "jenis": "utama",
                    "uraian": f"R{n}",
                    "urutan": n,
                    "intervenes": parent.id,
                }
                for n in range(per_person)
            ]
        ).execute()
        Rhk.update(lineage=Rhk.id).where(Rhk.skp == skp.id).execute()
        Indicator.insert_many(
            [
                {"rhk": r.id, "uraian": "I", "target_uraian": "T"}
                for r in Rhk.select().where(Rhk.skp == skp.id)
            ]
        ).execute()
        lifecycle.submit_skp(person, skp)
        lifecycle.approve_skp(org["kabid"], skp)


def test_the_pohon_runs_the_same_queries_with_1_and_200_rhk(
    client, login_as, org, cascade, make_employee, make_unit, query_counter
):
    counts = []
    parent = cascade["kabid"][1][0]
    login_as(org["admin_opd"])
    for size in (1, 200):
        _team_with_rhk(make_employee, org, parent, size)
        client.get(f"/kinerja/pohon?unit={org['ptsp'].id}")
        with query_counter() as queries:
            response = client.get(f"/kinerja/pohon?unit={org['ptsp'].id}")
        assert response.status_code == 200
        counts.append(len(queries.queries))
        with query_counter() as queries:
            assert client.get(f"/kinerja/monitoring?unit={org['ptsp'].id}").status_code == 200
        counts.append(len(queries.queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts


def test_an_admin_opd_removes_an_iku_of_their_tree_only(client, login_as, org):
    iku = planning.save_iku(
        org["admin_opd"], org["ptsp"], planning.IkuInput(2026, "Anggaran", "Serapan 95%")
    )
    login_as(org["admin_dinkes"])
    assert client.post(f"/kinerja/iku/{iku.id}/hapus").status_code == 404
    login_as(org["admin_opd"])
    assert client.post(f"/kinerja/iku/{iku.id}/hapus").status_code == 303
    assert not Iku.get_by_id(iku.id).active
    assert client.post(f"/kinerja/iku/{iku.id}/hapus").status_code == 303  # already: a flash
