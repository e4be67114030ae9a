"""The evaluation pages as users drive them: the atasan rates (the predikat shown as they choose,
by htmx and without JavaScript), saves and sets it; the pegawai reads it and objects; the atasan
pejabat penilai decides; access per role; the team page's query count; racing decisions."""

import threading
from collections import Counter
from datetime import date

from portal.db import db
from portal.errors import Conflict
from portal.performance.evaluation import lifecycle, objections
from portal.performance.evaluation.lifecycle import RatingInput
from portal.performance.models import (
    BAIK,
    DI_ATAS,
    EV_FINAL,
    KURANG,
    SANGAT_BAIK,
    SESUAI,
    Evaluation,
    Objection,
)
from tests.conftest import count_queries
from tests.performance.conftest import appoint
from tests.performance.evaluation_fixtures import approved_for, entry, quarter

HX = {"HX-Request": "true"}


def _url(evaluation, tail=""):
    return f"/kinerja/evaluasi/{evaluation.id}{tail}"


def test_the_predikat_shows_as_the_atasan_chooses_by_htmx(client, login_as, org, evaluation):
    login_as(org["kabid"])
    response = client.post(
        _url(evaluation, "/predikat"), data={"hasil": DI_ATAS, "perilaku": DI_ATAS}, headers=HX
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="predikat-box"' in html and "Sangat Baik" in html
    assert "<html" not in html  # only the fragment
    assert Evaluation.get_by_id(evaluation.id).predikat is None  # nothing saved


def test_the_predikat_shows_without_javascript_with_the_form_as_filled(
    client, login_as, org, evaluation, staff_skp
):
    login_as(org["kabid"])
    key = f"rhk:{staff_skp[1][0].lineage}"
    response = client.post(
        _url(evaluation, "/predikat"),
        data={"hasil": SESUAI, "perilaku": "di_bawah", f"fb-{key}": "Catatan yang belum disimpan"},
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" in html and 'data-predikat="kurang"' in html
    assert "Catatan yang belum disimpan" in html


def test_atasan_rates_sets_and_the_pegawai_reads_the_predikat(
    client, login_as, org, evaluation, staff_skp
):
    key = f"rhk:{staff_skp[1][0].lineage}"
    login_as(org["kabid"])
    page = client.get(_url(evaluation))
    assert page.status_code == 200 and "Simpan penilaian" in page.get_data(as_text=True)
    response = client.post(
        _url(evaluation, "/nilai"),
        data={
            "revision": evaluation.revision,
            "hasil": DI_ATAS,
            "perilaku": SESUAI,
            f"fb-{key}": "Verifikasi tepat waktu",
            "fb-nilai:BO": "Ramah kepada pemohon",
            "status": "ditetapkan",  # extra fields change nothing protected
            "predikat": SANGAT_BAIK,
        },
    )
    assert response.status_code == 303
    fresh = Evaluation.get_by_id(evaluation.id)
    assert (fresh.predikat, fresh.status) == (BAIK, "draf")
    response = client.post(_url(evaluation, "/tetapkan"), data={"revision": fresh.revision})
    assert response.status_code == 303
    assert Evaluation.get_by_id(evaluation.id).status == EV_FINAL
    login_as(org["pegawai"])
    html = client.get(_url(evaluation)).get_data(as_text=True)
    assert "Baik" in html and "Verifikasi tepat waktu" in html and "Ramah kepada pemohon" in html
    assert "Ajukan keberatan" in html


def test_a_stale_tetapkan_is_a_409_with_a_message(client, login_as, org, evaluation):
    login_as(org["kabid"])
    seen = evaluation.revision
    lifecycle.rate(org["kabid"], evaluation, RatingInput(SESUAI, SESUAI, {}))
    response = client.post(_url(evaluation, "/tetapkan"), data={"revision": seen})
    assert response.status_code == 409
    assert "diubah orang lain" in response.get_data(as_text=True)


def test_bad_input_gets_a_clear_message_and_a_4xx(client, login_as, org, evaluation, staff_skp):
    login_as(org["pegawai"])
    from portal.performance.models import Indicator, Rhk

    indicator = Indicator.select().join(Rhk).where(Rhk.skp == staff_skp[0].id).first()
    response = client.post(
        _url(evaluation, "/realisasi"),
        data={
            "revision": evaluation.revision,
            f"uraian{indicator.id}": "",
            f"angka{indicator.id}": "abc",
        },
    )
    assert response.status_code == 422 and "Isi angka mulai 0" in response.get_data(as_text=True)
    response = client.post(
        _url(evaluation, "/realisasi"),
        data={
            "revision": evaluation.revision,
            f"uraian{indicator.id}": "x",
            f"angka{indicator.id}": "1e999999",
        },
    )
    assert response.status_code == 422
    response = client.post(_url(evaluation, "/nilai"), data={"hasil": "luar_biasa"})
    assert response.status_code in (404, 409, 422)


def test_pages_per_role(client, login_as, org, evaluation):
    for who, status in [
        ("pegawai", 200),
        ("kabid", 200),
        ("kepala", 200),
        ("admin_opd", 200),
        ("rekan", 404),
        ("other", 404),
        ("admin_dinkes", 404),
    ]:
        login_as(org[who])
        assert client.get(_url(evaluation)).status_code == status, who
    login_as(org["pegawai"])
    assert (
        client.post(
            _url(evaluation, "/nilai"), data={"hasil": DI_ATAS, "perilaku": DI_ATAS}
        ).status_code
        == 409
    )
    login_as(org["rekan"])
    assert client.post(_url(evaluation, "/tetapkan"), data={}).status_code == 404


def test_the_pegawai_objects_and_the_atasan_pejabat_penilai_decides(
    client, login_as, org, evaluation
):
    lifecycle.rate(org["kabid"], evaluation, RatingInput(SESUAI, "di_bawah", {}))
    lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id))
    login_as(org["pegawai"])
    response = client.post(
        _url(evaluation, "/keberatan"), data={"alasan": "Data kegiatan tidak dihitung"}
    )
    assert response.status_code == 303
    login_as(org["kepala"])
    assert "Keberatan yang menunggu" in client.get("/kinerja/evaluasi").get_data(as_text=True)
    response = client.post(
        _url(evaluation, "/keberatan/putuskan"),
        data={"keputusan": "terima", "new_predikat": BAIK, "note": "Terbukti"},
    )
    assert response.status_code == 303
    assert Objection.get().status == "diterima"
    assert Evaluation.get_by_id(evaluation.id).predikat == BAIK
    login_as(org["kabid"])
    assert client.post(
        _url(evaluation, "/keberatan/putuskan"), data={"keputusan": "tolak", "note": "x"}
    ).status_code in (404, 409)
    assert Evaluation.get_by_id(evaluation.id).predikat != KURANG


def test_the_pegawai_opens_and_reports_from_the_index(client, login_as, org, calendar, staff_skp):
    login_as(org["pegawai"])
    html = client.get("/kinerja/evaluasi").get_data(as_text=True)
    assert "Isi realisasi" in html
    response = client.post(
        "/kinerja/evaluasi/buka", data={"skp": staff_skp[0].id, "periode": quarter().id}
    )
    assert response.status_code == 303
    assert Evaluation.select().count() == 1


def test_the_admin_makes_the_calendar_from_the_page(client, login_as, org):
    login_as(org["admin"])
    assert client.post("/kinerja/evaluasi/kalender", data={"tahun": 2026}).status_code == 303
    assert client.post("/kinerja/evaluasi/kalender", data={"tahun": 2026}).status_code == 409
    login_as(org["kabid"])
    assert client.post("/kinerja/evaluasi/kalender", data={"tahun": 2027}).status_code == 403


def _team_queries(client, login_as, org, count, make_employee, cascade):
    parent = cascade["kabid"][1][0]
    for number in range(count):
        person = make_employee(unit=org["bidang"], supervisor=org["kabid"], nama=f"Staf {number}")
        skp, rows = approved_for(person, org["kabid"], parent)
        lifecycle.open_evaluation(org["kabid"], skp, quarter())
        entry(person, date(2026, 11, 2), rows[0].id, minutes=60, volume=2)
        entry(person, date(2026, 11, 3), rows[0].id, minutes=30, volume=1, satuan="dokumen")
    login_as(org["kabid"])
    url = f"/kinerja/evaluasi?periode={quarter().id}"
    client.get(url)
    with count_queries() as queries:
        assert client.get(url).status_code == 200
    return len(queries.queries)


def test_the_team_page_runs_the_same_queries_for_1_and_200_pegawai(
    app, client, login_as, org, calendar, make_employee, cascade
):
    one = _team_queries(client, login_as, org, 1, make_employee, cascade)
    more = _team_queries(client, login_as, org, 199, make_employee, cascade)
    assert one == more, (one, more)


def test_the_evaluation_page_runs_a_fixed_number_of_queries(client, login_as, org, evaluation):
    login_as(org["kabid"])
    client.get(_url(evaluation))
    with count_queries() as queries:
        client.get(_url(evaluation))
    assert len(queries.queries) < 30


def _run(app, barrier, outcomes, action):
    with app.app_context():
        db.connect(reuse_if_open=True)
        try:
            barrier.wait()
            action()
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        except Exception as error:  # pragma: no cover - shown by the assertion
            outcomes.append(repr(error))
        finally:
            db.close()


def test_two_atasan_sessions_deciding_at_once_give_one_result(app, org, evaluation, make_employee):

    plh = make_employee(nama="Plh Kabid", unit=org["bidang"], supervisor=org["kepala"])
    appoint(org["kabid"], plh)
    lifecycle.rate(org["kabid"], evaluation, RatingInput(SESUAI, SESUAI, {}))
    for _round in range(3):
        seen = Evaluation.get_by_id(evaluation.id)
        if seen.status == EV_FINAL:
            break
        outcomes: list[str] = []
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(
                target=_run,
                args=(
                    app,
                    barrier,
                    outcomes,
                    lambda seen=seen: lifecycle.rate(
                        org["kabid"],
                        Evaluation.get_by_id(seen.id),
                        RatingInput(DI_ATAS, DI_ATAS, {}),
                        revision=seen.revision,
                    ),
                ),
            ),
            threading.Thread(
                target=_run,
                args=(
                    app,
                    barrier,
                    outcomes,
                    lambda seen=seen: lifecycle.finalize(
                        plh, Evaluation.get_by_id(seen.id), revision=seen.revision
                    ),
                ),
            ),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert Counter(outcomes) == {"won": 1, "conflict": 1}, outcomes
        fresh = Evaluation.get_by_id(evaluation.id)
        assert fresh.revision == seen.revision + 1
        if fresh.status == EV_FINAL:
            assert fresh.predikat == seen.predikat  # the Tetapkan won: the rating it saw
        else:
            assert fresh.predikat == SANGAT_BAIK


def test_the_admin_names_the_decider_by_nip_when_there_is_none(client, login_as, org, evaluation):
    from portal.notifications.models import Notification
    from portal.org.models import Employee

    Employee.update(supervisor=None).where(Employee.id == org["kabid"].id).execute()
    lifecycle.rate(org["kabid"], evaluation, RatingInput(SESUAI, "di_bawah", {}))
    lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id))
    objections.file_objection(org["pegawai"], Evaluation.get_by_id(evaluation.id), "Keberatan")
    login_as(org["admin"])
    url = _url(evaluation, "/keberatan/pemutus")
    assert client.post(url, data={"nip": "1" * 18}).status_code == 422
    assert client.post(url, data={"nip": org["kepala"].nip}).status_code == 303
    assert Objection.get().decider_id == org["kepala"].id
    assert Notification.select().where(Notification.recipient == org["kepala"].id).exists()
    login_as(org["admin_opd"])
    assert client.post(url, data={"nip": org["kepala"].nip}).status_code in (403, 409)


def _detail_queries(client, login_as, org, cascade, make_employee, rhk_count):
    from portal.performance import lifecycle as skp_lifecycle
    from tests.performance.conftest import add_rhk, kuantitas

    person = make_employee(unit=org["bidang"], supervisor=org["kabid"])
    skp = skp_lifecycle.create_skp(person, person)
    for number in range(rhk_count):
        rhk = add_rhk(person, skp, f"RHK {number}", intervenes=cascade["kabid"][1][0])
        kuantitas(person, skp, rhk)
    skp_lifecycle.submit_skp(person, skp)
    skp_lifecycle.approve_skp(org["kabid"], skp)
    evaluation = lifecycle.open_evaluation(person, skp, quarter())
    login_as(org["kabid"])
    client.get(_url(evaluation))
    with count_queries() as queries:
        assert client.get(_url(evaluation)).status_code == 200
    return len(queries.queries)


def test_the_evaluation_page_runs_the_same_queries_for_1_and_20_rhk(
    client, login_as, org, calendar, cascade, make_employee
):
    one = _detail_queries(client, login_as, org, cascade, make_employee, 1)
    many = _detail_queries(client, login_as, org, cascade, make_employee, 20)
    assert one == many, (one, many)


def test_the_realisasi_form_is_pre_filled_from_the_linked_entries(
    client, login_as, org, evaluation, staff_skp
):
    rhk = staff_skp[1][0]
    pegawai = org["pegawai"]
    entry(pegawai, date(2026, 10, 5), rhk.id, minutes=120, volume=4, diakui=90)
    entry(pegawai, date(2026, 11, 2), rhk.id, minutes=60, volume=3)
    login_as(pegawai)
    html = client.get(_url(evaluation)).get_data(as_text=True)
    assert "2 kegiatan, 150 menit disetujui, 7 berkas" in html
    assert "Laporan kegiatan menunjukkan 7 berkas." in html
    assert 'value="7"' in html
    login_as(org["kabid"])
    team = client.get(f"/kinerja/evaluasi?periode={quarter().id}").get_data(as_text=True)
    assert "7 berkas" in team and "150" in team
