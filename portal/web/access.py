"""The access-policy table: every endpoint of the portal, and who may reach it.

Deny by default: a request to an endpoint missing from the table is refused (403), and a test
walks the URL map and fails for any route without an entry. Levels:

- "public": anyone, no login (the dialog publik pages, /masuk, static files, errors);
- "login": any signed-in account; finer rules (atasan, penyelenggara, admin, object ownership)
  are checked by the domain's services, with `can_...` predicates.

Each domain registers its endpoints next to its views with `register({...})`.
"""

from collections.abc import Mapping

PUBLIC = "public"
LOGIN = "login"
LEVELS = {PUBLIC, LOGIN}

_TABLE: dict[str, str] = {"static": PUBLIC}


def register(entries: Mapping[str, str]) -> None:
    """Declare the access level of endpoints (a domain's views, at import time)."""
    for endpoint, level in entries.items():
        if level not in LEVELS:
            raise ValueError(f"unknown access level {level!r} for {endpoint}")
        _TABLE[endpoint] = level


# Endpoints polled in the background (the notification bell): they do not count as activity,
# so they never extend the idle timeout of a session.
_PASSIVE: set[str] = set()


def passive(endpoint: str) -> None:
    _PASSIVE.add(endpoint)


def is_passive(endpoint: str | None) -> bool:
    return endpoint in _PASSIVE


def level_of(endpoint: str | None) -> str | None:
    return _TABLE.get(endpoint) if endpoint else None


def table() -> dict[str, str]:
    return dict(_TABLE)
