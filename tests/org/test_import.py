"""Importing pegawai from CSV/XLSX: validate everything first, import nothing until clean,
idempotent by NIP, fast for 10,000 rows."""

import csv
import io

import pytest
from openpyxl import Workbook

from portal.audit.models import AuditLog
from portal.org import import_file, importer
from portal.org.editing import check_employee_data
from portal.org.models import Employee, RoleAssignment, Unit

HEADER = import_file.COLUMNS


def _csv(rows, header=HEADER):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def _xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _run(data, name="pegawai.csv", actor=None):
    rows = import_file.read_rows(io.BytesIO(data), name)
    plan = importer.validate(rows, actor=actor)
    if not plan.errors:
        importer.apply(plan, actor=actor)
    return plan


KEPALA = [
    "197203151998031002",
    "Drs. Bambang Wijaya, M.Si.",
    "bambang.wijaya@sukamaju.go.id",
    "PNS",
    "IV/c",
    "JPT",
    "Kepala Dinas",
    "DISKOMINFO",
    "Dinas Komunikasi dan Informatika",
    "",
    "",
]
KABID = [
    "198001202005011003",
    "Andi Pratama, S.Kom.",
    "andi.pratama@sukamaju.go.id",
    "PNS",
    "IV/a",
    "Administrator",
    "Kepala Bidang Aplikasi",
    "DISKOMINFO",
    "",
    "197203151998031002",
    "admin_opd",
]
STAF = [
    "199004152021212003",
    "Siti Aminah, S.Pd.",
    "",
    "PPPK",
    "",
    "Fungsional Keahlian",
    "Pranata Komputer Ahli Pertama",
    "DISKOMINFO",
    "",
    "198001202005011003",
    "",
]
CLEAN = [KEPALA, KABID, STAF]


def test_a_clean_file_imports_pegawai_units_atasan_and_roles():
    plan = _run(_csv(CLEAN))
    assert plan.errors == []
    assert (plan.created, plan.updated, plan.unchanged) == (3, 0, 0)
    unit = Unit.get(Unit.kode == "DISKOMINFO")
    assert unit.jenis == "Dinas" and unit.path == f"/{unit.id}/"
    staf = Employee.get(Employee.nip == STAF[0])
    assert staf.supervisor.nip == KABID[0] and staf.supervisor.supervisor.nip == KEPALA[0]
    assert staf.status == "PPPK" and staf.golongan is None
    kabid = Employee.get(Employee.nip == KABID[0])
    assert RoleAssignment.get(RoleAssignment.employee == kabid).role == "admin_opd"
    assert AuditLog.select().where(AuditLog.action == "employee.import_create").count() == 3


def test_xlsx_works_the_same_as_csv():
    plan = _run(_xlsx(CLEAN), name="ekspor-simpeg.xlsx")
    assert plan.errors == [] and plan.created == 3


def test_importing_the_same_file_twice_changes_nothing():
    _run(_csv(CLEAN))
    audit_rows = AuditLog.select().count()
    stamps = [e.updated_at for e in Employee.select().order_by(Employee.id)]
    plan = _run(_csv(CLEAN))
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 3)
    assert [e.updated_at for e in Employee.select().order_by(Employee.id)] == stamps
    assert AuditLog.select().where(AuditLog.action != "employee.import").count() == audit_rows - 1


def test_a_changed_row_updates_by_nip_and_is_audited():
    _run(_csv(CLEAN))
    changed = [*STAF]
    changed[6] = "Pranata Komputer Ahli Muda"
    changed[9] = KEPALA[0]
    plan = _run(_csv([KEPALA, KABID, changed]))
    assert (plan.created, plan.updated, plan.unchanged) == (0, 1, 2)
    staf = Employee.get(Employee.nip == STAF[0])
    assert staf.jabatan == "Pranata Komputer Ahli Muda" and staf.supervisor.nip == KEPALA[0]
    row = AuditLog.select().where(AuditLog.action == "employee.import_update").get()
    assert "Ahli Pertama" in row.before and "Ahli Muda" in row.after


def _bad(index, value, base=None):
    row = [*(base or STAF)]
    row[index] = value
    return row


def test_every_bad_row_is_reported_and_nothing_is_imported(make_employee):
    existing = make_employee(email="dipakai@sukamaju.go.id")
    rows = [
        KEPALA,
        KABID,
        _bad(0, "19900415202121200"),  # wrong length
        _bad(0, "199002302021212003"),  # 30 February
        _bad(0, "199004152021213003"),  # sex digit 3 (PPPK)
        _bad(9, "198812122010011999", base=_bad(0, "199107072021211006")),  # unknown atasan
        _bad(0, "199004152021212003"),  # the same NIP as STAF on the next row
        STAF,
        _bad(2, "dipakai@sukamaju.go.id", base=_bad(0, "199105052021211004")),  # e-mail taken
        _bad(7, "TIDAKADA", base=_bad(0, "199106062021211005")),  # unknown unit
        _bad(
            4,
            "V/a",
            base=[
                "198601012010011004",
                "Rahmat Hidayat",
                "",
                "PNS",
                "III/a",
                "Pelaksana",
                "Staf",
                "DISKOMINFO",
                "",
                "",
                "",
            ],
        ),  # golongan
        # a cycle: A -> B -> A
        [
            "198201012006041001",
            "Agus A",
            "",
            "PNS",
            "III/a",
            "Pelaksana",
            "Staf",
            "DISKOMINFO",
            "",
            "198202022006041002",
            "",
        ],
        [
            "198202022006041002",
            "Budi B",
            "",
            "PNS",
            "III/a",
            "Pelaksana",
            "Staf",
            "DISKOMINFO",
            "",
            "198201012006041001",
            "",
        ],
        [
            "198303032006041003",
            "Candra C",
            "",
            "PNS",
            "III/a",
            "Pelaksana",
            "Staf",
            "DISKOMINFO",
            "",
            "198303032006041003",
            "",
        ],  # own atasan
    ]
    plan = _run(_csv(rows))
    messages = {error.line: error.message for error in plan.errors}
    assert messages[4] == "NIP harus 18 digit (sekarang 17)."
    assert messages[5] == "Tanggal lahir pada NIP tidak valid."
    assert "jenis kelamin" in messages[6]
    assert "Atasan" in messages[7] or "atasan" in messages[7]
    assert "dua kali" in messages[9]  # the second of two rows with one NIP
    assert "sudah dipakai" in messages[10]
    assert "TIDAKADA" in messages[11]
    assert "V/a" in messages[12]
    assert "siklus" in messages[13] and "siklus" in messages[14]
    assert "dirinya sendiri" in messages[15]
    assert 8 not in messages  # the first row with that NIP is fine on its own
    assert Employee.select().count() == 1  # only the pre-existing one
    assert not Unit.select().where(Unit.kode == "DISKOMINFO").exists()
    assert existing.email == "dipakai@sukamaju.go.id"


def test_unreadable_or_headerless_files_are_refused_with_a_message():
    with pytest.raises(import_file.ImportFileError, match="CSV atau XLSX"):
        import_file.read_rows(io.BytesIO(b"x"), "pegawai.pdf")
    with pytest.raises(import_file.ImportFileError, match="nip"):
        import_file.read_rows(io.BytesIO(_csv([["x"]], header=["nama"])), "a.csv")
    with pytest.raises(import_file.ImportFileError):
        import_file.read_rows(io.BytesIO(b"PK\x03\x04 not really"), "a.xlsx")


def test_admin_opd_may_import_only_into_their_subtree(make_unit, make_employee):
    dinas = make_unit(kode="DISKOMINFO", nama="Dinas Kominfo")
    other = make_unit(kode="DINKES", nama="Dinas Kesehatan")
    opd = make_employee(unit=dinas, roles=[("admin_opd", dinas)])
    moved = _bad(7, "DINKES")
    plan = _run(_csv([KEPALA, [*moved[:9], "", ""]]), actor=opd)
    assert [error.line for error in plan.errors] == [3]
    assert other.kode == "DINKES"


def _big_rows(count):
    rows = []
    supervisors = []
    for number in range(count):
        year = 1965 + number % 35
        month = 1 + number % 12
        day = 1 + number % 28
        sex = 1 + number % 2
        tmt = year + 22 + number % 7
        nip = f"{year}{month:02d}{day:02d}{tmt}{1 + number % 12:02d}{sex}{number % 1000:03d}"
        atasan = supervisors[number % len(supervisors)] if supervisors and number >= 50 else ""
        if number < 50:
            supervisors.append(nip)
        rows.append(
            [
                nip,
                f"Pegawai Impor {number}",
                f"impor{number}@sukamaju.go.id",
                "PNS",
                "III/a",
                "Pelaksana",
                "Staf",
                f"UNIT{number % 40:02d}",
                f"Dinas Uji {number % 40}",
                atasan,
                "",
            ]
        )
    return rows


@pytest.mark.slow
def test_ten_thousand_rows_import_cleanly_and_again_change_nothing():
    """10,000 rows: all created, and the same file again changes nothing. How long it takes is
    measured in bench/, never asserted in a test (machines are noisy)."""
    rows = _big_rows(10_000)
    assert len({row[0] for row in rows}) == 10_000
    data = _csv(rows)
    plan = _run(data)
    assert plan.errors == [], plan.errors[:3]
    assert plan.created == 10_000
    assert Employee.select().count() == 10_000
    plan = _run(data)
    assert plan.unchanged == 10_000


def test_a_nip_stored_as_an_excel_number_is_reported_not_imported_damaged():
    row = [*STAF]
    row[0] = 199004152021212003  # an int cell: Excel would keep only 15 digits
    damaged = [*KEPALA]
    damaged[0] = 1.97203151998031e17
    plan = _run(_xlsx([damaged, row]), name="simpeg.xlsx")
    assert [error.line for error in plan.errors] == [2, 3]
    assert "sebagai teks" in plan.errors[0].message
    assert Employee.select().count() == 0


JUNK = {
    "binary": bytes(range(256)) * 40,
    "utf16": "nip,nama,unit_kode\n199001012015031001,Andi,DLH\n".encode("utf-16"),
    "huge_field": b'nip,nama,unit_kode\n"' + b"a" * 200_000 + b"\n",
}


@pytest.mark.parametrize("kind", sorted(JUNK))
def test_a_junk_csv_is_refused_with_a_clear_indonesian_message(kind):
    with pytest.raises(import_file.ImportFileError, match="CSV"):
        import_file.read_rows(io.BytesIO(JUNK[kind]), "pegawai.csv")


def test_a_stray_carriage_return_is_read_as_a_line_end_and_the_rows_reported():
    data = b'nip,nama,unit_kode\n1990\r0101,"An"di\r\x85,DLH\n'  # _csv.Error before
    rows = import_file.read_rows(io.BytesIO(data), "pegawai.csv")
    assert importer.validate(rows).errors


def test_a_big_csv_is_read_as_a_stream_not_whole():
    class OnlySmallReads(io.BytesIO):
        def read(self, size=-1):
            assert 0 < size <= 1024 * 1024, "the whole file was read at once"
            return super().read(size)

        def read1(self, size=-1):
            return self.read(size if size and size > 0 else 8192)

    data = _csv(
        [[f"19900101201503{n:04d}", f"Nama {n}", "DLH"] for n in range(2000)],
        header=["nip", "nama", "unit_kode"],
    )
    rows = import_file.read_rows(OnlySmallReads(data), "pegawai.csv")
    assert len(rows) == 2000


def test_a_pppk_row_is_recognised_by_its_nip_and_its_golongan_i_to_xvii_accepted():
    header = ["nip", "nama", "unit_kode", "unit_nama", "golongan"]
    rows = [
        ["200012312024211001", "Rudi Hartono", "DLH", "Dinas Lingkungan Hidup", "IX"],
        ["199004152021212003", "Siti Aminah", "DLH", "", "xvii"],
    ]
    plan = _run(_csv(rows, header=header))
    assert not plan.errors, plan.errors
    rudi = Employee.get(Employee.nip == "200012312024211001")
    assert (rudi.status, rudi.golongan) == ("PPPK", "IX")
    assert Employee.get(Employee.nip == "199004152021212003").golongan == "XVII"
    bad = _run(_csv([["198503122010011001", "Budi", "DLH", "", "IX"]], header=header))
    assert bad.errors  # a PNS has golongan/ruang, not a PPPK golongan


def test_the_admin_form_takes_a_pppk_nip_and_golongan_even_left_on_pns():
    clean = check_employee_data(
        {"nip": "200012312024211001", "status": "PNS", "nama": "Rudi", "golongan": "XVII"}
    )
    assert (clean["status"], clean["golongan"]) == ("PPPK", "XVII")
