"""The kehadiran import: a clean file is imported whole; a file with bad rows is refused whole
with every bad row reported; the TPP kehadiran component follows it."""

import io

from openpyxl import Workbook

from portal.reports import closing
from portal.reports.models import Attendance, ExportJob
from portal.reports.recap import Filters, Month, month_recap
from portal.reports.scope import scope_for


def _csv(lines):
    return io.BytesIO(("nip,tahun,bulan,kehadiran\n" + "\n".join(lines) + "\n").encode())


def test_a_clean_file_is_imported_and_feeds_the_tpp(client, login_as, october):
    login_as(october["admin_opd"])
    siti, dewi = october["siti"], october["dewi"]
    data = {"berkas": (_csv([f'{siti.nip},2026,10,"97,5"', f"{dewi.nip},2026,10,100"]), "k.csv")}
    response = client.post(
        "/laporan/kehadiran", data=data, content_type="multipart/form-data", follow_redirects=True
    )
    assert response.status_code == 200
    assert "2 baris diimpor" in response.get_data(as_text=True)
    assert Attendance.get(Attendance.employee == siti.id).basis_points == 9750
    recap = month_recap(scope_for(october["admin"]), Month(2026, 10), Filters())
    row = next(r for r in recap.rows if r.employee.id == siti.id)
    assert row.tpp_kehadiran == 29.25  # 97.5% x 30%


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_row(client, login_as, october):
    login_as(october["admin_opd"])
    siti = october["siti"]
    lines = [
        f"{siti.nip},2026,10,95",  # good
        "199001012015011999,2026,10,90",  # unknown NIP
        f"{october['budi'].nip},2026,10,90",  # another OPD's pegawai
        f"{siti.nip},2026,13,90",  # no such month
        f"{siti.nip},2026,9,101",  # above 100
        f"{siti.nip},2027,1,90",  # the future
        f"{siti.nip},2026,10,96",  # twice
    ]
    response = client.post(
        "/laporan/kehadiran",
        data={"berkas": (_csv(lines), "k.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "6 baris bermasalah; tidak ada yang diimpor." in html
    for line in range(3, 9):
        assert f"<td>{line}</td>" in html
    assert Attendance.select().count() == 0


def test_an_xlsx_file_works_and_a_closed_month_refuses_changes(client, login_as, october):
    closing.close_month(october["admin_opd"], october["bidang"], Month(2026, 10))
    login_as(october["admin_opd"])
    book = Workbook()
    sheet = book.active
    sheet.append(["nip", "tahun", "bulan", "kehadiran"])
    sheet.append([october["siti"].nip, 2026, 10, 90])
    sheet.append([october["siti"].nip, 2026, 9, 88.25])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    response = client.post(
        "/laporan/kehadiran",
        data={"berkas": (buffer, "k.xlsx")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 422
    assert "sudah ditutup" in response.get_data(as_text=True)
    assert Attendance.select().count() == 0


def test_an_unreadable_file_or_missing_columns_get_a_clear_message(client, login_as, october):
    login_as(october["admin_opd"])
    response = client.post(
        "/laporan/kehadiran",
        data={"berkas": (io.BytesIO(b"nip,bulan\n1,2\n"), "k.csv")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert response.status_code == 422
    assert "Kolom wajib tidak ada: tahun, kehadiran." in response.get_data(as_text=True)
    response = client.post(
        "/laporan/kehadiran",
        data={"berkas": (io.BytesIO(b"x"), "k.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Unggah berkas CSV atau XLSX." in response.get_data(as_text=True)


def test_only_admins_reach_the_import(client, login_as, october):
    for who in ("kabid", "siti", "outsider"):
        login_as(october[who])
        assert client.get("/laporan/kehadiran").status_code == 404
    login_as(october["admin"])
    assert client.get("/laporan/kehadiran").status_code == 200


def test_the_import_runs_as_a_job_whose_page_only_its_owner_sees(client, login_as, october):
    login_as(october["admin_opd"])
    siti = october["siti"]
    response = client.post(
        "/laporan/kehadiran",
        data={"berkas": (_csv([f"{siti.nip},2026,10,99"]), "k.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303
    result = response.headers["Location"]
    job = ExportJob.get()
    assert job.kind == "kehadiran" and job.status == "selesai" and job.total == 1
    fragment = client.get(result, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="import-result"')
    assert "1 baris diimpor" in fragment
    assert client.get(f"/laporan/ekspor/{job.token}/unduh").status_code == 404
    login_as(october["admin"])
    assert client.get(result).status_code == 404
