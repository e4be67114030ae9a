"""The citizens' side of a dialog (no account): registering within the quota and cancelling
with the registration code, sending a question (it waits for moderation), and supporting an
approved question once per browser. The per-IP limit and the honeypot that stop abuse are the
views' gate (`public_views.refuse_public_post`); here are the rules that hold whatever the route:
one registration per contact (a unique index backs it), the quota counted under a row lock, a
double submit of a question adding nothing, one support per browser (a unique index).
"""

from __future__ import annotations

import logging
import secrets
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

import peewee as pw
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit.services import record
from portal.db import db, locked, utcnow, write_transaction
from portal.dialogs.models import (
    Q_APPROVED,
    Q_PENDING,
    REG_ACTIVE,
    REG_CANCELLED,
    Dialog,
    Question,
    QuestionSupport,
    Registration,
)
from portal.dialogs.rules import (
    MAX_CONTACT,
    MAX_NAME,
    MAX_ORGANISATION,
    MAX_QUESTION,
    MAX_VOTER,
    clean_text,
    normalize_contact,
    public_condition,
    questions_open,
    registration_state,
)
from portal.errors import Conflict, Invalid
from portal.notifications import mail
from portal.notifications.services import notify
from portal.org.models import ROLE_PENYELENGGARA, RoleAssignment, Unit
from portal.web import ratelimit
from portal.web.formatting import jam, tanggal

log = logging.getLogger("portal.dialogs")
CODE_REMINDERS_PER_HOUR = 3  # e-mails with the code per contact per dialog per hour


@dataclass
class RegistrationInput:
    """What a citizen types to register."""

    nama: str
    organisasi: str
    kontak: str  # an e-mail address or a phone number
    consent: bool  # agreed to the privacy notice


@dataclass
class QuestionInput:
    """A citizen's question or input; `nama` may be empty when `anonim`."""

    nama: str
    teks: str
    anonim: bool = False


def _new_code() -> str:
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "DP-" + "".join(secrets.choice(alphabet) for _ in range(8))


def _already_registered() -> str:
    return _(
        "This contact is already registered for this dialog. Lost the code? Use "
        "“Forgot your code?” below to get it again."
    )


def register(dialog_id: int, data: RegistrationInput, now: datetime | None = None) -> Registration:
    """A citizen registers within the quota while registration is open; one registration per
    contact per dialog (a unique index backs it). Returns the Registration with its code."""
    if not data.consent:
        raise Invalid(_("Agree to the privacy notice to register."))
    nama = clean_text(data.nama, MAX_NAME)
    if not nama:
        raise Invalid(_("Enter your name."))
    organisasi = clean_text(data.organisasi, MAX_ORGANISATION)
    kontak_clean = clean_text(data.kontak, MAX_CONTACT)
    kontak_normal = normalize_contact(kontak_clean)
    now = now or utcnow()
    try:
        with write_transaction():
            dialog = locked(
                Dialog.select().where(Dialog.id == dialog_id, public_condition())
            ).first()
            if dialog is None:
                raise Invalid(_("This dialog was not found."))
            is_open, reason = registration_state(dialog, now)
            if not is_open:
                raise Invalid(reason)
            existing = Registration.get_or_none(
                Registration.dialog == dialog.id, Registration.kontak_normal == kontak_normal
            )
            if existing is not None and existing.status == REG_ACTIVE:
                raise Invalid(_already_registered())
            code = _new_code()
            if existing is not None:  # registered before, cancelled, and comes back
                existing.nama, existing.organisasi, existing.kontak = nama, organisasi, kontak_clean
                existing.status, existing.code = REG_ACTIVE, code
                existing.consent_at, existing.cancelled_at = now, None
                existing.save()
                registration = existing
            else:
                registration = Registration.create(
                    dialog=dialog.id,
                    nama=nama,
                    organisasi=organisasi,
                    kontak=kontak_clean,
                    kontak_normal=kontak_normal,
                    code=code,
                    consent_at=now,
                )
            Dialog.update(registered_count=Dialog.registered_count + 1).where(
                Dialog.id == dialog.id
            ).execute()
            record(None, "dialog.registered", dialog, after={"registration": registration.id})
    except pw.IntegrityError:
        raise Invalid(_already_registered()) from None
    return registration


def active_registration(dialog_id: int, registration_id: int) -> Registration | None:
    """A registration of the dialog that still stands (for the browser that made it)."""
    return Registration.get_or_none(
        Registration.id == registration_id,
        Registration.dialog == dialog_id,
        Registration.status == REG_ACTIVE,
    )


def cancel_registration(dialog_id: int, code: str, now: datetime | None = None) -> Registration:
    """A citizen cancels with their registration code, before the dialog starts."""
    code = clean_text(code, 20).upper()
    now = now or utcnow()
    with write_transaction():
        dialog = locked(Dialog.select().where(Dialog.id == dialog_id, public_condition())).first()
        if dialog is None:
            raise Invalid(_("This dialog was not found."), field="code")
        registration = Registration.get_or_none(
            Registration.dialog == dialog.id,
            Registration.code == code,
            Registration.status == REG_ACTIVE,
        )
        if registration is None:
            raise Invalid(
                _("No registration with this code was found for this dialog."), field="code"
            )
        if now >= dialog.starts_at:
            raise Invalid(
                _("The dialog has started; the registration can no longer be cancelled."),
                field="code",
            )
        registration.status = REG_CANCELLED
        registration.cancelled_at = now
        registration.save()
        Dialog.update(registered_count=Dialog.registered_count - 1).where(
            Dialog.id == dialog.id, Dialog.registered_count > 0
        ).execute()
        record(
            None,
            "dialog.registration_cancelled",
            dialog,
            after={"registration": registration.id},
        )
    return registration


def remind_code(dialog_id: int, kontak: str) -> bool:
    """A citizen who lost their registration code asks for it again with the contact they
    registered with: when that contact is an e-mail address, SMTP is set and the contact is
    registered (active) for this dialog, the code is e-mailed to it, at most
    CODE_REMINDERS_PER_HOUR times an hour per contact. Returns whether a mail went out; the
    citizen is answered the same way whatever happened (the view), so nobody learns from it
    whether a contact is registered."""
    kontak_normal = normalize_contact(clean_text(kontak, MAX_CONTACT))
    dialog = Dialog.select().where(Dialog.id == dialog_id, public_condition()).first()
    if dialog is None:
        raise Invalid(_("This dialog was not found."))
    if not mail.enabled() or "@" not in kontak_normal:
        return False
    if not ratelimit.hit(
        f"dialogs:kode:{dialog.id}:{kontak_normal}", CODE_REMINDERS_PER_HOUR, 3600
    ):
        return False
    registration = Registration.get_or_none(
        Registration.dialog == dialog.id,
        Registration.kontak_normal == kontak_normal,
        Registration.status == REG_ACTIVE,
    )
    if registration is None:
        return False
    if not _mail_code(dialog, registration):
        return False
    record(None, "dialog.code_resent", dialog, after={"registration": registration.id})
    return True


def _mail_code(dialog: Dialog, registration: Registration) -> bool:
    subject = _("Your registration code: %(judul)s", judul=dialog.judul[:60])
    body = _(
        "Hello %(nama)s,\n\nyour registration code for the public dialog “%(judul)s” "
        "(%(when)s) is %(code)s.\n\nKeep it: you need it to cancel your registration.",
        nama=registration.nama,
        judul=dialog.judul,
        when=f"{tanggal(dialog.starts_at)}, {jam(dialog.starts_at, with_zone=True)}",
        code=registration.code,
    )
    try:
        mail.send_now(registration.kontak, subject, body)
    except (smtplib.SMTPException, OSError):
        log.warning("registration code mail for registration %s failed", registration.id)
        return False
    return True


def submit_question(dialog_id: int, data: QuestionInput, now: datetime | None = None) -> Question:
    """A citizen sends a question or input before the dialog ends; it waits for moderation and
    is never shown publicly before it is approved."""
    teks = clean_text(data.teks, MAX_QUESTION, multiline=True)
    if not teks:
        raise Invalid(_("Write your question or input."))
    nama = clean_text(data.nama, MAX_NAME)
    anonim = bool(data.anonim)
    if not anonim and not nama:
        raise Invalid(_("Enter your name, or choose to ask anonymously."))
    dialog = Dialog.select().where(Dialog.id == dialog_id, public_condition()).first()
    if dialog is None:
        raise Invalid(_("This dialog was not found."))
    if not questions_open(dialog, now):
        raise Invalid(_("Questions are closed for this dialog."))
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
            dialog=dialog.id, nama="" if anonim else nama, anonim=anonim, teks=teks
        )
        record(None, "dialog.question_submitted", dialog, after={"question": question.id})
        _notify_organizers(dialog)
    return question


def organizer_ids(dialog: Dialog) -> list[int]:
    """The penyelenggara of the dialog's unit or of one of its ancestors (one query)."""
    unit = Unit.get_by_id(dialog.unit_id)
    ancestors = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    query = (
        RoleAssignment.select(RoleAssignment.employee)
        .where(
            RoleAssignment.role == ROLE_PENYELENGGARA,
            RoleAssignment.unit.in_(ancestors or [dialog.unit_id]),
        )
        .tuples()
    )
    return sorted({employee_id for (employee_id,) in cast(Iterable[tuple[int]], query)})


def _notify_organizers(dialog: Dialog) -> None:
    """One notice per organiser per dialog and day: questions are waiting (not one per question)."""
    link = current_app.url_map.bind("localhost").build(
        "dialogs.manage_detail", {"dialog_id": dialog.id}
    )
    with force_locale("id"):
        message = _("New questions are waiting for moderation: %(title)s", title=dialog.judul)
    day = utcnow().date().isoformat()
    for employee_id in organizer_ids(dialog):  # notify(): a parallel duplicate is skipped
        notify(
            employee_id,
            "dialog_question",
            message,
            link + "#moderasi",
            dedupe_key=f"dialog-questions-{dialog.id}-{day}",
        )


def support_question(question_id: int, voter: str) -> Question:
    """Support an approved question: once per browser (`voter` is its random cookie id).
    Every refusal is a Conflict (409): the support button answers it with a warning."""
    if not voter or len(voter) > MAX_VOTER:
        raise Conflict(_("Your browser could not be recognised; please enable cookies."))
    question = (
        Question.select(Question, Dialog)
        .join(Dialog)
        .where(Question.id == question_id, Question.status == Q_APPROVED, public_condition())
        .first()
    )
    if question is None:
        raise Conflict(_("This question was not found."))
    try:
        # The question's row first: parallel supports queue on its lock, then each inserts (the
        # other order deadlocks on MariaDB: each support's foreign-key check holds a shared lock
        # on the question that the first one's update waits for).
        with db.atomic():
            Question.update(support_count=Question.support_count + 1).where(
                Question.id == question.id
            ).execute()
            QuestionSupport.create(question=question.id, voter=voter)
    except pw.IntegrityError:
        raise Conflict(_("You have already supported this question.")) from None
    return Question.get_by_id(question.id)
