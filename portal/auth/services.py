"""Signing in and out. The rules: login by NIP or e-mail; a failed login never says which part
was wrong; ending a session bumps the pegawai's session version, which ends all of them."""

from flask_babel import gettext as _

from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.db import utcnow
from portal.org.models import Employee


class AuthError(Exception):
    """A sign-in that must be refused, with the message to show."""


def find_account(identifier):
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return Employee.get_or_none(Employee.email == identifier.lower())
    return Employee.get_or_none(Employee.nip == identifier.replace(" ", ""))


def authenticate(identifier, password):
    """Return the pegawai whose NIP/e-mail and password match, or raise AuthError."""
    employee = find_account(identifier)
    if (
        employee is None
        or not employee.active
        or not verify_password(employee.password_hash, password or "")
    ):
        raise AuthError(_("NIP/e-mail or password is incorrect."))
    if needs_rehash(employee.password_hash):
        employee.password_hash = hash_password(password)
    employee.last_login_at = utcnow()
    employee.failed_logins = 0
    employee.save()
    return employee


def load_user(user_id):
    """Flask-Login's loader: 'id:version'; a stale version or inactive account is no user."""
    try:
        pk, version = (int(part) for part in str(user_id).split(":", 1))
    except ValueError:
        return None
    employee = Employee.get_or_none(Employee.id == pk)
    if employee is None or not employee.active or employee.session_version != version:
        return None
    return employee


def end_all_sessions(employee):
    """Every existing session of this pegawai stops working at its next request."""
    Employee.update(session_version=Employee.session_version + 1).where(
        Employee.id == employee.id
    ).execute()
    employee.session_version += 1
