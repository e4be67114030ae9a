"""The evaluation calendar of a year: periodik evaluations every `performance.evaluation_months`
months (bulanan 1, triwulanan 3 by default, semesteran 6) plus the annual evaluation, each with
the dates its input window opens and closes. The admin makes a year's calendar and may move
the window dates; nothing else writes a period.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from flask_babel import gettext as _

from portal import settings
from portal.audit.services import record
from portal.clock import local_today
from portal.db import kept, write_transaction
from portal.errors import Conflict, Forbidden, Invalid
from portal.org import services as org
from portal.org.models import Employee
from portal.performance.models import ANNUAL, PERIODIC, EvaluationPeriod

DIVISORS = (1, 2, 3, 4, 6)


def months_per_period() -> int:
    """The setting, made a divisor of 12 (5 becomes 6)."""
    wanted = int(settings.get("performance.evaluation_months"))
    return next((m for m in DIVISORS if m >= wanted), 6)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def plan(tahun: int, months: int, window_days: int) -> list[dict]:
    """The periods of `tahun` (as row dicts) for periods of `months` months, then the annual."""
    rows = []
    for number in range(12 // months):
        start = date(tahun, number * months + 1, 1)
        end = _last_day(tahun, (number + 1) * months)
        rows.append(
            {
                "tahun": tahun,
                "jenis": PERIODIC,
                "nomor": number + 1,
                "months": months,
                "start_date": start,
                "end_date": end,
                "opens_on": start,
                "closes_on": end + timedelta(days=window_days),
            }
        )
    rows.append(
        {
            "tahun": tahun,
            "jenis": ANNUAL,
            "nomor": 0,
            "months": 12,
            "start_date": date(tahun, 1, 1),
            "end_date": date(tahun, 12, 31),
            "opens_on": date(tahun, 1, 1),
            "closes_on": date(tahun, 12, 31) + timedelta(days=window_days),
        }
    )
    return rows


def can_manage(actor: Employee) -> bool:
    return org.is_admin(actor)


def make_calendar(actor: Employee, tahun: int) -> list[EvaluationPeriod]:
    """The admin makes the calendar of `tahun` from the settings (once a year)."""
    if not can_manage(actor):
        raise Forbidden(_("Only the admin sets the evaluation calendar."))
    if not 2000 <= tahun <= 2100:
        raise Invalid(_("Choose a year."), field="tahun")
    with write_transaction():
        if EvaluationPeriod.select().where(EvaluationPeriod.tahun == tahun).exists():
            raise Conflict(_("The calendar of %(year)s already exists.", year=tahun), field="tahun")
        rows = plan(
            tahun, months_per_period(), int(settings.get("performance.evaluation_window_days"))
        )
        made = [EvaluationPeriod.create(**row) for row in rows]
        record(
            actor,
            "evaluation.calendar",
            f"{tahun}",
            after={"periods": len(made)},
            object_type="EvaluationPeriod",
        )
    return made


def move_window(actor: Employee, period: EvaluationPeriod, opens_on: date, closes_on: date) -> None:
    """The admin moves a period's input window; it must open by the period's end and close
    after it opens."""
    if not can_manage(actor):
        raise Forbidden(_("Only the admin sets the evaluation calendar."))
    if opens_on > period.end_date:
        raise Invalid(_("The window must open by the end of the period."), field="opens_on")
    if closes_on < opens_on or closes_on < period.end_date:
        raise Invalid(_("The window must close after the period ends."), field="closes_on")
    with write_transaction():
        before = {"opens_on": period.opens_on, "closes_on": period.closes_on}
        EvaluationPeriod.update(opens_on=opens_on, closes_on=closes_on).where(
            EvaluationPeriod.id == period.id
        ).execute()
        period.opens_on, period.closes_on = opens_on, closes_on
        record(
            actor,
            "evaluation.window",
            period,
            before=before,
            after={"opens_on": opens_on, "closes_on": closes_on},
        )


def of_year(tahun: int) -> list[EvaluationPeriod]:
    """The periods of `tahun`: periodik by number, then the annual."""
    query = EvaluationPeriod.select().where(EvaluationPeriod.tahun == tahun)
    rows = list(kept(query, "evaluation.periods", tahun))
    return sorted(rows, key=lambda p: (p.jenis == ANNUAL, p.nomor))


def is_open(period: EvaluationPeriod, day: date | None = None) -> bool:
    day = day or local_today()
    return period.opens_on <= day <= period.closes_on


def label(period: EvaluationPeriod) -> str:
    if period.jenis == ANNUAL:
        return _("Annual %(year)s", year=period.tahun)
    names = {1: _("Month"), 2: _("Period"), 3: _("Quarter"), 4: _("Period"), 6: _("Semester")}
    return _(
        "%(name)s %(number)s %(year)s",
        name=names.get(period.months, _("Period")),
        number=period.nomor,
        year=period.tahun,
    )
