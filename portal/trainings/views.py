"""Thin routes of /pelatihan: parse, call a service, render (page or htmx block) or redirect."""

from flask import abort, flash, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.clock import local_now, local_today, to_local
from portal.db import get_or_404, utcnow
from portal.org.models import JENIS_JABATAN, Unit
from portal.trainings import bp, services
from portal.trainings.forms import (
    CancelTrainingForm,
    DecisionForm,
    EmptyForm,
    ExternalRecordForm,
    FeedbackForm,
    TrainingForm,
)
from portal.trainings.models import (
    JENIS,
    ExternalRecord,
    Registration,
    Training,
    TrainingSession,
)
from portal.web import access, dashboard, nav, ratelimit, respond, uploads
from portal.web.respond import wants_fragment

L, P = access.LOGIN, access.PUBLIC
access.register(
    {
        "trainings.index": L,
        "trainings.detail": L,
        "trainings.sign_up": L,
        "trainings.cancel": L,
        "trainings.confirm": L,
        "trainings.ics": L,
        "trainings.manage": L,
        "trainings.create": L,
        "trainings.edit": L,
        "trainings.transition": L,
        "trainings.cancel_training": L,
        "trainings.participants": L,
        "trainings.attendance": L,
        "trainings.approvals": L,
        "trainings.decide": L,
        "trainings.feedback": L,
        "trainings.certificate": L,
        "trainings.verify": P,
        "trainings.ledger": L,
        "trainings.record_file": L,
        "trainings.records": L,
        "trainings.decide_record": L,
        "trainings.report": L,
        "trainings.feed": P,
        "trainings.renew_feed": L,
    }
)

nav.add(
    _l("Training"),
    "trainings.index",
    order=50,
    badge=lambda user: services.pending_approval_count(user) if user.is_atasan else 0,
)


def _dashboard_context(user):
    ledger = services.jp_ledger(user)
    return {"ledger": ledger, "upcoming": services.my_upcoming(user, limit=3)}


nav.add_admin_section(
    _l("External JP to verify"), "trainings.records", order=60, visible=services.org.is_any_admin
)
nav.add_admin_section(
    _l("JP recap"), "trainings.report", order=61, visible=services.org.is_any_admin
)

dashboard.add("trainings/_dashboard.html", _dashboard_context, order=40)


def _training(training_id):
    training = get_or_404(Training, training_id)
    if not services.can_view(current_user, training):
        abort(404)
    return training


def _managed(training_id):
    training = get_or_404(Training, training_id)
    if not services.can_manage(current_user, training):
        abort(404)
    return training


def _error_status(error):
    if error.status == 404:
        abort(404)
    return error.status


def _base_url():
    return request.url_root.rstrip("/")


# --- catalogue and detail -----------------------------------------------------------------


@bp.get("/")
@bp.get("")
def index():
    args = request.args
    unit_id = args.get("unit", type=int)
    rows = services.catalogue(
        current_user,
        jenis=args.get("jenis", ""),
        unit_id=unit_id,
        month=args.get("bulan", ""),
        eligible_only=args.get("bisa") == "1",
    )
    units = list(Unit.select().where(Unit.active == True).order_by(Unit.path))  # noqa: E712
    return respond(
        "trainings/index.html",
        "training_list",
        rows=rows,
        units=units,
        jenis_list=JENIS,
        filters={
            "jenis": args.get("jenis", ""),
            "unit": unit_id,
            "bulan": args.get("bulan", ""),
            "bisa": args.get("bisa") == "1",
        },
        can_create=services.can_create(current_user),
        now=utcnow(),
    )


def _detail_context(training, form=None):
    services.process_expired_offers(training.id)
    mine = services.my_registration(current_user, training)
    return {
        "training": training,
        "sessions": list(training.sessions.order_by(TrainingSession.starts_at)),
        "counts": services.seat_counts(training),
        "mine": mine,
        "position": services.waiting_position(mine) if mine else None,
        "eligible": services.in_audience(current_user, training),
        "window_open": services.registration_open(training),
        "cancel_deadline": services.cancel_deadline(training),
        "can_manage": services.can_manage(current_user, training),
        "form": form or EmptyForm(),
        "feedback_form": FeedbackForm(),
        "can_feedback": services.can_give_feedback(current_user, training, mine),
        "target_units": list(Unit.select().where(Unit.id.in_(training.target_unit_ids())))
        if training.target_unit_ids()
        else [],
    }


@bp.get("/<int:training_id>")
def detail(training_id):
    training = _training(training_id)
    return respond("trainings/detail.html", **_detail_context(training))


def _seat_action(training_id, action, success):
    training = _training(training_id)
    form = EmptyForm()
    status = 200
    if form.validate_on_submit():
        try:
            reg = action(current_user, training)
        except services.TrainingError as error:
            status = _error_status(error)
            flash(str(error), "danger")
        else:
            flash(success(reg), "success")
            if not wants_fragment():
                return redirect(url_for("trainings.detail", training_id=training.id), 303)
    else:
        status = 400
        flash(_("The form has expired. Please try again."), "danger")
    training = Training.get_by_id(training.id)
    return respond(
        "trainings/detail.html", "seat_panel", status=status, **_detail_context(training)
    )


def _signed_up_message(reg):
    if reg.status == "terdaftar":
        return _("You are registered.")
    if reg.status == "menunggu_atasan":
        return _("Your sign-up is waiting for your atasan's approval.")
    return _(
        "The training is full: you are on the waiting list (number %(position)s).",
        position=services.waiting_position(reg),
    )


@bp.post("/<int:training_id>/daftar")
def sign_up(training_id):
    return _seat_action(training_id, services.sign_up, _signed_up_message)


@bp.post("/<int:training_id>/batal")
def cancel(training_id):
    return _seat_action(
        training_id, services.cancel_registration, lambda reg: _("Your sign-up is cancelled.")
    )


@bp.post("/<int:training_id>/konfirmasi")
def confirm(training_id):
    return _seat_action(
        training_id,
        services.confirm_offer,
        lambda reg: _("Your seat is confirmed. You are registered."),
    )


@bp.get("/<int:training_id>.ics")
def ics(training_id):
    training = _training(training_id)
    response = make_response(services.training_ics(training, _base_url()))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="pelatihan-{training.id}.ics"'
    return response


# --- organizing -------------------------------------------------------------------------


@bp.get("/kelola")
def manage():
    if not services.can_create(current_user):
        abort(403)
    return respond("trainings/manage.html", rows=services.managed_trainings(current_user))


def _fill_choices(form):
    units = services.organizer_units(current_user)
    form.unit.choices = [SelectChoice(u.id, u.nama) for u in units]
    all_units = list(Unit.select().where(Unit.active == True).order_by(Unit.path))  # noqa: E712
    form.target_units.choices = [SelectChoice(u.id, u.nama) for u in all_units]
    form.target_jabatan.choices = [SelectChoice(j, j) for j in JENIS_JABATAN]


def _input(form):
    sessions = [
        services.SessionInput(s.tanggal.data, s.mulai.data, s.selesai.data, s.topik.data or "")
        for s in form.sessions
        if s.tanggal.data and s.mulai.data and s.selesai.data
    ]
    return services.TrainingInput(
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


def _apply_errors(form, error):
    mapping = {"unit_id": "unit", "sessions": None}
    for key, message in error.errors.items():
        name = mapping.get(key, key)
        target = getattr(form, name, None) if name else None
        if target is not None:
            target.errors = [*list(target.errors), str(message)]
        else:
            form.form_errors.append(str(message))


def _session_rows(form, extra=2):
    """Keep what was typed and offer blank rows for more sessions (no JavaScript needed)."""
    filled = sum(1 for s in form.sessions if not s.form.is_blank())
    while len(form.sessions) < filled + extra:
        form.sessions.append_entry()


def _training_form(training=None):
    form = TrainingForm()
    _fill_choices(form)
    status = 200
    if form.validate_on_submit():
        try:
            if training is None:
                training = services.create_training(current_user, _input(form))
                flash(_("The training is saved as a draft."), "success")
            else:
                services.update_training(current_user, training, _input(form))
                flash(_("The training is saved."), "success")
        except services.TrainingError as error:
            if not isinstance(error, services.InvalidTraining):
                _error_status(error)
                form.form_errors.append(str(error))
            else:
                _apply_errors(form, error)
            status = 422
        else:
            return redirect(url_for("trainings.participants", training_id=training.id), 303)
    elif request.method == "POST":
        status = 422
    elif training is not None:
        _load(form, training)
    else:
        now = local_now().replace(second=0, microsecond=0, tzinfo=None)
        form.registration_opens_at.data = now
        form.jp.data = form.jp.data or 2
        form.kuota.data = form.kuota.data or 30
    _session_rows(form)
    return respond("trainings/form.html", form=form, training=training, status=status)


def _load(form, training):
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


@bp.route("/baru", methods=["GET", "POST"])
def create():
    if not services.can_create(current_user):
        abort(403)
    return _training_form()


@bp.route("/<int:training_id>/ubah", methods=["GET", "POST"])
def edit(training_id):
    return _training_form(_managed(training_id))


TRANSITIONS = {
    "terbitkan": (services.publish, _l("The training is published.")),
    "tutup": (services.close_registration, _l("Registration is closed.")),
    "buka": (services.reopen_registration, _l("Registration is open again.")),
    "selesai": (services.complete, _l("The training is completed; JP and certificates issued.")),
}


@bp.post("/<int:training_id>/status/<action>")
def transition(training_id, action):
    training = _managed(training_id)
    if action not in TRANSITIONS:
        abort(404)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    function, message = TRANSITIONS[action]
    try:
        function(current_user, training)
    except services.TrainingError as error:
        flash(str(error), "danger")
        return respond(
            "trainings/participants.html",
            status=_error_status(error),
            **_participants_context(Training.get_by_id(training.id)),
        )
    flash(str(message), "success")
    return redirect(url_for("trainings.participants", training_id=training.id), 303)


@bp.route("/<int:training_id>/batalkan", methods=["GET", "POST"])
def cancel_training(training_id):
    training = _managed(training_id)
    form = CancelTrainingForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.cancel_training(current_user, training, form.reason.data)
        except services.TrainingError as error:
            form.form_errors.append(str(error))
            status = _error_status(error)
        else:
            flash(_("The training is cancelled; the participants have been told."), "success")
            return redirect(url_for("trainings.participants", training_id=training.id), 303)
    return respond("trainings/cancel.html", form=form, training=training, status=status)


def _participants_context(training):
    regs = services.participants(training)
    return {
        "training": training,
        "regs": regs,
        "sessions": list(training.sessions.order_by(TrainingSession.starts_at)),
        "attendance": services.attendance_map(training),
        "counts": services.seat_counts(training),
        "summary": services.feedback_summary(regs),
        "form": EmptyForm(),
    }


@bp.get("/<int:training_id>/peserta")
def participants(training_id):
    training = _managed(training_id)
    return respond("trainings/participants.html", **_participants_context(training))


@bp.post("/<int:training_id>/sesi/<int:session_id>/presensi")
def attendance(training_id, session_id):
    training = _managed(training_id)
    session = get_or_404(TrainingSession, session_id, TrainingSession.training == training.id)
    form = EmptyForm()
    status = 200
    if not form.validate_on_submit():
        abort(400)
    present = {int(x) for x in request.form.getlist("hadir") if x.isdigit()}
    everyone = {int(x) for x in request.form.getlist("peserta") if x.isdigit()}
    try:
        services.mark_attendance(current_user, training, session, present, everyone)
    except services.TrainingError as error:
        flash(str(error), "danger")
        status = _error_status(error)
    else:
        flash(_("Attendance saved."), "success")
        if not wants_fragment():
            return redirect(url_for("trainings.participants", training_id=training.id), 303)
    return respond(
        "trainings/participants.html",
        "attendance",
        status=status,
        **_participants_context(training),
    )


# --- atasan approval --------------------------------------------------------------------


@bp.get("/persetujuan")
def approvals():
    return respond(
        "trainings/approvals.html",
        "approval_list",
        regs=services.pending_approvals(current_user),
        form=DecisionForm(),
    )


@bp.post("/persetujuan/<int:registration_id>")
def decide(registration_id):
    reg = get_or_404(Registration, registration_id)
    if not services.can_decide(current_user, reg):
        abort(404)
    form = DecisionForm()
    status = 200
    if not form.validate_on_submit():
        abort(400)
    approve = request.form.get("keputusan") == "setujui"
    try:
        services.decide(current_user, reg, approve)
    except services.TrainingError as error:
        flash(str(error), "danger")
        status = _error_status(error)
    else:
        flash(_("Approved.") if approve else _("Rejected."), "success")
        if not wants_fragment():
            return redirect(url_for("trainings.approvals"), 303)
    return respond(
        "trainings/approvals.html",
        "approval_list",
        status=status,
        regs=services.pending_approvals(current_user),
        form=DecisionForm(),
    )


# --- feedback and certificates ----------------------------------------------------------


@bp.post("/<int:training_id>/umpan-balik")
def feedback(training_id):
    training = _training(training_id)
    form = FeedbackForm()
    status = 200
    if form.validate_on_submit():
        try:
            services.submit_feedback(
                current_user, training, int(form.rating.data), form.comment.data
            )
        except services.TrainingError as error:
            flash(str(error), "danger")
            status = _error_status(error)
        else:
            flash(_("Thank you for your feedback."), "success")
            return redirect(url_for("trainings.detail", training_id=training.id), 303)
    else:
        status = 422
        flash(_("Choose a rating from 1 to 5."), "danger")
    context = _detail_context(training)
    context["feedback_form"] = form
    return respond("trainings/detail.html", status=status, **context)


@bp.get("/sertifikat/<int:registration_id>")
def certificate(registration_id):
    reg = get_or_404(Registration, registration_id, Registration.completed == True)  # noqa: E712
    if not services.can_see_certificate(current_user, reg):
        abort(404)
    return respond(
        "trainings/certificate.html",
        reg=reg,
        training=reg.training,
        verify_url=url_for("trainings.verify", code=reg.verification_code, _external=True),
    )


@bp.get("/verifikasi/<code>")
def verify(code):
    """Public (anyone in the intranet, no login); limited per address against guessing."""
    if not ratelimit.hit(f"sertifikat:{request.remote_addr}", 60, 60):
        abort(429)
    reg = services.verify_certificate(code)
    return respond("trainings/verify.html", reg=reg, status=200 if reg else 404)


# --- the JP ledger ------------------------------------------------------------------------


@bp.route("/jp-saya", methods=["GET", "POST"])
def ledger():
    form = ExternalRecordForm()
    status = 200
    if form.validate_on_submit():
        try:
            stored = uploads.save(request.files.get("berkas"), kinds=("pdf", "jpg", "png"))
        except uploads.UploadError as error:
            form.berkas.errors = [str(error)]
            status = 422
        else:
            try:
                services.add_external_record(
                    current_user,
                    form.judul.data,
                    form.penyelenggara.data,
                    form.tanggal.data,
                    form.jp.data,
                    stored,
                )
            except services.InvalidTraining as error:
                uploads.delete(stored.stored_name)
                for key, message in error.errors.items():
                    getattr(form, key).errors = [str(message)]
                status = 422
            else:
                flash(_("The record is submitted; an admin will verify it."), "success")
                return redirect(url_for("trainings.ledger"), 303)
    elif request.method == "POST":
        status = 422
    year = request.args.get("tahun", type=int) or local_today().year
    return respond(
        "trainings/ledger.html",
        status=status,
        form=form,
        ledger=services.jp_ledger(current_user, year),
        feed_url=url_for(
            "trainings.feed", token=services.calendar_token(current_user), _external=True
        ),
        token_form=EmptyForm(),
    )


@bp.post("/kalender/token-baru")
def renew_feed():
    if not EmptyForm().validate_on_submit():
        abort(400)
    services.calendar_token(current_user, renew=True)
    flash(_("A new calendar address was made; the old one no longer works."), "success")
    return redirect(url_for("trainings.ledger"), 303)


@bp.get("/kalender/<token>.ics")
def feed(token):
    """Personal feed for calendar apps, which cannot sign in: the secret token is the key."""
    employee = services.employee_for_token(token)
    if employee is None:
        abort(404)
    response = make_response(services.personal_ics(employee, _base_url()))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.get("/jp-eksternal/<int:record_id>/berkas")
def record_file(record_id):
    rec = get_or_404(ExternalRecord, record_id)
    if not services.can_see_record(current_user, rec):
        abort(404)
    return uploads.send(rec.stored_name, rec.original_name, rec.kind)


@bp.get("/jp-eksternal")
def records():
    if not services.org.is_any_admin(current_user):
        abort(403)
    return respond(
        "trainings/records.html",
        "record_list",
        records=services.records_to_verify(current_user),
        form=DecisionForm(),
    )


@bp.post("/jp-eksternal/<int:record_id>")
def decide_record(record_id):
    rec = get_or_404(ExternalRecord, record_id)
    if not services.can_verify_record(current_user, rec):
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    approve = request.form.get("keputusan") == "verifikasi"
    status = 200
    try:
        services.verify_record(current_user, rec, approve, form.note.data)
    except services.TrainingError as error:
        flash(str(error), "danger")
        status = _error_status(error)
    else:
        flash(_("Verified.") if approve else _("Rejected."), "success")
        if not wants_fragment():
            return redirect(url_for("trainings.records"), 303)
    return respond(
        "trainings/records.html",
        "record_list",
        status=status,
        records=services.records_to_verify(current_user),
        form=DecisionForm(),
    )


@bp.get("/rekap-jp")
def report():
    if not services.can_see_report(current_user):
        abort(403)
    units = services.report_units(current_user)
    unit = None
    unit_id = request.args.get("unit", type=int)
    if units:
        unit = next((u for u in units if u.id == unit_id), None) or (
            current_user.unit
            if services.org.can_admin_unit(current_user, current_user.unit_id)
            else units[0]
        )
    year = request.args.get("tahun", type=int) or local_today().year
    try:
        data = services.jp_report(current_user, unit, year)
    except services.TrainingError:
        abort(403)
    return respond("trainings/report.html", data=data, units=units, unit=unit)


@bp.app_template_global()
def training_status(status):
    """(label, tone) of a training or sign-up status, for the status_badge macro."""
    tone = services.STATUS_TONES.get(status, "secondary")
    return services.status_labels().get(status, status), tone
