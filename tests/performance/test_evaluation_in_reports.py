"""The evaluation reaches the reports: once Tetapkan makes a predikat final, the atasan's monthly
recap and the pegawai's month in /laporan show it (blank before)."""

from portal.performance.evaluation import lifecycle
from portal.performance.evaluation.lifecycle import RatingInput
from portal.performance.models import DI_ATAS, Evaluation
from portal.reports.predikat import latest_predikat


def test_a_final_predikat_shows_in_the_recap_and_the_pegawais_month(
    client, login_as, org, evaluation
):
    kabid, pegawai = org["kabid"], org["pegawai"]
    login_as(kabid)
    month_page = f"/laporan/pegawai/{pegawai.id}"
    assert "Sangat Baik" not in client.get("/laporan/").get_data(as_text=True)
    assert latest_predikat([pegawai.id], 2026) == {}

    lifecycle.rate(kabid, evaluation, RatingInput(DI_ATAS, DI_ATAS, {}))
    lifecycle.finalize(kabid, Evaluation.get_by_id(evaluation.id))

    assert latest_predikat([pegawai.id], 2026) == {pegawai.id: "Sangat Baik"}
    assert latest_predikat([pegawai.id], 2025) == {}
    recap = client.get("/laporan/")
    assert recap.status_code == 200
    assert "Sangat Baik" in recap.get_data(as_text=True)
    month = client.get(month_page)
    assert month.status_code == 200
    assert "Sangat Baik" in month.get_data(as_text=True)
