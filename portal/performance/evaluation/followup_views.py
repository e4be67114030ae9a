"""Tindak lanjut at /kinerja/evaluasi/tindak-lanjut: the candidates per predikat of a unit's
final evaluations and the record of each decision (reward, pembinaan, discipline)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.errors import NotFound
from portal.performance.evaluation import distribution, followups, periods
from portal.performance.evaluation.distribution_views import _year
from portal.performance.evaluation.forms import FollowUpForm
from portal.performance.evaluation.rules import can_calibrate
from portal.performance.evaluation.views import _evaluation, _id, bp
from portal.web import respond
from portal.web.forms import done, submit


def _page(unit=None, tahun=None) -> Response:
    units = [u for u in distribution.units_for(current_user) if can_calibrate(current_user, u.id)]
    if not units:
        raise NotFound(_("The unit was not found."))
    if unit is None:
        wanted = _id(request.args.get("unit"))
        unit = next((u for u in units if u.id == wanted), units[0])
    tahun = tahun or _year(request.args.get("tahun"))
    rewards, pembinaan = followups.candidates(unit, tahun)
    return respond(
        "performance/evaluation/followups.html",
        unit=unit,
        units=units,
        tahun=tahun,
        rewards=rewards,
        pembinaan=pembinaan,
        labels=followups.labels(),
        label=periods.label,
    )


@bp.get("/tindak-lanjut")
def follow_ups():
    return _page()


def _form_page(evaluation, form=None, status=200) -> Response:
    if not can_calibrate(current_user, evaluation.unit_id):
        raise NotFound(_("The evaluation was not found."))
    return respond(
        "performance/evaluation/followup.html",
        status=status,
        ev=evaluation,
        form=form or FollowUpForm(formdata=None),
        local_rewards=followups.local_rewards(),
        label=periods.label,
    )


@bp.get("/<int:evaluation_id>/tindak-lanjut")
def follow_up_page(evaluation_id):
    return _form_page(_evaluation(evaluation_id))


@bp.post("/<int:evaluation_id>/tindak-lanjut")
def record_follow_up(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = FollowUpForm()
    outcome = submit(
        form,
        lambda: followups.record_follow_up(
            current_user,
            evaluation,
            followups.FollowUpInput(
                form.jenis.data or "",
                form.uraian.data or "",
                form.nomor_dokumen.data or "",
                form.tanggal_dokumen.data,
            ),
        ),
    )
    if outcome.ok:
        units = distribution.units_for(current_user)
        root = next((u for u in units if u.contains(evaluation.unit)), None)
        return done(
            _("The follow-up was recorded."),
            url_for(
                "evaluation.follow_ups",
                unit=root.id if root else None,
                tahun=evaluation.period.tahun,
            ),
        )
    return _form_page(evaluation, form, outcome.status)
