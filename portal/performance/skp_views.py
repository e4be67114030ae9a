"""The SKP pages at /kinerja/skp: my SKP and my team's, one SKP with its RHK, indicators,
perilaku and lampiran edited inline (htmx inside real forms: everything works without
JavaScript), submit, approve or return with a note, a new version, sharing an RHK down."""

from __future__ import annotations

from decimal import Decimal

from flask import request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today
from portal.db import get_or_404
from portal.errors import NotFound
from portal.performance import bp, lifecycle, pages, planning
from portal.performance.forms import (
    CreateSkpForm,
    DecisionForm,
    EmptyForm,
    ExpectationForm,
    IndicatorForm,
    LampiranForm,
    RhkForm,
    ShareForm,
)
from portal.performance.models import Rhk, Skp
from portal.performance.rules import can_view, is_atasan, require
from portal.web import nav, respond
from portal.web.forms import attempt, done, submit


def _skp(skp_id: int) -> Skp:
    skp = get_or_404(Skp, skp_id)
    require(can_view(current_user, skp))
    return skp


def _next(skp: Skp) -> str:
    return url_for("performance.detail", skp_id=skp.id)


# --- my SKP and my team's ----------------------------------------------------------------------


def _index(form: CreateSkpForm | None = None, status: int = 200) -> Response:
    nav.facts(current_user)  # first: the facts' one statement says whether they lead a team
    mine = pages.my_skps(current_user)
    if form is None:
        form = CreateSkpForm(tahun=local_today().year)
    form.salin_dari.choices = [
        SelectChoice(0, _("An empty SKP")),
        *(SelectChoice(s.id, _("A copy of my SKP %(year)s", year=s.tahun)) for s in mine),
    ]
    return respond(
        "performance/index.html",
        status=status,
        mine=mine,
        team=pages.team(current_user) if is_atasan(current_user) else [],
        form=form,
    )


@bp.get("/skp")
def index():
    return _index()


@bp.post("/skp")
def create():
    form = CreateSkpForm()
    form.salin_dari.choices = []

    def action():
        source = None
        if form.salin_dari.data:
            source = Skp.get_or_none(Skp.id == form.salin_dari.data)
            if source is None:
                raise NotFound(_("The SKP was not found."))
        return lifecycle.create_skp(current_user, current_user, form.tahun.data, source)

    outcome = submit(form, action)
    if outcome.ok:
        return done(_("The SKP draft was created."), _next(outcome.result))
    return _index(form, outcome.status)


# --- one SKP -----------------------------------------------------------------------------------


def _rhk_form(page: pages.SkpPage, rhk: Rhk | None = None, formdata=None) -> RhkForm:
    prefix = f"rhk{rhk.id}" if rhk else "baru"
    if rhk is not None and formdata is None:
        form = RhkForm(
            prefix=prefix,
            formdata=None,
            jenis=rhk.jenis,
            uraian=rhk.uraian,
            intervenes=rhk.intervenes_id or 0,
            iku=rhk.iku_id or 0,
            perspektif=rhk.perspektif,
        )
    else:
        form = RhkForm(prefix=prefix, formdata=None)
    _set_choices(form, page)
    return form


def _set_choices(form: RhkForm, page: pages.SkpPage) -> None:
    form.intervenes.choices = [
        SelectChoice(0, _("— not yet linked —")),
        *(SelectChoice(value, label) for value, label in page.link_choices),
    ]
    form.iku.choices = [
        SelectChoice(0, "—"),
        *(SelectChoice(i.id, f"{i.perspektif}: {i.sasaran}") for i in page.iku_choices),
    ]


def _context(skp: Skp, **forms) -> dict:
    page = pages.skp_page(current_user, skp)
    context = {
        "page": page,
        "skp": page.skp,
        "rhk_form": forms.get("rhk_form") or _rhk_form(page),
        "edit_rhk": forms.get("edit_rhk"),
        "edit_form": forms.get("edit_form"),
        "indicator_forms": forms.get("indicator_forms", {}),
        "lampiran_form": forms.get("lampiran_form")
        or LampiranForm(
            formdata=None,
            pendekatan=skp.pendekatan,
            dukungan_sumber_daya=skp.dukungan_sumber_daya,
            skema_pertanggungjawaban=skp.skema_pertanggungjawaban,
            konsekuensi=skp.konsekuensi,
        ),
        "expectation_form": forms.get("expectation_form")
        or ExpectationForm(
            formdata=None, **{row.value.kode: row.ekspektasi for row in page.values}
        ),
        "decision_form": forms.get("decision_form")
        or DecisionForm(formdata=None, revision=skp.revision),
        "empty_form": EmptyForm(),
        "indicator_form": lambda rhk_id: IndicatorForm(prefix=f"ind{rhk_id}", formdata=None),
    }
    if context["edit_rhk"] is not None and context["edit_form"] is None:
        context["edit_form"] = _rhk_form(page, context["edit_rhk"])
    return context


def _detail(skp: Skp, block: str | None = None, status: int = 200, **forms) -> Response:
    return respond("performance/detail.html", block, status=status, **_context(skp, **forms))


@bp.get("/skp/<int:skp_id>")
def detail(skp_id):
    return _detail(_skp(skp_id))


def _rhk_input(form: RhkForm) -> planning.RhkInput:
    return planning.RhkInput(
        jenis=form.jenis.data or "utama",
        uraian=form.uraian.data or "",
        intervenes_id=form.intervenes.data or None,
        iku_id=form.iku.data or None,
        perspektif=form.perspektif.data or "",
    )


@bp.post("/skp/<int:skp_id>/rhk")
def add_rhk(skp_id):
    skp = _skp(skp_id)
    form = RhkForm(prefix="baru")
    form.intervenes.choices = form.iku.choices = []
    outcome = submit(form, lambda: planning.add_rhk(current_user, skp, _rhk_input(form)))
    if outcome.ok:
        return done(
            _("The RHK was added."),
            _next(skp) + "#rhk",
            fragment=lambda: _detail(Skp.get_by_id(skp.id), "rhk_section"),
        )
    return _detail(skp, "rhk_section", outcome.status, rhk_form=_refill(skp, form))


def _refill(skp: Skp, form: RhkForm) -> RhkForm:
    page = pages.skp_page(current_user, skp)
    _set_choices(form, page)
    return form


def _own_rhk(skp: Skp, rhk_id: int) -> Rhk:
    rhk = Rhk.get_or_none(Rhk.id == rhk_id, Rhk.skp == skp.id)
    if rhk is None:
        raise NotFound(_("The RHK was not found."))
    return rhk


@bp.get("/skp/<int:skp_id>/rhk/<int:rhk_id>/ubah")
def edit_rhk(skp_id, rhk_id):
    skp = _skp(skp_id)
    rhk = _own_rhk(skp, rhk_id)
    return _detail(skp, "rhk_section", edit_rhk=rhk)


@bp.post("/skp/<int:skp_id>/rhk/<int:rhk_id>")
def update_rhk(skp_id, rhk_id):
    skp = _skp(skp_id)
    rhk = _own_rhk(skp, rhk_id)
    form = RhkForm(prefix=f"rhk{rhk.id}")
    form.intervenes.choices = form.iku.choices = []
    outcome = submit(form, lambda: planning.update_rhk(current_user, skp, rhk.id, _rhk_input(form)))
    if outcome.ok:
        return done(
            _("The RHK was saved."),
            _next(skp) + f"#rhk-{rhk.id}",
            fragment=lambda: _detail(Skp.get_by_id(skp.id), "rhk_section"),
        )
    return _detail(skp, "rhk_section", outcome.status, edit_rhk=rhk, edit_form=_refill(skp, form))


@bp.post("/skp/<int:skp_id>/rhk/<int:rhk_id>/hapus")
def delete_rhk(skp_id, rhk_id):
    skp = _skp(skp_id)
    return _button(
        skp,
        lambda: planning.delete_rhk(current_user, skp, rhk_id),
        _("The RHK was deleted."),
        "rhk_section",
    )


@bp.post("/skp/<int:skp_id>/rhk/<int:rhk_id>/indikator")
def add_indicator(skp_id, rhk_id):
    skp = _skp(skp_id)
    rhk = _own_rhk(skp, rhk_id)
    form = IndicatorForm(prefix=f"ind{rhk.id}")

    def action():
        data = planning.IndicatorInput(
            aspek=form.aspek.data or "kualitatif",
            uraian=form.uraian.data or "",
            target_angka=Decimal(form.target_angka.data)
            if form.target_angka.data is not None
            else None,
            satuan=form.satuan.data or "",
            target_uraian=form.target_uraian.data or "",
        )
        return planning.add_indicator(current_user, skp, rhk.id, data)

    outcome = submit(form, action)
    if outcome.ok:
        return done(
            _("The indicator was added."),
            _next(skp) + f"#rhk-{rhk.id}",
            fragment=lambda: _detail(Skp.get_by_id(skp.id), "rhk_section"),
        )
    return _detail(skp, "rhk_section", outcome.status, indicator_forms={rhk.id: form})


@bp.post("/skp/<int:skp_id>/indikator/<int:indicator_id>/hapus")
def delete_indicator(skp_id, indicator_id):
    skp = _skp(skp_id)
    return _button(
        skp,
        lambda: planning.delete_indicator(current_user, skp, indicator_id),
        _("The indicator was deleted."),
        "rhk_section",
    )


@bp.post("/skp/<int:skp_id>/lampiran")
def lampiran(skp_id):
    skp = _skp(skp_id)
    form = LampiranForm()

    def action():
        data = planning.LampiranInput(
            dukungan_sumber_daya=form.dukungan_sumber_daya.data or "",
            skema_pertanggungjawaban=form.skema_pertanggungjawaban.data or "",
            konsekuensi=form.konsekuensi.data or "",
            pendekatan=form.pendekatan.data or "",
        )
        return planning.update_lampiran(current_user, skp, data)

    outcome = submit(form, action)
    if outcome.ok:
        return done(_("The lampiran was saved."), _next(skp) + "#lampiran")
    return _detail(skp, None, outcome.status, lampiran_form=form)


@bp.post("/skp/<int:skp_id>/perilaku")
def expectations(skp_id):
    skp = _skp(skp_id)
    form = ExpectationForm()
    outcome = submit(
        form, lambda: planning.set_expectations(current_user, skp, form.expectations())
    )
    if outcome.ok:
        return done(_("The ekspektasi khusus were saved."), _next(skp) + "#perilaku")
    return _detail(skp, None, outcome.status, expectation_form=form)


def _button(skp: Skp, action, message: str, block: str | None = None) -> Response:
    form = EmptyForm()
    if not form.validate_on_submit():
        return _detail(skp, block, 400)
    outcome = attempt(action)
    if not outcome.ok:
        return _detail(Skp.get_by_id(skp.id), block, outcome.status)
    return done(message, _next(skp), fragment=lambda: _detail(Skp.get_by_id(skp.id), block))


@bp.post("/skp/<int:skp_id>/ajukan")
def submit_skp(skp_id):
    skp = _skp(skp_id)
    return _button(
        skp,
        lambda: lifecycle.submit_skp(current_user, skp),
        _("The SKP was submitted to your atasan."),
    )


def _revision(form: DecisionForm) -> int | None:
    try:
        return int(form.revision.data)
    except (TypeError, ValueError):
        return None


@bp.post("/skp/<int:skp_id>/setujui")
def approve(skp_id):
    skp = _skp(skp_id)
    form = DecisionForm()
    outcome = submit(
        form, lambda: lifecycle.approve_skp(current_user, skp, revision=_revision(form))
    )
    if outcome.ok:
        return done(_("The SKP was approved."), _next(skp))
    return _detail(Skp.get_by_id(skp.id), None, outcome.status, decision_form=form)


@bp.post("/skp/<int:skp_id>/kembalikan")
def return_skp(skp_id):
    skp = _skp(skp_id)
    form = DecisionForm()
    outcome = submit(
        form,
        lambda: lifecycle.return_skp(
            current_user, skp, form.note.data or "", revision=_revision(form)
        ),
    )
    if outcome.ok:
        return done(_("The SKP was returned with your note."), _next(skp))
    return _detail(Skp.get_by_id(skp.id), None, outcome.status, decision_form=form)


@bp.post("/skp/<int:skp_id>/versi-baru")
def new_version(skp_id):
    skp = _skp(skp_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        return _detail(skp, None, 400)
    outcome = attempt(lambda: lifecycle.new_version(current_user, skp))
    if not outcome.ok:
        return _detail(Skp.get_by_id(skp.id), None, outcome.status)
    return done(_("A new version was opened as a draft."), _next(outcome.result))


# --- sharing an RHK down ------------------------------------------------------------------------


def _shared_rhk(rhk_id: int) -> Rhk:
    rhk = get_or_404(Rhk, rhk_id)
    if rhk.skp.employee_id != current_user.id:
        raise NotFound(_("The RHK was not found."))
    return rhk


@bp.route("/rhk/<int:rhk_id>/bagikan", methods=["GET", "POST"])
def share(rhk_id):
    rhk = _shared_rhk(rhk_id)
    form = ShareForm()
    form.employees.choices = [
        SelectChoice(e.id, f"{e.nama} — {e.jabatan}")
        for e in planning.share_candidates(current_user)
    ]
    status = 200
    if request.method == "POST":
        outcome = submit(
            form, lambda: planning.share_rhk(current_user, rhk, form.employees.data or [])
        )
        if outcome.ok:
            result = outcome.result
            message = _("Shared with %(count)s subordinate(s).", count=len(result.shared))
            if result.skipped:
                message += " " + _(
                    "Not shared with: %(names)s.",
                    names="; ".join(f"{e.nama} ({reason})" for e, reason in result.skipped),
                )
            return done(message, _next(rhk.skp))
        status = outcome.status
    return respond("performance/share.html", status=status, rhk=rhk, form=form)
