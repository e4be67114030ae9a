"""Calendars and reminders: the .ics of one training, the pegawai's personal feed behind a
secret token, and the day-before reminders (run from cron by `flask training-reminders`)."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from icalendar import Calendar, Event

from portal.audit.services import record
from portal.clock import timezone
from portal.db import db, utcnow
from portal.notifications.services import notify
from portal.org.models import Employee
from portal.trainings.models import (
    CANCELLED,
    CLOSED,
    DONE,
    OFFERED,
    OPEN,
    REGISTERED,
    CalendarToken,
    Registration,
    Training,
    TrainingSession,
)
from portal.trainings.rules import local_to_utc
from portal.trainings.seats import process_expired_offers

# --- the personal feed's token ---------------------------------------------------------------


def calendar_token(employee: Employee, renew: bool = False) -> str:
    """The secret token of the pegawai's personal calendar feed (created on first use)."""
    row = CalendarToken.get_or_none(CalendarToken.employee == employee.id)
    if row is not None and not renew:
        return str(row.token)
    token = secrets.token_urlsafe(24)
    with db.atomic():
        if row is None:
            CalendarToken.create(employee=employee.id, token=token)
        else:
            row.token = token
            row.save()
        record(
            employee,
            "calendar_token.renew" if renew else "calendar_token.create",
            employee,
            object_type="Employee",
        )
    return token


def employee_for_token(token: str) -> Employee | None:
    """The active pegawai whose feed this token opens, or None."""
    if not token or len(token) > 64:
        return None
    row = (
        CalendarToken.select(CalendarToken, Employee)
        .join(Employee)
        .where(CalendarToken.token == token, Employee.active == True)  # noqa: E712
        .first()
    )
    return row.employee if row else None


# --- .ics ------------------------------------------------------------------------------------


def _calendar() -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Portal Kinerja ASN//Pelatihan//ID")
    cal.add("version", "2.0")
    cal.add("x-wr-timezone", str(timezone()))
    return cal


def _add_events(
    cal: Calendar, training: Training, sessions: Sequence[TrainingSession], base_url: str
) -> None:
    tz = timezone()
    for index, session in enumerate(sessions, start=1):
        event = Event()
        event.add("uid", f"pelatihan-{training.id}-sesi-{session.id}@portal-kinerja")
        event.add("dtstamp", utcnow().replace(tzinfo=UTC))
        event.add("dtstart", session.starts_at.replace(tzinfo=UTC).astimezone(tz))
        event.add("dtend", session.ends_at.replace(tzinfo=UTC).astimezone(tz))
        title = training.judul if len(sessions) == 1 else f"{training.judul} ({index})"
        event.add("summary", title)
        description = training.deskripsi or ""
        if training.link_daring:
            description = f"{description}\n{training.link_daring}".strip()
        event.add("description", description)
        event.add("location", training.tempat or training.link_daring or "")
        event.add("url", f"{base_url}/pelatihan/{training.id}")
        event.add("status", "CANCELLED" if training.status == CANCELLED else "CONFIRMED")
        cal.add_component(event)


def training_ics(training: Training, base_url: str = "") -> bytes:
    """One event per session of the training, in the pemda's time zone."""
    cal = _calendar()
    _add_events(
        cal, training, list(training.sessions.order_by(TrainingSession.starts_at)), base_url
    )
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


def personal_ics(employee: Employee, base_url: str = "") -> bytes:
    """Every training the pegawai is registered for (or offered), two queries."""
    regs = list(
        Registration.select(Registration, Training)
        .join(Training)
        .where(
            Registration.employee == employee.id,
            Registration.status.in_((REGISTERED, OFFERED)),
            Training.status.in_((OPEN, CLOSED, DONE, CANCELLED)),
        )
    )
    trainings = {reg.training_id: reg.training for reg in regs}
    sessions: dict[int, list[TrainingSession]] = {}
    for session in (
        TrainingSession.select()
        .where(TrainingSession.training.in_(list(trainings) or [0]))
        .order_by(TrainingSession.starts_at)
    ):
        sessions.setdefault(session.training_id, []).append(session)
    cal = _calendar()
    cal.add("x-wr-calname", "Pelatihan saya")
    for tid, training in trainings.items():
        _add_events(cal, training, sessions.get(tid, []), base_url)
    cal.add_missing_timezones()
    return bytes(cal.to_ical())


# --- reminders -------------------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """Expired offers pass on; every participant of a training starting tomorrow (local) is
    reminded once (dedupe key per registration). Returns how many reminders went out."""
    now = now or utcnow()
    process_expired_offers(now=now)
    tz = timezone()
    tomorrow = now.replace(tzinfo=UTC).astimezone(tz).date() + timedelta(days=1)
    start = local_to_utc(datetime.combine(tomorrow, datetime.min.time()))
    end = start + timedelta(days=1)
    regs = list(
        Registration.select(Registration, Training)
        .join(Training)
        .where(
            Registration.status == REGISTERED,
            Training.status.in_((OPEN, CLOSED)),
            Training.starts_at >= start,
            Training.starts_at < end,
        )
    )
    sent = 0
    for reg in regs:
        starts_at = reg.training.starts_at
        if starts_at is None:  # pragma: no cover (the query asks for a start tomorrow)
            continue
        local_start = starts_at.replace(tzinfo=UTC).astimezone(tz)
        created = notify(
            reg.employee_id,
            "training_reminder",
            _(
                'Reminder: "%(judul)s" starts tomorrow at %(jam)s.',
                judul=reg.training.judul,
                jam=local_start.strftime("%H.%M"),
            ),
            f"/pelatihan/{reg.training_id}",
            dedupe_key=f"training-reminder-{reg.id}-{starts_at:%Y%m%d%H%M}",
        )
        if created is not None:
            sent += 1
    return sent
