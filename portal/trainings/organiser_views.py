"""The organiser's side of /pelatihan: the list of managed trainings, the training form, status
changes, cancelling, the participants page and attendance per session."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal.clock import local_now, to_local
from portal.db import get_or_404
from portal.org.models import JENIS_JABATAN, Unit
from portal.trainings import bp, catalogue, organising
from portal.trainings.forms import CancelTrainingForm, EmptyForm, TrainingForm
from portal.trainings.models import Training, TrainingSession
from portal.trainings.organising import AttendanceInput, SessionInput, TrainingInput
from portal.trainings.rules import (
    can_create,
    can_manage,
    jp_warning,
    organizer_units,
    training_minutes,
)
from portal.web import respond
from portal.web.forms import attempt, done, submit

# Service error keys -> form fields (None: on top of the form).
FIELD_MAP = {"unit_id": "unit", "sessions": None}


def _managed(training_id: int) -> Training:
    training = get_or_404(Training, training_id)
    if not can_manage(current_user, training):
        abort(404)
    return training


@bp.get("/kelola")
def manage():
    if not can_create(current_user):
        abort(403)
    return respond("trainings/manage.html", rows=catalogue.managed_trainings(current_user))


# --- the training form -----------------------------------------------------------------------


def _fill_choices(form: TrainingForm) -> None:
    units = organizer_units(current_user)
    form.unit.choices = [SelectChoice(u.get_id(), u.nama) for u in units]
    all_units = list(Unit.select().where(Unit.active == True).order_by(Unit.path))  # noqa: E712
    form.target_units.choices = [SelectChoice(u.get_id(), u.nama) for u in all_units]
    form.target_jabatan.choices = [SelectChoice(j, j) for j in JENIS_JABATAN]


def _input(form: TrainingForm) -> TrainingInput:
    sessions = [
        SessionInput(s.tanggal.data, s.mulai.data, s.selesai.data, s.topik.data or "")
        for s in form.sessions
        if s.tanggal.data and s.mulai.data and s.selesai.data
    ]
    return TrainingInput(
        judul=form.judul.data or "",
        jenis=form.jenis.data,
        unit_id=form.unit.data,
        jp=form.jp.data,
        kuota=form.kuota.data,
        registration_opens_at=form.registration_opens_at.data,
        registration_closes_at=form.registration_closes_at.data,
        sessions=sessions,
        deskripsi=form.deskripsi.data or "",
        penyelenggara=form.penyelenggara.data or "",
        narasumber=form.narasumber.data or "",
        tempat=form.tempat.data or "",
        link_daring=form.link_daring.data or "",
        target_units=form.target_units.data or [],
        target_jabatan=form.target_jabatan.data or [],
        needs_approval=form.needs_approval.data,
    )


def _load(form: TrainingForm, training: Training) -> None:
    form.judul.data = training.judul
    form.deskripsi.data = training.deskripsi
    form.jenis.data = training.jenis
    form.unit.data = training.unit_id
    form.penyelenggara.data = training.penyelenggara
    form.narasumber.data = training.narasumber
    form.tempat.data = training.tempat
    form.link_daring.data = training.link_daring
    form.jp.data = training.jp
    form.kuota.data = training.kuota
    form.registration_opens_at.data = to_local(training.registration_opens_at).replace(tzinfo=None)
    form.registration_closes_at.data = to_local(training.registration_closes_at).replace(
        tzinfo=None
    )
    form.target_units.data = training.target_unit_ids()
    form.target_jabatan.data = training.target_jabatan_list()
    form.needs_approval.data = training.needs_approval
    while len(form.sessions):
        form.sessions.pop_entry()
    for session in training.sessions.order_by(TrainingSession.starts_at):
        entry = form.sessions.append_entry()
        start, end = to_local(session.starts_at), to_local(session.ends_at)
        entry.tanggal.data = start.date()
        entry.mulai.data = start.time()
        entry.selesai.data = end.time()
        entry.topik.data = session.topik


def _session_rows(form: TrainingForm, extra: int = 2) -> None:
    """Keep what was typed and offer blank rows for more sessions (no JavaScript needed)."""
    filled = sum(1 for s in form.sessions if not s.form.is_blank())
    while len(form.sessions) < filled + extra:
        form.sessions.append_entry()


def _training_form(training: Training | None = None) -> Response:
    form = TrainingForm()
    _fill_choices(form)
    status = 200
    if request.method == "POST":
        if training is None:
            outcome = submit(
                form,
                lambda: organising.create_training(current_user, _input(form)),
                field_map=FIELD_MAP,
            )
            message = _("The training is saved as a draft.")
        else:
            outcome = submit(
                form,
                lambda: organising.update_training(current_user, training, _input(form)),
                field_map=FIELD_MAP,
            )
            message = _("The training is saved.")
        if outcome.ok:
            warning = jp_warning(outcome.result.jp, training_minutes(outcome.result))
            if warning:
                flash(warning, "warning")
            return done(message, url_for("trainings.participants", training_id=outcome.result.id))
        status = outcome.status
    elif training is not None:
        _load(form, training)
    else:
        now = local_now().replace(second=0, microsecond=0, tzinfo=None)
        form.registration_opens_at.data = now
        form.jp.data = form.jp.data or 2
        form.kuota.data = form.kuota.data or 30
    warning = jp_warning(form.jp.data, _form_minutes(form))
    _session_rows(form)
    return respond(
        "trainings/form.html", form=form, training=training, status=status, jp_warning=warning
    )


def _form_minutes(form: TrainingForm) -> int:
    """The sessions' length as typed in the form (rows with a start and an end), in minutes."""
    minutes = 0
    for row in form.sessions:
        start, end = row.mulai.data, row.selesai.data
        if row.tanggal.data and start and end and end > start:
            minutes += (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes


@bp.route("/baru", methods=["GET", "POST"])
def create():
    if not can_create(current_user):
        abort(403)
    return _training_form()


@bp.route("/<int:training_id>/ubah", methods=["GET", "POST"])
def edit(training_id):
    return _training_form(_managed(training_id))


# --- status ----------------------------------------------------------------------------------

TRANSITIONS = {
    "terbitkan": (organising.publish, _l("The training is published.")),
    "tutup": (organising.close_registration, _l("Registration is closed.")),
    "buka": (organising.reopen_registration, _l("Registration is open again.")),
    "selesai": (
        organising.complete,
        _l("The training is completed; JP and certificates issued."),
    ),
}


@bp.post("/<int:training_id>/status/<action>")
def transition(training_id, action):
    training = _managed(training_id)
    if action not in TRANSITIONS:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    function, message = TRANSITIONS[action]
    outcome = attempt(lambda: function(current_user, training))
    if not outcome.ok:
        return respond(
            "trainings/participants.html",
            status=outcome.status,
            **_participants_context(Training.get_by_id(training.id)),
        )
    return done(str(message), url_for("trainings.participants", training_id=training.id))


@bp.route("/<int:training_id>/batalkan", methods=["GET", "POST"])
def cancel_training(training_id):
    training = _managed(training_id)
    form = CancelTrainingForm()
    status = 200
    if request.method == "POST":
        outcome = submit(
            form, lambda: organising.cancel_training(current_user, training, form.reason.data)
        )
        if outcome.ok:
            return done(
                _("The training is cancelled; the participants have been told."),
                url_for("trainings.participants", training_id=training.id),
            )
        status = outcome.status
    return respond("trainings/cancel.html", form=form, training=training, status=status)


# --- participants and attendance -------------------------------------------------------------


def _participants_context(training: Training) -> dict:
    regs = organising.participants(training)
    return {
        "training": training,
        "regs": regs,
        "sessions": list(training.sessions.order_by(TrainingSession.starts_at)),
        "attendance": organising.attendance_map(training),
        "counts": catalogue.seat_counts(training),
        "summary": organising.feedback_summary(regs),
        "form": EmptyForm(),
        "attendance_open": organising.attendance_open,
    }


@bp.get("/<int:training_id>/peserta")
def participants(training_id):
    training = _managed(training_id)
    return respond("trainings/participants.html", **_participants_context(training))


@bp.post("/<int:training_id>/sesi/<int:session_id>/presensi")
def attendance(training_id, session_id):
    training = _managed(training_id)
    session = get_or_404(TrainingSession, session_id, TrainingSession.training == training.id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    marks = AttendanceInput(
        present_ids={int(x) for x in request.form.getlist("hadir") if x.isdigit()},
        registration_ids={int(x) for x in request.form.getlist("peserta") if x.isdigit()},
    )

    def attendance_block(status: int = 200) -> Response:
        return respond(
            "trainings/participants.html",
            "attendance",
            status=status,
            **_participants_context(training),
        )

    outcome = attempt(lambda: organising.mark_attendance(current_user, training, session, marks))
    if not outcome.ok:
        return attendance_block(outcome.status)
    return done(
        _("Attendance saved."),
        url_for("trainings.participants", training_id=training.id),
        fragment=attendance_block,
    )
