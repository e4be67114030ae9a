"""Registrants as XLSX or CSV. Cells that a spreadsheet would run as a formula (= + - @, tab,
carriage return, also after leading spaces or line breaks) are prefixed with an apostrophe
(CSV/formula injection): `safe_cell`, used by every export."""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook

from portal.dialogs.models import Registration

HEADERS = ["No", "Nama", "Organisasi", "Kontak", "Kode", "Status", "Terdaftar (UTC)"]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
STATUS = {"terdaftar": "Terdaftar", "dibatalkan": "Dibatalkan"}


def safe_cell(value: Any) -> Any:
    """A cell a spreadsheet will not run: text that starts, itself or after leading spaces and
    line breaks, with = + - @ tab or carriage return gets an apostrophe in front. The one helper
    every export (CSV or XLSX) passes its cells through."""
    if isinstance(value, str) and (
        value.startswith(DANGEROUS) or value.lstrip().startswith(DANGEROUS)
    ):
        return "'" + value
    return value


def rows(registrations: Iterable[Registration]) -> Iterator[list[Any]]:
    for number, registration in enumerate(registrations, start=1):
        yield [
            number,
            registration.nama,
            registration.organisasi,
            registration.kontak,
            registration.code,
            STATUS.get(registration.status, registration.status),
            registration.created_at.strftime("%Y-%m-%d %H:%M"),
        ]


def to_csv(registrations: Iterable[Registration]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows(registrations):
        writer.writerow([safe_cell(value) for value in row])
    return "\ufeff" + buffer.getvalue()  # BOM: Excel opens UTF-8 correctly


def to_xlsx(registrations: Iterable[Registration], title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Pendaftar"
    sheet.append([safe_cell(title[:200])])
    sheet.append(HEADERS)
    for row in rows(registrations):
        sheet.append([safe_cell(value) for value in row])
    for column, width in zip("ABCDEFG", (5, 30, 30, 25, 14, 12, 18), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
