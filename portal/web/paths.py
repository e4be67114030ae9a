"""Paths for links stored in the database (notices, e-mails): built without a request, so the
same code works in a request, a CLI command and a test."""

from typing import Any

from flask import current_app


def path_for(endpoint: str, **values: Any) -> str:
    """'/verifikasi/kegiatan/12' for ('reviews.entry', activity_id=12)."""
    return current_app.url_map.bind("localhost").build(endpoint, values)
