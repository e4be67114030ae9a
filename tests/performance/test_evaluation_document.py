"""The Dokumen Evaluasi Kinerja Pegawai: the print page and the PDF from the same template (read
back with pdftotext) hold the predikat and every RHK; others get 404."""

import shutil
import subprocess

import pytest

from portal.performance.evaluation import lifecycle
from portal.performance.evaluation.lifecycle import RatingInput
from portal.performance.models import DI_ATAS, Evaluation, Rhk

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext missing: run scripts/ensure-weasyprint.sh"
)


def test_the_pdf_holds_the_predikat_and_every_rhk(client, login_as, org, evaluation, tmp_path):
    lifecycle.rate(org["kabid"], evaluation, RatingInput(DI_ATAS, DI_ATAS, {}))
    lifecycle.finalize(org["kabid"], Evaluation.get_by_id(evaluation.id))
    login_as(org["pegawai"])
    page = client.get(f"/kinerja/evaluasi/{evaluation.id}/cetak")
    assert page.status_code == 200 and "DOKUMEN EVALUASI KINERJA PEGAWAI" in page.get_data(
        as_text=True
    )
    response = client.get(f"/kinerja/evaluasi/{evaluation.id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    target = tmp_path / "evaluasi.pdf"
    target.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-raw", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "Sangat Baik" in flat
    for rhk in Rhk.select().where(Rhk.skp == evaluation.skp_id):
        assert " ".join(rhk.uraian.split()) in flat, rhk.uraian
    login_as(org["other"])
    assert client.get(f"/kinerja/evaluasi/{evaluation.id}.pdf").status_code == 404
