"""Routes of dialog publik: the public pages (no login) and the organisers' pages (/kelola)."""

import secrets

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal import settings
from portal.clock import local_today, tz_abbreviation
from portal.db import get_or_404, utcnow
from portal.dialogs import bp, exports, feeds, services
from portal.dialogs.forms import (
    AttachmentForm,
    CancelRegistrationForm,
    DialogForm,
    FollowUpForm,
    FollowUpStatusForm,
    QuestionForm,
    RegistrationForm,
    RejectForm,
    ResultsForm,
    SurveyForm,
    TransitionForm,
)
from portal.dialogs.models import TOPICS, DialogAttachment, Question
from portal.dialogs.services import DialogError, NotAllowed
from portal.org.models import Unit
from portal.web import access, dashboard, nav, ratelimit, respond, uploads
from portal.web.hooks import error_page, security_log

access.register(
    {
        "dialogs.index": access.PUBLIC,
        "dialogs.detail": access.PUBLIC,
        "dialogs.ics": access.PUBLIC,
        "dialogs.feed": access.PUBLIC,
        "dialogs.privacy": access.PUBLIC,
        "dialogs.attachment": access.PUBLIC,
        "dialogs.register": access.PUBLIC,
        "dialogs.cancel_registration": access.PUBLIC,
        "dialogs.ask": access.PUBLIC,
        "dialogs.support": access.PUBLIC,
        "dialogs.survey": access.PUBLIC,
        "dialogs.manage": access.LOGIN,
        "dialogs.create": access.LOGIN,
        "dialogs.manage_detail": access.LOGIN,
        "dialogs.edit": access.LOGIN,
        "dialogs.transition": access.LOGIN,
        "dialogs.moderate": access.LOGIN,
        "dialogs.results": access.LOGIN,
        "dialogs.add_follow_up": access.LOGIN,
        "dialogs.follow_up_status": access.LOGIN,
        "dialogs.upload_attachment": access.LOGIN,
        "dialogs.delete_attachment": access.LOGIN,
        "dialogs.export": access.LOGIN,
    }
)

nav.add(_l("Public Dialog"), "dialogs.index", order=70, visible=lambda user: True)


def _dashboard_context(user):
    if not services.has_follow_up_role(user):
        return None
    return services.dashboard_summary(user, local_today())


dashboard.add("dialogs/_dashboard.html", _dashboard_context, order=70)

VOTER_COOKIE = "dp_pendukung"


# --- helpers -----------------------------------------------------------------------------------


def _rate_limited(kind):
    """Per-IP limit on the public forms; the Indonesian 429 page when exceeded."""
    limit = current_app.config.get("DIALOG_POSTS_PER_IP") or settings.get(
        "dialogs.public_posts_per_ip"
    )
    window = current_app.config.get("DIALOG_POSTS_WINDOW", 600)
    if kind == "support":
        limit *= 3
    if ratelimit.hit(f"dialogs:{kind}:{request.remote_addr}", limit, window):
        return None
    security_log("rate_limited", endpoint=request.endpoint)
    response = make_response(error_page(
        429,
        _("Too many submissions from your connection. Please wait %(minutes)s minutes and try "
          "again.", minutes=max(1, window // 60)),
    ))  # fmt: skip
    response.headers["Retry-After"] = str(window)
    return response


def _honeypot_filled(form):
    field = getattr(form, "website", None)  # the honeypot; the cancel form has none
    return field is not None and bool((field.data or "").strip())


def _refuse_public_post(form, render):
    """The gate of every public form: per-IP limit, validation, honeypot. Returns the answer to
    send back (429, or the form again with 422), or None when the form may be processed.
    `render(status)` renders the page that holds the form."""
    limited = _rate_limited("post")
    if limited:
        return limited
    if not form.validate_on_submit():
        return render(422)
    if _honeypot_filled(form):
        security_log("honeypot", endpoint=request.endpoint)
        form.form_errors.append(_("The form could not be processed."))
        return render(422)
    return None


def _public_dialog_or_404(dialog_id):
    dialog = services.get_public_dialog(dialog_id)
    if dialog is None:
        abort(404)
    return dialog


def _detail_context(dialog, **forms):
    now = utcnow()
    reg_open, reg_reason = services.registration_state(dialog, now)
    return {
        "dialog": dialog,
        "attachments": services.attachments_of(dialog),
        "questions": services.public_questions(dialog),
        "follow_ups": services.follow_ups_of(dialog),
        "registration_open": reg_open,
        "registration_reason": reg_reason,
        "questions_open": services.questions_open(dialog, now),
        "reg_form": forms.get("reg_form") or RegistrationForm(formdata=None),
        "question_form": forms.get("question_form") or QuestionForm(formdata=None),
        "cancel_form": forms.get("cancel_form") or CancelRegistrationForm(formdata=None),
        "can_edit": services.can_edit(current_user, dialog),
        "survey_open": services.survey_open(dialog),
        "survey_done": services.survey_open(dialog)
        and services.has_answered_survey(dialog, request.cookies.get(VOTER_COOKIE, "")[:64]),
        "survey": services.survey_results(dialog) if services.survey_open(dialog) else {},
        "survey_unsur": services.SURVEY_UNSUR,
        "labels": services.STATUS_LABELS,
        "tones": services.STATUS_TONES,
        "fu_labels": services.FOLLOW_UP_LABELS,
        "fu_tones": services.FOLLOW_UP_TONES,
        "canonical": url_for("dialogs.detail", dialog_id=dialog.id, _external=True),
    }


def _render_detail(dialog, status=200, block=None, preview=False, **forms):
    context = _detail_context(dialog, **forms)
    return respond("dialogs/detail.html", block, status, preview=preview, **context)


# --- public pages ------------------------------------------------------------------------------


@bp.get("", strict_slashes=False)
def index():
    filters = services.Filters.from_args(request.args)
    try:
        number = int(request.args.get("page", 1))
    except ValueError:
        number = 1
    query = services.public_dialogs(filters, columns=services.list_columns())
    page = services.paginate(query, number, filters.as_args())
    return respond(
        "dialogs/index.html",
        "dialog_list",
        page=page,
        progress=services.follow_up_progress([dialog.id for dialog in page.items]),
        filters=filters,
        units=services.public_units(),
        topics=TOPICS,
        labels=services.STATUS_LABELS,
        tones=services.STATUS_TONES,
        can_organize=services.can_organize(current_user),
        canonical=url_for("dialogs.index", _external=True),
    )


@bp.get("/<int:dialog_id>")
def detail(dialog_id):
    dialog = services.get_public_dialog(dialog_id)
    if dialog is None:
        # The organisers preview a draft (or a cancelled, never announced) dialog; others: 404.
        dialog = services.get_managed_dialog(current_user, dialog_id)
        if dialog is None:
            abort(404)
        return _render_detail(dialog, preview=True)
    return _render_detail(dialog)


@bp.get("/privasi")
def privacy():
    return render_template("dialogs/privacy.html")


@bp.get("/<int:dialog_id>.ics")
def ics(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    url = url_for("dialogs.detail", dialog_id=dialog.id, _external=True)
    body = feeds.dialog_ics(dialog, url, request.host.split(":")[0], dialog.unit.nama)
    return Response(
        body,
        mimetype="text/calendar",
        headers={
            "Content-Disposition": f'attachment; filename="dialog-publik-{dialog.id}.ics"',
            "Cache-Control": "public, max-age=300",
        },
    )


@bp.get("/feed.atom")
def feed():
    dialogs = list(
        services.public_dialogs(services.Filters(waktu="semua"))
        .order_by(services.Dialog.announced_at.desc(), services.Dialog.id.desc())
        .limit(50)
    )

    def summary(dialog):
        parts = [
            f"{_('Time')}: {_format_time(dialog)}",
            f"{_('Status')}: {services.STATUS_LABELS[dialog.status]}",
        ]
        if dialog.tempat:
            parts.append(f"{_('Place')}: {dialog.tempat}")
        if dialog.notice:
            parts.append(dialog.notice)
        if dialog.layanan:
            parts.append(dialog.layanan)
        return "\n".join(parts)

    body = feeds.atom_feed(
        dialogs,
        feed_url=url_for("dialogs.feed", _external=True),
        site_url=url_for("dialogs.index", _external=True),
        title=_("Public dialogs of %(pemda)s", pemda=current_app.config["PEMDA_NAME"]),
        subtitle=_("Announcements of public consultation forums"),
        url_for_dialog=lambda d: url_for("dialogs.detail", dialog_id=d.id, _external=True),
        summary_for=summary,
    )
    return Response(
        body, mimetype="application/atom+xml", headers={"Cache-Control": "public, max-age=300"}
    )


def _format_time(dialog):
    from portal.web.formatting import jam, tanggal

    start, end = dialog.starts_at, dialog.ends_at
    return f"{tanggal(start)}, {jam(start)}–{jam(end, with_zone=True)}"


@bp.get("/<int:dialog_id>/lampiran/<int:attachment_id>")
def attachment(dialog_id, attachment_id):
    dialog = _public_dialog_or_404(dialog_id)
    item = get_or_404(DialogAttachment, attachment_id, DialogAttachment.dialog == dialog.id)
    return uploads.send(item.stored_name, item.original_name, item.kind)


@bp.post("/<int:dialog_id>/daftar")
def register(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    form = RegistrationForm()
    refused = _refuse_public_post(
        form, lambda status: _render_detail(dialog, status, reg_form=form)
    )
    if refused:
        return refused
    try:
        registration = services.register(
            dialog.id, form.nama.data, form.organisasi.data, form.kontak.data, form.setuju.data
        )
    except DialogError as error:
        form.form_errors.append(str(error))
        dialog = _public_dialog_or_404(dialog_id)
        return _render_detail(dialog, 422, reg_form=form)
    flash(
        _("You are registered. Your registration code is %(code)s; keep it to cancel your "
          "registration.", code=registration.code),
        "success",
    )  # fmt: skip
    return redirect(url_for("dialogs.detail", dialog_id=dialog.id, _anchor="pendaftaran"), 303)


@bp.post("/<int:dialog_id>/batal-daftar")
def cancel_registration(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    form = CancelRegistrationForm()
    refused = _refuse_public_post(
        form, lambda status: _render_detail(dialog, status, cancel_form=form)
    )
    if refused:
        return refused
    try:
        services.cancel_registration(dialog.id, form.kode.data)
    except DialogError as error:
        form.kode.errors = [*form.kode.errors, str(error)]
        return _render_detail(dialog, 422, cancel_form=form)
    flash(_("Your registration has been cancelled."), "success")
    return redirect(url_for("dialogs.detail", dialog_id=dialog.id), 303)


@bp.post("/<int:dialog_id>/tanya")
def ask(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    form = QuestionForm()
    refused = _refuse_public_post(
        form, lambda status: _render_detail(dialog, status, question_form=form)
    )
    if refused:
        return refused
    try:
        services.submit_question(dialog.id, form.penanya.data, form.teks.data, form.anonim.data)
    except DialogError as error:
        form.form_errors.append(str(error))
        return _render_detail(dialog, 422, question_form=form)
    flash(
        _("Thank you. Your question has been received and will appear after moderation."),
        "success",
    )
    return redirect(url_for("dialogs.detail", dialog_id=dialog.id, _anchor="pertanyaan"), 303)


@bp.post("/<int:dialog_id>/pertanyaan/<int:question_id>/dukung")
def support(dialog_id, question_id):
    dialog = _public_dialog_or_404(dialog_id)
    limited = _rate_limited("support")
    if limited:
        return limited
    voter = request.cookies.get(VOTER_COOKIE, "")
    new_voter = not voter or len(voter) > 64
    if new_voter:
        voter = secrets.token_urlsafe(24)
    get_or_404(Question, question_id, Question.dialog == dialog.id)
    status = 200
    try:
        services.support_question(question_id, voter)
    except DialogError as error:
        flash(str(error), "warning")
        status = 409
    else:
        flash(_("Thank you for your support."), "success")
    if request.headers.get("HX-Request"):
        response = _render_detail(dialog, status, block="question_list")
    else:
        response = redirect(
            url_for("dialogs.detail", dialog_id=dialog.id, _anchor=f"q{question_id}"), 303
        )
    if new_voter:
        _voter_cookie(response, voter)
    return response


def _voter_cookie(response, voter):
    response.set_cookie(
        VOTER_COOKIE, voter, max_age=365 * 86400, httponly=True, samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        path=url_for("dialogs.index"),
    )  # fmt: skip


def _render_survey(dialog, form, status=200):
    voter = request.cookies.get(VOTER_COOKIE, "")[:64]
    return render_template(
        "dialogs/survey.html", dialog=dialog, form=form,
        survey_done=services.has_answered_survey(dialog, voter),
    ), status  # fmt: skip


@bp.route("/<int:dialog_id>/survei", methods=["GET", "POST"])
def survey(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    if not services.survey_open(dialog):
        abort(404)
    form = SurveyForm()
    if request.method == "GET":
        return _render_survey(dialog, form)
    refused = _refuse_public_post(form, lambda status: _render_survey(dialog, form, status))
    if refused:
        return refused
    voter = request.cookies.get(VOTER_COOKIE, "")
    new_voter = not voter or len(voter) > 64
    if new_voter:
        voter = secrets.token_urlsafe(24)
    answers = {f"u{n}": getattr(form, f"u{n}").data for n in range(1, 10)}
    try:
        services.submit_survey(dialog.id, voter, answers, form.saran.data or "")
    except DialogError as error:
        form.form_errors.append(str(error))
        return _render_survey(dialog, form, 422)
    flash(_("Thank you for filling in the satisfaction survey."), "success")
    response = redirect(url_for("dialogs.detail", dialog_id=dialog.id, _anchor="survei"), 303)
    if new_voter:
        _voter_cookie(response, voter)
    return response


# --- organisers --------------------------------------------------------------------------------


def _managed_or_404(dialog_id):
    dialog = services.get_managed_dialog(current_user, dialog_id)
    if dialog is None:
        abort(404)
    return dialog


def _require_organizer():
    if not services.can_organize(current_user):
        abort(403)


@bp.get("/kelola")
def manage():
    has_role = services.has_follow_up_role(current_user)
    if not has_role:
        abort(403)
    dialogs = list(services.managed_dialogs(current_user).limit(200))
    follow_ups = services.follow_ups_for_actor(current_user)
    return render_template(
        "dialogs/manage.html",
        dialogs=dialogs,
        follow_ups=follow_ups,
        can_organize=services.can_organize(current_user),
        labels=services.STATUS_LABELS,
        tones=services.STATUS_TONES,
        fu_labels=services.FOLLOW_UP_LABELS,
        fu_tones=services.FOLLOW_UP_TONES,
        status_form=FollowUpStatusForm(formdata=None),
        today=local_today(),
    )


def _dialog_form(dialog=None, formdata=None):
    form = DialogForm(formdata=formdata) if formdata is not None else DialogForm()
    form.unit.choices = [SelectChoice(u.id, u.nama) for u in services.organizer_units(current_user)]
    if dialog is not None and request.method == "GET":
        start = services.utc_to_local(dialog.starts_at)
        end = services.utc_to_local(dialog.ends_at)
        form.process(
            obj=dialog,
            unit=dialog.unit_id,
            tanggal=start.date(),
            jam_mulai=start.time().replace(tzinfo=None),
            jam_selesai=end.time().replace(tzinfo=None),
            tutup_pendaftaran=(
                services.utc_to_local(dialog.registration_closes_at).date()
                if dialog.registration_closes_at
                else None
            ),
        )
        form.unit.choices = [
            SelectChoice(u.id, u.nama) for u in services.organizer_units(current_user)
        ]
    return form


def _form_data(form):
    starts = services.local_to_utc(form.tanggal.data, form.jam_mulai.data)
    ends = services.local_to_utc(form.tanggal.data, form.jam_selesai.data)
    closes = None
    if form.tutup_pendaftaran.data:
        from datetime import time

        closes = min(services.local_to_utc(form.tutup_pendaftaran.data, time(23, 59)), starts)
    return {
        "judul": form.judul.data,
        "topik": form.topik.data,
        "layanan": form.layanan.data,
        "deskripsi": form.deskripsi.data,
        "unit": form.unit.data,
        "tempat": form.tempat.data,
        "alamat": form.alamat.data,
        "online_url": form.online_url.data,
        "starts_at": starts,
        "ends_at": ends,
        "registration_closes_at": closes,
        "kuota": form.kuota.data,
        "unsur_peserta": form.unsur_peserta.data,
    }


@bp.route("/kelola/baru", methods=["GET", "POST"])
def create():
    _require_organizer()
    form = _dialog_form()
    status = 200
    if form.validate_on_submit():
        try:
            dialog = services.create_dialog(current_user, _form_data(form))
        except DialogError as error:
            form.form_errors.append(str(error))
            status = 422
        else:
            flash(_("The dialog has been saved as a draft."), "success")
            return redirect(url_for("dialogs.manage_detail", dialog_id=dialog.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "dialogs/form.html", form=form, dialog=None, zone=tz_abbreviation()
    ), status


@bp.route("/kelola/<int:dialog_id>/ubah", methods=["GET", "POST"])
def edit(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = _dialog_form(dialog)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_dialog(current_user, dialog, _form_data(form))
        except DialogError as error:
            form.form_errors.append(str(error))
            status = 422
        else:
            flash(_("Changes saved."), "success")
            return redirect(url_for("dialogs.manage_detail", dialog_id=dialog.id), 303)
    elif request.method == "POST":
        status = 422
    return render_template(
        "dialogs/form.html", form=form, dialog=dialog, zone=tz_abbreviation()
    ), status


def _manage_context(dialog, **forms):
    questions = services.questions_for_moderation(current_user, dialog)
    registrations = services.registrations_of(current_user, dialog)
    follow_up_form = forms.get("follow_up_form") or FollowUpForm(formdata=None)
    active_units = Unit.select(Unit.id, Unit.nama).where(Unit.active == True)  # noqa: E712
    follow_up_form.owner_unit.choices = [
        SelectChoice(u.id, u.nama) for u in active_units.order_by(Unit.nama)
    ]
    if not follow_up_form.owner_unit.data:
        follow_up_form.owner_unit.data = dialog.unit_id
    results_form = forms.get("results_form") or ResultsForm(formdata=None, obj=dialog)
    return {
        "dialog": dialog,
        "questions": questions,
        "pending": [q for q in questions if q.status == "menunggu"],
        "approved": [q for q in questions if q.status == "disetujui"],
        "moderated": [q for q in questions if q.status not in ("menunggu",)],
        "registrations": registrations,
        "active_registrations": [r for r in registrations if r.status == "terdaftar"],
        "follow_ups": services.follow_ups_of(dialog),
        "attachments": services.attachments_of(dialog),
        "transition_form": forms.get("transition_form") or TransitionForm(formdata=None),
        "reject_form": RejectForm(formdata=None),
        "results_form": results_form,
        "follow_up_form": follow_up_form,
        "status_form": FollowUpStatusForm(formdata=None),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(formdata=None),
        "labels": services.STATUS_LABELS,
        "tones": services.STATUS_TONES,
        "q_labels": services.QUESTION_LABELS,
        "fu_labels": services.FOLLOW_UP_LABELS,
        "fu_tones": services.FOLLOW_UP_TONES,
        "transitions": services.TRANSITIONS,
        "now": utcnow(),
    }


def _render_manage(dialog, status=200, block=None, **forms):
    return respond("dialogs/manage_detail.html", block, status, **_manage_context(dialog, **forms))


@bp.get("/kelola/<int:dialog_id>")
def manage_detail(dialog_id):
    return _render_manage(_managed_or_404(dialog_id))


def _fail(dialog, error, **forms):
    flash(str(error), "danger")
    return _render_manage(dialog, 422, **forms)


@bp.post("/kelola/<int:dialog_id>/status")
def transition(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        return _render_manage(dialog, 422, transition_form=form)
    try:
        services.transition(current_user, dialog, form.action.data, form.notice.data or "")
    except DialogError as error:
        return _fail(dialog, error, transition_form=form)
    flash(_("The status of the dialog has been changed."), "success")
    return redirect(url_for("dialogs.manage_detail", dialog_id=dialog.id), 303)


@bp.post("/kelola/<int:dialog_id>/pertanyaan/<int:question_id>")
def moderate(dialog_id, question_id):
    dialog = _managed_or_404(dialog_id)
    question = get_or_404(Question, question_id, Question.dialog == dialog.id)
    action = request.form.get("action", "")
    try:
        if action == "approve":
            services.approve_question(current_user, question)
            flash(_("The question has been approved and is now public."), "success")
        elif action == "reject":
            services.reject_question(current_user, question, request.form.get("reason", ""))
            flash(_("The question has been rejected."), "success")
        elif action == "merge":
            target = request.form.get("target", "")
            services.merge_question(current_user, question, int(target) if target.isdigit() else 0)
            flash(_("The question has been merged."), "success")
        else:
            raise DialogError(_("Unknown action."))
    except DialogError as error:
        return _fail(dialog, error)
    return redirect(url_for("dialogs.manage_detail", dialog_id=dialog.id, _anchor="moderasi"), 303)


@bp.post("/kelola/<int:dialog_id>/hasil")
def results(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = ResultsForm()
    if not form.validate_on_submit():
        return _render_manage(dialog, 422, results_form=form)
    publish = request.form.get("publish") == "1"
    try:
        services.save_results(current_user, dialog, form.notulen.data, form.hadir_total.data,
                              form.hadir_masyarakat.data, publish=publish)  # fmt: skip
    except DialogError as error:
        return _fail(dialog, error, results_form=form)
    flash(_("The results have been published.") if publish else _("Minutes saved."), "success")
    return redirect(url_for("dialogs.manage_detail", dialog_id=dialog.id, _anchor="hasil"), 303)


@bp.post("/kelola/<int:dialog_id>/tindak-lanjut")
def add_follow_up(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = FollowUpForm()
    form.owner_unit.choices = [SelectChoice(u.id, u.nama) for u in Unit.select(Unit.id, Unit.nama)]
    if not form.validate_on_submit():
        return _render_manage(dialog, 422, follow_up_form=form)
    try:
        services.add_follow_up(current_user, dialog, form.uraian.data, form.owner_unit.data,
                               form.due_date.data)  # fmt: skip
    except DialogError as error:
        return _fail(dialog, error, follow_up_form=form)
    flash(_("The follow-up has been added."), "success")
    return redirect(
        url_for("dialogs.manage_detail", dialog_id=dialog.id, _anchor="tindak-lanjut"), 303
    )


@bp.post("/kelola/tindak-lanjut/<int:follow_up_id>")
def follow_up_status(follow_up_id):
    follow_up = services.get_follow_up(current_user, follow_up_id)
    if follow_up is None:
        abort(404)
    form = FollowUpStatusForm()
    target = request.form.get("next") == "dialog"
    back = (
        url_for("dialogs.manage_detail", dialog_id=follow_up.dialog_id, _anchor="tindak-lanjut")
        if target and services.can_edit(current_user, follow_up.dialog)
        else url_for("dialogs.manage")
    )
    if not form.validate_on_submit():
        flash(_("Choose a status."), "danger")
        return redirect(back, 303)
    try:
        services.update_follow_up(current_user, follow_up, form.status.data,
                                  form.progress_note.data or "")  # fmt: skip
    except DialogError as error:
        flash(str(error), "danger")
        return redirect(back, 303)
    flash(_("The follow-up status has been updated."), "success")
    return redirect(back, 303)


@bp.post("/kelola/<int:dialog_id>/lampiran")
def upload_attachment(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _render_manage(dialog, 422, attachment_form=form)
    try:
        stored = uploads.save(request.files.get("berkas"))
    except uploads.UploadError as error:
        form.berkas.errors = [str(error)]
        return _render_manage(dialog, 422, attachment_form=form)
    try:
        services.add_attachment(current_user, dialog, stored, form.label.data or "")
    except DialogError as error:
        uploads.delete(stored.stored_name)
        return _fail(dialog, error, attachment_form=form)
    flash(_("The attachment has been uploaded."), "success")
    return redirect(url_for("dialogs.manage_detail", dialog_id=dialog.id, _anchor="lampiran"), 303)


@bp.post("/kelola/<int:dialog_id>/lampiran/<int:attachment_id>/hapus")
def delete_attachment(dialog_id, attachment_id):
    dialog = _managed_or_404(dialog_id)
    item = get_or_404(DialogAttachment, attachment_id, DialogAttachment.dialog == dialog.id)
    try:
        stored_name = services.remove_attachment(current_user, item)
    except NotAllowed:
        abort(404)
    uploads.delete(stored_name)
    flash(_("The attachment has been removed."), "success")
    return redirect(url_for("dialogs.manage_detail", dialog_id=dialog.id, _anchor="lampiran"), 303)


@bp.get("/kelola/<int:dialog_id>/pendaftar.<fmt>")
def export(dialog_id, fmt):
    dialog = _managed_or_404(dialog_id)
    if fmt not in ("xlsx", "csv"):
        abort(404)
    registrations = services.registrants_for_export(current_user, dialog, fmt)
    name = f"pendaftar-dialog-{dialog.id}.{fmt}"
    if fmt == "csv":
        body = exports.to_csv(registrations)
        mimetype = "text/csv"
    else:
        body = exports.to_xlsx(registrations, dialog.judul)
        mimetype = uploads.KINDS["xlsx"][1]
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "private, no-store",
        },
    )
