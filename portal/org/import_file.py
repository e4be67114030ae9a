"""The pegawai import file: its columns, reading a CSV or XLSX upload into rows of text, and the
downloadable templates. The rules a row must follow are in portal/org/importer.py.
"""

import csv
import io
import zipfile
from typing import Any, BinaryIO

from flask_babel import gettext as _
from openpyxl import Workbook, load_workbook

from portal.errors import Invalid
from portal.org.models import JENIS_JABATAN

COLUMNS = [
    "nip",
    "nama",
    "email",
    "status",
    "golongan",
    "jenis_jabatan",
    "jabatan",
    "unit_kode",
    "unit_nama",
    "atasan_nip",
    "peran",
]
REQUIRED = ["nip", "nama", "unit_kode"]
COLUMN_HELP = {
    "nip": "18 digit, tanpa spasi (wajib)",
    "nama": "Nama lengkap dengan gelar (wajib)",
    "email": "E-mail dinas (boleh kosong, unik)",
    "status": "CPNS, PNS atau PPPK (kosong = PNS)",
    "golongan": "I/a .. IV/e (kosong untuk PPPK)",
    "jenis_jabatan": ", ".join(JENIS_JABATAN),
    "jabatan": "Nama jabatan",
    "unit_kode": "Kode unit kerja (wajib); unit baru dibuat bila unit_nama diisi",
    "unit_nama": "Nama unit kerja (untuk unit baru)",
    "atasan_nip": "NIP atasan langsung (ada di berkas atau sudah terdaftar)",
    "peran": "Kosong, admin_opd dan/atau penyelenggara (pisahkan dengan koma)",
}


class ImportFileError(Invalid):
    """The file cannot be read at all (type, header). (Its own class: the import page shows it
    beside the file field, the command line as its error.)"""


# --- reading ------------------------------------------------------------------------------------


def _header(cells):
    return [str(cell or "").strip().lower().replace(" ", "_") for cell in cells]


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(stream: BinaryIO, filename: str | None) -> list[dict[str, Any]]:
    """[{column: text, "line": n}] from a CSV or XLSX stream; raise ImportFileError."""
    name = (filename or "").lower()
    data = stream.read()
    if name.endswith(".xlsx"):
        table = _read_xlsx(data)
    elif name.endswith(".csv"):
        table = _read_csv(data)
    else:
        raise ImportFileError(_("Upload a CSV or XLSX file."))
    try:
        header = _header(next(table))
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise ImportFileError(
            _("Required columns are missing: %(columns)s.", columns=", ".join(missing))
        )
    rows = []
    for line, cells in enumerate(table, start=2):
        values = [_text(cell) for cell in cells]
        if not any(values):
            continue
        row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
        for column, value in zip(header, values, strict=False):
            if column in row:
                row[column] = value
        row["line"] = line
        if "nip" in header:
            raw = cells[header.index("nip")] if header.index("nip") < len(cells) else None
            # Excel keeps numbers to 15 digits: an 18-digit NIP typed as a number is damaged.
            row["nip_is_number"] = isinstance(raw, float) or (
                isinstance(raw, int) and len(str(raw)) > 15
            )
        rows.append(row)
    return rows


def _read_csv(data):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return iter(csv.reader(io.StringIO(text), delimiter=delimiter))


def _read_xlsx(data):
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise ImportFileError(_("The XLSX file cannot be read.")) from None
    sheet = workbook.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    workbook.close()
    return iter(rows)


def template_csv() -> str:
    """The downloadable template: header, one example row per kind, column notes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerow(
        [
            "198503122010011001",
            "Budi Santoso, S.Kom.",
            "budi.santoso@sukamaju.go.id",
            "PNS",
            "III/c",
            "Pengawas",
            "Kepala Seksi Data",
            "DISKOMINFO",
            "Dinas Komunikasi dan Informatika",
            "",
            "admin_opd",
        ]
    )
    writer.writerow(
        [
            "199004152021212003",
            "Siti Aminah, S.Pd.",
            "",
            "PPPK",
            "",
            "Fungsional Keahlian",
            "Guru Ahli Pertama",
            "DISKOMINFO",
            "",
            "198503122010011001",
            "",
        ]
    )
    return "\ufeff" + buffer.getvalue()


def template_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "pegawai"
    for row in csv.reader(io.StringIO(template_csv().lstrip("\ufeff"))):
        sheet.append(row)
    notes = workbook.create_sheet("petunjuk")
    notes.append(["kolom", "keterangan"])
    for column in COLUMNS:
        notes.append([column, COLUMN_HELP[column]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
