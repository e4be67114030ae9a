"""Request hooks of the whole portal: access policy, session timeouts, headers, errors."""

import logging
from typing import Any

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from portal import clock
from portal.errors import DomainError
from portal.extensions import htmx
from portal.web import access

log = logging.getLogger("portal.security")

SEEN_RESOLUTION_SECONDS = 60

CSP = (
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'; img-src 'self' data:"
)

ERROR_TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    413: "Berkas terlalu besar",
    422: "Data tidak valid",
    429: "Terlalu banyak permintaan",
    500: "Terjadi kesalahan",
}


def _error_texts():
    return {
        400: _("The request could not be understood. Please reload the page and try again."),
        403: _("You do not have access to this page."),
        404: _("The page you are looking for does not exist or has been moved."),
        405: _("This action is not allowed on this page."),
        413: _("The file is too large. Please choose a smaller file."),
        422: _("The data sent is not valid."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. The team has been notified; please try again."),
    }


def _titles():
    return {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Method not allowed"),
        413: _("File too large"),
        422: _("Invalid data"),
        429: _("Too many requests"),
        500: _("An error occurred"),
    }


def security_log(event: str, **fields: Any) -> None:
    """A structured security line in UTC (logins, failures, denials)."""
    stamp = clock.utc_stamp()
    details = " ".join(f"{key}={value!r}" for key, value in sorted(fields.items()))
    log.info("%s event=%s ip=%s %s", stamp, event, request.remote_addr, details)


def login_redirect() -> ResponseReturnValue:
    """Send an anonymous visitor to /masuk; htmx gets HX-Redirect instead of a fragment."""
    target = url_for("auth.login", next=request.full_path.rstrip("?"))
    if htmx:
        response = jsonify({})
        response.status_code = 401
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def enforce_access() -> ResponseReturnValue | None:
    """Deny by default: the endpoint must be in the access table; LOGIN needs a session."""
    endpoint = request.endpoint
    if endpoint is None:
        return None  # 404 / 405 follow
    level = access.level_of(endpoint)
    if level is None:
        security_log("denied_unlisted", endpoint=endpoint)
        return error_page(403)
    if level == access.LOGIN and not current_user.is_authenticated:
        return login_redirect()
    return None


def enforce_session_lifetime(app: Flask) -> ResponseReturnValue | None:
    """Idle and absolute timeouts for signed-in sessions."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    now = clock.epoch_seconds()
    started = session.get("started", now)
    seen = session.get("seen", now)
    idle = app.config["SESSION_IDLE_MINUTES"] * 60
    maximum = app.config["SESSION_MAX_HOURS"] * 3600
    if now - seen > idle or now - started > maximum:
        security_log("session_expired", user=current_user.get_id())
        logout_user()
        session.clear()
        flash(_("Your session has ended. Please sign in again."), "warning")
        if access.level_of(request.endpoint) == access.LOGIN:
            return login_redirect()
        return None
    if access.is_passive(request.endpoint):
        return None  # background polling is not activity: the idle timer keeps running
    # The idle timer moves at most once a minute: a page that changes nothing else in the
    # session does not re-send the cookie on every request.
    if now - seen >= SEEN_RESOLUTION_SECONDS or "seen" not in session:
        session["seen"] = now
    session.setdefault("started", now)
    return None


def set_security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CSP)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    # Production is served over HTTPS (its cookies are Secure and __Host-), usually behind a TLS
    # proxy that the app may not be told about (PROXY_FIX_HOPS=0): send HSTS on every production
    # answer; browsers ignore it on plain HTTP, so this is never wrong.
    if request.is_secure or current_app.config["PRODUCTION"]:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint == "static":
        return response  # fingerprinted files: the static view sets their caching
    if getattr(g, "authenticated_page", False) or current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


def error_page(code: int, message: str | None = None) -> ResponseReturnValue:
    """The Indonesian error page, or for htmx a flash swapped out of band."""
    text = message or _error_texts().get(code, _error_texts()[500])
    title = _titles().get(code, _titles()[500])
    if htmx:
        html = render_template("web/_flash_oob.html", messages=[("danger", text)])
        return html, code, {"HX-Reswap": "none"}
    return render_template("web/error.html", code=code, title=title, message=text), code


def handle_http_error(error: HTTPException) -> ResponseReturnValue:
    code = error.code or 500
    if code in (401,):
        return login_redirect()
    if code == 403:
        security_log("denied", endpoint=request.endpoint, path=request.path)
    message = getattr(error, "portal_message", None)
    return error_page(code if code in ERROR_TITLES else 400, message)


def handle_csrf_error(error: CSRFError) -> ResponseReturnValue:
    security_log("csrf_failed", path=request.path, reason=error.description)
    return error_page(
        400, _("The form has expired or is invalid. Please reload the page and try again.")
    )


def handle_domain_error(error: DomainError) -> ResponseReturnValue:
    """A refusal no view caught: the error page (or an htmx flash) with the error's status."""
    if error.status == 403:
        security_log("denied", endpoint=request.endpoint, path=request.path)
    status = error.status if error.status in ERROR_TITLES else 400
    return error_page(status, str(error) if status not in (404,) else None)


def handle_unexpected(error: Exception) -> ResponseReturnValue:
    logging.getLogger("portal").exception("unhandled error on %s", request.path)
    return error_page(500)


def register(app: Flask) -> None:
    app.before_request(enforce_access)
    app.before_request(lambda: enforce_session_lifetime(app))
    app.after_request(set_security_headers)
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DomainError, handle_domain_error)
    if not app.testing or app.config.get("HANDLE_500_IN_TESTS"):
        app.register_error_handler(Exception, handle_unexpected)
