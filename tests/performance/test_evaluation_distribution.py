"""The unit's distribution against its curve, the organisation predikat, calibration by the
Kepala OPD (audited, with a reason), and the page's query count."""

import pytest

from portal.audit.models import AuditLog
from portal.errors import Forbidden, NotFound
from portal.performance.evaluation import distribution, lifecycle
from portal.performance.evaluation.lifecycle import RatingInput
from portal.performance.models import (
    ANNUAL,
    BAIK,
    DI_ATAS,
    SESUAI,
    Evaluation,
    EvaluationPeriod,
)
from tests.conftest import count_queries
from tests.performance.evaluation_fixtures import approved_for


def _annual():
    return EvaluationPeriod.get(EvaluationPeriod.tahun == 2026, EvaluationPeriod.jenis == ANNUAL)


def _rated_team(org, cascade, make_employee, count, hasil=DI_ATAS, perilaku=DI_ATAS):
    made = []
    for number in range(count):
        person = make_employee(unit=org["bidang"], supervisor=org["kabid"], nama=f"Staf {number}")
        skp, _rows = approved_for(person, org["kabid"], cascade["kabid"][1][0])
        evaluation = lifecycle.open_evaluation(org["kabid"], skp, _annual())
        lifecycle.rate(org["kabid"], evaluation, RatingInput(hasil, perilaku, {}))
        made.append(evaluation)
    return made


def test_an_all_sangat_baik_unit_breaks_the_baik_curve_and_the_warning_names_the_rule(
    org, calendar, cascade, make_employee
):
    _rated_team(org, cascade, make_employee, 3)
    distribution.set_unit_predikat(org["admin"], org["ptsp"], 2026, BAIK)
    data = distribution.distribution(org["kepala"], org["ptsp"], 2026)
    assert data.total == 3
    assert (data.bars[0].predikat, data.bars[0].count) == ("sangat_baik", 3)
    assert data.problems == [
        "Paling sedikit satu pegawai harus Butuh Perbaikan atau Kurang/Misconduct."
    ]


def test_only_the_admin_sets_the_organisation_predikat(org):
    with pytest.raises(Forbidden):
        distribution.set_unit_predikat(org["admin_opd"], org["ptsp"], 2026, BAIK)
    distribution.set_unit_predikat(org["admin"], org["ptsp"], 2026, "istimewa")
    distribution.set_unit_predikat(org["admin"], org["ptsp"], 2026, BAIK)
    assert AuditLog.select().where(AuditLog.action == "evaluation.unit_predikat").count() == 2


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("kepala", True),
        ("admin_opd", True),
        ("kabid", False),
        ("admin_dinkes", False),
        ("pegawai", False),
    ],
)
def test_who_sees_the_distribution(org, calendar, who, sees):
    if sees:
        distribution.distribution(org[who], org["ptsp"], 2026)
    else:
        with pytest.raises(NotFound):
            distribution.distribution(org[who], org["ptsp"], 2026)


def test_the_kepala_calibrates_from_the_page_with_a_reason(
    client, login_as, org, calendar, cascade, make_employee
):
    evaluation = _rated_team(org, cascade, make_employee, 1)[0]
    login_as(org["kepala"])
    page = client.get("/kinerja/evaluasi/distribusi?tahun=2026")
    assert page.status_code == 200 and "Kalibrasi" in page.get_data(as_text=True)
    # the row (the list reads only the columns it shows): the pegawai, the evaluation's link
    # and the way to calibrate it
    html = page.get_data(as_text=True)
    assert "Staf 0" in html and f"/kinerja/evaluasi/{evaluation.id}/kalibrasi" in html
    assert client.get(f"/kinerja/evaluasi/{evaluation.id}/kalibrasi").status_code == 200
    response = client.post(
        f"/kinerja/evaluasi/{evaluation.id}/kalibrasi",
        data={"predikat": BAIK, "reason": ""},
    )
    assert response.status_code == 422
    response = client.post(
        f"/kinerja/evaluasi/{evaluation.id}/kalibrasi",
        data={"predikat": BAIK, "reason": "Kurva unit"},
    )
    assert response.status_code == 303
    assert Evaluation.get_by_id(evaluation.id).predikat == BAIK
    assert AuditLog.get(AuditLog.action == "evaluation.calibrate").note == "Kurva unit"
    login_as(org["kabid"])
    assert client.get("/kinerja/evaluasi/distribusi").status_code == 404
    assert client.get(f"/kinerja/evaluasi/{evaluation.id}/kalibrasi").status_code == 404


def _distribution_queries(client, login_as, org, cascade, make_employee, count):
    _rated_team(org, cascade, make_employee, count, SESUAI, SESUAI)
    login_as(org["kepala"])
    client.get("/kinerja/evaluasi/distribusi?tahun=2026")
    with count_queries() as queries:
        assert client.get("/kinerja/evaluasi/distribusi?tahun=2026").status_code == 200
    return len(queries.queries)


def test_the_distribution_page_runs_the_same_queries_for_1_and_60_pegawai(
    client, login_as, org, calendar, cascade, make_employee
):
    one = _distribution_queries(client, login_as, org, cascade, make_employee, 1)
    more = _distribution_queries(client, login_as, org, cascade, make_employee, 59)
    assert one == more, (one, more)
