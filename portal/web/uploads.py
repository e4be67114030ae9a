"""Uploaded files (bukti dukung, certificates, attachments): checked by content, stored under a
random name in UPLOAD_DIR, served only as an attachment.

The caller decides who may download (object-level check in its service) and keeps the stored
name, the original (display) name, the kind and the size in its own model.
"""

import logging
import secrets
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, send_file
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug import exceptions as werkzeug_exceptions
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from portal.errors import Invalid

log = logging.getLogger("portal.uploads")

# kind -> (extensions, mimetype)
KINDS = {
    "pdf": ((".pdf",), "application/pdf"),
    "jpg": ((".jpg", ".jpeg"), "image/jpeg"),
    "png": ((".png",), "image/png"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    "xlsx": ((".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
DEFAULT_KINDS = ("pdf", "jpg", "png", "docx", "xlsx")


class UploadError(Invalid):
    """The file is refused; the message says why, in the user's language. (Its own class: the
    domains that store evidence catch it to put it on their upload field.)"""


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    kind: str
    size: int


def _detect(head, path):
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def clean_name(filename: str | None) -> str:
    """A display name without any directory part or control characters."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*').strip(". ")
    return name[:200] or "berkas"


def upload_dir() -> Path:
    path = Path(current_app.config["UPLOAD_DIR"])
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(
    file_storage: FileStorage | None,
    kinds: Sequence[str] = DEFAULT_KINDS,
    max_bytes: int = 10 * 1024 * 1024,
) -> StoredFile:
    """Check and store an uploaded file; raise UploadError with a clear message."""
    if file_storage is None or not file_storage.filename:
        raise UploadError(_("Choose a file to upload."))
    original = clean_name(file_storage.filename)
    extension = Path(original).suffix.lower()
    allowed_ext = {ext for kind in kinds for ext in KINDS[kind][0]}
    if extension not in allowed_ext:
        raise UploadError(
            _(
                "Files of this type are not accepted. Allowed: %(types)s.",
                types=", ".join(kind.upper() for kind in kinds),
            )
        )
    stored_name = secrets.token_urlsafe(24)
    target = upload_dir() / stored_name
    file_storage.save(target)
    size = target.stat().st_size
    try:
        if size > max_bytes:
            raise UploadError(
                _(
                    "The file is larger than %(size)s MB.",
                    size=format_decimal(max_bytes / (1024 * 1024), format="#,##0.##"),
                )
            )
        if size == 0:
            raise UploadError(_("The file is empty."))
        with open(target, "rb") as handle:
            head = handle.read(16)
        kind = _detect(head, target)
        if kind is None or kind not in kinds or extension not in KINDS[kind][0]:
            raise UploadError(
                _("The content of the file does not match its type (%(ext)s).", ext=extension)
            )
    except UploadError:
        target.unlink(missing_ok=True)
        raise
    return StoredFile(stored_name, original, kind, size)


def delete(stored_name: str) -> None:
    (upload_dir() / Path(stored_name).name).unlink(missing_ok=True)


def send(stored_name: str, original_name: str, kind: str, missing: str = "") -> Response:
    """Serve a stored file as an attachment (RFC 6266 name), never inline.

    A file gone from the disk (lost, or a demo record that never had one) is logged and answers
    404 with `missing` as the page's message (the caller's words; empty: the generic 404 text;
    a DomainError's 404 message is never shown, so this goes through `portal_message`)."""
    path = upload_dir() / Path(stored_name).name
    if not stored_name or not path.is_file():
        log.warning("stored file missing: %r (%r)", stored_name, original_name)
        gone = werkzeug_exceptions.NotFound()
        gone.portal_message = missing or None  # type: ignore[attr-defined]  # hooks shows it
        raise gone
    response = send_file(
        path,
        mimetype=KINDS[kind][1],
        as_attachment=True,
        download_name=clean_name(original_name),
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
