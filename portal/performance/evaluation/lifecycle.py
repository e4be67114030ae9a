"""The one owner of every evaluation state change: open an evaluation of an SKP for a period,
the pegawai's realisasi and its submission, the penilai's ratings (the predikat from the
matrix stored with them) and "Tetapkan", calibration of an annual predikat before it is final,
and the keberatan (filed within 14 days, decided once by the atasan pejabat penilai).

Every change is a conditional UPDATE on the expected `status` (and the `revision` the actor
saw) whose row count is checked: two atasan sessions rating one evaluation give one winner and
`Conflict` (409) to the other, on SQLite and MariaDB alike. Each writes an audit row in the same
transaction; the other side is notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import peewee as pw
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.audit.services import record
from portal.clock import utcnow
from portal.db import db, write_transaction
from portal.errors import Conflict, Forbidden, Invalid
from portal.notifications.services import notify
from portal.org.models import Employee
from portal.performance import rules as skp_rules
from portal.performance.evaluation import periods
from portal.performance.evaluation.rules import (
    can_calibrate,
    can_fill,
    can_rate,
    can_view,
    is_penilai,
    predikat_labels,
    predikat_of,
    require,
)
from portal.performance.models import (
    ANNUAL,
    EV_DRAFT,
    EV_FINAL,
    EV_OPEN,
    EV_SUBMITTED,
    PREDIKAT,
    RATINGS,
    Evaluation,
    EvaluationPeriod,
    Feedback,
    Indicator,
    Realisasi,
    Rhk,
    Skp,
)
from portal.web.paths import path_for

TEXT_MAX = 4000
LINKS_MAX = 5
LINK_MAX = 500


def snapshot(evaluation: Evaluation) -> dict[str, Any]:
    return {
        "status": evaluation.status,
        "revision": evaluation.revision,
        "hasil": evaluation.hasil,
        "perilaku": evaluation.perilaku,
        "predikat": evaluation.predikat,
    }


def tell(recipient_id: int | None, kind: str, message_fn, evaluation: Evaluation) -> None:
    if recipient_id is None:
        return
    recipient = Employee.get_or_none(Employee.id == recipient_id)
    if recipient is None:
        return
    with force_locale(recipient.language or "id"):
        message = message_fn()
    notify(recipient, kind, message, path_for("evaluation.detail", evaluation_id=evaluation.id))


def _guarded(
    evaluation: Evaluation, expected: tuple[str, ...], revision: int | None, **changes
) -> None:
    """UPDATE the evaluation WHERE its status is one of `expected` (and its revision is
    `revision`); no row changed means someone else got there first: Conflict."""
    condition = (Evaluation.id == evaluation.id) & Evaluation.status.in_(expected)
    if revision is not None:
        condition &= Evaluation.revision == revision
    changed = (
        Evaluation.update(revision=Evaluation.revision + 1, updated_at=utcnow(), **changes)
        .where(condition)
        .execute()
    )
    if not changed:
        raise Conflict(
            _("This evaluation was changed by someone else in the meantime. Reload the page.")
        )
    evaluation.__data__.update(Evaluation.get_by_id(evaluation.id).__data__)


# --- opening ---------------------------------------------------------------------------------


def open_evaluation(actor: Employee, skp: Skp, period: EvaluationPeriod) -> Evaluation:
    """The pegawai or their penilai opens the evaluation of an effective SKP for a period that
    overlaps it (or gets the one already open)."""
    skp_rules.require(skp_rules.can_view(actor, skp))
    if not (skp.employee_id == actor.id or skp_rules.is_penilai(actor, skp)):
        raise Forbidden(_("Only the pegawai or their penilai opens an evaluation."))
    if not skp.effective:
        raise Conflict(_("Only an approved SKP is evaluated."))
    if skp.start_date > period.end_date or skp.end_date < period.start_date:
        raise Conflict(_("This SKP does not cover the period."))
    if skp.employee_id == actor.id:
        _require_window(period)
    existing = Evaluation.get_or_none(Evaluation.period == period.id, Evaluation.skp == skp.id)
    if existing is not None:
        return existing
    try:
        with db.atomic():
            evaluation = Evaluation.create(
                period=period,
                skp=skp,
                employee=skp.employee_id,
                penilai=skp.penilai_id,
                unit=skp.unit_id,
            )
    except pw.IntegrityError:
        return Evaluation.get(Evaluation.period == period.id, Evaluation.skp == skp.id)
    record(actor, "evaluation.open", evaluation, after=snapshot(evaluation))
    return evaluation


def _require_window(period: EvaluationPeriod) -> None:
    """The pegawai reports realisasi only while the period's window is open."""
    if not periods.is_open(period):
        raise Conflict(
            _(
                "Realisasi for this period can be reported from %(start)s to %(end)s.",
                start=period.opens_on.strftime("%d-%m-%Y"),
                end=period.closes_on.strftime("%d-%m-%Y"),
            )
        )


# --- realisasi -------------------------------------------------------------------------------


@dataclass
class RealisasiInput:
    angka: Decimal | None = None
    uraian: str = ""
    bukti: str = ""


def _links(text: str, number: int) -> str:
    links = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(links) > LINKS_MAX:
        raise Invalid(
            _("At most %(max)s evidence links per indicator.", max=LINKS_MAX),
            field=f"bukti{number}",
        )
    for link in links:
        if not link.startswith(("https://", "http://")) or len(link) > LINK_MAX or " " in link:
            raise Invalid(
                _("Each evidence link must be a web address (https://...), one a line."),
                field=f"bukti{number}",
            )
    return "\n".join(links)


def save_realisasi(
    actor: Employee,
    evaluation: Evaluation,
    items: dict[int, RealisasiInput],
    self_note: str = "",
    revision: int | None = None,
) -> Evaluation:
    """The pegawai saves realisasi per indicator of the evaluated SKP (others are ignored)
    and an optional self-assessment, while the evaluation is a draft."""
    require(can_view(actor, evaluation))
    if not can_fill(actor, evaluation):
        raise Conflict(_("Realisasi can only be changed by the pegawai before it is submitted."))
    _require_window(evaluation.period)
    if len(self_note or "") > TEXT_MAX:
        raise Invalid(_("The text is too long."), field="self_note")
    indicator_ids = {
        row.id
        for row in Indicator.select(Indicator.id).join(Rhk).where(Rhk.skp == evaluation.skp_id)
    }
    cleaned: dict[int, RealisasiInput] = {}
    for indicator_id, item in items.items():
        if indicator_id not in indicator_ids:
            continue
        if item.angka is not None and not Decimal(0) <= item.angka < Decimal(10) ** 14:
            raise Invalid(_("Enter a number from 0."), field=f"angka{indicator_id}")
        if len(item.uraian or "") > TEXT_MAX:
            raise Invalid(_("The text is too long."), field=f"uraian{indicator_id}")
        cleaned[indicator_id] = RealisasiInput(
            item.angka, (item.uraian or "").strip(), _links(item.bukti, indicator_id)
        )
    with write_transaction():
        _guarded(evaluation, (EV_DRAFT,), revision, self_note=(self_note or "").strip())
        existing = {
            row.indicator_id: row
            for row in Realisasi.select().where(Realisasi.evaluation == evaluation.id)
        }
        for indicator_id, item in cleaned.items():
            row = existing.get(indicator_id)
            if row is None:
                Realisasi.create(
                    evaluation=evaluation,
                    indicator=indicator_id,
                    angka=item.angka,
                    uraian=item.uraian,
                    bukti=item.bukti,
                )
            elif (row.angka, row.uraian, row.bukti) != (item.angka, item.uraian, item.bukti):
                Realisasi.update(
                    angka=item.angka, uraian=item.uraian, bukti=item.bukti, updated_at=utcnow()
                ).where(Realisasi.id == row.id).execute()
        record(actor, "evaluation.realisasi", evaluation, after={"indicators": len(cleaned)})
    return evaluation


def submit_realisasi(actor: Employee, evaluation: Evaluation, revision: int | None = None):
    """The pegawai sends their realisasi to the penilai (it is then read-only)."""
    require(can_view(actor, evaluation))
    if evaluation.employee_id != actor.id:
        raise Conflict(_("Only the pegawai submits their realisasi."))
    _require_window(evaluation.period)
    with write_transaction():
        before = snapshot(evaluation)
        _guarded(evaluation, (EV_DRAFT,), revision, status=EV_SUBMITTED, submitted_at=utcnow())
        record(actor, "evaluation.submit", evaluation, before=before, after=snapshot(evaluation))
        tell(
            evaluation.penilai_id,
            "evaluation_submitted",
            lambda: _("%(name)s submitted their realisasi for rating.", name=actor.nama),
            evaluation,
        )
    return evaluation


# --- rating and Tetapkan -----------------------------------------------------------------------


@dataclass
class RatingInput:
    hasil: str | None
    perilaku: str | None
    feedback: dict[str, str]  # "rhk:<lineage>" | "nilai:<kode>" -> umpan balik


def _feedback_keys(evaluation: Evaluation) -> set[str]:
    rhk_keys = {
        f"rhk:{row.lineage or row.id}"
        for row in Rhk.select(Rhk.id, Rhk.lineage).where(Rhk.skp == evaluation.skp_id)
    }
    return rhk_keys | {f"nilai:{kode}" for kode in skp_rules.value_codes()}


def rate(
    actor: Employee, evaluation: Evaluation, rating: RatingInput, revision: int | None = None
) -> Evaluation:
    """The penilai writes umpan balik per RHK and per BerAKHLAK value and rates hasil kerja and
    perilaku kerja; the predikat the matrix gives is stored with the ratings."""
    require(can_view(actor, evaluation))
    if not can_rate(actor, evaluation):
        raise Conflict(_("Only the penilai rates, until the predikat is set."))
    for name, value in (("hasil", rating.hasil), ("perilaku", rating.perilaku)):
        if value is not None and value not in RATINGS:
            raise Invalid(_("Choose a rating."), field=name)
    keys = _feedback_keys(evaluation)
    texts = {key: (text or "").strip() for key, text in rating.feedback.items() if key in keys}
    for key, text in texts.items():
        if len(text) > TEXT_MAX:
            raise Invalid(_("The text is too long."), field=key)
    with write_transaction():
        before = snapshot(evaluation)
        _guarded(
            evaluation,
            EV_OPEN,
            revision,
            hasil=rating.hasil,
            perilaku=rating.perilaku,
            predikat=predikat_of(rating.hasil, rating.perilaku),
            rated_by=actor.id,
            rated_at=utcnow(),
        )
        existing = {
            row.key: row for row in Feedback.select().where(Feedback.evaluation == evaluation.id)
        }
        for key, text in texts.items():
            row = existing.get(key)
            if row is None:
                if text:
                    Feedback.create(evaluation=evaluation, key=key, umpan_balik=text)
            elif row.umpan_balik != text:
                Feedback.update(umpan_balik=text, updated_at=utcnow()).where(
                    Feedback.id == row.id
                ).execute()
        record(actor, "evaluation.rate", evaluation, before=before, after=snapshot(evaluation))
    return evaluation


def finalize(actor: Employee, evaluation: Evaluation, revision: int | None = None) -> Evaluation:
    """ "Tetapkan": the penilai makes the ratings and predikat final; the pegawai is notified
    and may object within 14 days."""
    require(can_view(actor, evaluation))
    if not is_penilai(actor, evaluation):
        raise Conflict(_("Only the penilai sets the predikat."))
    if evaluation.predikat is None:
        raise Invalid(_("Rate hasil kerja and perilaku kerja first."))
    with write_transaction():
        before = snapshot(evaluation)
        _guarded(
            evaluation,
            EV_OPEN,
            revision,
            status=EV_FINAL,
            finalized_at=utcnow(),
            finalized_by=actor.id,
        )
        record(actor, "evaluation.finalize", evaluation, before=before, after=snapshot(evaluation))
        predikat = evaluation.predikat
        tell(
            evaluation.employee_id,
            "evaluation_final",
            lambda: _(
                "Your performance evaluation is final: %(predikat)s.",
                predikat=predikat_labels().get(predikat or "", predikat),
            ),
            evaluation,
        )
    return evaluation


def calibrate(actor: Employee, evaluation: Evaluation, predikat: str, reason: str) -> Evaluation:
    """The Kepala OPD (or admin OPD) changes the predikat of an annual evaluation before it is
    final, with a written reason (audited); afterwards only a keberatan changes it."""
    require(can_view(actor, evaluation))
    if not can_calibrate(actor, evaluation.unit_id):
        raise Forbidden(_("Only the Kepala OPD calibrates the predikat of the unit."))
    if evaluation.period.jenis != ANNUAL:
        raise Conflict(_("Only annual predikat are calibrated."))
    if predikat not in PREDIKAT:
        raise Invalid(_("Choose a predikat."), field="predikat")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(_("Write the reason for the calibration."), field="reason")
    if len(reason) > TEXT_MAX:
        raise Invalid(_("The text is too long."), field="reason")
    if evaluation.predikat is None:
        raise Conflict(_("The penilai has not rated yet."))
    with write_transaction():
        before = snapshot(evaluation)
        _guarded(evaluation, EV_OPEN, None, predikat=predikat, calibration_note=reason)
        record(
            actor,
            "evaluation.calibrate",
            evaluation,
            before=before,
            after=snapshot(evaluation),
            note=reason,
        )
    return evaluation


# --- the predikat after a keberatan ------------------------------------------------------------


def apply_objection_decision(actor: Employee, evaluation: Evaluation, predikat: str) -> None:
    """Inside the caller's write transaction (portal/performance/evaluation/objections.py): an
    accepted keberatan gives a final evaluation its new predikat, audited."""
    before = snapshot(evaluation)
    _guarded(evaluation, (EV_FINAL,), None, predikat=predikat)
    record(actor, "evaluation.predikat", evaluation, before=before, after=snapshot(evaluation))
