"""Static files under fingerprinted names, cached for good, precompressed where possible.

`url_for('static', filename='css/portal.css')` gives `/static/css/portal.<digest>.css`, where the
digest is the start of the file's SHA-256: a changed file gets a new name, so the browser may
keep every name for a year (`immutable`). A small WSGI layer in front of Flask serves /static/:
the real file (its `.gz` twin, made by `make assets`, when the client accepts gzip and the twin
is not older than the file), without a request context, the session, the user or the database.
A plain name still works, with a short cache, for anything that links to it by hand.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.security import safe_join
from werkzeug.utils import send_file
from werkzeug.wrappers import Request

FOREVER = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300"
_NAME = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<ext>\.[A-Za-z0-9]+)$")


class Fingerprints:
    """Digests of the static files, remembered per process while the file is unchanged."""

    def __init__(self, folder: str) -> None:
        self.folder = folder
        self._known: dict[str, tuple[float, str]] = {}

    def path(self, filename: str) -> Path | None:
        joined = safe_join(self.folder, filename)
        return Path(joined) if joined else None

    def digest(self, filename: str) -> str | None:
        path = self.path(filename)
        try:
            mtime = path.stat().st_mtime if path else None
        except OSError:
            return None
        if path is None or mtime is None or not path.is_file():
            return None
        known = self._known.get(filename)
        if known and known[0] == mtime:
            return known[1]
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
        self._known[filename] = (mtime, digest)
        return digest

    def name(self, filename: str) -> str:
        digest = self.digest(filename)
        stem, dot, ext = filename.rpartition(".")
        return f"{stem}.{digest}.{ext}" if digest and dot else filename

    def real(self, requested: str) -> tuple[str, bool]:
        """(the file's real name, whether `requested` carried its current digest)."""
        match = _NAME.match(requested)
        if match:
            real = match["stem"] + match["ext"]
            if self.digest(real) == match["digest"]:
                return real, True
        return requested, False


class StaticFiles:
    """WSGI middleware: answers GET/HEAD under `prefix` itself, passes everything else on."""

    def __init__(self, app: Any, prints: Fingerprints, prefix: str = "/static/") -> None:
        self.app = app
        self.prints = prints
        self.prefix = prefix

    def __call__(self, environ: dict, start_response: Any) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith(self.prefix) or environ.get("REQUEST_METHOD") not in (
            "GET",
            "HEAD",
        ):
            return self.app(environ, start_response)
        return self.serve(environ, path[len(self.prefix) :])(environ, start_response)

    def serve(self, environ: dict, requested: str) -> Any:
        real, fingerprinted = self.prints.real(requested)
        path = self.prints.path(real)
        if path is None or not path.is_file():
            return NotFound()
        request = Request(environ)
        twin = path.with_name(path.name + ".gz")
        if "gzip" in request.headers.get("Accept-Encoding", "") and _fresh(twin, path):
            response = send_file(
                twin, environ, mimetype=_mimetype(real), conditional=True, max_age=None
            )
            response.headers["Content-Encoding"] = "gzip"
        else:
            response = send_file(path, environ, conditional=True, max_age=None)
        response.vary.add("Accept-Encoding")
        response.headers["Cache-Control"] = FOREVER if fingerprinted else SHORT
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def init_app(app: Flask) -> None:
    folder = app.static_folder
    assert folder is not None
    prints = Fingerprints(folder)

    @app.url_defaults
    def _fingerprint(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values:
            values["filename"] = prints.name(values["filename"])

    prefix = (app.static_url_path or "/static") + "/"
    app.wsgi_app = StaticFiles(app.wsgi_app, prints, prefix)  # type: ignore[method-assign]


def _fresh(twin: Path, original: Path) -> bool:
    """The .gz twin exists and is not older than its file (a stale twin is never served)."""
    try:
        return twin.stat().st_mtime >= original.stat().st_mtime
    except OSError:
        return False


def _mimetype(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"
