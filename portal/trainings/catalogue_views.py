"""The pegawai's side of /pelatihan: the catalogue, a training's page with its seat panel
(sign up, cancel, confirm an offer), its .ics, feedback, and the atasan's approval queue."""

from collections.abc import Callable

from flask import abort, flash, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.db import get_or_404, utcnow
from portal.org import services as org
from portal.org.models import Unit
from portal.trainings import bp, catalogue, seats
from portal.trainings.calendars import training_ics
from portal.trainings.forms import DecisionForm, EmptyForm, FeedbackForm
from portal.trainings.models import (
    AWAITING_APPROVAL,
    JENIS,
    REGISTERED,
    Registration,
    Training,
    TrainingSession,
)
from portal.trainings.organising import FeedbackInput, can_give_feedback, submit_feedback
from portal.trainings.rules import (
    can_create,
    can_manage,
    can_view,
    cancel_deadline,
    in_audience,
    jp_warning,
    query_id,
    registration_open,
    training_minutes,
)
from portal.web import respond
from portal.web.forms import attempt, done


def _training(training_id: int) -> Training:
    training = get_or_404(Training, training_id)
    if not can_view(current_user, training):
        abort(404)
    return training


# --- the catalogue ---------------------------------------------------------------------------


@bp.get("/")
@bp.get("")
def index():
    args = request.args
    filters = catalogue.CatalogueFilter(
        jenis=args.get("jenis", ""),
        unit_id=args.get("unit", type=query_id),
        month=args.get("bulan", ""),
        eligible_only=args.get("bisa") == "1",
    )
    units = org.active_units()
    return respond(
        "trainings/index.html",
        "training_list",
        rows=catalogue.catalogue(current_user, filters),
        units=units,
        jenis_list=JENIS,
        filters={
            "jenis": filters.jenis,
            "unit": filters.unit_id,
            "bulan": filters.month,
            "bisa": filters.eligible_only,
        },
        can_create=can_create(current_user),
        now=utcnow(),
    )


# --- a training and its seat panel -----------------------------------------------------------


def _detail_context(training):
    seats.process_expired_offers(training.id)
    mine = catalogue.my_registration(current_user, training)
    target_ids = training.target_unit_ids()
    return {
        "training": training,
        "sessions": list(training.sessions.order_by(TrainingSession.starts_at)),
        "counts": catalogue.seat_counts(training),
        "mine": mine,
        "position": seats.waiting_position(mine) if mine else None,
        "eligible": in_audience(current_user, training),
        "window_open": registration_open(training),
        "cancel_deadline": cancel_deadline(training),
        "can_manage": can_manage(current_user, training),
        "jp_warning": jp_warning(training.jp, training_minutes(training))
        if can_manage(current_user, training)
        else None,
        "form": EmptyForm(),
        "feedback_form": FeedbackForm(),
        "can_feedback": can_give_feedback(current_user, training, mine),
        "target_units": list(Unit.select().where(Unit.id.in_(target_ids))) if target_ids else [],
    }


@bp.get("/<int:training_id>")
def detail(training_id):
    training = _training(training_id)
    return respond("trainings/detail.html", **_detail_context(training))


def _seat_panel(training_id: int, status: int = 200) -> Response:
    training = Training.get_by_id(training_id)
    return respond(
        "trainings/detail.html", "seat_panel", status=status, **_detail_context(training)
    )


def _seat_action(
    training_id: int,
    action: Callable[..., Registration],
    success: Callable[[Registration], str],
) -> Response:
    training = _training(training_id)
    if not EmptyForm().validate_on_submit():
        flash(_("The form has expired. Please try again."), "danger")
        return _seat_panel(training.id, 400)
    outcome = attempt(lambda: action(current_user, training))
    if not outcome.ok:
        return _seat_panel(training.id, outcome.status)
    return done(
        success(outcome.result),
        url_for("trainings.detail", training_id=training.id),
        fragment=lambda: _seat_panel(training.id),
    )


def _signed_up_message(reg: Registration) -> str:
    if reg.status == REGISTERED:
        return _("You are registered.")
    if reg.status == AWAITING_APPROVAL:
        return _("Your sign-up is waiting for your atasan's approval.")
    return _(
        "The training is full: you are on the waiting list (number %(position)s).",
        position=seats.waiting_position(reg),
    )


@bp.post("/<int:training_id>/daftar")
def sign_up(training_id):
    return _seat_action(training_id, seats.sign_up, _signed_up_message)


@bp.post("/<int:training_id>/batal")
def cancel(training_id):
    return _seat_action(
        training_id, seats.cancel_registration, lambda reg: _("Your sign-up is cancelled.")
    )


@bp.post("/<int:training_id>/konfirmasi")
def confirm(training_id):
    return _seat_action(
        training_id,
        seats.confirm_offer,
        lambda reg: _("Your seat is confirmed. You are registered."),
    )


@bp.get("/<int:training_id>.ics")
def ics(training_id):
    training = _training(training_id)
    response = make_response(training_ics(training, request.url_root.rstrip("/")))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="pelatihan-{training.id}.ics"'
    return response


@bp.post("/<int:training_id>/umpan-balik")
def feedback(training_id):
    training = _training(training_id)
    form = FeedbackForm()
    if form.validate_on_submit():
        data = FeedbackInput(int(form.rating.data), form.comment.data or "")
        outcome = attempt(lambda: submit_feedback(current_user, training, data))
        if outcome.ok:
            return done(
                _("Thank you for your feedback."),
                url_for("trainings.detail", training_id=training.id),
            )
        status = outcome.status
    else:
        status = 422
        flash(_("Choose a rating from 1 to 5."), "danger")
    context = _detail_context(training)
    context["feedback_form"] = form
    return respond("trainings/detail.html", status=status, **context)


# --- the atasan's approvals ------------------------------------------------------------------


def _approval_list(status: int = 200) -> Response:
    return respond(
        "trainings/approvals.html",
        "approval_list",
        status=status,
        regs=seats.pending_approvals(current_user),
        form=DecisionForm(),
    )


@bp.get("/persetujuan")
def approvals():
    return _approval_list()


@bp.post("/persetujuan/<int:registration_id>")
def decide(registration_id):
    reg = get_or_404(Registration, registration_id)
    if not seats.can_decide(current_user, reg):
        abort(404)
    if not DecisionForm().validate_on_submit():
        abort(400)
    approve = request.form.get("keputusan") == "setujui"
    outcome = attempt(lambda: seats.decide(current_user, reg, approve))
    if not outcome.ok:
        return _approval_list(outcome.status)
    return done(
        _("Approved.") if approve else _("Rejected."),
        url_for("trainings.approvals"),
        fragment=_approval_list,
    )
