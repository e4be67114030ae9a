"""The evaluation services: the calendar, realisasi pre-filled from the daily entries, the
penilai's ratings and Tetapkan, access per role, keberatan, calibration, latest_predikat."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import time_machine

from portal import settings
from portal.audit.models import AuditLog
from portal.errors import Conflict, Forbidden, Invalid, NotFound
from portal.notifications.models import Notification
from portal.performance.evaluation import lifecycle, objections, pages, periods, prefill
from portal.performance.evaluation.lifecycle import RatingInput, RealisasiInput
from portal.performance.models import (
    ANNUAL,
    BAIK,
    DI_ATAS,
    DI_BAWAH,
    EV_FINAL,
    EV_SUBMITTED,
    KURANG,
    SANGAT_BAIK,
    SESUAI,
    Evaluation,
    EvaluationPeriod,
    Indicator,
    Realisasi,
)
from tests.conftest import count_queries
from tests.performance.conftest import appoint
from tests.performance.evaluation_fixtures import SUBMITTED, entry, quarter


def _indicators(skp):
    return list(
        Indicator.select()
        .join_from(Indicator, Indicator.rhk.rel_model)
        .where(Indicator.rhk.rel_model.skp == skp.id)
    )


# --- the calendar -----------------------------------------------------------------------------


def test_the_calendar_is_quarterly_by_default_plus_the_annual(org, calendar):
    rows = periods.of_year(2026)
    assert [(p.jenis, p.nomor, p.start_date, p.end_date) for p in rows] == [
        ("periodik", 1, date(2026, 1, 1), date(2026, 3, 31)),
        ("periodik", 2, date(2026, 4, 1), date(2026, 6, 30)),
        ("periodik", 3, date(2026, 7, 1), date(2026, 9, 30)),
        ("periodik", 4, date(2026, 10, 1), date(2026, 12, 31)),
        ("tahunan", 0, date(2026, 1, 1), date(2026, 12, 31)),
    ]
    assert rows[0].closes_on == date(2026, 4, 15)  # 15 days after the end by default
    assert AuditLog.select().where(AuditLog.action == "evaluation.calendar").count() == 1


@pytest.mark.parametrize(("months", "count"), [(1, 12), (6, 2), (5, 2)])
def test_the_setting_makes_monthly_or_half_yearly_periods(org, months, count):
    settings.put("performance.evaluation_months", months)
    periods.make_calendar(org["admin"], 2027)
    made = periods.of_year(2027)
    assert len([p for p in made if p.jenis != ANNUAL]) == count
    assert made[-2].end_date == date(2027, 12, 31)


def test_only_the_admin_makes_the_calendar_and_once_a_year(org, calendar):
    with pytest.raises(Forbidden):
        periods.make_calendar(org["admin_opd"], 2027)
    with pytest.raises(Conflict):
        periods.make_calendar(org["admin"], 2026)


def test_the_admin_moves_a_window_within_the_rules(org, calendar):
    q4 = quarter()
    periods.move_window(org["admin"], q4, date(2026, 12, 1), date(2027, 1, 31))
    assert EvaluationPeriod.get_by_id(q4.id).closes_on == date(2027, 1, 31)
    with pytest.raises(Invalid):
        periods.move_window(org["admin"], q4, date(2026, 12, 1), date(2026, 12, 30))
    with pytest.raises(Forbidden):
        periods.move_window(org["kabid"], q4, date(2026, 12, 1), date(2027, 1, 31))


# --- realisasi and the daily entries -----------------------------------------------------------


def test_the_period_totals_come_from_the_linked_entries(org, staff_skp, calendar):
    _skp, rows = staff_skp
    pegawai = org["pegawai"]
    entry(pegawai, date(2026, 10, 5), rows[0].id, minutes=120, volume=4, diakui=90)
    entry(pegawai, date(2026, 11, 2), rows[0].id, minutes=60, volume=3)
    entry(pegawai, date(2026, 11, 3), rows[0].id, minutes=60, volume=2, status=SUBMITTED)
    entry(pegawai, date(2026, 9, 30), rows[0].id, minutes=60, volume=9)  # another quarter
    entry(pegawai, date(2026, 11, 4), None, minutes=60, volume=9)  # not linked
    stats = prefill.team_stats([pegawai.id], date(2026, 10, 1), date(2026, 12, 31))
    rhk_stats = stats[pegawai.id][rows[0].lineage]
    assert rhk_stats.entries == 3
    assert rhk_stats.minutes == 150  # 90 acknowledged + 60; the waiting one not counted
    assert rhk_stats.volumes == {"berkas": 7}


def test_the_pegawai_reports_realisasi_with_evidence_and_extra_indicators_change_nothing(
    org, evaluation, staff_skp, cascade
):
    skp, _rows = staff_skp
    mine = _indicators(skp)
    foreign = _indicators(cascade["kabid"][0])[0]
    items = {
        mine[0].id: RealisasiInput(uraian="Sesuai ekspektasi", bukti="https://drive.example/a\n"),
        mine[1].id: RealisasiInput(angka=Decimal("230"), uraian=""),
        foreign.id: RealisasiInput(uraian="menyusup"),
    }
    lifecycle.save_realisasi(org["pegawai"], evaluation, items, "Saya sudah berusaha")
    saved = {r.indicator_id: r for r in Realisasi.select()}
    assert set(saved) == {mine[0].id, mine[1].id}
    assert saved[mine[1].id].angka == Decimal("230")
    assert saved[mine[0].id].bukti == "https://drive.example/a"
    with pytest.raises(Invalid):
        lifecycle.save_realisasi(
            org["pegawai"], evaluation, {mine[0].id: RealisasiInput(bukti="bukan tautan")}
        )


def test_only_the_pegawai_reports_and_only_before_submitting(org, evaluation):
    with pytest.raises(Conflict):
        lifecycle.save_realisasi(org["kabid"], evaluation, {})
    lifecycle.submit_realisasi(org["pegawai"], evaluation)
    assert evaluation.status == EV_SUBMITTED
    assert Notification.select().where(Notification.recipient == org["kabid"].id).exists()
    with pytest.raises(Conflict):
        lifecycle.save_realisasi(org["pegawai"], evaluation, {})


# --- rating and Tetapkan ------------------------------------------------------------------------


def test_the_penilai_rates_the_predikat_is_stored_and_tetapkan_makes_it_final(
    org, evaluation, staff_skp
):
    _skp, rows = staff_skp
    kabid, pegawai = org["kabid"], org["pegawai"]
    rating = RatingInput(
        DI_ATAS,
        DI_ATAS,
        {f"rhk:{rows[0].lineage}": "Bagus sekali", "nilai:BO": "Ramah", "nilai:XX": "abaikan"},
    )
    lifecycle.rate(kabid, evaluation, rating)
    fresh = Evaluation.get_by_id(evaluation.id)
    assert (fresh.hasil, fresh.perilaku, fresh.predikat) == (DI_ATAS, DI_ATAS, SANGAT_BAIK)
    keys = {f.key for f in fresh.feedback}
    assert keys == {f"rhk:{rows[0].lineage}", "nilai:BO"}
    lifecycle.finalize(kabid, fresh)
    assert fresh.status == EV_FINAL and fresh.finalized_by_id == kabid.id
    assert AuditLog.select().where(AuditLog.action == "evaluation.finalize").count() == 1
    notice = Notification.get(
        Notification.recipient == pegawai.id, Notification.kind == "evaluation_final"
    )
    assert "Sangat Baik" in notice.message
    with pytest.raises(Conflict):
        lifecycle.rate(kabid, fresh, RatingInput(DI_BAWAH, DI_BAWAH, {}))


def test_tetapkan_needs_both_ratings(org, evaluation):
    lifecycle.rate(org["kabid"], evaluation, RatingInput(SESUAI, None, {}))
    with pytest.raises(Invalid):
        lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id))


def test_a_decision_on_a_stale_revision_is_a_conflict(org, evaluation):
    seen = evaluation.revision
    lifecycle.rate(org["kabid"], evaluation, RatingInput(SESUAI, SESUAI, {}), revision=seen)
    with pytest.raises(Conflict):
        lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id), revision=seen)


@pytest.mark.parametrize("who", ["pegawai", "rekan", "kepala", "admin_opd", "admin"])
def test_nobody_but_the_penilai_rates(org, evaluation, who):
    with pytest.raises((Conflict, NotFound)):
        lifecycle.rate(org[who], evaluation, RatingInput(SESUAI, SESUAI, {}))


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("pegawai", True),
        ("kabid", True),
        ("admin_opd", True),
        ("admin", True),
        ("rekan", False),
        ("other", False),
        ("admin_dinkes", False),
    ],
)
def test_who_sees_an_evaluation(org, evaluation, who, sees):
    if sees:
        assert pages.evaluation_page(org[who], evaluation).evaluation.id == evaluation.id
    else:
        with pytest.raises(NotFound):
            pages.evaluation_page(org[who], evaluation)


def test_a_plh_of_the_penilai_rates_during_the_appointment(org, evaluation, make_employee):

    plh = make_employee(nama="Plh Kabid", unit=org["bidang"], supervisor=org["kepala"])
    appoint(org["kabid"], plh)
    lifecycle.rate(plh, evaluation, RatingInput(SESUAI, SESUAI, {}))
    assert Evaluation.get_by_id(evaluation.id).predikat == BAIK


# --- keberatan -------------------------------------------------------------------------------


def _final(org, evaluation, hasil=SESUAI, perilaku=DI_BAWAH):
    lifecycle.rate(org["kabid"], evaluation, RatingInput(hasil, perilaku, {}))
    return lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id))


@pytest.mark.parametrize(
    ("app_config", "offset"),
    [({"TIMEZONE": "Asia/Jakarta"}, 7), ({"TIMEZONE": "Asia/Makassar"}, 8)],
    indirect=["app_config"],
)
def test_a_keberatan_is_accepted_on_day_14_until_2359_local_and_refused_at_0000_of_day_15(
    org, calendar, staff_skp, offset, app_config
):
    evaluation = lifecycle.open_evaluation(org["pegawai"], staff_skp[0], quarter())
    # Tetapkan on 23 Nov 2026 at 00:30 local: day 14 is 7 Dec.
    with time_machine.travel(datetime(2026, 11, 22, 24 - offset, 30, tzinfo=UTC), tick=False):
        evaluation = _final(org, evaluation)
    assert evaluation.predikat == KURANG
    # 7 Dec 23:59 local is accepted
    with time_machine.travel(datetime(2026, 12, 7, 23 - offset, 59, tzinfo=UTC), tick=False):
        assert pages.evaluation_page(org["pegawai"], evaluation).can_object
    # 8 Dec 00:00 local is refused
    with (
        time_machine.travel(datetime(2026, 12, 7, 24 - offset, 0, tzinfo=UTC), tick=False),
        pytest.raises(Conflict),
    ):
        objections.file_objection(org["pegawai"], evaluation, "Tidak adil")
    with time_machine.travel(datetime(2026, 12, 7, 23 - offset, 59, tzinfo=UTC), tick=False):
        objection = objections.file_objection(org["pegawai"], evaluation, "Tidak adil")
    assert objection.decider_id == org["kepala"].id


@pytest.fixture
def app_config(request):
    return getattr(request, "param", {})


def test_the_atasan_pejabat_penilai_decides_once_and_both_sides_are_told(org, evaluation):
    evaluation = _final(org, evaluation)
    objection = objections.file_objection(org["pegawai"], evaluation, "Beban kerja tidak dihitung")
    assert (
        Notification.select()
        .where(Notification.recipient == org["kepala"].id, Notification.kind == "objection_filed")
        .exists()
    )
    with pytest.raises(Conflict):
        objections.decide_objection(org["kabid"], objection, True, BAIK, "Saya sendiri")
    with pytest.raises(Invalid):
        objections.decide_objection(org["kepala"], objection, True, None, "Tanpa predikat")
    objections.decide_objection(org["kepala"], objection, True, BAIK, "Beban kerja terbukti")
    assert Evaluation.get_by_id(evaluation.id).predikat == BAIK
    assert AuditLog.select().where(AuditLog.action == "evaluation.objection_decide").count() == 1
    assert AuditLog.select().where(AuditLog.action == "evaluation.predikat").count() == 1
    told = {
        n.recipient_id
        for n in Notification.select().where(Notification.kind == "objection_decided")
    }
    assert told == {org["pegawai"].id, org["kabid"].id}
    with pytest.raises(Conflict):
        objections.decide_objection(org["kepala"], objection, False, None, "Lagi")
    with pytest.raises(Conflict):
        objections.file_objection(org["pegawai"], evaluation, "Sekali lagi")


def test_without_an_atasan_pejabat_penilai_the_admin_names_the_decider(org, evaluation):
    from portal.org.models import Employee

    Employee.update(supervisor=None).where(Employee.id == org["kabid"].id).execute()
    evaluation = _final(org, evaluation)
    objection = objections.file_objection(org["pegawai"], evaluation, "Keberatan")
    assert objection.decider_id is None
    with pytest.raises(Forbidden):
        objections.name_decider(org["admin_opd"], objection, org["kepala"])
    objections.name_decider(org["admin"], objection, org["kepala"])
    objections.decide_objection(org["kepala"], objection, False, None, "Penilaian sudah tepat")


# --- calibration -------------------------------------------------------------------------------


def test_the_kepala_opd_calibrates_an_annual_predikat_with_a_reason_before_it_is_final(
    org, calendar, staff_skp
):
    annual = EvaluationPeriod.get(EvaluationPeriod.tahun == 2026, EvaluationPeriod.jenis == ANNUAL)
    evaluation = lifecycle.open_evaluation(org["kabid"], staff_skp[0], annual)
    lifecycle.rate(org["kabid"], evaluation, RatingInput(DI_ATAS, DI_ATAS, {}))
    with pytest.raises(Invalid):
        lifecycle.calibrate(org["kepala"], evaluation, BAIK, "  ")
    with pytest.raises(Forbidden):
        lifecycle.calibrate(org["kabid"], evaluation, BAIK, "Kurva")
    lifecycle.calibrate(org["kepala"], evaluation, BAIK, "Distribusi unit melampaui kurva")
    assert Evaluation.get_by_id(evaluation.id).predikat == BAIK
    log = AuditLog.get(AuditLog.action == "evaluation.calibrate")
    assert log.note == "Distribusi unit melampaui kurva"
    lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id))
    with pytest.raises(Conflict):
        lifecycle.calibrate(org["kepala"], Evaluation.get_by_id(evaluation.id), SANGAT_BAIK, "x")


def test_only_annual_predikat_are_calibrated(org, evaluation):
    lifecycle.rate(org["kabid"], evaluation, RatingInput(DI_ATAS, DI_ATAS, {}))
    with pytest.raises(Conflict):
        lifecycle.calibrate(org["kepala"], evaluation, BAIK, "alasan")


# --- for the reports -------------------------------------------------------------------------


def test_latest_predikat_gives_each_employees_latest_final_predikat_in_one_query(
    org, calendar, staff_skp
):
    q3 = lifecycle.open_evaluation(org["kabid"], staff_skp[0], quarter(3))
    _final(org, q3, DI_ATAS, DI_ATAS)
    q4 = lifecycle.open_evaluation(org["pegawai"], staff_skp[0], quarter(4))
    lifecycle.rate(org["kabid"], q4, RatingInput(SESUAI, SESUAI, {}))  # not final
    with count_queries() as queries:
        result = pages.latest_predikat([org["pegawai"].id, org["rekan"].id], 2026)
    assert result == {org["pegawai"].id: SANGAT_BAIK}
    assert len(queries.queries) == 1
    lifecycle.finalize(org["kabid"], Evaluation.get_by_id(q4.id))
    assert pages.latest_predikat([org["pegawai"].id], 2026) == {org["pegawai"].id: BAIK}
    assert pages.latest_predikat([org["pegawai"].id], 2025) == {}


def test_the_pegawai_reports_only_while_the_window_is_open(org, calendar, staff_skp):
    q3 = quarter(3)  # closed on 15 Oct 2026
    with pytest.raises(Conflict):
        lifecycle.open_evaluation(org["pegawai"], staff_skp[0], q3)
    evaluation = lifecycle.open_evaluation(org["kabid"], staff_skp[0], q3)  # late rating
    with pytest.raises(Conflict):
        lifecycle.save_realisasi(org["pegawai"], evaluation, {})
    periods.move_window(org["admin"], q3, q3.opens_on, date(2026, 11, 30))
    lifecycle.save_realisasi(org["pegawai"], Evaluation.get_by_id(evaluation.id), {})
    with (
        time_machine.travel(datetime(2026, 12, 1, 3, tzinfo=UTC), tick=False),
        pytest.raises(Conflict),
    ):
        lifecycle.submit_realisasi(org["pegawai"], Evaluation.get_by_id(evaluation.id))
