"""The unit's distribution of annual predikat against its curve (/kinerja/evaluasi/distribusi),
the admin's organisation predikat per unit and year, and the Kepala OPD's calibration."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.clock import local_today
from portal.db import get_or_404
from portal.errors import NotFound
from portal.org.models import Unit
from portal.performance.evaluation import distribution, lifecycle
from portal.performance.evaluation.forms import CalibrationForm, UnitPredikatForm
from portal.performance.evaluation.rules import can_calibrate, org_predikat_labels
from portal.performance.evaluation.views import _evaluation, _id, bp
from portal.performance.models import EV_OPEN, Evaluation
from portal.web import pagination, respond
from portal.web.forms import done, submit


def _year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        year = local_today().year
    return min(max(year, 2000), 2100)


def _page(
    unit: Unit | None = None,
    tahun: int | None = None,
    status: int = 200,
    unit_form: UnitPredikatForm | None = None,
) -> Response:
    units = distribution.units_for(current_user)
    if not units:
        raise NotFound(_("The unit was not found."))
    if unit is None:
        wanted = _id(request.args.get("unit"))
        unit = next((u for u in units if u.id == wanted), units[0]) if wanted else units[0]
    tahun = tahun or _year(request.args.get("tahun"))
    page = pagination.page_number(request.args)
    data = distribution.distribution(current_user, unit, tahun, page)
    return respond(
        "performance/evaluation/distribution.html",
        status=status,
        data=data,
        units=units,
        org_labels=org_predikat_labels(),
        can_set=distribution.can_set_unit_predikat(current_user),
        unit_form=unit_form or UnitPredikatForm(formdata=None, predikat=data.org_predikat or ""),
        open_statuses=EV_OPEN,
    )


@bp.get("/distribusi")
def distribution_page():
    return _page()


@bp.post("/distribusi/predikat-unit")
def unit_predikat():
    unit = get_or_404(Unit, _id(request.form.get("unit")) or 0)
    tahun = _year(request.form.get("tahun"))
    form = UnitPredikatForm()
    outcome = submit(
        form,
        lambda: distribution.set_unit_predikat(current_user, unit, tahun, form.predikat.data or ""),
    )
    if outcome.ok:
        return done(
            _("The organisation predikat was saved."),
            url_for("evaluation.distribution_page", unit=unit.id, tahun=tahun),
        )
    return _page(unit, tahun, outcome.status, unit_form=form)


def _calibration(evaluation, form=None, status=200) -> Response:
    if not can_calibrate(current_user, evaluation.unit_id):
        raise NotFound(_("The evaluation was not found."))
    return respond(
        "performance/evaluation/calibration.html",
        status=status,
        ev=evaluation,
        form=form or CalibrationForm(formdata=None, predikat=evaluation.predikat or ""),
    )


@bp.get("/<int:evaluation_id>/kalibrasi")
def calibration_page(evaluation_id):
    return _calibration(_evaluation(evaluation_id))


@bp.post("/<int:evaluation_id>/kalibrasi")
def calibrate(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = CalibrationForm()
    outcome = submit(
        form,
        lambda: lifecycle.calibrate(
            current_user, evaluation, form.predikat.data or "", form.reason.data or ""
        ),
    )
    if outcome.ok:
        return done(
            _("The predikat was calibrated."),
            url_for(
                "evaluation.distribution_page",
                unit=_root_of(evaluation),
                tahun=evaluation.period.tahun,
            ),
        )
    return _calibration(Evaluation.get_by_id(evaluation.id), form, outcome.status)


def _root_of(evaluation) -> int | None:
    unit = Unit.get_by_id(evaluation.unit_id)
    root = next((u for u in distribution.units_for(current_user) if u.contains(unit)), None)
    return root.id if root else None
