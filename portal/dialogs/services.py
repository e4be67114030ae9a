"""The rules of public dialogs: who may organise, the state machine, citizens' registration and
questions, moderation, results and follow-ups. No Flask request here (the audit module reads
the client address itself).

Every state change runs in one transaction with its audit row. Steps that read and then write
(the last seat of the quota, a transition) run in `write_transaction()` with the dialog row
taken by `locked()`, so they are safe with several processes on SQLite and on MariaDB.
"""

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import peewee as pw
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.audit.services import record
from portal.clock import timezone
from portal.db import db, locked, utcnow, write_transaction
from portal.dialogs.models import (
    ANNOUNCED,
    CANCELLED,
    CLOSED,
    DONE,
    DRAFT,
    FOLLOW_UP_STATUSES,
    FU_DONE,
    FU_IN_PROGRESS,
    FU_PLANNED,
    POSTPONED,
    Q_APPROVED,
    Q_MERGED,
    Q_PENDING,
    Q_REJECTED,
    REG_ACTIVE,
    REG_CANCELLED,
    RESULTS,
    TOPICS,
    Dialog,
    DialogAttachment,
    FollowUp,
    Question,
    QuestionSupport,
    Registration,
)
from portal.org import services as org
from portal.org.models import ROLE_ADMIN_OPD, ROLE_PENYELENGGARA, RoleAssignment, Unit
from portal.web import pagination

MAX_NAME = 120
MAX_ORGANISATION = 150
MAX_CONTACT = 120
MAX_QUESTION = 1000
MAX_REASON = 300
MAX_FOLLOW_UP = 1000
PAGE_SIZE = 20

STATUS_LABELS = {
    DRAFT: _l("Draft"),
    ANNOUNCED: _l("Announced"),
    CLOSED: _l("Registration closed"),
    DONE: _l("Finished"),
    RESULTS: _l("Results published"),
    CANCELLED: _l("Cancelled"),
    POSTPONED: _l("Postponed"),
}
STATUS_TONES = {
    DRAFT: "secondary",
    ANNOUNCED: "success",
    CLOSED: "warning",
    DONE: "info",
    RESULTS: "primary",
    CANCELLED: "danger",
    POSTPONED: "warning",
}
FOLLOW_UP_LABELS = {
    FU_PLANNED: _l("Planned"),
    FU_IN_PROGRESS: _l("In progress"),
    FU_DONE: _l("Done"),
}
FOLLOW_UP_TONES = {FU_PLANNED: "secondary", FU_IN_PROGRESS: "warning", FU_DONE: "success"}
QUESTION_LABELS = {
    Q_PENDING: _l("Awaiting moderation"),
    Q_APPROVED: _l("Approved"),
    Q_REJECTED: _l("Rejected"),
    Q_MERGED: _l("Merged"),
}


class DialogError(Exception):
    """A rule of public dialogs was broken; the message is shown to the user."""


class NotAllowed(DialogError):
    """The actor may not do this (views answer 404 for objects, 403 for pages)."""


# --- time --------------------------------------------------------------------------------------


def local_to_utc(day, clock):
    """A local date and time of the pemda as a naive UTC timestamp (how it is stored)."""
    moment = datetime.combine(day, clock).replace(tzinfo=timezone())
    return moment.astimezone(UTC).replace(tzinfo=None)


def utc_to_local(moment):
    return moment.replace(tzinfo=UTC).astimezone(timezone())


# --- text ----------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value, limit, multiline=False):
    """Trim, drop control characters (not newlines in multi-line text); None if over `limit`.

    Text is stored as typed otherwise (HTML is not interpreted: it is escaped on output).
    """
    text = unicodedata.normalize("NFC", value or "")
    text = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if not multiline:
        text = " ".join(text.split())
    text = text.strip()
    if len(text) > limit:
        raise DialogError(_("The text is too long (at most %(limit)s characters).", limit=limit))
    return text


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalize_contact(value):
    """An e-mail address (lower-case) or an Indonesian phone number as 62xxxxxxxxx."""
    text = clean_text(value, MAX_CONTACT)
    if "@" in text:
        if not _EMAIL.match(text):
            raise DialogError(_("Enter a valid e-mail address or phone number."))
        return text.lower()
    digits = re.sub(r"[\s\-.()]", "", text)
    if digits.startswith("+"):
        digits = digits[1:]
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits.isdigit() or not digits.startswith("62") or not 10 <= len(digits) <= 15:
        raise DialogError(_("Enter a valid e-mail address or phone number."))
    return digits


# --- permissions -------------------------------------------------------------------------------


def can_organize(actor):
    """Admin, or a penyelenggara of some unit: may open the organizer's dashboard."""
    return org.is_penyelenggara(actor)


def can_edit(actor, dialog):
    """Admin, or a penyelenggara of the dialog's unit (or one of its ancestors)."""
    return org.is_penyelenggara_for(actor, dialog.unit_id)


def can_update_follow_up(actor, follow_up):
    """The owner unit updates the status: its penyelenggara or admin OPD (or an ancestor's),
    the admin, and the dialog's organizers."""
    if not actor or not getattr(actor, "is_authenticated", False):
        return False
    owner = follow_up.owner_unit
    return (
        org.is_penyelenggara_for(actor, owner)
        or org.can_admin_unit(actor, owner)
        or can_edit(actor, follow_up.dialog)
    )


def _require(allowed):
    if not allowed:
        raise NotAllowed(_("You may not do this."))


def _units_condition(roots):
    condition = None
    for root in roots:
        clause = Unit.path.startswith(root.path)
        condition = clause if condition is None else (condition | clause)
    return condition


def organizer_units(actor):
    """The units `actor` may organise dialogs for (a query in tree order)."""
    if org.is_admin(actor):
        return Unit.select().where(Unit.active == True).order_by(Unit.path)  # noqa: E712
    roots = org.penyelenggara_units(actor)
    if not roots:
        return Unit.select().where(Unit.id == 0)
    return (
        Unit.select()
        .where(_units_condition(roots), Unit.active == True)  # noqa: E712
        .order_by(Unit.path)
    )


def follow_up_units(actor):
    """Units whose follow-ups `actor` updates (penyelenggara or admin OPD subtrees)."""
    if org.is_admin(actor):
        return None  # all
    return list(org.penyelenggara_units(actor)) + list(org.admin_units(actor))


# --- reading -----------------------------------------------------------------------------------


def paginate(query, number, args, size=PAGE_SIZE, count_query=None):
    return pagination.paginate(query, number, args, size, count_query)


def public_condition():
    """Published dialogs: announced at some point (a draft cancelled before that never shows)."""
    return Dialog.announced_at.is_null(False) & (Dialog.status != DRAFT)


@dataclass
class Filters:
    q: str = ""
    unit: int | None = None
    topik: str = ""
    bulan: str = ""  # YYYY-MM
    waktu: str = "mendatang"  # mendatang | lalu | semua

    @classmethod
    def from_args(cls, args):
        unit = args.get("unit", "")
        bulan = args.get("bulan", "")
        waktu = args.get("waktu", "")
        topik = args.get("topik", "")
        return cls(
            q=" ".join((args.get("q") or "").split())[:100],
            unit=int(unit) if unit.isdigit() else None,
            topik=topik if topik in TOPICS else "",
            bulan=bulan if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", bulan) else "",
            waktu=waktu
            if waktu in ("mendatang", "lalu", "semua")
            else ("semua" if bulan else "mendatang"),
        )

    def as_args(self):
        args = {"q": self.q, "unit": self.unit or "", "topik": self.topik, "bulan": self.bulan}
        args["waktu"] = self.waktu
        return {key: value for key, value in args.items() if value}


def _month_range(bulan):
    year, month = (int(part) for part in bulan.split("-"))
    start = date(year, month, 1)
    end = date(year + (month == 12), month % 12 + 1, 1)
    midnight = datetime.min.time()
    return local_to_utc(start, midnight), local_to_utc(end, midnight)


def list_columns():
    """What a list row shows (the long texts stay in the database)."""
    return (
        Dialog.id, Dialog.judul, Dialog.topik, Dialog.status, Dialog.starts_at, Dialog.ends_at,
        Dialog.tempat, Dialog.online_url, Dialog.unit, Unit.id, Unit.nama,
    )  # fmt: skip


def public_dialogs(filters, now=None, columns=None):
    """The published dialogs matching the filters, with their unit (one query)."""
    now = now or utcnow()
    query = Dialog.select(*(columns or (Dialog, Unit))).join(Unit).where(public_condition())
    if filters.q:
        term = filters.q
        query = query.where(
            Dialog.judul.contains(term)
            | Dialog.layanan.contains(term)
            | Dialog.topik.contains(term)
        )
    if filters.unit:
        query = query.where(Dialog.unit == filters.unit)
    if filters.topik:
        query = query.where(Dialog.topik == filters.topik)
    if filters.bulan:
        start, end = _month_range(filters.bulan)
        query = query.where(Dialog.starts_at >= start, Dialog.starts_at < end)
    if filters.waktu == "mendatang":
        query = query.where(Dialog.ends_at >= now).order_by(Dialog.starts_at, Dialog.id)
    elif filters.waktu == "lalu":
        query = query.where(Dialog.ends_at < now).order_by(Dialog.starts_at.desc(), Dialog.id)
    else:
        query = query.order_by(Dialog.starts_at.desc(), Dialog.id)
    return query


def public_units():
    """Units that have published dialogs (for the filter), one query."""
    having = Dialog.select(Dialog.unit).where(public_condition())
    return list(Unit.select(Unit.id, Unit.nama).where(Unit.id.in_(having)).order_by(Unit.nama))


def get_public_dialog(dialog_id):
    """The dialog with its unit if the public may see it, else None."""
    try:
        dialog_id = int(dialog_id)
    except (TypeError, ValueError):
        return None
    return (
        Dialog.select(Dialog, Unit)
        .join(Unit)
        .where(Dialog.id == dialog_id, public_condition())
        .first()
    )


def public_questions(dialog):
    """Approved questions only (never pending, rejected or merged text), most supported first,
    each with `merged_count` (how many similar questions were merged into it)."""
    merged = Question.alias()
    merged_count = merged.select(pw.fn.COUNT(merged.id)).where(
        merged.merged_into == Question.id, merged.status == Q_MERGED
    )
    return list(
        Question.select(Question, merged_count.alias("merged_count"))
        .where(Question.dialog == dialog, Question.status == Q_APPROVED)
        .order_by(Question.support_count.desc(), Question.id)
    )


def follow_up_progress(dialog_ids):
    """{dialog id: (done, total)} of the follow-ups of these dialogs (one query)."""
    if not dialog_ids:
        return {}
    done = pw.fn.SUM(pw.Case(None, [(FollowUp.status == FU_DONE, 1)], 0))
    rows = (
        FollowUp.select(FollowUp.dialog, done, pw.fn.COUNT(FollowUp.id))
        .where(FollowUp.dialog.in_(dialog_ids))
        .group_by(FollowUp.dialog)
        .tuples()
    )
    return {dialog_id: (int(finished or 0), total) for dialog_id, finished, total in rows}


def follow_ups_of(dialog):
    owner = Unit.alias()
    return list(
        FollowUp.select(FollowUp, owner)
        .join(owner, on=(FollowUp.owner_unit == owner.id))
        .where(FollowUp.dialog == dialog)
        .order_by(FollowUp.due_date, FollowUp.id)
    )


def attachments_of(dialog):
    return list(
        DialogAttachment.select()
        .where(DialogAttachment.dialog == dialog)
        .order_by(DialogAttachment.id)
    )


def registration_state(dialog, now=None):
    """(open, reason): whether citizens may register now, and why not."""
    now = now or utcnow()
    if dialog.status != ANNOUNCED:
        return False, _("Registration is not open for this dialog.")
    closes = dialog.registration_closes_at or dialog.starts_at
    if now >= closes:
        return False, _("Registration for this dialog has closed.")
    if dialog.kuota is not None and dialog.registered_count >= dialog.kuota:
        return False, _("The quota of this dialog is full.")
    return True, ""


def questions_open(dialog, now=None):
    """Citizens may send questions before the dialog ends, while it is announced."""
    now = now or utcnow()
    return dialog.status in (ANNOUNCED, CLOSED) and now < dialog.ends_at


# --- organiser: dialogs ------------------------------------------------------------------------

EDITABLE = (DRAFT, ANNOUNCED, CLOSED, POSTPONED)
FIELDS = (
    "judul", "topik", "layanan", "deskripsi", "unit", "tempat", "alamat", "online_url",
    "starts_at", "ends_at", "registration_closes_at", "kuota", "unsur_peserta",
)  # fmt: skip


def _snapshot(dialog):
    data = {name: getattr(dialog, name) for name in FIELDS if name != "unit"}
    data["unit"] = dialog.unit_id
    data["status"] = dialog.status
    return data


def _check_dialog_data(actor, data, dialog=None):
    clean = {}
    clean["judul"] = clean_text(data.get("judul"), 200)
    if not clean["judul"]:
        raise DialogError(_("Enter the title of the dialog."))
    topik = data.get("topik") or ""
    if topik not in TOPICS:
        raise DialogError(_("Choose a topic."))
    clean["topik"] = topik
    clean["layanan"] = clean_text(data.get("layanan"), 200)
    clean["deskripsi"] = clean_text(data.get("deskripsi"), 5000, multiline=True)
    clean["tempat"] = clean_text(data.get("tempat"), 200)
    clean["alamat"] = clean_text(data.get("alamat"), 300)
    url = clean_text(data.get("online_url"), 300)
    if url and not re.match(r"^https?://[^\s<>\"']+$", url):
        raise DialogError(_("The online link must start with https://."))
    clean["online_url"] = url
    if not clean["tempat"] and not url:
        raise DialogError(_("Enter the place or the online link (or both)."))
    unit = data.get("unit")
    unit_id = getattr(unit, "id", unit)
    if not unit_id or not org.is_penyelenggara_for(actor, unit_id):
        raise DialogError(_("Choose a unit you organise dialogs for."))
    clean["unit"] = unit_id
    starts, ends = data.get("starts_at"), data.get("ends_at")
    if not starts or not ends or ends <= starts:
        raise DialogError(_("The end time must be after the start time."))
    clean["starts_at"], clean["ends_at"] = starts, ends
    closes = data.get("registration_closes_at")
    if closes and closes > starts:
        raise DialogError(_("Registration must close before the dialog starts."))
    clean["registration_closes_at"] = closes
    kuota = data.get("kuota")
    if kuota is not None and not 1 <= kuota <= 100000:
        raise DialogError(_("The quota must be between 1 and 100,000 (or empty for no limit)."))
    if dialog is not None and kuota is not None and kuota < dialog.registered_count:
        raise DialogError(
            _("The quota cannot be lower than the %(count)s people already registered.",
              count=dialog.registered_count)
        )  # fmt: skip
    clean["kuota"] = kuota
    clean["unsur_peserta"] = clean_text(data.get("unsur_peserta"), 1000, multiline=True)
    return clean


def create_dialog(actor, data):
    """A penyelenggara (or admin) drafts a dialog for a unit they organise for."""
    _require(can_organize(actor))
    clean = _check_dialog_data(actor, data)
    with db.atomic():
        dialog = Dialog.create(created_by=actor.id, status=DRAFT, **clean)
        record(actor, "dialog.created", dialog, after=_snapshot(dialog))
    return dialog


def update_dialog(actor, dialog, data):
    """The organisers edit a dialog until it is finished; the quota never drops below the
    registrations already taken."""
    _require(can_edit(actor, dialog))
    with write_transaction():
        current = locked(Dialog.select().where(Dialog.id == dialog.id)).get()
        if current.status not in EDITABLE:
            raise DialogError(_("A finished dialog can no longer be edited."))
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


def transition(actor, dialog, action, notice="", now=None):
    """Move a dialog along its states: announce (only a dialog still to come), close or reopen
    registration, finish (once it has started), postpone or cancel (a notice is required once
    the public has seen it)."""
    _require(can_edit(actor, dialog))
    if action not in TRANSITIONS:
        raise DialogError(_("Unknown action."))
    allowed, target, audit_action = TRANSITIONS[action]
    notice = clean_text(notice, 1000, multiline=True)
    now = now or utcnow()
    with write_transaction():
        current = locked(Dialog.select().where(Dialog.id == dialog.id)).get()
        if current.status not in allowed:
            raise DialogError(
                _("This dialog is %(status)s; this step is not possible now.",
                  status=str(STATUS_LABELS[current.status]).lower())
            )  # fmt: skip
        changes = {"status": target, "version": current.version + 1, "updated_at": now}
        if action == "announce":
            if current.starts_at <= now:
                raise DialogError(_("Set a start time in the future before announcing."))
            if current.announced_at is None:
                changes["announced_at"] = now
            changes["notice"] = ""
        if action == "finish" and now < current.starts_at:
            raise DialogError(_("A dialog can be marked finished only after it has started."))
        if action in ("postpone", "cancel"):
            if not notice and (action == "postpone" or current.announced_at is not None):
                raise DialogError(_("Write the notice that explains this to the public."))
            changes["notice"] = notice
        updated = (
            Dialog.update(**changes)
            .where(Dialog.id == current.id, Dialog.version == current.version)
            .execute()
        )
        if updated != 1:
            raise DialogError(_("The dialog was changed by someone else; please reload."))
        record(actor, audit_action, current, before={"status": current.status},
               after={"status": target}, note=notice or None)  # fmt: skip
    return Dialog.get_by_id(dialog.id)


def save_results(actor, dialog, notulen, hadir_total, hadir_masyarakat, publish=False):
    """After the dialog: the organisers write the minutes and attendance; publishing them
    (Selesai -> Hasil Dipublikasikan) needs the minutes."""
    _require(can_edit(actor, dialog))
    notulen = clean_text(notulen, 20000, multiline=True)
    for number in (hadir_total, hadir_masyarakat):
        if number is not None and not 0 <= number <= 1000000:
            raise DialogError(_("Attendance must be a number of people."))
    if hadir_total is not None and hadir_masyarakat is not None and hadir_masyarakat > hadir_total:
        raise DialogError(_("Citizens present cannot exceed the total present."))
    with write_transaction():
        current = locked(Dialog.select().where(Dialog.id == dialog.id)).get()
        if current.status not in (DONE, RESULTS):
            raise DialogError(_("Minutes can be written once the dialog is finished."))
        if publish and not notulen:
            raise DialogError(_("Write the minutes before publishing the results."))
        before = {"status": current.status, "notulen": current.notulen}
        current.notulen = notulen
        current.hadir_total = hadir_total
        current.hadir_masyarakat = hadir_masyarakat
        if publish and current.status == DONE:
            current.status = RESULTS
            current.results_published_at = utcnow()
        current.version += 1
        current.save()
        record(actor, "dialog.results_published" if publish else "dialog.minutes_saved",
               current, before=before,
               after={"status": current.status, "notulen": notulen,
                      "hadir_total": hadir_total,
                      "hadir_masyarakat": hadir_masyarakat})  # fmt: skip
    return current


def managed_dialogs(actor):
    """The dialogs of the units `actor` organises for, newest first, with the unit and the
    number of questions awaiting moderation (one query)."""
    pending = Question.select(pw.fn.COUNT(Question.id)).where(
        Question.dialog == Dialog.id, Question.status == Q_PENDING
    )
    query = Dialog.select(Dialog, Unit, pending.alias("pending_count")).join(Unit)
    if not org.is_admin(actor):
        roots = org.penyelenggara_units(actor)
        if not roots:
            return query.where(Dialog.id == 0)
        query = query.where(_units_condition(roots))
    return query.order_by(Dialog.starts_at.desc(), Dialog.id.desc())


def get_managed_dialog(actor, dialog_id):
    """The dialog if `actor` may edit it, else None (the view answers 404)."""
    dialog = Dialog.select(Dialog, Unit).join(Unit).where(Dialog.id == dialog_id).first()
    if dialog is None or not can_edit(actor, dialog):
        return None
    return dialog


def registrations_of(actor, dialog):
    _require(can_edit(actor, dialog))
    return list(
        Registration.select().where(Registration.dialog == dialog).order_by(Registration.id)
    )


def registrants_for_export(actor, dialog, fmt):
    """The organisers download the registrants (personal data): the export is audited."""
    _require(can_edit(actor, dialog))
    with db.atomic():
        record(actor, "dialog.registrants_exported", dialog, note=fmt)
    return registrations_of(actor, dialog)


def questions_for_moderation(actor, dialog):
    _require(can_edit(actor, dialog))
    return list(Question.select().where(Question.dialog == dialog).order_by(Question.id))


# --- attachments -------------------------------------------------------------------------------


def add_attachment(actor, dialog, stored, label=""):
    """Attach a checked file (the draft policy, the agenda) to a dialog."""
    _require(can_edit(actor, dialog))
    label = clean_text(label, 150) or stored.original_name
    with db.atomic():
        attachment = DialogAttachment.create(
            dialog=dialog, label=label, stored_name=stored.stored_name,
            original_name=stored.original_name, kind=stored.kind, size=stored.size,
            uploaded_by=actor.id,
        )  # fmt: skip
        record(actor, "dialog.attachment_added", dialog, after={"file": stored.original_name})
    return attachment


def remove_attachment(actor, attachment):
    _require(can_edit(actor, attachment.dialog))
    with db.atomic():
        record(actor, "dialog.attachment_removed", attachment.dialog,
               before={"file": attachment.original_name})  # fmt: skip
        attachment.delete_instance()
    return attachment.stored_name


# --- citizens ----------------------------------------------------------------------------------


def _new_code():
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "DP-" + "".join(secrets.choice(alphabet) for _ in range(8))


def register(dialog_id, nama, organisasi, kontak, consent, now=None):
    """A citizen registers within the quota while registration is open; one registration per
    contact per dialog (a unique index backs it). Returns the Registration with its code."""
    if not consent:
        raise DialogError(_("Agree to the privacy notice to register."))
    nama = clean_text(nama, MAX_NAME)
    if not nama:
        raise DialogError(_("Enter your name."))
    organisasi = clean_text(organisasi, MAX_ORGANISATION)
    kontak_clean = clean_text(kontak, MAX_CONTACT)
    kontak_normal = normalize_contact(kontak_clean)
    now = now or utcnow()
    try:
        with write_transaction():
            dialog = locked(
                Dialog.select().where(Dialog.id == dialog_id, public_condition())
            ).first()
            if dialog is None:
                raise DialogError(_("This dialog was not found."))
            is_open, reason = registration_state(dialog, now)
            if not is_open:
                raise DialogError(reason)
            existing = Registration.get_or_none(
                Registration.dialog == dialog.id, Registration.kontak_normal == kontak_normal
            )
            if existing is not None and existing.status == REG_ACTIVE:
                raise DialogError(_("This contact is already registered for this dialog."))
            code = _new_code()
            if existing is not None:  # registered before, cancelled, and comes back
                existing.nama, existing.organisasi, existing.kontak = nama, organisasi, kontak_clean
                existing.status, existing.code = REG_ACTIVE, code
                existing.consent_at, existing.cancelled_at = now, None
                existing.save()
                registration = existing
            else:
                registration = Registration.create(
                    dialog=dialog.id, nama=nama, organisasi=organisasi, kontak=kontak_clean,
                    kontak_normal=kontak_normal, code=code, consent_at=now,
                )  # fmt: skip
            Dialog.update(registered_count=Dialog.registered_count + 1).where(
                Dialog.id == dialog.id
            ).execute()
            record(None, "dialog.registered", dialog, after={"registration": registration.id})
    except pw.IntegrityError:
        raise DialogError(_("This contact is already registered for this dialog.")) from None
    return registration


def cancel_registration(dialog_id, code, now=None):
    """A citizen cancels with their registration code, before the dialog starts."""
    code = clean_text(code, 20).upper()
    now = now or utcnow()
    with write_transaction():
        dialog = locked(Dialog.select().where(Dialog.id == dialog_id, public_condition())).first()
        if dialog is None:
            raise DialogError(_("This dialog was not found."))
        registration = Registration.get_or_none(
            Registration.dialog == dialog.id,
            Registration.code == code,
            Registration.status == REG_ACTIVE,
        )
        if registration is None:
            raise DialogError(_("No registration with this code was found for this dialog."))
        if now >= dialog.starts_at:
            raise DialogError(
                _("The dialog has started; the registration can no longer be cancelled.")
            )
        registration.status = REG_CANCELLED
        registration.cancelled_at = now
        registration.save()
        Dialog.update(registered_count=Dialog.registered_count - 1).where(
            Dialog.id == dialog.id, Dialog.registered_count > 0
        ).execute()
        record(None, "dialog.registration_cancelled", dialog,
               after={"registration": registration.id})  # fmt: skip
    return registration


def submit_question(dialog_id, nama, teks, anonim, now=None):
    """A citizen sends a question or input before the dialog ends; it waits for moderation and
    is never shown publicly before it is approved."""
    teks = clean_text(teks, MAX_QUESTION, multiline=True)
    if not teks:
        raise DialogError(_("Write your question or input."))
    nama = clean_text(nama, MAX_NAME)
    if not anonim and not nama:
        raise DialogError(_("Enter your name, or choose to ask anonymously."))
    dialog = Dialog.select().where(Dialog.id == dialog_id, public_condition()).first()
    if dialog is None:
        raise DialogError(_("This dialog was not found."))
    if not questions_open(dialog, now):
        raise DialogError(_("Questions are closed for this dialog."))
    duplicate = Question.get_or_none(  # a double submit (the answer was lost) adds nothing
        Question.dialog == dialog.id,
        Question.teks == teks,
        Question.nama == ("" if anonim else nama),
        Question.status == Q_PENDING,
        Question.created_at >= utcnow() - timedelta(minutes=10),
    )
    if duplicate is not None:
        return duplicate
    with db.atomic():
        question = Question.create(
            dialog=dialog.id, nama="" if anonim else nama, anonim=bool(anonim), teks=teks
        )
        record(None, "dialog.question_submitted", dialog, after={"question": question.id})
        _notify_organizers(dialog)
    return question


def organizer_ids(dialog):
    """The penyelenggara of the dialog's unit or of one of its ancestors (one query)."""
    unit = Unit.get_by_id(dialog.unit_id)
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    rows = RoleAssignment.select(RoleAssignment.employee).where(
        RoleAssignment.role == ROLE_PENYELENGGARA, RoleAssignment.unit.in_(ancestors or [unit.id])
    )
    return sorted({row.employee_id for row in rows})


def _notify_organizers(dialog):
    """One notice per organiser per dialog and day: questions are waiting (not one per question)."""
    from flask import current_app
    from flask_babel import force_locale

    from portal.notifications.services import notify

    link = current_app.url_map.bind("localhost").build(
        "dialogs.manage_detail", {"dialog_id": dialog.id}
    )
    with force_locale("id"):
        message = _("New questions are waiting for moderation: %(title)s", title=dialog.judul)
    day = utcnow().date().isoformat()
    for employee_id in organizer_ids(dialog):
        notify(employee_id, "dialog_question", message, link + "#moderasi",
               dedupe_key=f"dialog-questions-{dialog.id}-{day}")  # fmt: skip


def support_question(question_id, voter):
    """Support an approved question: once per browser (`voter` is its random cookie id)."""
    if not voter or len(voter) > 64:
        raise DialogError(_("Your browser could not be recognised; please enable cookies."))
    question = (
        Question.select(Question, Dialog)
        .join(Dialog)
        .where(Question.id == question_id, Question.status == Q_APPROVED, public_condition())
        .first()
    )
    if question is None:
        raise DialogError(_("This question was not found."))
    try:
        with db.atomic():
            QuestionSupport.create(question=question.id, voter=voter)
            Question.update(support_count=Question.support_count + 1).where(
                Question.id == question.id
            ).execute()
    except pw.IntegrityError:
        raise DialogError(_("You have already supported this question.")) from None
    return Question.get_by_id(question.id)


# --- moderation --------------------------------------------------------------------------------


def _pending_question(actor, question):
    _require(can_edit(actor, question.dialog))
    current = locked(Question.select().where(Question.id == question.id)).get()
    if current.status != Q_PENDING:
        raise DialogError(_("This question has already been moderated."))
    return current


def approve_question(actor, question):
    """The organisers approve a pending question; only then it appears publicly."""
    with write_transaction():
        current = _pending_question(actor, question)
        current.status, current.moderated_by, current.moderated_at = Q_APPROVED, actor.id, utcnow()
        current.save()
        record(actor, "dialog.question_approved", current, before={"status": Q_PENDING},
               after={"status": Q_APPROVED})  # fmt: skip
    return current


def reject_question(actor, question, reason):
    """Reject a pending question with a reason (kept internal; the text is never published)."""
    reason = clean_text(reason, MAX_REASON)
    if not reason:
        raise DialogError(_("Write the reason for rejecting."))
    with write_transaction():
        current = _pending_question(actor, question)
        current.status, current.reject_reason = Q_REJECTED, reason
        current.moderated_by, current.moderated_at = actor.id, utcnow()
        current.save()
        record(actor, "dialog.question_rejected", current, before={"status": Q_PENDING},
               after={"status": Q_REJECTED}, note=reason)  # fmt: skip
    return current


def merge_question(actor, question, target_id):
    """Merge a pending question into an approved one of the same dialog (similar questions)."""
    with write_transaction():
        current = _pending_question(actor, question)
        target = Question.get_or_none(
            Question.id == target_id,
            Question.dialog == current.dialog_id,
            Question.status == Q_APPROVED,
        )
        if target is None:
            raise DialogError(_("Choose an approved question of this dialog to merge into."))
        current.status, current.merged_into = Q_MERGED, target.id
        current.moderated_by, current.moderated_at = actor.id, utcnow()
        current.save()
        record(actor, "dialog.question_merged", current, before={"status": Q_PENDING},
               after={"status": Q_MERGED, "into": target.id})  # fmt: skip
    return current


# --- follow-ups --------------------------------------------------------------------------------


def add_follow_up(actor, dialog, uraian, owner_unit, due_date):
    """The organisers record a follow-up commitment once the dialog is finished."""
    _require(can_edit(actor, dialog))
    uraian = clean_text(uraian, MAX_FOLLOW_UP, multiline=True)
    if not uraian:
        raise DialogError(_("Describe the follow-up."))
    if dialog.status not in (DONE, RESULTS):
        raise DialogError(_("Follow-ups can be added once the dialog is finished."))
    owner = Unit.get_or_none(Unit.id == getattr(owner_unit, "id", owner_unit))
    if owner is None:
        raise DialogError(_("Choose the unit responsible."))
    if not isinstance(due_date, date):
        raise DialogError(_("Enter the due date."))
    with db.atomic():
        follow_up = FollowUp.create(
            dialog=dialog.id, uraian=uraian, owner_unit=owner.id, due_date=due_date,
            updated_by=actor.id,
        )  # fmt: skip
        record(actor, "dialog.follow_up_added", follow_up,
               after={"uraian": uraian, "unit": owner.id, "due": due_date})  # fmt: skip
    return follow_up


def update_follow_up(actor, follow_up, status, note=""):
    """The owner unit (or the organisers) updates a follow-up: Direncanakan, Dalam Proses,
    Selesai, with a progress note."""
    _require(can_update_follow_up(actor, follow_up))
    if status not in FOLLOW_UP_STATUSES:
        raise DialogError(_("Choose a status."))
    note = clean_text(note, MAX_FOLLOW_UP, multiline=True)
    with db.atomic():
        before = {"status": follow_up.status, "note": follow_up.progress_note}
        FollowUp.update(
            status=status, progress_note=note, updated_by=actor.id, updated_at=utcnow()
        ).where(FollowUp.id == follow_up.id).execute()
        record(actor, "dialog.follow_up_updated", follow_up, before=before,
               after={"status": status, "note": note})  # fmt: skip
    return FollowUp.get_by_id(follow_up.id)


def follow_ups_for_actor(actor):
    """Follow-ups owned by the units `actor` answers for (penyelenggara/admin OPD subtrees),
    open ones first, with the dialog and unit (one query)."""
    owner = Unit.alias()
    query = (
        FollowUp.select(FollowUp, Dialog, owner)
        .join(Dialog)
        .switch(FollowUp)
        .join(owner, on=(FollowUp.owner_unit == owner.id))
    )
    roots = follow_up_units(actor)
    if roots is not None:
        if not roots:
            return []
        condition = None
        for root in roots:
            clause = owner.path.startswith(root.path)
            condition = clause if condition is None else (condition | clause)
        query = query.where(condition)
    return list(query.order_by(FollowUp.status == FU_DONE, FollowUp.due_date).limit(100))


def get_follow_up(actor, follow_up_id):
    follow_up = (
        FollowUp.select(FollowUp, Dialog).join(Dialog).where(FollowUp.id == follow_up_id).first()
    )
    if follow_up is None or not can_update_follow_up(actor, follow_up):
        return None
    return follow_up


def has_follow_up_role(actor):
    return (
        org.is_admin(actor) or actor.has_role(ROLE_PENYELENGGARA) or actor.has_role(ROLE_ADMIN_OPD)
    )


def days_until(moment, now=None):
    now = now or utcnow()
    return (moment - now) // timedelta(days=1)


def dashboard_summary(actor, today):
    """For the dasbor of organisers and follow-up owners: questions awaiting moderation and
    upcoming dialogs of their units, open and overdue follow-ups (three queries)."""
    summary = {"pending": 0, "upcoming": 0, "open_follow_ups": 0, "overdue": 0}
    if can_organize(actor):
        managed = managed_dialogs(actor).order_by()
        ids = Dialog.select(Dialog.id).where(Dialog.id.in_(managed.select(Dialog.id)))
        summary["pending"] = (
            Question.select().where(Question.dialog.in_(ids), Question.status == Q_PENDING).count()
        )
        summary["upcoming"] = (
            managed.select(Dialog.id)
            .where(
                Dialog.ends_at >= utcnow(), Dialog.status.in_([DRAFT, ANNOUNCED, CLOSED, POSTPONED])
            )
            .count()
        )
    roots = follow_up_units(actor)
    if roots is None or roots:
        owner = Unit.alias()
        query = (
            FollowUp.select(
                pw.fn.COUNT(FollowUp.id),
                pw.fn.SUM(pw.Case(None, [(FollowUp.due_date < today, 1)], 0)),
            )
            .join(owner, on=(FollowUp.owner_unit == owner.id))
            .where(FollowUp.status != FU_DONE)
        )
        if roots:
            condition = None
            for root in roots:
                clause = owner.path.startswith(root.path)
                condition = clause if condition is None else (condition | clause)
            query = query.where(condition)
        count, overdue = query.tuples().get()
        summary["open_follow_ups"], summary["overdue"] = count or 0, int(overdue or 0)
    return summary


# --- satisfaction survey (SKM, PermenPANRB 14/2017) ------------------------------------------

SURVEY_UNSUR = [
    _l("Requirements"),
    _l("Systems, mechanisms and procedures"),
    _l("Completion time"),
    _l("Cost/tariff"),
    _l("Service products"),
    _l("Competence of the staff"),
    _l("Conduct of the staff"),
    _l("Handling of complaints, suggestions and input"),
    _l("Facilities and infrastructure"),
]
SURVEY_SCALE = [(1, _l("Not good")), (2, _l("Less good")), (3, _l("Good")), (4, _l("Very good"))]
# IKM = mean x 25; bands of PermenPANRB 14/2017.
IKM_BANDS = [
    (88.31, "A", _l("Very good")),
    (76.61, "B", _l("Good")),
    (65.00, "C", _l("Less good")),
    (25.00, "D", _l("Not good")),
]


def survey_open(dialog):
    """Citizens rate the service once the dialog is finished (and its results are public)."""
    return dialog.status in (DONE, RESULTS)


def ikm_band(ikm):
    for floor, letter, label in IKM_BANDS:
        if round(ikm, 2) >= floor:
            return letter, label
    return "D", IKM_BANDS[-1][2]


def submit_survey(dialog_id, voter, answers, saran=""):
    """One survey response per browser: nine unsur, each 1-4; an optional suggestion."""
    from portal.dialogs.models import SURVEY_FIELDS, SurveyResponse

    if not voter or len(voter) > 64:
        raise DialogError(_("Your browser could not be recognised; please enable cookies."))
    values = {}
    for index, name in enumerate(SURVEY_FIELDS):
        value = answers.get(name)
        if value not in (1, 2, 3, 4):
            raise DialogError(
                _("Rate every element (%(unsur)s is missing).", unsur=SURVEY_UNSUR[index])
            )
        values[name] = value
    saran = clean_text(saran, MAX_QUESTION, multiline=True)
    dialog = Dialog.select().where(Dialog.id == dialog_id, public_condition()).first()
    if dialog is None:
        raise DialogError(_("This dialog was not found."))
    if not survey_open(dialog):
        raise DialogError(_("The survey opens after the dialog."))
    try:
        with db.atomic():
            response = SurveyResponse.create(dialog=dialog.id, voter=voter, saran=saran, **values)
    except pw.IntegrityError:
        raise DialogError(_("You have already filled in the survey for this dialog.")) from None
    return response


def survey_results(dialog):
    """Respondents, the mean of each unsur, the IKM (mean x 25) and its band (one query)."""
    from portal.dialogs.models import SURVEY_FIELDS, SurveyResponse

    columns = [pw.fn.AVG(getattr(SurveyResponse, name)) for name in SURVEY_FIELDS]
    row = (
        SurveyResponse.select(pw.fn.COUNT(SurveyResponse.id), *columns)
        .where(SurveyResponse.dialog == dialog.id)
        .tuples()
        .get()
    )
    count = row[0] or 0
    if not count:
        return {"count": 0}
    means = [float(value) for value in row[1:]]
    ikm = sum(means) / len(means) * 25
    letter, label = ikm_band(ikm)
    return {
        "count": count,
        "unsur": list(zip(SURVEY_UNSUR, means, strict=True)),
        "ikm": ikm,
        "band": letter,
        "band_label": label,
    }


def has_answered_survey(dialog, voter):
    from portal.dialogs.models import SurveyResponse

    if not voter:
        return False
    return (
        SurveyResponse.select(SurveyResponse.id)
        .where(SurveyResponse.dialog == dialog.id, SurveyResponse.voter == voter)
        .exists()
    )
