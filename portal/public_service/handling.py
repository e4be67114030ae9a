"""The officers' side of a complaint: the unit's admin verifies it (routing it to a unit when
the citizen did not know one), assigns it to a pegawai or rejects it with a reason; the pegawai
answers it and may log the work as a daily entry; the admin publishes the answer, only with the
citizen's consent. Each action checks its permission here (deny by default: 404 for a complaint
that is not the actor's) and hands the status change to portal.public_service.lifecycle.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import peewee as pw
from flask_babel import gettext as _

from portal.activities.entries import EntryInput, create_entry
from portal.clock import local_now, local_today
from portal.db import locked, utcnow, write_transaction
from portal.dialogs.rules import clean_text
from portal.errors import Conflict, Invalid, NotFound
from portal.notifications.services import notify
from portal.org.models import Employee, Unit
from portal.public_service import lifecycle
from portal.public_service.deadlines import response_days
from portal.public_service.models import (
    DONE,
    IN_PROGRESS,
    REJECTED,
    VERIFIED,
    Complaint,
)
from portal.public_service.rules import (
    MAX_ANSWER,
    MAX_REASON,
    MAX_SUMMARY,
    assignable,
    can_handle,
    can_manage,
    can_view,
    setting,
    units_for,
)
from portal.web.formatting import tanggal as format_date
from portal.web.paths import path_for


def get_for(actor: Any, complaint_id: int) -> Complaint:
    """The complaint, when `actor` may see it; NotFound otherwise (not theirs looks absent)."""
    complaint = (
        Complaint.select(Complaint, Unit)
        .join(Unit, pw.JOIN.LEFT_OUTER, on=(Complaint.unit == Unit.id))
        .where(Complaint.id == complaint_id)
        .first()
    )
    if complaint is None or not can_view(actor, complaint):
        raise NotFound(_("This complaint was not found."))
    return complaint


def _require_manager(actor: Any, complaint: Complaint) -> None:
    if not can_manage(actor, complaint):
        raise NotFound(_("This complaint was not found."))


def verify(actor: Any, complaint: Complaint, unit_id: Any = None) -> Complaint:
    """Diterima -> Diverifikasi: the complaint is genuine; it goes to `unit_id` (one of the
    actor's units), which may correct the citizen's choice. The deadline stays."""
    _require_manager(actor, complaint)
    unit = complaint.unit
    if unit_id:
        try:
            wanted = int(unit_id)
        except (TypeError, ValueError):
            wanted = 0
        unit = next((u for u in units_for(actor) if u.id == wanted), None)
        if unit is None:
            raise Invalid(_("Choose a unit you administer."), "unit_id")
    if unit is None:
        raise Invalid(_("Choose the unit that will handle the complaint."), "unit_id")
    return lifecycle.move(actor, complaint, VERIFIED, unit=unit)


def assign(actor: Any, complaint: Complaint, employee_id: Any) -> Complaint:
    """Diverifikasi -> Diproses (or a reassignment while Diproses): a pegawai of the complaint's
    unit (or below it) handles it and is told so."""
    _require_manager(actor, complaint)
    try:
        wanted = int(employee_id or 0)
    except (TypeError, ValueError):
        wanted = 0
    employee = next((e for e in assignable(complaint.unit_id) if e.id == wanted), None)
    if employee is None:
        raise Invalid(_("Choose a pegawai of the complaint's unit."), "employee_id")
    if complaint.status == IN_PROGRESS and complaint.assignee_id == employee.id:
        raise Conflict(_("The complaint is already assigned to this pegawai."))
    with write_transaction():
        moved = lifecycle.move(actor, complaint, IN_PROGRESS, assignee=employee)
        notify(
            employee,
            "complaint.assigned",
            _(
                "Complaint %(code)s is assigned to you; answer it by %(date)s.",
                code=moved.kode,
                date=format_date(moved.due_date),
            ),
            path_for("public_service.manage_detail", complaint_id=moved.id),
        )
    return moved


def reject(actor: Any, complaint: Complaint, reason: str | None) -> Complaint:
    """Any open state -> Ditolak, with the reason the citizen reads."""
    _require_manager(actor, complaint)
    text = clean_text(reason, MAX_REASON, multiline=True)
    if len(text) < 5:
        raise Invalid(_("Give the reason for the rejection."), "reason")
    return lifecycle.move(actor, complaint, REJECTED, note=text, reason=text, **_closing(complaint))


def _closing(complaint: Complaint, today: date | None = None) -> dict[str, Any]:
    today = today or local_today()
    return {
        "closed_on": today,
        "response_days": response_days(complaint.filed_on, today, complaint.unit),
    }


def answer(
    actor: Any, complaint: Complaint, text: str | None, today: date | None = None
) -> Complaint:
    """Diproses -> Selesai: the assigned pegawai (or the unit's admin) answers the citizen.
    (`today`: the answer's date, for seeding history; never before the filing.)"""
    if not (can_handle(actor, complaint) or can_manage(actor, complaint)):
        raise NotFound(_("This complaint was not found."))
    body = clean_text(text, MAX_ANSWER, multiline=True)
    if len(body) < 10:
        raise Invalid(_("Write the answer (at least 10 characters)."), "answer")
    return lifecycle.move(
        actor,
        complaint,
        DONE,
        answer=body,
        answered_at=utcnow(),
        answered_by=actor,
        **_closing(complaint, max(today or local_today(), complaint.filed_on)),
    )


def publish(actor: Any, complaint: Complaint, summary: str | None) -> Complaint:
    """Moderation: the admin publishes a summary without personal data and the answer, only
    when the complaint is answered and the citizen consented."""
    _require_manager(actor, complaint)
    if complaint.status != DONE:
        raise Invalid(_("Only an answered complaint can be published."))
    if not complaint.consent_publish:
        raise Invalid(_("The citizen did not consent to publication."))
    text = clean_text(summary, MAX_SUMMARY, multiline=True)
    if len(text) < 10:
        raise Invalid(
            _("Write the public summary, without names or contacts (at least 10 characters)."),
            "summary",
        )
    return lifecycle.set_fields(
        actor,
        complaint,
        "complaint.published",
        published=True,
        public_summary=text,
        published_at=utcnow(),
    )


def unpublish(actor: Any, complaint: Complaint) -> Complaint:
    """Moderation: take a published answer off the public pages."""
    _require_manager(actor, complaint)
    if not complaint.published:
        raise Conflict(_("This answer is not published."))
    return lifecycle.set_fields(actor, complaint, "complaint.unpublished", published=False)


def log_as_entry(actor: Any, complaint: Complaint) -> int:
    """One click: the handling pegawai logs the complaint as a Draf daily entry (through the
    activities' own rules), ending now and lasting `entry_minutes`; once per complaint."""
    if complaint.assignee_id != getattr(actor, "id", None) or complaint.status not in (
        IN_PROGRESS,
        DONE,
    ):
        raise NotFound(_("This complaint was not found."))
    if complaint.activity_id:
        raise Conflict(_("This complaint is already logged as a daily entry."))
    now = local_now().replace(second=0, microsecond=0, tzinfo=None)
    start = now - timedelta(minutes=setting("entry_minutes"))
    if start.date() != now.date():
        start = datetime.combine(now.date(), datetime.min.time())
    if start >= now:
        raise Invalid(_("It is too early today to log this; add the entry on the activities page."))
    data = EntryInput(
        tanggal=now.date(),
        jam_mulai=start.time(),
        jam_selesai=now.time(),
        uraian=_(
            "Handling complaint %(code)s (%(category)s)",
            code=complaint.kode,
            category=complaint.kategori,
        ),
        volume=1,
        satuan=_("complaint"),
        lokasi="WFO",
    )
    with write_transaction():
        current = locked(Complaint.select().where(Complaint.id == complaint.id)).get()
        if current.activity_id:
            raise Conflict(_("This complaint is already logged as a daily entry."))
        activity = create_entry(Employee.get_by_id(actor.id), data)
        lifecycle.set_fields(actor, current, "complaint.logged", activity_id=activity.id)
    return activity.id
