"""Rekan kerja input (the rekan sees only their form; the pegawai reads it without names),
tindak lanjut records per predikat, reminders before a window closes, angka kredit on the page."""

from datetime import date

import pytest

from portal.audit.models import AuditLog
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.models import Notification
from portal.org.models import Employee
from portal.performance.evaluation import followups, lifecycle, peers, reminders
from portal.performance.evaluation.followups import FollowUpInput
from portal.performance.evaluation.lifecycle import RatingInput
from portal.performance.models import DI_ATAS, DI_BAWAH, SESUAI, Evaluation, FollowUp
from tests.performance.evaluation_fixtures import quarter


def _final(org, evaluation, hasil, perilaku):
    lifecycle.rate(org["kabid"], evaluation, RatingInput(hasil, perilaku, {}))
    return lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id))


def test_a_rekan_gives_input_that_the_pegawai_reads_without_names(
    client, login_as, org, evaluation
):
    request = peers.request_input(org["kabid"], evaluation, org["rekan"])
    assert Notification.select().where(Notification.recipient == org["rekan"].id).exists()
    login_as(org["rekan"])
    assert client.get(f"/kinerja/evaluasi/{evaluation.id}").status_code == 404
    assert client.get(f"/kinerja/evaluasi/rekan/{request.id}").status_code == 200
    response = client.post(
        f"/kinerja/evaluasi/rekan/{request.id}",
        data={"nilaiBO": "Selalu sabar melayani pemohon", "nilaiXX": "abaikan"},
    )
    assert response.status_code == 303
    with pytest.raises(Conflict):
        peers.give_input(org["rekan"], request, {"BO": "lagi"})
    login_as(org["pegawai"])
    assert client.get(f"/kinerja/evaluasi/rekan/{request.id}").status_code == 404
    html = client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)
    assert "Selalu sabar melayani pemohon" in html and "Dewi Lestari" not in html
    login_as(org["kabid"])
    html = client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)
    assert "Selalu sabar melayani pemohon" in html and "Dewi Lestari" in html


def test_only_the_penilai_asks_and_only_colleagues(org, evaluation):
    with pytest.raises((Conflict, NotFound)):
        peers.request_input(org["pegawai"], evaluation, org["rekan"])
    with pytest.raises(Invalid):
        peers.request_input(org["kabid"], evaluation, org["pegawai"])
    peers.request_input(org["kabid"], evaluation, org["rekan"])
    with pytest.raises(Conflict):
        peers.request_input(org["kabid"], evaluation, org["rekan"])
    with pytest.raises(NotFound):
        peers.own_request(org["other"], peers.requests_for(evaluation)[0].id)


def test_follow_ups_follow_the_predikat_and_are_audited(org, evaluation):
    evaluation = _final(org, evaluation, DI_ATAS, DI_ATAS)
    piagam = FollowUpInput("piagam", "Pegawai teladan", "800/12/DPMPTSP/2026", date(2026, 11, 20))
    with pytest.raises(Conflict):
        followups.record_follow_up(org["kabid"], evaluation, piagam)
    with pytest.raises(Invalid):
        followups.record_follow_up(
            org["kepala"], evaluation, FollowUpInput("disiplin", "", "1", date(2026, 11, 20))
        )
    with pytest.raises(Invalid):
        followups.record_follow_up(
            org["kepala"], evaluation, FollowUpInput("piagam", "", " ", date(2026, 11, 20))
        )
    followups.record_follow_up(org["kepala"], evaluation, piagam)
    assert FollowUp.get().nomor_dokumen == "800/12/DPMPTSP/2026"
    assert AuditLog.select().where(AuditLog.action == "evaluation.follow_up").count() == 1
    rewards, pembinaan = followups.candidates(org["ptsp"], 2026)
    assert [c.evaluation.id for c in rewards] == [evaluation.id] and pembinaan == []
    assert len(rewards[0].follow_ups) == 1


def test_the_follow_up_page_lists_candidates_and_records(client, login_as, org, evaluation):
    evaluation = _final(org, evaluation, DI_BAWAH, SESUAI)
    login_as(org["kepala"])
    html = client.get("/kinerja/evaluasi/tindak-lanjut?tahun=2026").get_data(as_text=True)
    assert "Siti Rahmawati" in html
    assert client.get(f"/kinerja/evaluasi/{evaluation.id}/tindak-lanjut").status_code == 200
    response = client.post(
        f"/kinerja/evaluasi/{evaluation.id}/tindak-lanjut",
        data={
            "jenis": "pembinaan",
            "nomor_dokumen": "094/7/2026",
            "tanggal_dokumen": "2026-11-21",
        },
    )
    assert response.status_code == 303
    assert FollowUp.get().jenis == "pembinaan"
    login_as(org["kabid"])
    assert client.get("/kinerja/evaluasi/tindak-lanjut").status_code == 404


def test_reminders_go_out_once_before_the_window_closes(org, calendar, staff_skp):
    # Q4 and the annual evaluation close 15 Jan 2027; reminders 5 days before. Three approved
    # SKP (kepala, kabid, pegawai); the kabid and the kepala are penilai.
    lifecycle.submit_realisasi(
        org["kabid"],
        lifecycle.open_evaluation(
            org["kabid"],
            staff_skp[0].__class__.get(staff_skp[0].__class__.employee == org["kabid"].id),
            quarter(),
        ),
    )
    assert reminders.send(date(2027, 1, 5)).pegawai == 0
    sent = reminders.send(date(2027, 1, 11))
    assert (sent.pegawai, sent.penilai) == (5, 4)  # the kabid's Q4 realisasi is already sent
    notices = Notification.select().where(Notification.kind == "evaluation_reminder")
    assert notices.count() == 9
    reminders.send(date(2027, 1, 12))
    assert notices.count() == 9  # nothing new
    to_pegawai = notices.where(Notification.recipient == org["pegawai"].id)
    assert to_pegawai.count() == 2  # Q4 and the annual evaluation
    assert "Triwulan 4 2026" in " ".join(n.message for n in to_pegawai)


def test_the_pegawai_page_shows_angka_kredit_of_a_pejabat_fungsional(
    client, login_as, org, evaluation
):
    Employee.update(jabatan="Analis Kebijakan Ahli Pertama").execute()
    from portal.performance.models import Skp

    Skp.update(jabatan="Analis Kebijakan Ahli Pertama").where(Skp.id == evaluation.skp_id).execute()
    _final(org, evaluation, DI_ATAS, DI_ATAS)
    login_as(org["pegawai"])
    html = client.get(f"/kinerja/evaluasi/{evaluation.id}").get_data(as_text=True)
    assert "Angka kredit" in html and "4,69" in html  # 150% x 12.5 x 3/12


def test_the_reminder_command_runs_for_a_given_day(runner, org, calendar, staff_skp):
    result = runner.invoke(args=["evaluation-reminders", "--date", "2027-01-11"])
    assert result.exit_code == 0, result.output
    assert "pengingat untuk 6 pegawai dan 4 penilai" in result.output


def test_the_admin_recap_sums_the_angka_kredit_of_pejabat_fungsional(
    client, login_as, org, calendar, staff_skp
):
    from portal.performance.evaluation import credits
    from portal.performance.models import Skp

    Skp.update(jabatan="Analis Kebijakan Ahli Pertama").where(Skp.id == staff_skp[0].id).execute()
    for number, ratings in ((3, (SESUAI, SESUAI)), (4, (DI_ATAS, DI_ATAS))):
        evaluation = lifecycle.open_evaluation(org["kabid"], staff_skp[0], quarter(number))
        _final(org, evaluation, *ratings)
    rows = credits.recap(org["admin_opd"], 2026)
    assert len(rows) == 1 and rows[0].jenjang == "Ahli Pertama"
    assert str(rows[0].total) == "7.82"  # 3.125 + 4.6875, each to two decimals: 3.13 + 4.69
    assert credits.recap(org["admin_dinkes"], 2026) == []
    login_as(org["admin_opd"])
    assert "7,82" in client.get("/kinerja/evaluasi/angka-kredit?tahun=2026").get_data(as_text=True)
    login_as(org["kabid"])
    assert client.get("/kinerja/evaluasi/angka-kredit").status_code == 404
