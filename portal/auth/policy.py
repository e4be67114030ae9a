"""The password policy (OWASP ASVS 5.0): at least 12 characters, long passphrases allowed, no
composition rules; refused when common (the list in data/common-passwords.txt.gz, also as a
common word padded with digits or symbols) or when it contains the NIP, the name or the pemda.
"""

import gzip
import re
from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from portal.errors import Invalid

MIN_LENGTH = 12
MAX_LENGTH = 128
LIST_PATH = Path(__file__).parent / "data" / "common-passwords.txt.gz"
GENERIC_PEMDA_WORDS = {"pemerintah", "kota", "kabupaten", "provinsi", "daerah", "pemkot", "pemkab"}


class PasswordPolicyError(Invalid):
    """The password is refused; the message says why. (Its own class: a password change puts
    it on the new password's field, create-admin on the command line.)"""


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(LIST_PATH, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def is_common(password: str) -> bool:
    """Common as it is, or a common word with only digits/symbols around it ('bismillah123!')."""
    lowered = password.lower()
    words = common_passwords()
    if lowered in words or lowered.replace(" ", "") in words:
        return True
    stem = re.sub(r"^[\W\d_]+|[\W\d_]+$", "", lowered)
    if stem != lowered and stem in words:
        return True
    return bool(re.fullmatch(r"[\W\d_]+", lowered))  # only digits and symbols


def _name_parts(nama):
    parts = []
    for token in re.split(r"[\s,]+", (nama or "").lower()):
        if "." in token:  # academic titles: S.Kom., Dr., M.Si.
            continue
        token = re.sub(r"[^a-z]", "", token)
        if len(token) >= 4:
            parts.append(token)
    return parts


def _pemda_parts():
    config = current_app.config
    parts = {re.sub(r"[^a-z]", "", config.get("PEMDA_SHORT", "").lower())}
    for token in config.get("PEMDA_NAME", "").lower().split():
        token = re.sub(r"[^a-z]", "", token)
        if len(token) >= 4 and token not in GENERIC_PEMDA_WORDS:
            parts.add(token)
    return {part for part in parts if len(part) >= 4}


def check_password(password: str | None, nip: str | None = None, nama: str | None = None) -> str:
    """Raise PasswordPolicyError when `password` breaks the policy; return it otherwise."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        raise PasswordPolicyError(
            _("The password must be at least %(num)d characters long.", num=MIN_LENGTH)
        )
    if len(password) > MAX_LENGTH:
        raise PasswordPolicyError(
            _("The password may be at most %(num)d characters long.", num=MAX_LENGTH)
        )
    lowered = re.sub(r"\s+", "", password.lower())
    if nip and len(nip) >= 6 and (nip in password or nip[:8] in password):
        raise PasswordPolicyError(_("The password may not contain your NIP."))
    if any(part in lowered for part in _name_parts(nama)):
        raise PasswordPolicyError(_("The password may not contain your name."))
    if any(part in lowered for part in _pemda_parts()):
        raise PasswordPolicyError(_("The password may not contain the name of the pemda."))
    if is_common(password):
        raise PasswordPolicyError(
            _("This password is too common and easy to guess. Choose another one.")
        )
    return password
