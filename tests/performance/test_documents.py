"""The SKP document: the print page and the PDF from the same template; the PDF's text (read
back with pdftotext) holds the NIP and every RHK."""

import shutil
import subprocess

import pytest

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext missing: run scripts/ensure-weasyprint.sh"
)


def _words(text):
    return " ".join(text.split())


def test_the_print_page_shows_both_parties_and_every_rhk(client, login_as, org, cascade):
    skp, rows = cascade["kabid"]
    login_as(org["kabid"])
    page = client.get(f"/kinerja/skp/{skp.id}/cetak").get_data(as_text=True)
    assert org["kabid"].nip in page and org["kepala"].nip in page
    for rhk in rows:
        assert rhk.uraian in page
    assert "Berorientasi Pelayanan" in page


def test_the_pdf_holds_the_nip_and_every_rhk(client, login_as, org, cascade, tmp_path):
    skp, rows = cascade["kabid"]
    login_as(org["kepala"])  # the penilai downloads it
    response = client.get(f"/kinerja/skp/{skp.id}.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    target = tmp_path / "skp.pdf"
    target.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-raw", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = _words(text)
    assert org["kabid"].nip in words and org["kepala"].nip in words
    for rhk in rows:
        assert _words(rhk.uraian) in words, rhk.uraian


def test_others_cannot_print_or_download(client, login_as, org, cascade):
    skp = cascade["kabid"][0]
    login_as(org["other"])
    assert client.get(f"/kinerja/skp/{skp.id}/cetak").status_code == 404
    assert client.get(f"/kinerja/skp/{skp.id}.pdf").status_code == 404
