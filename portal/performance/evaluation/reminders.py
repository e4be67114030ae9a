"""Reminders before an evaluation window closes (`performance.reminder_days` before), through
the notifications: pegawai whose realisasi is not yet sent, and penilai with evaluations not
yet final. One notice per person and period (deduplicated): running it again sends nothing new.
A fixed number of queries per open period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from portal import settings
from portal.notifications.services import Notice, notify_many
from portal.org.models import Employee
from portal.performance.evaluation import periods
from portal.performance.models import (
    APPROVED,
    EV_DRAFT,
    EV_FINAL,
    Evaluation,
    EvaluationPeriod,
    Skp,
)
from portal.web.paths import path_for


@dataclass
class Sent:
    pegawai: int = 0
    penilai: int = 0


def _message(person: Employee, penilai: bool, period: EvaluationPeriod) -> str:
    with force_locale(person.language or "id"):
        name, closes = periods.label(period), period.closes_on.strftime("%d-%m-%Y")
        if penilai:
            return _("Rate your team for %(period)s by %(date)s.", period=name, date=closes)
        return _("Report your realisasi for %(period)s by %(date)s.", period=name, date=closes)


def send(today: date) -> Sent:
    """Notices for every period whose window closes within the reminder days."""
    days = int(settings.get("performance.reminder_days"))
    sent = Sent()
    closing = EvaluationPeriod.select().where(
        EvaluationPeriod.opens_on <= today,
        EvaluationPeriod.closes_on >= today,
        EvaluationPeriod.closes_on <= today + timedelta(days=days),
    )
    for period in closing:
        skps = list(
            Skp.select(Skp, Employee)
            .join(Employee, on=(Skp.employee == Employee.id))
            .where(
                Skp.status == APPROVED,
                Skp.superseded_at.is_null(),
                Skp.start_date <= period.end_date,
                Skp.end_date >= period.start_date,
                Employee.active == True,  # noqa: E712
            )
        )
        evaluations = {
            e.skp_id: e
            for e in Evaluation.select().where(
                Evaluation.period == period.id, Evaluation.skp.in_([s.id for s in skps] or [0])
            )
        }
        notices, penilai_ids = [], set()
        for skp in skps:
            evaluation = evaluations.get(skp.id)
            if evaluation is None or evaluation.status == EV_DRAFT:
                notices.append(
                    Notice(
                        skp.employee,
                        "evaluation_reminder",
                        _message(skp.employee, False, period),
                        path_for("evaluation.index"),
                        f"evaluation-reminder:{period.id}",
                    )
                )
                sent.pegawai += 1
            if skp.penilai_id and (evaluation is None or evaluation.status != EV_FINAL):
                penilai_ids.add(skp.penilai_id)
        for penilai in Employee.select().where(Employee.id.in_(list(penilai_ids) or [0])):
            notices.append(
                Notice(
                    penilai,
                    "evaluation_reminder",
                    _message(penilai, True, period),
                    path_for("evaluation.index", periode=period.id),
                    f"evaluation-rating-reminder:{period.id}",
                )
            )
            sent.penilai += 1
        notify_many(notices)
    return sent
