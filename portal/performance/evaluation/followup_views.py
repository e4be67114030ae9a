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


def _page(unit=None, tahun=None, status=200, forms=None) -> Response:
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
        status=status,
        unit=unit,
        units=units,
        tahun=tahun,
        rewards=rewards,
        pembinaan=pembinaan,
        labels=followups.labels(),
        local_rewards=followups.local_rewards(),
        forms=forms or {},
        new_form=lambda ev: FollowUpForm(prefix=f"t{ev.id}", formdata=None),
        label=periods.label,
    )


@bp.get("/tindak-lanjut")
def follow_ups():
    return _page()


@bp.post("/<int:evaluation_id>/tindak-lanjut")
def record_follow_up(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = FollowUpForm(prefix=f"t{evaluation.id}")
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
    units = distribution.units_for(current_user)
    root = next((u for u in units if u.contains(evaluation.unit)), None)
    if outcome.ok:
        return done(
            _("The follow-up was recorded."),
            url_for(
                "evaluation.follow_ups",
                unit=root.id if root else None,
                tahun=evaluation.period.tahun,
            ),
        )
    return _page(root, evaluation.period.tahun, outcome.status, {evaluation.id: form})
