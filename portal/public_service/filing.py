"""The citizens' side of a complaint, without an account: file it (with an optional photo
checked by content), follow it by its tracking code, rate the answer.

The gate in front of these (per-IP limit, honeypot, size limits) is
`portal.web.public_forms.refuse_public_post`, run by the public views.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import peewee as pw
from flask_babel import gettext as _

from portal.clock import local_today
from portal.db import utcnow
from portal.dialogs.rules import clean_text, normalize_contact
from portal.errors import Conflict, Invalid
from portal.org.models import Unit
from portal.public_service import lifecycle
from portal.public_service.deadlines import due_date
from portal.public_service.models import CATEGORIES, DONE, Complaint, ComplaintEvent
from portal.public_service.rules import (
    MAX_NAME,
    MAX_RATING_NOTE,
    MAX_TEXT,
    RATINGS,
    new_code,
    normalize_code,
    setting,
)
from portal.web import uploads


@dataclass
class ComplaintInput:
    kategori: str | None
    unit_id: int | str | None  # "" / None / 0: the citizen does not know
    teks: str | None
    kontak: str | None
    nama: str | None = ""
    consent_publish: bool = False
    foto: Any = None  # a FileStorage, or None


def _unit(unit_id: int | str | None) -> Unit | None:
    try:
        number = int(unit_id or 0)
    except (TypeError, ValueError):
        number = 0
    if not number:
        return None
    unit = Unit.get_or_none(Unit.id == number, Unit.active == True)  # noqa: E712
    if unit is None:
        raise Invalid(_("Choose a unit from the list, or “I don't know”."), "unit_id")
    return unit


def file_complaint(data: ComplaintInput, today: date | None = None) -> Complaint:
    """A citizen files a complaint: category, unit or "don't know", text, a contact for the
    reply, an optional photo (JPG/PNG by content); Diterima with a tracking code and a due
    date `response_days` working days ahead. (`today`: the filing date, for seeding history.)"""
    if data.kategori not in CATEGORIES:
        raise Invalid(_("Choose a category."), "kategori")
    unit = _unit(data.unit_id)
    teks = clean_text(data.teks, MAX_TEXT, multiline=True)
    if len(teks) < 10:
        raise Invalid(_("Describe the problem (at least 10 characters)."), "teks")
    try:
        kontak = normalize_contact(data.kontak)
    except Invalid as error:
        raise Invalid(str(error), "kontak") from None
    nama = clean_text(data.nama, MAX_NAME)
    photo = None
    if data.foto is not None and data.foto.filename:
        try:
            photo = uploads.save(
                data.foto, kinds=("jpg", "png"), max_bytes=setting("photo_max_kb") * 1024
            )
        except uploads.UploadError as error:
            raise Invalid(str(error), "foto") from None
    today = today or local_today()
    values = {
        "kategori": data.kategori,
        "unit": unit,
        "teks": teks,
        "nama": nama,
        "kontak": kontak,
        "consent_publish": bool(data.consent_publish),
        "filed_on": today,
        "due_date": due_date(today, unit),
        "foto_stored": photo.stored_name if photo else "",
        "foto_name": photo.original_name if photo else "",
        "foto_kind": photo.kind if photo else "",
    }
    for _attempt in range(5):
        try:
            return lifecycle.file({**values, "kode": new_code()})
        except pw.IntegrityError:  # a code taken already (about one in 10**12)
            continue
    if photo:
        uploads.delete(photo.stored_name)
    raise Conflict(_("The complaint could not be saved; please send it again."))


def find_by_code(code: str | None) -> Complaint | None:
    """The complaint with this tracking code (typed loosely), or None."""
    kode = normalize_code(code)
    if not kode:
        return None
    return (
        Complaint.select(Complaint, Unit)
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(Complaint.unit == Unit.id))
        .where(Complaint.kode == kode)
        .first()
    )


def history(complaint: Complaint) -> list[ComplaintEvent]:
    """The steps the citizen sees, oldest first (no names of officers)."""
    return list(
        ComplaintEvent.select(
            ComplaintEvent.id, ComplaintEvent.status, ComplaintEvent.note, ComplaintEvent.created_at
        )
        .where(ComplaintEvent.complaint == complaint.id)
        .order_by(ComplaintEvent.id)
    )


def rate(code: str | None, rating: Any, note: str | None = "") -> Complaint:
    """The citizen rates the answer once (1-5, an optional note), with the tracking code."""
    complaint = find_by_code(code)
    if complaint is None:
        raise Invalid(_("No complaint has this tracking code."))
    if complaint.status != DONE:
        raise Invalid(_("A complaint can be rated once it has been answered."))
    if complaint.rating is not None:
        raise Conflict(_("You have already rated this answer. Thank you."))
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if value not in dict(RATINGS):
        raise Invalid(_("Choose a rating."), "rating")
    text = clean_text(note, MAX_RATING_NOTE, multiline=True)
    changed = (
        Complaint.update(rating=value, rating_note=text, updated_at=utcnow())
        .where(Complaint.id == complaint.id, Complaint.rating.is_null())
        .execute()
    )
    if changed != 1:
        raise Conflict(_("You have already rated this answer. Thank you."))
    return Complaint.get_by_id(complaint.id)
