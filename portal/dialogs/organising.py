"""The organisers' side of a dialog: drafting and editing it, its state machine (announce,
close or reopen registration, finish, postpone, cancel), the minutes and attendance, the
attachments, and the registrants list (personal data, its export audited).

Every state change runs in one transaction with its audit row. Steps that read and then write
run in `write_transaction()` with the dialog row taken by `locked()`, and a transition is a
conditional UPDATE on the row's version, so they are safe with several processes on SQLite and
on MariaDB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import db, locked, utcnow, write_transaction
from portal.dialogs.models import (
    ANNOUNCED,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    POSTPONED,
    RESULTS,
    TOPICS,
    Dialog,
    DialogAttachment,
    Registration,
)
from portal.dialogs.rules import (
    STATUS_LABELS,
    can_edit,
    clean_text,
    require,
    require_organizer,
)
from portal.errors import Invalid
from portal.org import services as org
from portal.web.uploads import StoredFile

EDITABLE = (DRAFT, ANNOUNCED, CLOSED, POSTPONED)
FIELDS = (
    "judul",
    "topik",
    "layanan",
    "deskripsi",
    "unit",
    "tempat",
    "alamat",
    "online_url",
    "starts_at",
    "ends_at",
    "registration_closes_at",
    "kuota",
    "unsur_peserta",
)


@dataclass
class DialogInput:
    """What the organisers type for a dialog (times as naive UTC, as stored)."""

    judul: str
    topik: str
    unit: Any  # a Unit or its id
    starts_at: datetime | None
    ends_at: datetime | None
    layanan: str = ""
    deskripsi: str = ""
    tempat: str = ""
    alamat: str = ""
    online_url: str = ""
    registration_closes_at: datetime | None = None
    kuota: int | None = None
    unsur_peserta: str = ""


@dataclass
class ResultsInput:
    """The minutes and attendance written after the dialog."""

    notulen: str = ""
    hadir_total: int | None = None
    hadir_masyarakat: int | None = None
    publish: bool = False


def _snapshot(dialog: Dialog) -> dict[str, Any]:
    data = {name: getattr(dialog, name) for name in FIELDS if name != "unit"}
    data["unit"] = dialog.unit_id
    data["status"] = dialog.status
    return data


def _check_dialog_data(actor: Any, data: DialogInput, dialog: Dialog | None = None) -> dict:
    clean: dict[str, Any] = {}
    clean["judul"] = clean_text(data.judul, 200)
    if not clean["judul"]:
        raise Invalid(_("Enter the title of the dialog."))
    topik = data.topik or ""
    if topik not in TOPICS:
        raise Invalid(_("Choose a topic."))
    clean["topik"] = topik
    clean["layanan"] = clean_text(data.layanan, 200)
    clean["deskripsi"] = clean_text(data.deskripsi, 5000, multiline=True)
    clean["tempat"] = clean_text(data.tempat, 200)
    clean["alamat"] = clean_text(data.alamat, 300)
    url = clean_text(data.online_url, 300)
    if url and not re.match(r"^https?://[^\s<>\"']+$", url):
        raise Invalid(_("The online link must start with https://."))
    clean["online_url"] = url
    if not clean["tempat"] and not url:
        raise Invalid(_("Enter the place or the online link (or both)."))
    unit_id = getattr(data.unit, "id", data.unit)
    if not unit_id or not org.is_penyelenggara_for(actor, unit_id):
        raise Invalid(_("Choose a unit you organise dialogs for."))
    clean["unit"] = unit_id
    starts, ends = data.starts_at, data.ends_at
    if not starts or not ends or ends <= starts:
        raise Invalid(_("The end time must be after the start time."))
    clean["starts_at"], clean["ends_at"] = starts, ends
    closes = data.registration_closes_at
    if closes and closes > starts:
        raise Invalid(_("Registration must close before the dialog starts."))
    clean["registration_closes_at"] = closes
    kuota = data.kuota
    if kuota is not None and not 1 <= kuota <= 100000:
        raise Invalid(_("The quota must be between 1 and 100,000 (or empty for no limit)."))
    if dialog is not None and kuota is not None and kuota < dialog.registered_count:
        raise Invalid(
            _(
                "The quota cannot be lower than the %(count)s people already registered.",
                count=dialog.registered_count,
            )
        )
    clean["kuota"] = kuota
    clean["unsur_peserta"] = clean_text(data.unsur_peserta, 1000, multiline=True)
    return clean


def create_dialog(actor: Any, data: DialogInput) -> Dialog:
    """A penyelenggara (or admin) drafts a dialog for a unit they organise for."""
    require_organizer(actor)
    clean = _check_dialog_data(actor, data)
    with db.atomic():
        dialog = Dialog.create(created_by=actor.id, status=DRAFT, **clean)
        record(actor, "dialog.created", dialog, after=_snapshot(dialog))
    return dialog


def update_dialog(actor: Any, dialog: Dialog, data: DialogInput) -> Dialog:
    """The organisers edit a dialog until it is finished; the quota never drops below the
    registrations already taken."""
    require(can_edit(actor, dialog))
    with write_transaction():
        current = locked(Dialog.select().where(Dialog.id == dialog.id)).get()
        if current.status not in EDITABLE:
            raise Invalid(_("A finished dialog can no longer be edited."))
        clean = _check_dialog_data(actor, data, current)
        before = _snapshot(current)
        for name, value in clean.items():
            setattr(current, name, value)
        current.version += 1
        current.save()
        record(actor, "dialog.updated", current, before=before, after=_snapshot(current))
    return current


TRANSITIONS = {
    # action: (allowed from, to, audit action)
    "announce": ((DRAFT, POSTPONED), ANNOUNCED, "dialog.announced"),
    "close": ((ANNOUNCED,), CLOSED, "dialog.registration_closed"),
    "reopen": ((CLOSED,), ANNOUNCED, "dialog.registration_reopened"),
    "finish": ((ANNOUNCED, CLOSED), DONE, "dialog.finished"),
    "postpone": ((ANNOUNCED, CLOSED), POSTPONED, "dialog.postponed"),
    "cancel": ((DRAFT, ANNOUNCED, CLOSED, POSTPONED), CANCELLED, "dialog.cancelled"),
}


def transition(
    actor: Any, dialog: Dialog, action: str, notice: str = "", now: datetime | None = None
) -> Dialog:
    """Move a dialog along its states: announce (only a dialog still to come), close or reopen
    registration, finish (once it has started), postpone or cancel (a notice is required once
    the public has seen it)."""
    require(can_edit(actor, dialog))
    if action not in TRANSITIONS:
        raise Invalid(_("Unknown action."))
    allowed, target, audit_action = TRANSITIONS[action]
    notice = clean_text(notice, 1000, multiline=True)
    now = now or utcnow()
    with write_transaction():
        current = locked(Dialog.select().where(Dialog.id == dialog.id)).get()
        if current.status not in allowed:
            raise Invalid(
                _(
                    "This dialog is %(status)s; this step is not possible now.",
                    status=str(STATUS_LABELS[current.status]).lower(),
                )
            )
        changes = {"status": target, "version": current.version + 1, "updated_at": now}
        if action == "announce":
            if current.starts_at <= now:
                raise Invalid(_("Set a start time in the future before announcing."))
            if current.announced_at is None:
                changes["announced_at"] = now
            changes["notice"] = ""
        if action == "finish" and now < current.starts_at:
            raise Invalid(_("A dialog can be marked finished only after it has started."))
        if action in ("postpone", "cancel"):
            if not notice and (action == "postpone" or current.announced_at is not None):
                raise Invalid(_("Write the notice that explains this to the public."))
            changes["notice"] = notice
        updated = (
            Dialog.update(**changes)
            .where(Dialog.id == current.id, Dialog.version == current.version)
            .execute()
        )
        if updated != 1:
            raise Invalid(_("The dialog was changed by someone else; please reload."))
        record(
            actor,
            audit_action,
            current,
            before={"status": current.status},
            after={"status": target},
            note=notice or None,
        )
    return Dialog.get_by_id(dialog.id)


def save_results(actor: Any, dialog: Dialog, data: ResultsInput) -> Dialog:
    """After the dialog: the organisers write the minutes and attendance; publishing them
    (Selesai -> Hasil Dipublikasikan) needs the minutes."""
    require(can_edit(actor, dialog))
    notulen = clean_text(data.notulen, 20000, multiline=True)
    hadir_total, hadir_masyarakat = data.hadir_total, data.hadir_masyarakat
    for number in (hadir_total, hadir_masyarakat):
        if number is not None and not 0 <= number <= 1000000:
            raise Invalid(_("Attendance must be a number of people."))
    if hadir_total is not None and hadir_masyarakat is not None and hadir_masyarakat > hadir_total:
        raise Invalid(_("Citizens present cannot exceed the total present."))
    with write_transaction():
        current = locked(Dialog.select().where(Dialog.id == dialog.id)).get()
        if current.status not in (DONE, RESULTS):
            raise Invalid(_("Minutes can be written once the dialog is finished."))
        if data.publish and not notulen:
            raise Invalid(_("Write the minutes before publishing the results."))
        before = {"status": current.status, "notulen": current.notulen}
        current.notulen = notulen
        current.hadir_total = hadir_total
        current.hadir_masyarakat = hadir_masyarakat
        if data.publish and current.status == DONE:
            current.status = RESULTS
            current.results_published_at = utcnow()
        current.version += 1
        current.save()
        record(
            actor,
            "dialog.results_published" if data.publish else "dialog.minutes_saved",
            current,
            before=before,
            after={
                "status": current.status,
                "notulen": notulen,
                "hadir_total": hadir_total,
                "hadir_masyarakat": hadir_masyarakat,
            },
        )
    return current


# --- registrants ---------------------------------------------------------------------------------


def registrations_of(actor: Any, dialog: Dialog) -> list[Registration]:
    require(can_edit(actor, dialog))
    return list(
        Registration.select().where(Registration.dialog == dialog).order_by(Registration.id)
    )


def registrants_for_export(actor: Any, dialog: Dialog, fmt: str) -> list[Registration]:
    """The organisers download the registrants (personal data): the export is audited."""
    require(can_edit(actor, dialog))
    with db.atomic():
        record(actor, "dialog.registrants_exported", dialog, note=fmt)
    return registrations_of(actor, dialog)


# --- attachments -------------------------------------------------------------------------------


def add_attachment(
    actor: Any, dialog: Dialog, stored: StoredFile, label: str = ""
) -> DialogAttachment:
    """Attach a checked file (the draft policy, the agenda) to a dialog."""
    require(can_edit(actor, dialog))
    label = clean_text(label, 150) or stored.original_name
    with db.atomic():
        attachment = DialogAttachment.create(
            dialog=dialog,
            label=label,
            stored_name=stored.stored_name,
            original_name=stored.original_name,
            kind=stored.kind,
            size=stored.size,
            uploaded_by=actor.id,
        )
        record(actor, "dialog.attachment_added", dialog, after={"file": stored.original_name})
    return attachment


def remove_attachment(actor: Any, attachment: DialogAttachment) -> str:
    """Remove an attachment (its audit row stays); returns the stored file name to delete."""
    require(can_edit(actor, attachment.dialog))
    with db.atomic():
        record(
            actor,
            "dialog.attachment_removed",
            attachment.dialog,
            before={"file": attachment.original_name},
        )
        attachment.delete_instance()
    return attachment.stored_name
