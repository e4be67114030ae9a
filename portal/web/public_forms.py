"""The one gate of every public form (citizens without an account): the per-IP limit (429),
the form's validation (422) and the honeypot field `website` (422).

Used by dialog publik and by the public-service complaint and survey forms:

    refused = refuse_public_post(form, render, "dialogs:post", limit, window)
    if refused:
        return refused
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, make_response, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import StringField

from portal.web import ratelimit
from portal.web.hooks import error_page, security_log


class HoneypotMixin:
    """A field hidden from people (CSS and aria-hidden) that bots fill in."""

    website = StringField(
        _l("Leave this field empty"), render_kw={"autocomplete": "off", "tabindex": "-1"}
    )


def rate_limited(key: str, limit: int, window: int) -> Response | None:
    """Count one public submission of this IP under `key`; the Indonesian 429 page when over."""
    if ratelimit.hit(f"{key}:{request.remote_addr}", limit, window):
        return None
    security_log("rate_limited", endpoint=request.endpoint)
    message = _(
        "Too many submissions from your connection. Please wait %(minutes)s minutes and try again.",
        minutes=max(1, window // 60),
    )
    response = make_response(error_page(429, message))
    response.headers["Retry-After"] = str(window)
    return response


def honeypot_filled(form: Any) -> bool:
    field = getattr(form, "website", None)  # some forms (a cancel button) have none
    return field is not None and bool((field.data or "").strip())


def refuse_public_post(
    form: Any, render: Callable[[int], Any], key: str, limit: int, window: int
) -> Any:
    """Per-IP limit, validation, honeypot. Returns the answer to send back (429, or the form
    again with 422), or None when the form may be processed. `render(status)` renders the page
    that holds the form."""
    limited = rate_limited(key, limit, window)
    if limited:
        return limited
    if not form.validate_on_submit():
        return render(422)
    if honeypot_filled(form):
        security_log("honeypot", endpoint=request.endpoint)
        form.form_errors.append(_("The form could not be processed."))
        return render(422)
    return None
