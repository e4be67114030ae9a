"""Password hashing with argon2id at or above OWASP ASVS 5.0 (m >= 47,104 KiB, t >= 1)."""

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_hashers: dict[tuple[int, int], PasswordHasher] = {}


def hasher() -> PasswordHasher:
    key = (
        current_app.config["PASSWORD_HASH_MEMORY_KIB"],
        current_app.config["PASSWORD_HASH_TIME_COST"],
    )
    if key not in _hashers:
        _hashers[key] = PasswordHasher(
            time_cost=key[1], memory_cost=key[0], parallelism=1, type=Type.ID
        )
    return _hashers[key]


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; never raises for a bad or empty hash."""
    if not stored_hash:
        return False
    try:
        return hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    try:
        return hasher().check_needs_rehash(stored_hash)
    except InvalidHashError:
        return True
