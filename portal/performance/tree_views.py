"""The pohon kinerja (/kinerja/pohon), the monitoring of an admin OPD (/kinerja/monitoring, with
a reminder to those without an SKP) and the unit's IKU (/kinerja/iku)."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today
from portal.db import get_or_404
from portal.errors import NotFound
from portal.org import services as org
from portal.org.models import Unit
from portal.performance import bp, planning, tree
from portal.performance.forms import EmptyForm, IkuForm, ReminderForm
from portal.performance.models import Iku
from portal.performance.rules import can_monitor
from portal.web import respond
from portal.web.forms import attempt, done, submit
from portal.web.pagination import page_number, page_of_list


def _tahun() -> int:
    year = request.args.get("tahun", type=int) or local_today().year
    return min(max(year, 2000), 2100)


def _id_arg(name: str) -> int | None:
    value = request.args.get(name, type=int)
    return value if value and 0 < value < 2**31 else None


def _unit_arg() -> int | None:
    return _id_arg("unit")


@bp.get("/pohon")
def tree_page():
    tahun = _tahun()
    top = _id_arg("dari")
    unit, result = tree.tree_for(current_user, _unit_arg(), tahun, top)
    units = tree.tree_units(current_user) if can_monitor(current_user) else []
    args = {"unit": unit.id if units else None, "tahun": tahun, "dari": top}
    without = page_of_list(result.without_approved, page_number(request.args), args, tree.LIST_SIZE)
    return respond(
        "performance/tree.html",
        "tree_body",
        unit=unit,
        units=units,
        tree=result,
        without=without,
        tahun=tahun,
    )


def _admin_unit(unit_id: int | None) -> Unit:
    units = org.administered(current_user)
    if not units:
        raise NotFound(_("The unit was not found."))
    unit = next((u for u in units if u.id == unit_id), None) if unit_id else units[0]
    if unit is None:
        raise NotFound(_("The unit was not found."))
    return unit


@bp.get("/monitoring")
def monitoring():
    tahun = _tahun()
    unit = _admin_unit(_unit_arg())
    result = tree.monitoring(current_user, unit, tahun)
    shown = request.args.get("daftar", "")
    shown = shown if shown in tree.LISTS else tree.LISTS[0]
    args = {"unit": unit.id, "tahun": tahun, "daftar": shown}
    page = page_of_list(result.listing(shown), page_number(request.args), args, tree.LIST_SIZE)
    return respond(
        "performance/monitoring.html",
        "monitoring_list",
        unit=unit,
        units=org.administered(current_user),
        result=result,
        shown=shown,
        page=page,
        tahun=tahun,
        states=tree.STATES,
        form=ReminderForm(formdata=None, unit=unit.id, tahun=tahun),
    )


@bp.post("/monitoring/ingatkan")
def remind():
    form = ReminderForm()
    try:
        unit_id, tahun = int(form.unit.data or 0), int(form.tahun.data or 0)
    except ValueError:
        unit_id, tahun = 0, 0
    unit = _admin_unit(unit_id or None)
    tahun = min(max(tahun or local_today().year, 2000), 2100)
    next_url = url_for("performance.monitoring", unit=unit.id, tahun=tahun)
    if not form.validate_on_submit():
        return done(_("The form has expired. Please try again."), next_url, category="danger")
    outcome = attempt(lambda: tree.remind_missing(current_user, unit, tahun))
    return done(
        _("%(count)s reminder(s) sent.", count=outcome.result or 0) if outcome.ok else None,
        next_url,
    )


def _iku_page(form: IkuForm | None = None, status: int = 200):
    tahun = _tahun()
    unit = _admin_unit(_unit_arg())
    units = org.administered(current_user)
    if form is None:
        form = IkuForm(formdata=None, unit=unit.get_id(), tahun=tahun)
    form.unit.choices = [SelectChoice(u.id, u.nama) for u in units]
    return respond(
        "performance/iku.html",
        status=status,
        unit=unit,
        units=units,
        tahun=tahun,
        rows=planning.iku_of(unit, tahun),
        form=form,
        empty_form=EmptyForm(),
    )


@bp.route("/iku", methods=["GET", "POST"])
def iku():
    if request.method == "GET":
        return _iku_page()
    form = IkuForm()

    def action():
        unit = Unit.get_or_none(Unit.id == (form.unit.data or 0))
        if unit is None:
            raise NotFound(_("The unit was not found."))
        data = planning.IkuInput(
            tahun=form.tahun.data or local_today().year,
            perspektif=form.perspektif.data or "",
            sasaran=form.sasaran.data or "",
            indikator=form.indikator.data or "",
            target=form.target.data or "",
        )
        return planning.save_iku(current_user, unit, data)

    outcome = submit(form, action)
    if outcome.ok:
        saved = outcome.result
        return done(
            _("The IKU was saved."),
            url_for("performance.iku", unit=saved.unit_id, tahun=saved.tahun),
        )
    return _iku_page(form, outcome.status)


@bp.post("/iku/<int:iku_id>/hapus")
def delete_iku(iku_id):
    row = get_or_404(Iku, iku_id)
    if not can_monitor(current_user):
        raise NotFound(_("The IKU was not found."))
    next_url = url_for("performance.iku", unit=row.unit_id, tahun=row.tahun)
    if not EmptyForm().validate_on_submit():
        return done(_("The form has expired. Please try again."), next_url, category="danger")
    outcome = attempt(lambda: planning.deactivate_iku(current_user, row))
    return done(_("The IKU was removed.") if outcome.ok else None, next_url)
