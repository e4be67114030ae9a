"""Signing in and out, and the account's password. The rules:

- login by NIP or e-mail; a failed login never says which part was wrong;
- 10 consecutive failures lock the account for 15 minutes; while locked every attempt gets the
  same message, whether or not the password was right;
- a per-IP limit of RATE_LIMIT_LOGIN_PER_IP failed logins per 15 minutes (successes do not
  count), so a city hall behind one NAT is never blocked;
- logout, password change, deactivation and an admin's "end sessions" bump the session version,
  which ends every session of that account;
- after an admin reset the first login forces a password change.
"""

import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _

from portal import clock
from portal.audit.services import record
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.policy import PasswordPolicyError, check_password
from portal.db import utcnow, write_transaction
from portal.errors import DomainError, Invalid
from portal.org.models import Employee
from portal.org.services import can_manage_employee
from portal.web import ratelimit
from portal.web.models import RateCounter

MAX_FAILURES = 10
LOCK_MINUTES = 15
IP_WINDOW_SECONDS = 15 * 60


class RateLimited(DomainError):
    """Too many failed sign-ins from one address (429; the login page logs it apart)."""

    status = 429


def find_account(identifier: str | None) -> Employee | None:
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    if "@" in identifier:
        return Employee.get_or_none(Employee.email == identifier.lower())
    return Employee.get_or_none(Employee.nip == identifier.replace(" ", ""))


_DUMMY: dict[str, str] = {}


def _burn_time(password):
    """Verify against a dummy hash, so an unknown account takes as long as a known one."""
    key = current_app.config["PASSWORD_HASH_MEMORY_KIB"]
    if key not in _DUMMY:
        _DUMMY[key] = hash_password("dummy-password-for-timing")
    verify_password(_DUMMY[key], password)


def _wrong():
    return Invalid(_("NIP/e-mail or password is incorrect."))


def _locked():
    return Invalid(
        _(
            "This account is locked for %(minutes)d minutes after too many failed attempts. "
            "Please try again later or contact your Admin OPD.",
            minutes=LOCK_MINUTES,
        )
    )


def _ip_key(ip):
    return f"login-ip:{ip or '-'}"


def check_ip_limit(ip: str | None) -> None:
    """Raise RateLimited when `ip` had too many failed logins in the current window.

    Only failures count: a whole city hall behind one NAT signing in at 07.30 is never
    blocked, while guessing from one address stops after RATE_LIMIT_LOGIN_PER_IP failures."""
    now = int(clock.epoch_seconds())
    window = now - now % IP_WINDOW_SECONDS
    failures = (
        RateCounter.select(RateCounter.count)
        .where(RateCounter.key == _ip_key(ip)[:190], RateCounter.window == window)
        .scalar()
    )
    if (failures or 0) >= current_app.config["RATE_LIMIT_LOGIN_PER_IP"]:
        raise RateLimited(_("Too many sign-in attempts from your network. Please wait a moment."))


def _count_ip_failure(ip):
    ratelimit.hit(_ip_key(ip), current_app.config["RATE_LIMIT_LOGIN_PER_IP"], IP_WINDOW_SECONDS)


def authenticate(identifier: str | None, password: str | None, ip: str | None = None) -> Employee:
    """Return the pegawai whose NIP/e-mail and password match, or raise Invalid (RateLimited
    first when the address had too many failures)."""
    check_ip_limit(ip)
    password = password or ""
    employee = find_account(identifier)
    if employee is None or not employee.active:
        _burn_time(password)
        _count_ip_failure(ip)
        raise _wrong()
    now = utcnow()
    if employee.locked_until and employee.locked_until > now:
        _count_ip_failure(ip)
        raise _locked()  # the password is not even checked: same answer either way
    if not verify_password(employee.password_hash, password):
        _count_ip_failure(ip)
        with write_transaction():
            Employee.update(failed_logins=Employee.failed_logins + 1).where(
                Employee.id == employee.id
            ).execute()
            failures = (
                Employee.select(Employee.failed_logins).where(Employee.id == employee.id).scalar()
            )
            locked = failures >= MAX_FAILURES
            if locked:
                Employee.update(
                    failed_logins=0, locked_until=now + timedelta(minutes=LOCK_MINUTES)
                ).where(Employee.id == employee.id).execute()
                record(None, "auth.locked", employee, note=f"{failures} failures")
        raise _locked() if locked else _wrong()
    updates = {"last_login_at": now, "failed_logins": 0, "locked_until": None}
    if needs_rehash(employee.password_hash):
        updates["password_hash"] = hash_password(password)
    Employee.update(**updates).where(Employee.id == employee.id).execute()
    for key, value in updates.items():
        setattr(employee, key, value)
    return employee


def load_user(user_id: str) -> Employee | None:
    """Flask-Login's loader: 'id:version'; a stale version or inactive account is no user."""
    try:
        pk, version = (int(part) for part in str(user_id).split(":", 1))
    except ValueError:
        return None
    employee = Employee.get_or_none(Employee.id == pk)
    if employee is None or not employee.active or employee.session_version != version:
        return None
    return employee


def end_all_sessions(employee: Employee) -> None:
    """Every existing session of this pegawai stops working at its next request."""
    Employee.update(session_version=Employee.session_version + 1).where(
        Employee.id == employee.id
    ).execute()
    employee.session_version += 1


def end_sessions_by_admin(actor: Employee, employee: Employee) -> None:
    """Admin (or admin OPD of the pegawai's unit) ends every session of `employee`."""
    if not can_manage_employee(actor, employee):
        raise Invalid(_("You may not change this pegawai."))
    with write_transaction():
        end_all_sessions(employee)
        record(actor, "auth.end_sessions", employee)


def change_password(
    employee: Employee, current: str | None, new: str | None, confirm: str | None
) -> Employee:
    """The pegawai changes their own password (current one required); other sessions end."""
    if not verify_password(employee.password_hash, current or ""):
        raise Invalid(_("The current password is incorrect."), field="new")
    if new != confirm:
        raise Invalid(_("The two new passwords are not the same."), field="new")
    if current == new:
        raise Invalid(_("The new password must differ from the current one."), field="new")
    try:
        new = check_password(new, nip=employee.nip, nama=employee.nama)
    except PasswordPolicyError as error:
        raise Invalid(str(error), field="new") from None
    with write_transaction():
        employee.password_hash = hash_password(new)
        employee.must_change_password = False
        employee.session_version += 1
        employee.save()
        record(employee, "auth.password_change", employee)
    return employee


def temporary_password() -> str:
    """A random temporary password (4 groups of 4), easy to read aloud, never in a list."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def reset_password(actor: Employee, employee: Employee) -> str:
    """Admin resets a password: a temporary one is returned once; the next login must change
    it; every session of the pegawai ends and a lockout is lifted."""
    if not can_manage_employee(actor, employee):
        raise Invalid(_("You may not change this pegawai."))
    password = temporary_password()
    with write_transaction():
        employee.password_hash = hash_password(password)
        employee.must_change_password = True
        employee.failed_logins = 0
        employee.locked_until = None
        employee.session_version += 1
        employee.save()
        record(actor, "auth.password_reset", employee)
    return password


def set_language(employee: Employee, language: str) -> Employee:
    """The pegawai's language preference (id or en)."""
    if language not in current_app.config["LANGUAGES"]:
        raise Invalid(_("Unknown language."), field="language")
    with write_transaction():
        before = employee.language
        employee.language = language
        employee.save()
        record(
            employee,
            "auth.language",
            employee,
            before={"language": before},
            after={"language": language},
        )
    return employee
