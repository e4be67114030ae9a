"""Dates, times, durations and numbers as Indonesian users write them, through Babel."""

from datetime import date, datetime, time
from functools import lru_cache

from babel.dates import format_date as babel_format_date
from babel.numbers import format_decimal as format_decimal_for
from flask_babel import ngettext

from portal.clock import to_local, tz_abbreviation
from portal.i18n import current_locale

_NAMES: dict[object, str] = {}  # Locale -> its name ("id", "en"): str() of a Locale costs


def _locale() -> str:
    locale = current_locale()
    name = _NAMES.get(locale)
    if name is None:
        name = _NAMES[locale] = str(locale or "id")
    return name


@lru_cache(maxsize=4096)
def _format_date(value: date, fmt: str, locale: str) -> str:
    """Babel's formatting, remembered: list pages show the same few dates on many rows."""
    return babel_format_date(value, fmt, locale=locale)


def tanggal(value: date | datetime | None, fmt: str = "EEEE, d MMMM y") -> str:
    """'Senin, 23 November 2026'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return _format_date(value, fmt, _locale())


def tanggal_pendek(value: date | datetime | None) -> str:
    """'23 Nov 2026'."""
    return tanggal(value, "d MMM y")


def jam(value: time | datetime | None, with_zone: bool = False) -> str:
    """'14.30' (a local time) or '14.30 WIB'; a stored timestamp is converted first."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).time()
    # The pattern "HH.mm" is the same in every locale the portal speaks: no Babel call per cell.
    text = f"{value.hour:02d}.{value.minute:02d}"
    return f"{text} {tz_abbreviation()}" if with_zone else text


def rentang_jam(start: time, end: time) -> str:
    """'08.00–09.30'."""
    return f"{jam(start)}–{jam(end)}"


def waktu(value: datetime | None) -> str:
    """A stored timestamp as 'Senin, 23 November 2026 14.30 WIB'."""
    if value is None:
        return ""
    return f"{tanggal(value)} {jam(value, with_zone=True)}"


def durasi(minutes: int | None) -> str:
    """'2 jam 15 menit', '45 menit', '3 jam'."""
    return _durasi(int(minutes or 0), _locale())


@lru_cache(maxsize=4096)
def _durasi(minutes: int, _locale_name: str) -> str:
    """Remembered per locale: the month and the queue show the same few durations on every row
    (`_locale_name` is the key; ngettext reads the same locale from the request)."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if rest or not hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", rest))
    return " ".join(parts)


def angka(value: float | int | None, fmt: str | None = None) -> str:
    """'6.750' in Indonesian, '6,750' in English."""
    if value is None:
        return ""
    if fmt is None and type(value) is int and -1000 < value < 1000:
        return str(value)  # no grouping below a thousand, in every locale the portal speaks
    return _format_decimal(type(value).__name__, value, fmt, _locale())


@lru_cache(maxsize=8192)
def _format_decimal(_kind: str, value: float | int, fmt: str | None, locale: str) -> str:
    """Babel's formatting, remembered per type, value, pattern and locale: charts and tables
    show the same few numbers on many rows (the type keeps 1, 1.0 and True apart)."""
    return format_decimal_for(value, format=fmt, locale=locale)


FILTERS = {
    "tanggal": tanggal,
    "tanggal_pendek": tanggal_pendek,
    "jam": jam,
    "waktu": waktu,
    "durasi": durasi,
    "angka": angka,
}


def iso(value: object) -> str:
    return value.isoformat() if isinstance(value, date | datetime | time) else ""
