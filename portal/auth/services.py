"""Signing in and out, and the account's password. The rules:

- login by NIP or e-mail; a failed login never says which part was wrong;
- the password is always hashed (real or dummy hash), so every answer takes the same time;
- 10 failures in 15 minutes from one source lock that (account, source) pair for 15 minutes,
  doubling for each further lock within a day: a stranger cannot lock a colleague out of
  their own device, and a locked unknown identifier answers exactly like a locked account;
- a per-IP count of failed logins (RATE_LIMIT_LOGIN_PER_IP per 15 minutes): a source over
  it locks each pair after 3 failures; a correct password is never refused for it, so a
  city hall behind one NAT is never blocked by other people's failures;
- the owner is told at their next sign-in how many failed attempts there were;
- logout, password change, deactivation and an admin's "end sessions" bump the session version,
  which ends every session of that account;
- after an admin reset the first login forces a password change.
"""

import hashlib
import logging
import secrets
import smtplib
from collections.abc import Callable
from functools import partial
from typing import Any

import peewee as pw
from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadData, URLSafeTimedSerializer
from peewee import fn

from portal import clock, settings
from portal.audit.services import record
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.auth.policy import PasswordPolicyError, check_password
from portal.clock import local_today
from portal.db import db, kept_sql, locked, utcnow, write_transaction
from portal.errors import DomainError, Invalid, NotFound
from portal.notifications import mail
from portal.notifications.services import notify
from portal.org.models import Employee, Unit
from portal.org.services import can_manage_employee
from portal.web import nav, ratelimit
from portal.web.models import RateCounter
from portal.web.paths import path_for

MAX_FAILURES = 10  # failures of one (account, source) pair in a window before it is locked
LOCK_MINUTES = 15  # the first lock of a pair; each further lock within a day doubles it
MAX_LOCK_MINUTES = 24 * 60
SUSPECT_FAILURES = 3  # the per-pair threshold once the source is over its per-address limit
NOTIFY_AFTER = 3  # failures since the last sign-in that the owner is told about
IP_WINDOW_SECONDS = 15 * 60
LOCK_HISTORY_SECONDS = 24 * 3600


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


def _locked(minutes):
    return Invalid(
        _(
            "This account is locked for %(minutes)d minutes after too many failed attempts. "
            "Please try again later or contact your Admin OPD.",
            minutes=minutes,
        )
    )


def _ip_key(ip):
    return f"login-ip:{ip or '-'}"


def _subject(employee, identifier):
    """What a lock is about: the account (its NIP and e-mail alike), or for an unknown
    identifier the identifier itself, so both lock alike and neither gives itself away."""
    if employee is not None:
        return f"a{employee.id}"
    return "i" + hashlib.sha256((identifier or "").strip().lower().encode()).hexdigest()[:24]


def _pair(employee, identifier, ip):
    return f"{_subject(employee, identifier)}:{ip or '-'}"


def _window(now, seconds=IP_WINDOW_SECONDS):
    return now - now % seconds


def _count(key, window):
    value = (
        RateCounter.select(RateCounter.count)
        .where(RateCounter.key == key[:190], RateCounter.window == window)
        .scalar()
    )
    return value or 0


def ip_over_limit(ip: str | None) -> bool:
    """True when `ip` had RATE_LIMIT_LOGIN_PER_IP failed logins in the current window (only
    failures count: a whole city hall behind one NAT signing in at 07.30 is never over it)."""
    now = int(clock.epoch_seconds())
    failures = _count(_ip_key(ip), _window(now))
    return failures >= current_app.config["RATE_LIMIT_LOGIN_PER_IP"]


def _lock_remaining(pair, now):
    """Seconds left of the pair's lock (0 when not locked). A lock is a RateCounter row
    `login-lock:<pair>` whose window is the moment the lock ends."""
    until = (
        RateCounter.select(fn.MAX(RateCounter.window))
        .where(RateCounter.key == f"login-lock:{pair}"[:190])
        .scalar()
    )
    return max(0, (until or 0) - now)


def _lock(pair, now):
    """Lock the pair: 15 minutes, doubled for each earlier lock within a day (at most a day).
    Returns the minutes."""
    key = f"login-lock:{pair}"[:190]
    earlier = (
        RateCounter.select()
        .where(RateCounter.key == key, RateCounter.window > now - LOCK_HISTORY_SECONDS)
        .count()
    )
    minutes = min(LOCK_MINUTES * 2**earlier, MAX_LOCK_MINUTES)
    RateCounter.insert(
        key=key, window=now + minutes * 60, count=earlier + 1
    ).on_conflict_ignore().execute()
    return minutes


def _fail(employee, identifier, ip, now, suspect):
    """Count a failure for the address and the (account, source) pair; lock the pair at its
    threshold (lower once the address is over its limit). Returns the lock's minutes or 0."""
    ratelimit.hit(_ip_key(ip), current_app.config["RATE_LIMIT_LOGIN_PER_IP"], IP_WINDOW_SECONDS)
    pair = _pair(employee, identifier, ip)
    key = f"login-fail:{pair}"
    ratelimit.hit(key, MAX_FAILURES, IP_WINDOW_SECONDS, now=now)
    failures = _count(key, _window(now))
    threshold = SUSPECT_FAILURES if suspect else MAX_FAILURES
    minutes = 0
    with write_transaction():
        if failures >= threshold:
            RateCounter.delete().where(RateCounter.key == key[:190]).execute()
            minutes = _lock(pair, now)
        if employee is not None:
            Employee.update(failed_logins=Employee.failed_logins + 1).where(
                Employee.id == employee.id
            ).execute()
            if minutes:
                record(None, "auth.locked", employee, note=f"{failures} failures from {ip}")
    return minutes


def authenticate(identifier: str | None, password: str | None, ip: str | None = None) -> Employee:
    """Return the pegawai whose NIP/e-mail and password match, or raise Invalid.

    The password is always checked first (a real or a dummy hash, so every answer takes the
    same time); a lock concerns one (account, source) pair only, and the answer of a locked
    pair is the same for a known and an unknown identifier. A source over the per-address
    limit is never refused a correct password: its wrong guesses get RateLimited and lock
    each pair sooner."""
    password = password or ""
    employee = find_account(identifier)
    if employee is not None and employee.active:
        right = verify_password(employee.password_hash, password)
    else:
        _burn_time(password)
        employee, right = None, False
    now = int(clock.epoch_seconds())
    pair = _pair(employee, identifier, ip)
    remaining = _lock_remaining(pair, now)
    if remaining:
        raise _locked(max(1, -(-remaining // 60)))
    if not right:
        suspect = ip_over_limit(ip)
        minutes = _fail(employee, identifier, ip, now, suspect)
        if minutes:
            raise _locked(minutes)
        if suspect:
            raise RateLimited(
                _("Too many sign-in attempts from your network. Please wait a moment.")
            )
        raise _wrong()
    assert employee is not None
    failures = employee.failed_logins
    updates = {"last_login_at": utcnow(), "failed_logins": 0, "locked_until": None}
    if needs_rehash(employee.password_hash):
        updates["password_hash"] = hash_password(password)
    with write_transaction():
        Employee.update(**updates).where(Employee.id == employee.id).execute()
        RateCounter.delete().where(RateCounter.key == f"login-fail:{pair}"[:190]).execute()
        if failures >= NOTIFY_AFTER:
            notify(
                employee,
                "auth_failed_logins",
                _(
                    "Someone failed to sign in to your account %(num)d times since your last "
                    "sign-in. If it was not you, change your password.",
                    num=failures,
                ),
                path_for("auth.change_password"),
            )
    for key, value in updates.items():
        setattr(employee, key, value)
    return employee


def lift_locks(employee: Employee) -> None:
    """End every sign-in lock of this account, from every source (after a password reset)."""
    RateCounter.delete().where(
        RateCounter.key.startswith(f"login-lock:a{employee.id}:")
        | RateCounter.key.startswith(f"login-fail:a{employee.id}:")
    ).execute()


def load_user(user_id: str) -> Employee | None:
    """Flask-Login's loader: 'id:version'; a stale version or inactive account is no user."""
    try:
        pk, version = (int(part) for part in str(user_id).split(":", 1))
    except ValueError:
        return None
    return _load(pk, version, with_facts=nav.ride_with_user())


def _user_query(pk: int, *extra: Any) -> Any:
    return (
        Employee.select(Employee, Unit, *extra)
        .join(Unit, on=(Employee.unit == Unit.id))
        .where(Employee.id == pk)
        .limit(1)
    )


def _is_current(employee: Employee | None, version: int) -> bool:
    return employee is not None and employee.active and employee.session_version == version


_SETTINGS_COLUMN = "settings_snapshot"
_SHAPES: dict[tuple[str, ...], Any] = {}  # fact names -> a query of that row's shape


def _load(pk: int, version: int, with_facts: bool) -> Employee | None:
    """The user, with their unit, and in the same statement what most requests read next
    (one round trip instead of two or three): the settings table, and on a full page the
    navigation facts (a POST reads those after its change). The statement is compiled once
    per user (and day, with the facts)."""
    day = local_today() if with_facts else None

    def build() -> tuple[str, tuple[Any, ...], tuple[str, ...]]:
        # the facts need only the id
        asked, names = nav.columns(Employee(id=pk), day) if day else ([], ())
        query = _user_query(pk, *asked, settings.snapshot_column().alias(_SETTINGS_COLUMN))
        sql, params = query.sql()
        return sql, tuple(params), names

    sql, params, names = kept_sql(("load_user", pk, day), build)
    shape = _SHAPES.get(names)
    if shape is None:  # peewee turns the row into the user and unit by the query's columns
        stand_ins = [pw.Value(0).alias(nav.COLUMN_PREFIX + name) for name in names]
        shape = _user_query(pk, *stand_ins, pw.Value("").alias(_SETTINGS_COLUMN))
        _SHAPES[names] = shape
    rows = shape._get_cursor_wrapper(db.execute_sql(sql, params))
    employee = next(iter(rows), None)
    if not _is_current(employee, version):
        return None
    assert employee is not None
    if day:
        answers = {name: getattr(employee, nav.COLUMN_PREFIX + name) for name in names}
        nav.settle(employee, answers, day)
    settings.preload(getattr(employee, _SETTINGS_COLUMN))
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
    return _give_temporary_password(actor, employee, "auth.password_reset")


def _give_temporary_password(actor: Employee, employee: Employee, action: str) -> str:
    """A temporary password (returned once) that must be changed at the next sign-in; every
    session of the pegawai ends and their sign-in locks are lifted; audited as `action`."""
    password = temporary_password()
    with write_transaction():
        employee.password_hash = hash_password(password)
        employee.must_change_password = True
        employee.failed_logins = 0
        employee.locked_until = None
        employee.session_version += 1
        employee.save()
        lift_locks(employee)
        record(actor, action, employee)
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


# --- forgotten password ---------------------------------------------------------------------

RESET_MAX_AGE = 30 * 60
RESET_PER_IP = 10  # requests per address in 15 minutes
RESET_PER_ACCOUNT = 3  # links mailed per account in an hour
log = logging.getLogger("portal.auth")


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="portal.password-reset")


def _fingerprint(employee):
    """Changes with every password change and session end: a used link is dead."""
    text = f"{employee.session_version}:{employee.password_hash}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def reset_token(employee: Employee) -> str:
    return _serializer().dumps({"id": employee.id, "v": _fingerprint(employee)})


def account_for_token(token: str) -> Employee:
    """The pegawai of a reset link; Invalid when the link is forged, older than 30 minutes,
    already used or its account inactive."""
    try:
        data = _serializer().loads(token, max_age=RESET_MAX_AGE)
    except BadData:
        raise _link_refused() from None
    employee = Employee.get_or_none(Employee.id == data.get("id"))
    if employee is None or not employee.active or data.get("v") != _fingerprint(employee):
        raise _link_refused()
    return employee


def _link_refused():
    return Invalid(
        _("This link is invalid, already used or older than 30 minutes. Ask for a new one.")
    )


def mail_enabled() -> bool:
    return mail.enabled()


def request_reset(identifier: str | None, ip: str | None, link_for) -> Callable[[], None]:
    """Ask for a reset link. Only the per-address limit is checked now (the one visible part:
    RateLimited); the rest, finding the account, its own limit, the audit row and the mail, is
    returned as the work the caller runs after its answer has been sent, so the answer is the
    same, and takes the same time, whether or not the account exists."""
    if not ratelimit.hit(f"pw-reset-ip:{ip or '-'}", RESET_PER_IP, IP_WINDOW_SECONDS):
        raise RateLimited(_("Too many requests from your network. Please wait a moment."))
    return partial(send_reset_link, identifier, ip, link_for)


def send_reset_link(identifier: str | None, ip: str | None, link_for) -> None:
    """Mail a reset link to the account's registered e-mail (when SMTP is set, the account is
    active and has one, and fewer than three went out this hour); otherwise do nothing."""
    employee = find_account(identifier)
    if employee is None or not employee.active or not employee.email or not mail.enabled():
        return
    if not ratelimit.hit(f"pw-reset-account:{employee.id}", RESET_PER_ACCOUNT, 3600):
        return
    with write_transaction():
        record(None, "auth.reset_requested", employee, note=f"from {ip or '-'}")
    body = _(
        "Someone (hopefully you) asked to reset the password of your account on the portal. "
        "Open this link within 30 minutes to choose a new password; it works once:\n\n"
        "%(link)s\n\nIf it was not you, ignore this message: your password stays the same.",
        link=link_for(reset_token(employee)),
    )
    try:
        mail.send_now(employee.email, _("Reset your password"), body)
    except (smtplib.SMTPException, OSError):
        log.warning("reset mail to employee %s failed", employee.id)


def reset_with_token(token: str, new: str | None, confirm: str | None) -> Employee:
    """Set a new password through a reset link: the link dies, every session ends, the
    sign-in locks are lifted."""
    employee = account_for_token(token)
    if new != confirm:
        raise Invalid(_("The two new passwords are not the same."), field="new")
    try:
        new = check_password(new, nip=employee.nip, nama=employee.nama)
    except PasswordPolicyError as error:
        raise Invalid(str(error), field="new") from None
    with write_transaction():
        fresh = locked(Employee.select().where(Employee.id == employee.id)).get()
        if _fingerprint(fresh) != _fingerprint(employee):  # used meanwhile (a double submit)
            raise _link_refused()
        employee = fresh
        employee.password_hash = hash_password(new)
        employee.must_change_password = False
        employee.failed_logins = 0
        employee.locked_until = None
        employee.session_version += 1
        employee.save()
        lift_locks(employee)
        record(employee, "auth.password_reset_link", employee)
    return employee


def reset_by_supervisor(actor: Employee, employee_id: int) -> tuple[Employee, str]:
    """The atasan langsung resets a direct subordinate's password: a temporary one, shown
    once; the next sign-in forces a change; every session ends. Anyone else: 404."""
    employee = Employee.get_or_none(
        Employee.id == employee_id,
        Employee.supervisor == actor.id,
        Employee.active == True,  # noqa: E712
    )
    if employee is None:
        raise NotFound()
    return employee, _give_temporary_password(actor, employee, "auth.password_reset_by_atasan")
