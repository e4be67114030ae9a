"""The evaluation pages at /kinerja/evaluasi: my evaluations and my team's for a period, one
evaluation (realisasi, ratings with the predikat shown as the atasan chooses, Tetapkan,
keberatan), the calendar (admin). Thin: parse, call a service, respond."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import Blueprint, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today
from portal.db import get_or_404
from portal.errors import Invalid, NotFound
from portal.org import services as org
from portal.org.models import Employee
from portal.performance import bp as performance_bp
from portal.performance.evaluation import (
    credits,
    distribution,
    documents,
    lifecycle,
    objections,
    pages,
    peers,
    periods,
)
from portal.performance.evaluation.forms import (
    CalendarForm,
    DecideObjectionForm,
    DeciderForm,
    EmptyForm,
    ObjectionForm,
    PeerForm,
    RatingForm,
    RealisasiForm,
    RevisionForm,
)
from portal.performance.evaluation.rules import (
    PREDIKAT_TONES,
    angka_kredit,
    can_view,
    jenjang_of,
    objection_labels,
    predikat_labels,
    predikat_of,
    rating_labels,
    require,
    status_labels,
)
from portal.performance.models import (
    EV_FINAL,
    Evaluation,
    EvaluationPeriod,
    Objection,
    Skp,
)
from portal.performance.rules import berakhlak
from portal.web import nav, respond
from portal.web.forms import done, submit

bp = Blueprint("evaluation", __name__, url_prefix="/kinerja/evaluasi")
MAX_ID = 2**31 - 1


@performance_bp.record_once
def _register(state):
    state.app.register_blueprint(bp)


@bp.app_template_global("predikat_badge")
def predikat_badge(predikat: str | None) -> tuple[str, str]:
    if not predikat:
        return _("Not rated yet"), "secondary"
    return predikat_labels().get(predikat, predikat), PREDIKAT_TONES.get(predikat, "secondary")


def _id(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 1 <= number <= MAX_ID else None


def _year() -> int:
    year = request.args.get("tahun", type=int) or local_today().year
    return min(max(year, 2000), 2100)


# --- my evaluations and my team's -------------------------------------------------------------


def _index(calendar_form: CalendarForm | None = None, status: int = 200) -> Response:
    nav.facts(current_user)  # first: the facts' one statement says whether they act as Plt/Plh
    year = _year()
    year_periods = periods.of_year(year)
    chosen = None
    wanted = _id(request.args.get("periode"))
    if wanted:
        chosen = next((p for p in year_periods if p.id == wanted), None)
    if chosen is None:
        today = local_today()
        chosen = next((p for p in year_periods if periods.is_open(p, today)), None) or (
            year_periods[0] if year_periods else None
        )
    team = pages.team_rows(current_user, chosen) if chosen is not None else []
    return respond(
        "performance/evaluation/index.html",
        "team_block",
        status=status,
        year=year,
        periods=year_periods,
        chosen=chosen,
        mine=pages.my_rows(current_user, year, year_periods),
        team=team,
        objections=pages.waiting_objections(current_user),
        peer_requests=peers.waiting_for(current_user),
        can_manage=periods.can_manage(current_user),
        sees_credits=credits.can_see_recap(current_user),
        sees_distribution=bool(distribution.units_for(current_user)),
        calendar_form=calendar_form or CalendarForm(formdata=None, tahun=year),
        empty_form=EmptyForm(),
        label=periods.label,
        is_open=periods.is_open,
        status_labels=status_labels(),
    )


@bp.get("")
def index():
    return _index()


@bp.post("/kalender")
def make_calendar():
    form = CalendarForm()
    outcome = submit(form, lambda: periods.make_calendar(current_user, form.tahun.data))
    if outcome.ok:
        return done(
            _("The evaluation calendar was made."),
            url_for("evaluation.index", tahun=form.tahun.data),
        )
    return _index(form, outcome.status)


@bp.post("/buka")
def open_evaluation():
    form = EmptyForm()
    skp = get_or_404(Skp, _id(request.form.get("skp")) or 0)
    period = get_or_404(EvaluationPeriod, _id(request.form.get("periode")) or 0)
    outcome = submit(form, lambda: lifecycle.open_evaluation(current_user, skp, period))
    if outcome.ok:
        return done(None, url_for("evaluation.detail", evaluation_id=outcome.result.id))
    return done(
        str(outcome.error) if outcome.error else _("The form could not be sent."),
        url_for("evaluation.index"),
        category="danger",
    )


# --- one evaluation ---------------------------------------------------------------------------


def _evaluation(evaluation_id: int) -> Evaluation:
    evaluation = get_or_404(Evaluation, evaluation_id)
    objection = Objection.get_or_none(Objection.evaluation == evaluation.id)
    require(can_view(current_user, evaluation, objection))
    return evaluation


def _next(evaluation: Evaluation) -> str:
    return url_for("evaluation.detail", evaluation_id=evaluation.id)


def _detail(
    evaluation: Evaluation, block: str | None = None, status: int = 200, **forms
) -> Response:
    page = pages.evaluation_page(current_user, evaluation)
    ev = page.evaluation
    rating_form = forms.get("rating_form") or RatingForm(
        formdata=None, revision=ev.revision, hasil=ev.hasil or "", perilaku=ev.perilaku or ""
    )
    preview = predikat_of(rating_form.hasil.data, rating_form.perilaku.data)
    peer_form = forms.get("peer_form")
    if page.can_rate and peer_form is None:
        peer_form = PeerForm(formdata=None)
    if peer_form is not None:
        peer_form.peer.choices = [
            SelectChoice(0, _("— choose —")),
            *(SelectChoice(e.id, e.nama) for e in pages.colleagues(ev)),
        ]
    jenjang = jenjang_of(page.skp.jabatan)
    return respond(
        "performance/evaluation/detail.html",
        block,
        status=status,
        page=page,
        ev=ev,
        realisasi_form=forms.get("realisasi_form")
        or RealisasiForm(formdata=None, revision=ev.revision, self_note=ev.self_note),
        rating_form=rating_form,
        feedback_sent=forms.get("feedback_sent"),
        preview=preview,
        revision_form=RevisionForm(formdata=None, revision=ev.revision),
        objection_form=forms.get("objection_form") or ObjectionForm(formdata=None),
        decide_form=forms.get("decide_form") or DecideObjectionForm(formdata=None),
        decider_form=forms.get("decider_form") or DeciderForm(formdata=None),
        names_decider=org.is_admin(current_user),
        label=periods.label,
        status_labels=status_labels(),
        rating_labels=rating_labels(),
        objection_labels=objection_labels(),
        predikat_labels=predikat_labels(),
        peer_notes=peers.notes_for(current_user, ev),
        peer_requests=peers.requests_for(ev) if page.can_rate else [],
        peer_form=peer_form,
        jenjang=jenjang,
        angka_kredit=angka_kredit(ev.predikat, jenjang, page.period.months)
        if ev.status == EV_FINAL
        else None,
    )


@bp.get("/<int:evaluation_id>")
def detail(evaluation_id):
    return _detail(_evaluation(evaluation_id))


def _flash_refusal(outcome) -> None:
    """A button's form has no field to carry the refusal: it becomes a danger flash."""
    if outcome.error is not None:
        flash(str(outcome.error), "danger")


def _revision(form) -> int | None:
    return _id(form.revision.data)


def _realisasi_items() -> dict[int, lifecycle.RealisasiInput]:
    """The per-indicator fields (angka<id>, uraian<id>, bukti<id>) of the realisasi form."""
    items: dict[int, lifecycle.RealisasiInput] = {}
    for key in request.form:
        if not key.startswith("uraian"):
            continue
        indicator_id = _id(key[len("uraian") :])
        if indicator_id is None:
            continue
        raw = (request.form.get(f"angka{indicator_id}") or "").strip().replace(",", ".")
        angka = None
        if raw:
            try:
                angka = Decimal(raw)
            except InvalidOperation as error:
                raise Invalid(_("Enter a number from 0."), field=f"angka{indicator_id}") from error
            if not angka.is_finite():
                raise Invalid(_("Enter a number from 0."), field=f"angka{indicator_id}")
        items[indicator_id] = lifecycle.RealisasiInput(
            angka=angka,
            uraian=request.form.get(f"uraian{indicator_id}", ""),
            bukti=request.form.get(f"bukti{indicator_id}", ""),
        )
    return items


@bp.post("/<int:evaluation_id>/realisasi")
def save_realisasi(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = RealisasiForm()
    outcome = submit(
        form,
        lambda: lifecycle.save_realisasi(
            current_user,
            evaluation,
            _realisasi_items(),
            form.self_note.data or "",
            revision=_revision(form),
        ),
    )
    if outcome.ok:
        return done(_("The realisasi was saved."), _next(evaluation) + "#realisasi")
    return _detail(Evaluation.get_by_id(evaluation.id), None, outcome.status, realisasi_form=form)


@bp.post("/<int:evaluation_id>/ajukan")
def submit_realisasi(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = RevisionForm()
    outcome = submit(
        form,
        lambda: lifecycle.submit_realisasi(current_user, evaluation, revision=_revision(form)),
    )
    if outcome.ok:
        return done(_("The realisasi was sent to your penilai."), _next(evaluation))
    _flash_refusal(outcome)
    return _detail(Evaluation.get_by_id(evaluation.id), None, outcome.status)


def _feedback() -> dict[str, str]:
    return {
        key[3:]: value
        for key, value in request.form.items()
        if key.startswith("fb-") and len(key) <= 40
    }


@bp.post("/<int:evaluation_id>/predikat")
def preview(evaluation_id):
    """The predikat the matrix gives for the chosen ratings, without saving: the htmx fragment
    as the atasan chooses, or (the "Show predikat" button without JavaScript) the page with the
    form as filled in."""
    evaluation = _evaluation(evaluation_id)
    form = RatingForm()
    form.validate_on_submit()
    return _detail(evaluation, "predikat_box", rating_form=form, feedback_sent=_feedback())


@bp.post("/<int:evaluation_id>/nilai")
def rate(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = RatingForm()
    outcome = submit(
        form,
        lambda: lifecycle.rate(
            current_user,
            evaluation,
            lifecycle.RatingInput(
                hasil=form.hasil.data or None,
                perilaku=form.perilaku.data or None,
                feedback=_feedback(),
            ),
            revision=_revision(form),
        ),
    )
    if outcome.ok:
        return done(_("The ratings and feedback were saved."), _next(evaluation) + "#penilaian")
    return _detail(
        Evaluation.get_by_id(evaluation.id),
        None,
        outcome.status,
        rating_form=form,
        feedback_sent=_feedback(),
    )


@bp.post("/<int:evaluation_id>/tetapkan")
def finalize(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = RevisionForm()
    outcome = submit(
        form, lambda: lifecycle.finalize(current_user, evaluation, revision=_revision(form))
    )
    if outcome.ok:
        return done(_("The predikat is final; the pegawai was notified."), _next(evaluation))
    _flash_refusal(outcome)
    return _detail(Evaluation.get_by_id(evaluation.id), None, outcome.status)


@bp.post("/<int:evaluation_id>/keberatan")
def file_objection(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = ObjectionForm()
    outcome = submit(
        form, lambda: objections.file_objection(current_user, evaluation, form.alasan.data or "")
    )
    if outcome.ok:
        return done(_("Your keberatan was filed."), _next(evaluation) + "#keberatan")
    return _detail(evaluation, None, outcome.status, objection_form=form)


@bp.post("/<int:evaluation_id>/keberatan/putuskan")
def decide_objection(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    objection = Objection.get_or_none(Objection.evaluation == evaluation.id)
    if objection is None:
        raise NotFound(_("The keberatan was not found."))
    form = DecideObjectionForm()
    outcome = submit(
        form,
        lambda: objections.decide_objection(
            current_user,
            objection,
            accept=form.keputusan.data == "terima",
            new_predikat=form.new_predikat.data or None,
            note=form.note.data or "",
        ),
    )
    if outcome.ok:
        return done(_("The keberatan was decided."), _next(evaluation) + "#keberatan")
    return _detail(Evaluation.get_by_id(evaluation.id), None, outcome.status, decide_form=form)


@bp.post("/<int:evaluation_id>/keberatan/pemutus")
def name_decider(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    objection = Objection.get_or_none(Objection.evaluation == evaluation.id)
    if objection is None:
        raise NotFound(_("The keberatan was not found."))
    form = DeciderForm()

    def action():
        decider = Employee.get_or_none(Employee.nip == (form.nip.data or "").strip())
        if decider is None or not decider.active:
            raise Invalid(_("No active pegawai has this NIP."), field="nip")
        return objections.name_decider(current_user, objection, decider)

    outcome = submit(form, action)
    if outcome.ok:
        return done(_("The decider was named and notified."), _next(evaluation) + "#keberatan")
    return _detail(Evaluation.get_by_id(evaluation.id), None, outcome.status, decider_form=form)


# --- rekan kerja ---------------------------------------------------------------------------------


@bp.post("/<int:evaluation_id>/rekan")
def ask_peer(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    form = PeerForm()
    form.peer.choices = []

    def action():
        peer = Employee.get_or_none(Employee.id == (form.peer.data or 0))
        if peer is None or peer not in pages.colleagues(evaluation):
            raise Invalid(_("Choose a colleague of the pegawai."), field="peer")
        return peers.request_input(current_user, evaluation, peer)

    outcome = submit(form, action)
    if outcome.ok:
        return done(_("The colleague was asked for input."), _next(evaluation) + "#rekan")
    return _detail(Evaluation.get_by_id(evaluation.id), None, outcome.status, peer_form=form)


def _peer_page(request_row, form=None, status=200) -> Response:
    return respond(
        "performance/evaluation/peer.html",
        status=status,
        request_row=request_row,
        values=berakhlak(),
        form=form or EmptyForm(),
    )


@bp.get("/rekan/<int:request_id>")
def peer_form(request_id):
    return _peer_page(peers.own_request(current_user, request_id))


@bp.post("/rekan/<int:request_id>")
def give_peer_input(request_id):
    request_row = peers.own_request(current_user, request_id)
    form = EmptyForm()
    notes = {key[5:]: value for key, value in request.form.items() if key.startswith("nilai")}
    outcome = submit(form, lambda: peers.give_input(current_user, request_row, notes))
    if outcome.ok:
        return done(_("Thank you; your input was sent."), url_for("evaluation.index"))
    return _peer_page(request_row, form, outcome.status)


# --- the document ------------------------------------------------------------------------------


@bp.get("/<int:evaluation_id>/cetak")
def print_page(evaluation_id):
    return documents.render_html(current_user, _evaluation(evaluation_id))


@bp.get("/<int:evaluation_id>.pdf")
def pdf(evaluation_id):
    evaluation = _evaluation(evaluation_id)
    response = make_response(documents.render_pdf(current_user, evaluation))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{documents.file_name(evaluation)}"'
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
