"""The unit admins' pages of service indicators under /layanan/kelola: define an indicator, set
the year's target, enter or import the monthly realisasi, see the trend. Every action is
checked in portal.public_service.indicators (an indicator of another unit answers 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today
from portal.errors import Invalid
from portal.org import services as org
from portal.public_service import bp, chart, indicators
from portal.public_service.forms import (
    ImportForm,
    IndicatorForm,
    RhkLinkForm,
    SkmServiceForm,
    TargetForm,
    ValueForm,
)
from portal.public_service.rules import units_for
from portal.web import respond
from portal.web.forms import PortalForm, done, submit


def month_names() -> list[str]:
    return [format_date(local_today().replace(month=m, day=1), "MMMM") for m in range(1, 13)]


def year_arg() -> int:
    today = local_today()
    try:
        year = int(request.args.get("tahun", today.year))
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year)


def trend_context(
    indicator: Any,
    year: int,
    targets: dict[int, float] | None = None,
    points: list[indicators.Point] | None = None,
) -> dict:
    """The series, the target and the chart of one indicator; given `targets` and `points`
    (read for many indicators at once: `targets_of`, `series_of`), no query of its own."""
    points = indicators.series(indicator, year) if points is None else points
    target = indicators.target_of(indicator, year) if targets is None else targets.get(indicator.id)
    return {"points": points, "target": target, "chart": chart.build(points, target)}


def _require_admin() -> None:
    if not org.is_any_admin(current_user):
        abort(404)


def _render_list(
    form: IndicatorForm | None = None, status: int = 200, skm_form: SkmServiceForm | None = None
):
    units = [SelectChoice(str(u.id), u.nama) for u in units_for(current_user)]
    if form is None:
        form = IndicatorForm(formdata=None)
    form.unit_id.choices = units
    if skm_form is None:
        skm_form = SkmServiceForm(formdata=None)
    skm_form.unit_id.choices = units
    return respond(
        "public_service/indicators.html",
        None,
        status,
        items=indicators.managed(current_user),
        form=form,
        skm_form=skm_form,
    )


@bp.get("/layanan/kelola")
@login_required
def indicators_manage():
    _require_admin()
    return _render_list()


@bp.post("/layanan/kelola")
@login_required
def indicator_create():
    _require_admin()
    form = IndicatorForm()
    form.unit_id.choices = [SelectChoice(str(u.id), u.nama) for u in units_for(current_user)]
    data = indicators.IndicatorInput(
        form.unit_id.data, form.nama.data, form.satuan.data, form.direction.data, form.source.data
    )
    outcome = submit(form, lambda: indicators.create_indicator(current_user, data))
    if not outcome.ok:
        return _render_list(form, outcome.status)
    return done(
        _("The indicator was added."),
        url_for("public_service.indicator_detail", indicator_id=outcome.result.id),
    )


def _render_detail(indicator: Any, status: int = 200, **forms: Any):
    year = year_arg()
    today = local_today()
    value_form = forms.get("value_form") or ValueForm(formdata=None)
    names = month_names()
    value_form.month.choices = [
        SelectChoice(str(m), names[m - 1])
        for m in range(1, (today.month if year == today.year else 12) + 1)
    ]
    target_form = forms.get("target_form") or TargetForm(formdata=None, year=str(year))
    rhk_form = forms.get("rhk_form") or RhkLinkForm(formdata=None)
    rhk_form.rhk_id.choices = [SelectChoice("", _("— none —"))] + [
        SelectChoice(str(rhk.id), f"{rhk.skp.jabatan or ''} · {rhk.uraian}"[:160])
        for rhk in indicators.rhk_choices(indicator, year)
    ]
    if rhk_form.rhk_id.data is None and indicator.rhk_id:
        rhk_form.rhk_id.data = str(indicator.rhk_id)
    return respond(
        "public_service/indicator_detail.html",
        None,
        status,
        indicator=indicator,
        year=year,
        month_names=names,
        value_form=value_form,
        target_form=target_form,
        import_form=forms.get("import_form") or ImportForm(formdata=None),
        rhk_form=rhk_form,
        **trend_context(indicator, year),
    )


def _load(indicator_id: int) -> Any:
    return indicators.get_managed(current_user, indicator_id)


def _back(indicator: Any) -> str:
    return url_for("public_service.indicator_detail", indicator_id=indicator.id)


@bp.get("/layanan/kelola/<int:indicator_id>")
@login_required
def indicator_detail(indicator_id):
    return _render_detail(_load(indicator_id))


def _act(
    indicator: Any,
    form: PortalForm,
    form_name: str,
    action: Callable[[], Any],
    message: str | Callable[[Any], str],
) -> Response:
    """One form's action on `indicator`: `action` runs through `submit`; a refusal shows the
    page again with `form` (and its errors) as `form_name`, success flashes `message` (or
    `message(result)` of the action's result) and goes back to the indicator."""
    outcome = submit(form, action)
    if not outcome.ok:
        return _render_detail(indicator, outcome.status, **{form_name: form})
    return done(message(outcome.result) if callable(message) else message, _back(indicator))


@bp.post("/layanan/kelola/<int:indicator_id>/target")
@login_required
def indicator_target(indicator_id):
    indicator, form = _load(indicator_id), TargetForm()
    return _act(
        indicator,
        form,
        "target_form",
        lambda: indicators.set_target(current_user, indicator, form.year.data, form.target.data),
        _("The target was saved."),
    )


@bp.post("/layanan/kelola/<int:indicator_id>/realisasi")
@login_required
def indicator_value(indicator_id):
    indicator, form = _load(indicator_id), ValueForm()
    today = local_today()
    return _act(
        indicator,
        form,
        "value_form",
        lambda: indicators.record_value(
            current_user, indicator, today.year, form.month.data, form.value.data, today
        ),
        _("The realisasi was saved."),
    )


@bp.post("/layanan/kelola/<int:indicator_id>/impor")
@login_required
def indicator_import(indicator_id):
    indicator, form = _load(indicator_id), ImportForm()
    upload = form.berkas.data

    def run() -> int:
        if upload is None or not getattr(upload, "filename", ""):
            raise Invalid(_("Choose a file to upload."), "berkas")
        return indicators.import_values(
            current_user, indicator, upload.stream, upload.filename, local_today()
        )

    return _act(
        indicator,
        form,
        "import_form",
        run,
        lambda count: _("%(count)s months of realisasi were imported.", count=count),
    )


@bp.post("/layanan/kelola/<int:indicator_id>/rhk")
@login_required
def indicator_rhk(indicator_id):
    indicator, form = _load(indicator_id), RhkLinkForm()
    return _act(
        indicator,
        form,
        "rhk_form",
        lambda: indicators.link_rhk(current_user, indicator, form.rhk_id.data, local_today().year),
        _("The link to the RHK was saved."),
    )
