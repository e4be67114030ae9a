"""Umpan balik berkelanjutan: a thread on each entry and a monthly dialog kinerja thread per
pegawai, between the pegawai and their atasan chain (and whoever acts for one of them).
Anyone else gets 404. Each message notifies the other side."""

from datetime import date
from typing import Any

import peewee as pw
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.activities.models import Activity
from portal.audit.services import record
from portal.db import write_transaction
from portal.errors import Invalid, NotFound
from portal.notifications.services import notify
from portal.org.models import Employee
from portal.reviews.acting import acting_assignments
from portal.reviews.models import Feedback
from portal.reviews.scope import can_view_entry, chain_ids, in_chain, scope_for
from portal.web.formatting import tanggal
from portal.web.paths import path_for
from portal.web.validators import visible_text

BODY_MAX = 4000


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def parse_period(text: object) -> date | None:
    """'2026-11' -> date(2026, 11, 1), or None."""
    try:
        year, month = (int(part) for part in str(text).split("-"))
        if 2000 <= year <= 2100:
            return date(year, month, 1)
    except ValueError:
        return None
    return None


def can_open_thread(actor: Employee, employee: Employee) -> bool:
    """The pegawai, their atasan chain, and anyone acting for one of them today."""
    return actor.id == employee.id or in_chain(actor, employee)


def messages(
    employee: Employee, activity: Activity | None = None, period: date | None = None
) -> list[Feedback]:
    """The thread, oldest first, with authors (one query)."""
    Author = Employee.alias("author")
    ActingFor = Employee.alias("acting_for")

    query = (
        Feedback.select(Feedback, Author, ActingFor)
        .join(Author, pw.JOIN.LEFT_OUTER, on=(Feedback.author == Author.id))
        .switch(Feedback)
        .join(ActingFor, pw.JOIN.LEFT_OUTER, on=(Feedback.acting_for == ActingFor.id))
    )
    if activity is not None:
        query = query.where(Feedback.activity == activity.id)
    else:
        query = query.where(
            Feedback.employee == employee.id,
            Feedback.period == period,
            Feedback.activity.is_null(),
        )
    return list(query.order_by(Feedback.created_at, Feedback.id))


def _acting_for(actor, employee):
    """The chain member `actor` writes for when acting (None when they are in the chain)."""
    chain = chain_ids(employee)
    if actor.id == employee.id or actor.id in chain:
        return None
    for assignment in acting_assignments(actor):
        if assignment.absent_id in chain:
            return assignment.absent_id
    return None


def post(
    actor: Employee,
    employee: Employee,
    body: str | None,
    activity: Activity | None = None,
    period: date | None = None,
) -> Feedback:
    """Add a message to a thread; the pegawai or their atasan chain only (else 404)."""
    if activity is not None:
        if not can_view_entry(actor, activity):
            raise NotFound(_("The activity does not exist."))
        employee = activity.employee
        period = None
    elif not can_open_thread(actor, employee):
        raise NotFound(_("The page does not exist."))
    body = visible_text(body)
    if not body:
        raise Invalid(_("Write a message first."), "body")
    if len(body) > BODY_MAX:
        raise Invalid(_("The message may be at most %(num)d characters.", num=BODY_MAX), "body")
    with write_transaction():
        message = Feedback.create(
            employee=employee.id,
            activity=activity.id if activity is not None else None,
            period=period,
            author=actor.id,
            acting_for=_acting_for(actor, employee),
            body=body,
        )
        after = {
            "employee": employee.id,
            "activity": activity.id if activity else None,
            "period": period,
        }
        record(actor, "feedback.post", message, after=after)
        _notify(actor, employee, message, activity, period)
    return message


def _recipients(actor, employee, activity, period):
    """The other side: the pegawai when an atasan writes; when the pegawai writes, their atasan
    langsung plus every other author of the thread."""
    ids = set()
    if actor.id != employee.id:
        ids.add(employee.id)
    elif employee.supervisor_id:
        ids.add(employee.supervisor_id)
    query = Feedback.select(Feedback.author).distinct()
    if activity is not None:
        query = query.where(Feedback.activity == activity.id)
    else:
        query = query.where(
            Feedback.employee == employee.id, Feedback.period == period, Feedback.activity.is_null()
        )
    ids.update(row.author_id for row in query if row.author_id)
    ids.discard(actor.id)
    return list(Employee.select().where(Employee.id.in_(ids or {0}), Employee.active == True))  # noqa: E712


def _notify(actor, employee, message, activity, period):
    if activity is not None:
        link = path_for("reviews.entry", activity_id=activity.id) + "#umpan-balik"
    else:
        link = path_for("feedback.thread", employee_id=employee.id, period=f"{period:%Y-%m}")
    for recipient in _recipients(actor, employee, activity, period):
        with force_locale(recipient.language or "id"):
            if activity is not None:
                text = _(
                    "%(name)s wrote about the entry of %(date)s: %(text)s",
                    name=actor.nama,
                    date=tanggal(activity.tanggal),
                    text=message.body[:300],
                )
            else:
                text = _(
                    "%(name)s wrote in the performance dialog of %(month)s: %(text)s",
                    name=actor.nama,
                    month=tanggal(period, "MMMM y"),
                    text=message.body[:300],
                )
        notify(recipient, "feedback_reply", text, link)


def thread_list(actor: Employee, today: date) -> tuple[list[Any], list[tuple[int, str]]]:
    """For the feedback index: (own months, subordinates) — the pegawai's own threads and, for
    an atasan, their direct subordinates (two queries)."""

    own = list(
        Feedback.select(Feedback.period, pw.fn.COUNT(Feedback.id).alias("n"))
        .where(Feedback.employee == actor.id, Feedback.activity.is_null())
        .group_by(Feedback.period)
        .order_by(Feedback.period.desc())
        .tuples()
    )
    scope = scope_for(actor, today)
    subordinates = sorted(scope.names.items(), key=lambda item: item[1])
    return own, subordinates
