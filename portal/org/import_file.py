"""The pegawai import file: its columns, reading a CSV or XLSX upload into rows of text, and the
downloadable templates. The rules a row must follow are in portal/org/importer.py.
"""

import contextlib
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


# Columns of other exports (BKN's SIASN, SIMPEG): mapped on upload, name parts joined.
NAME_PARTS = ["gelar_depan", "gelar_belakang"]
MAP_FIELDS = COLUMNS + NAME_PARTS
ALIASES = {
    "nip": ["nip", "nip_baru", "nip_18", "nipbaru", "nip_pegawai"],
    "nama": ["nama", "nama_lengkap", "nama_pegawai"],
    "gelar_depan": ["gelar_depan", "glr_depan"],
    "gelar_belakang": ["gelar_belakang", "glr_belakang"],
    "email": ["email", "e-mail", "e_mail", "email_gov", "email_dinas", "email_kantor"],
    "status": ["status", "status_pegawai", "status_kepegawaian"],
    "golongan": ["golongan", "gol", "gol_ruang", "gol_akhir_nama", "golongan_nama"],
    "jenis_jabatan": ["jenis_jabatan"],
    "jabatan": ["jabatan", "jabatan_nama", "nama_jabatan"],
    "unit_kode": ["unit_kode", "kode_unit", "unor_kode", "kode_unor"],
    "unit_nama": ["unit_nama", "unor_nama", "unit_kerja", "nama_unit", "nama_unor"],
    "atasan_nip": ["atasan_nip", "nip_atasan"],
    "peran": ["peran"],
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


def header_key(cell: Any) -> str:
    """A header cell as a key: 'NIP BARU' -> 'nip_baru'."""
    return _header([cell])[0]


def needs_mapping(headers: list[str]) -> bool:
    """True when the file's header is not the portal's own (a SIASN/SIMPEG export)."""
    keys = {header_key(cell) for cell in headers}
    return not all(column in keys for column in REQUIRED)


def suggest_mapping(headers: list[str], remembered: dict[str, str] | None = None) -> dict:
    """{field: header key or ""}: the remembered choice when the file has that column, else
    the first known alias (SIASN/SIMPEG names), else nothing."""
    keys = [header_key(cell) for cell in headers]
    mapping = {}
    for field in MAP_FIELDS:
        choice = (remembered or {}).get(field, "")
        if choice not in keys:
            choice = next((alias for alias in ALIASES[field] if alias in keys), "")
        mapping[field] = choice
    return mapping


def check_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """The mapping cleaned (only fields and the file's columns); ImportFileError when the NIP,
    the name or the unit (code or name) has no column."""
    keys = {header_key(cell) for cell in headers}
    clean = {field: mapping.get(field, "") for field in MAP_FIELDS}
    clean = {field: (key if key in keys else "") for field, key in clean.items()}
    missing = [field for field in ("nip", "nama") if not clean[field]]
    if not clean["unit_kode"] and not clean["unit_nama"]:
        missing.append("unit_kode / unit_nama")
    if missing:
        raise ImportFileError(_("Choose a column for: %(columns)s.", columns=", ".join(missing)))
    return clean


def _open_table(stream, filename):
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(stream)
    if name.endswith(".csv"):
        return _read_csv(stream)
    raise ImportFileError(_("Upload a CSV or XLSX file."))


def read_header(stream: BinaryIO, filename: str | None) -> list[str]:
    """The header cells of the file (the stream is rewound for the full read)."""
    table = _open_table(stream, filename)
    try:
        header = [str(cell or "").strip() for cell in next(table)]
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    except (csv.Error, UnicodeDecodeError) as error:
        raise _unreadable(error) from None
    finally:
        close = getattr(table, "close", None)
        if close:
            close()
    stream.seek(0)
    return header


def _unreadable(error):
    return ImportFileError(
        _(
            "The CSV file cannot be read (%(reason)s). Save it again from the spreadsheet "
            "as 'CSV UTF-8' and upload that file.",
            reason=str(error)[:120],
        )
    )


def read_rows(
    stream: BinaryIO, filename: str | None, mapping: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """[{column: text, "line": n}] from a CSV or XLSX stream (read as it goes, never whole
    into memory); raise ImportFileError for a file that cannot be read, with a message in
    the user's language (never a traceback). `mapping` ({field: header key}, see
    suggest_mapping) reads another export's columns; the name parts are joined."""
    table = _open_table(stream, filename)
    try:
        return _rows(table, mapping)
    except (csv.Error, UnicodeDecodeError) as error:
        raise _unreadable(error) from None


def _rows(table, mapping=None):
    try:
        header = _header(next(table))
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    if mapping is None:
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            raise ImportFileError(
                _("Required columns are missing: %(columns)s.", columns=", ".join(missing))
            )
        mapping = {column: column for column in COLUMNS if column in header}
    index = {field: header.index(key) for field, key in mapping.items() if key and key in header}
    rows = []
    for line, cells in enumerate(table, start=2):
        values = [_text(cell) for cell in cells]
        if not any(values):
            continue
        row: dict[str, Any] = dict.fromkeys(COLUMNS, "")
        for field, position in index.items():
            if field in row and position < len(values):
                row[field] = values[position]
        depan, belakang = (
            values[index[part]] if part in index and index[part] < len(values) else ""
            for part in NAME_PARTS
        )
        if depan or belakang:
            row["nama"] = f"{depan} {row['nama']}".strip() + (f", {belakang}" if belakang else "")
        row["line"] = line
        if "nip" in index:
            raw = cells[index["nip"]] if index["nip"] < len(cells) else None
            # Excel keeps numbers to 15 digits: an 18-digit NIP typed as a number is damaged.
            row["nip_is_number"] = isinstance(raw, float) or (
                isinstance(raw, int) and len(str(raw)) > 15
            )
        rows.append(row)
    return rows


SNIFF_BYTES = 64 * 1024


def _read_csv(stream):
    """A csv reader over the stream, decoded as it is read: UTF-8 (with or without BOM), or
    Windows-1252 when the start of the file is not UTF-8. Binary files are refused."""
    head = stream.read(SNIFF_BYTES)
    if b"\x00" in head:
        raise ImportFileError(
            _("This is not a CSV text file. Save the sheet as 'CSV UTF-8' and upload that file.")
        )
    try:
        head.decode("utf-8-sig")
        encoding, errors = "utf-8-sig", "strict"
    except UnicodeDecodeError as error:
        truncated = error.start >= len(head) - 3 and len(head) == SNIFF_BYTES
        encoding, errors = ("utf-8-sig", "strict") if truncated else ("cp1252", "replace")
    first = head.split(b"\n", 1)[0]
    delimiter = ";" if first.count(b";") > first.count(b",") else ","
    if stream.seekable():
        stream.seek(0)
        raw = stream
    else:
        raw = _Prefixed(head, stream)
    text = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")
    return _closing(csv.reader(text, delimiter=delimiter), text)


def _closing(reader, text):
    """Iterate the reader, then detach the text layer (the caller closes the stream)."""
    try:
        yield from reader
    finally:
        with contextlib.suppress(ValueError):  # already detached
            text.detach()


class _Prefixed(io.RawIOBase):
    """The sniffed head followed by the rest of a stream that cannot seek back."""

    def __init__(self, head, rest):
        self._head, self._rest = head, rest

    def readable(self):
        return True

    def readinto(self, buffer):
        if self._head:
            size = min(len(buffer), len(self._head))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_xlsx(stream):
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
        workbook.close()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError, TypeError, SyntaxError):
        raise ImportFileError(_("The XLSX file cannot be read.")) from None
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
