"""SKM per service and period: signed respondent tokens, one answer each, IKM and its band at
the edges, the minimum sample, the public form with hostile input."""

import pytest
from itsdangerous import URLSafeSerializer

from portal.clock import local_today
from portal.dialogs.survey import ikm_band
from portal.errors import Invalid
from portal.public_service import skm
from portal.public_service.models import SkmResponse

PROFILE = skm.Profile("30-39", "P", "D4/S1", "Swasta")


@pytest.fixture
def service(unit, unit_admin):
    return skm.create_service(unit_admin, unit.id, "Perizinan Berusaha (PBG)", 1000)


def _answers(values):
    return {f"u{n}": value for n, value in enumerate(values, start=1)}


@pytest.mark.parametrize(
    ("ikm", "band"),
    [(88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.00, "C"), (64.99, "D")],
)
def test_ikm_band_edges(ikm, band):
    assert ikm_band(ikm)[0] == band


def test_ikm_is_the_mean_of_unsur_means_times_25(service):
    skm.submit(service, skm.new_token(), _answers([4] * 9), PROFILE, "", local_today())
    skm.submit(service, skm.new_token(), _answers([3] * 9), PROFILE, "", local_today())
    result = skm.results([service.id], skm.period_of(local_today()))[service.id]
    assert result["count"] == 2
    assert result["ikm"] == pytest.approx(87.5)
    assert result["band"] == "B"


def test_one_answer_per_signed_token_per_period(app, service):
    token = skm.new_token()
    skm.submit(service, token, _answers([4] * 9), PROFILE, "", local_today())
    with pytest.raises(Invalid):
        skm.submit(service, token, _answers([1] * 9), PROFILE, "", local_today())
    forged = URLSafeSerializer("not-the-secret", salt=skm.SALT).dumps("abcdefghijklmnop")
    with pytest.raises(Invalid):
        skm.submit(service, forged, _answers([1] * 9), PROFILE, "", local_today())
    with pytest.raises(Invalid):
        skm.submit(service, "plain-cookie-value", _answers([1] * 9), PROFILE, "", local_today())
    assert SkmResponse.select().count() == 1


def test_every_unsur_and_the_profile_are_required(service):
    with pytest.raises(Invalid):
        skm.submit(service, skm.new_token(), _answers([4] * 8), PROFILE, "", local_today())
    bad = skm.Profile("30-39", "X", "D4/S1", "Swasta")
    with pytest.raises(Invalid):
        skm.submit(service, skm.new_token(), _answers([4] * 9), bad, "", local_today())


@pytest.mark.parametrize(("population", "sample"), [(0, 0), (10, 10), (100, 80), (1000, 278)])
def test_minimum_sample_follows_krejcie_morgan(population, sample):
    assert skm.minimum_sample(population) == sample


def test_only_a_unit_admin_adds_a_surveyed_service(unit, other_admin, handler):
    for actor in (other_admin, handler):
        with pytest.raises(Invalid):
            skm.create_service(actor, unit.id, "Layanan", 10)


def _form(**changes):
    data = {f"u{n}": "4" for n in range(1, 10)}
    data.update(usia="30-39", jenis_kelamin="P", pendidikan="D4/S1", pekerjaan="Swasta")
    data.update(changes)
    return data


def test_citizen_fills_the_survey_once_and_the_unit_page_shows_the_ikm(client, unit, service):
    page = client.get(f"/layanan/survei/{service.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Sangat mudah" in html and "Gratis" in html
    token = client.get_cookie("skm_responden").value
    response = client.post(f"/layanan/survei/{service.id}", data=_form(token=token))
    assert response.status_code == 303
    again = client.post(f"/layanan/survei/{service.id}", data=_form(token=token))
    assert again.status_code == 422 and "sudah mengisi survei" in again.get_data(as_text=True)
    assert SkmResponse.select().count() == 1
    unit_page = client.get(f"/layanan/unit/{unit.id}").get_data(as_text=True)
    assert "IKM 100,00" in unit_page and "mutu A" in unit_page
    assert "1 dari minimal 278" in unit_page


def test_hostile_survey_input_is_refused_or_escaped(client, service):
    token = skm.new_token()
    hostile = '<script>alert("x")</script>'
    response = client.post(
        f"/layanan/survei/{service.id}", data=_form(token=token, u3="9", usia=hostile)
    )
    assert response.status_code == 422 and "<script>alert" not in response.get_data(as_text=True)
    response = client.post(f"/layanan/survei/{service.id}", data=_form(token=token, saran=hostile))
    assert response.status_code == 303
    assert SkmResponse.get().saran == hostile
    assert client.post(f"/layanan/survei/{service.id}", data=_form(token="x")).status_code == 422
    assert client.get("/layanan/survei/999999").status_code == 404


def test_an_ikm_indicator_is_computed_from_the_months_answers(unit, unit_admin, service):
    from portal.public_service import indicators

    indicator = indicators.create_indicator(
        unit_admin, indicators.IndicatorInput(unit.id, "IKM PTSP", "nilai", "naik", "ikm")
    )
    skm.submit(service, skm.new_token(), _answers([4] * 9), PROFILE, "", local_today())
    skm.submit(service, skm.new_token(), _answers([3] * 9), PROFILE, "", local_today())
    points = indicators.series(indicator, 2026)
    assert points[10].value == pytest.approx(87.5)  # November
    assert all(p.value is None for p in points[:10])
