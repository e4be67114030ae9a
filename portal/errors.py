"""One error model for the whole portal.

A service that refuses an action raises a `DomainError` (or one of the four kinds below) with an
Indonesian (translated) message, optionally the form field it is about (or several, in `errors`),
and an HTTP status. Views never map errors by hand: `portal.web.forms.submit()` puts 409/422
errors on the form, and the app-wide handler (`portal.web.hooks.handle_domain_error`) turns any
DomainError that escapes a view into the error page, or for htmx an out-of-band flash, with its
status. Subclass only where a caller catches something specific.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["Conflict", "DomainError", "Forbidden", "Invalid", "NotFound"]


class DomainError(Exception):
    """A rule was broken: `str(error)` is the user's message; `status` the HTTP answer."""

    status: int = 422

    def __init__(
        self,
        message: str = "",
        field: str | None = None,
        status: int | None = None,
        errors: Mapping[str, object] | None = None,
    ) -> None:
        self.errors: dict[str, str] = {key: str(value) for key, value in (errors or {}).items()}
        if field and field not in self.errors:
            self.errors[field] = str(message)
        if not message and self.errors:
            message = " ".join(self.errors.values())
        super().__init__(str(message))
        self.field = field
        if status:
            self.status = status

    @property
    def message(self) -> str:
        return str(self)


class Invalid(DomainError):
    """The input breaks a rule (422): a bad value, a date out of range."""

    status = 422


class Conflict(DomainError):
    """The state changed or forbids it (409): someone else decided first, the seat is gone."""

    status = 409


class NotFound(DomainError):
    """The object does not exist, or is not the actor's to see (404: never reveal which)."""

    status = 404


class Forbidden(DomainError):
    """The actor may see the object but not do this (403)."""

    status = 403
