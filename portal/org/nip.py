"""NIP (Nomor Induk Pegawai) validation, exactly per the national pattern.

PNS:  birth date yyyymmdd (8) + TMT CPNS yyyymm (6) + sex (1 male, 2 female) + serial (3).
PPPK: birth date yyyymmdd (8) + TMT year yyyy (4) + '2' + one digit + sex + serial (3).
Both are 18 digits. Every date must be a real date.
"""

from datetime import date

from flask_babel import gettext as _

from portal.errors import Invalid


class NipError(Invalid):
    """The NIP is not valid; the message says why, in the user's language. (Its own class:
    the importer turns it into a row error, `nip_error()` into a message.)"""


def _real_date(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        return None


def is_pppk_nip(nip: str | None) -> bool:
    """True for the PPPK form: digit 13 is 2, impossible as the first digit of a PNS TMT
    month (01..12), so it needs no status column to be recognised."""
    nip = (nip or "").replace(" ", "").strip()
    return len(nip) == 18 and nip.isdigit() and nip[12] == "2"


def validate_nip(nip: str | None, status: str = "PNS") -> str:
    """Return the cleaned NIP (spaces removed) or raise NipError with the first failure. A
    NIP of the PPPK form is checked as PPPK whatever `status` says."""
    nip = (nip or "").replace(" ", "").strip()
    if is_pppk_nip(nip):
        status = "PPPK"
    if not nip:
        raise NipError(_("NIP is required."))
    if not nip.isdigit() or not nip.isascii():
        raise NipError(_("NIP may contain digits only."))
    if len(nip) != 18:
        raise NipError(_("NIP must be 18 digits (now %(count)d).", count=len(nip)))
    year, month, day = int(nip[0:4]), int(nip[4:6]), int(nip[6:8])
    birth = _real_date(year, month, day)
    if birth is None or not 1940 <= year <= 2012:
        raise NipError(_("The birth date in the NIP is not valid."))
    if status == "PPPK":
        tmt_year = int(nip[8:12])
        if not 2019 <= tmt_year <= 2100 or tmt_year < year + 17:
            raise NipError(_("The appointment year (TMT) in the NIP is not valid."))
        if nip[12] != "2":
            raise NipError(_("Digit 13 of a PPPK NIP must be 2."))
        sex = nip[14]
    else:
        tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
        if not 1 <= tmt_month <= 12 or not 1960 <= tmt_year <= 2100 or tmt_year < year + 17:
            raise NipError(_("The CPNS appointment date (TMT) in the NIP is not valid."))
        sex = nip[14]
    if sex not in ("1", "2"):
        raise NipError(_("The sex digit in the NIP must be 1 (male) or 2 (female)."))
    return nip


def nip_error(nip: str | None, status: str = "PNS") -> str | None:
    """The error message for `nip`, or None when it is valid."""
    try:
        validate_nip(nip, status)
    except NipError as error:
        return str(error)
    return None
