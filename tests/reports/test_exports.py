"""Exports as background jobs (huey's immediate mode here): XLSX, CSV and PDF of the recap the
asker sees, formula cells neutralised, the file only for the one who asked."""

import csv
import io
from datetime import timedelta

import pytest
import time_machine
from openpyxl import load_workbook

from portal.reports import exports
from portal.reports.exports import delete_expired, neutralise
from portal.reports.models import ExportJob


def _get(client, url):
    """A download read whole and closed (send_file streams from an open file)."""
    response = client.get(url)
    response.direct_passthrough = False
    data = response.get_data()
    response.close()
    return response, data


def _export(client, kind, **extra):
    data = {"format": kind, "bulan": "2026-10", **extra}
    response = client.post("/laporan/ekspor", data=data)
    assert response.status_code == 303
    return response.headers["Location"]


def test_an_admin_opd_exports_xlsx_and_the_file_has_their_rows(client, login_as, october):
    login_as(october["admin_opd"])
    progress = _export(client, "xlsx", unit=str(october["bidang"].id))
    page = client.get(progress)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Berkas siap." in html
    job = ExportJob.get()
    assert job.status == "selesai" and job.total == 3
    download, data = _get(client, f"{progress}/unduh")
    assert download.status_code == 200
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("NIP", "Nama")
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"Hendra Saputra", "Siti Rahmawati", "Dewi Lestari"}
    siti = by_name["Siti Rahmawati"]
    assert siti[6:8] == (450, 320)  # minutes submitted, approved


def test_the_progress_fragment_polls_until_done(client, login_as, october):
    login_as(october["admin_opd"])
    progress = _export(client, "csv")
    ExportJob.update(status="berjalan", total=10, done=4).execute()
    running = client.get(progress, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in running
    assert 'hx-trigger="load delay:1s"' in running
    assert "4 dari 10" in running
    assert "Muat ulang" in running  # a plain refresh link without JavaScript


def test_csv_cells_that_could_run_as_formulas_are_neutralised(client, login_as, october):
    october["dewi"].nama = '=HYPERLINK("http://x")'
    october["dewi"].jabatan = "  +cmd|' /C calc'!A0"
    october["dewi"].save()
    login_as(october["admin_opd"])
    progress = _export(client, "csv")
    text = _get(client, f"{progress}/unduh")[1].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    dewi = next(row for row in rows if row[0] == october["dewi"].nip)
    assert dewi[1] == '\'=HYPERLINK("http://x")'
    assert dewi[3] == "'+cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("=1+1", "'=1+1"), (" -2", "'-2"), ("@SUM", "'@SUM"), ("\tx", "'x"), ("Budi", "Budi"), (5, 5)],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_the_pdf_comes_from_the_print_template(client, login_as, october):
    login_as(october["admin_opd"])
    printed = client.get("/laporan/cetak?bulan=2026-10")
    assert printed.status_code == 200
    assert "REKAPITULASI KINERJA BULANAN" in printed.get_data(as_text=True)
    progress = _export(client, "pdf")
    pdf, data = _get(client, f"{progress}/unduh")
    assert pdf.status_code == 200
    assert data.startswith(b"%PDF")
    assert pdf.headers["Content-Type"] == "application/pdf"


def test_a_recap_too_long_to_print_asks_for_a_unit_or_a_spreadsheet(
    client, login_as, october, monkeypatch
):
    monkeypatch.setattr(exports, "PRINT_LIMIT", 3)
    login_as(october["admin"])  # the whole city: more than 3 pegawai
    response = client.get("/laporan/cetak?bulan=2026-10&jabatan=Pelaksana")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "terlalu banyak untuk dicetak (paling banyak 3)" in html
    assert "REKAPITULASI KINERJA BULANAN" not in html
    assert 'href="/laporan/?jabatan=Pelaksana&amp;bulan=2026-10"' in html  # back, filters kept
    refused = client.post("/laporan/ekspor", data={"format": "pdf", "bulan": "2026-10"})
    assert refused.status_code == 422
    assert "terlalu banyak untuk dicetak" in refused.get_data(as_text=True)
    assert ExportJob.select().count() == 0
    _export(client, "xlsx")  # a spreadsheet holds any number
    # One unit's pegawai fit: printed, and the PDF is queued.
    unit = {"unit": str(october["bidang"].id)}
    printed = client.get("/laporan/cetak", query_string={"bulan": "2026-10", **unit})
    assert "REKAPITULASI KINERJA BULANAN" in printed.get_data(as_text=True)
    _export(client, "pdf", **unit)


def test_only_the_one_who_asked_may_see_or_download(client, login_as, october):
    login_as(october["admin_opd"])
    progress = _export(client, "xlsx")
    for who in ("admin", "kabid", "siti"):
        login_as(october[who])
        assert client.get(progress).status_code == 404
        assert client.get(f"{progress}/unduh").status_code == 404
    login_as(october["outsider"])
    assert client.post("/laporan/ekspor", data={"format": "xlsx"}).status_code == 404


def test_an_export_expires_after_the_setting(app, client, login_as, october):
    login_as(october["admin_opd"])
    progress = _export(client, "csv")
    with time_machine.travel(timedelta(hours=25)):
        fresh = login_as(october["admin_opd"], app.test_client())  # the old session timed out
        assert fresh.get(f"{progress}/unduh").status_code == 404
        assert delete_expired() == 1
    assert ExportJob.select().count() == 0


def test_an_atasan_exports_only_their_team(client, login_as, october):
    login_as(october["kabid"])
    progress = _export(client, "csv")
    text = _get(client, f"{progress}/unduh")[1].decode("utf-8-sig")
    names = {row[1] for row in csv.reader(io.StringIO(text))}
    assert names == {"Nama", "Siti Rahmawati", "Dewi Lestari"}


def test_a_bad_format_is_refused(client, login_as, october):
    login_as(october["admin_opd"])
    assert client.post("/laporan/ekspor", data={"format": "exe"}).status_code == 400
