"""The public pages of dialog publik (no login): the list, one dialog with its forms, the .ics
and the Atom feed, attachments, and the citizens' forms (register, cancel, ask, support, survey).

Every public form passes one gate first, `refuse_public_post()`: the per-IP limit (429), the
form's validation (422) and the honeypot (422).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from flask import (
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal import settings
from portal.db import get_or_404, utcnow
from portal.dialogs import bp, feeds, public, reading, rules, survey
from portal.dialogs.forms import (
    CancelRegistrationForm,
    ForgotCodeForm,
    QuestionForm,
    RegistrationForm,
    SurveyForm,
)
from portal.dialogs.models import TOPICS, Dialog, DialogAttachment, Question, Registration
from portal.errors import Conflict
from portal.notifications import mail
from portal.web import pagination, public_forms, respond, uploads
from portal.web.formatting import jam, tanggal
from portal.web.forms import PortalForm, done, submit
from portal.web.respond import wants_fragment

VOTER_COOKIE = "dp_pendukung"
REGISTERED_KEY = "dp_terdaftar"  # in the session: this browser's registrations {dialog id: id}


# --- the gate of the public forms ----------------------------------------------------------------


def _limit(kind: str) -> tuple[int, int]:
    limit = current_app.config.get("DIALOG_POSTS_PER_IP") or settings.get(
        "dialogs.public_posts_per_ip"
    )
    window = current_app.config.get("DIALOG_POSTS_WINDOW", 600)
    if kind == "support":
        limit *= 3
    return limit, window


def _rate_limited(kind: str) -> Response | None:
    """Per-IP limit on the public forms; the Indonesian 429 page when exceeded."""
    return public_forms.rate_limited(f"dialogs:{kind}", *_limit(kind))


def refuse_public_post(form: PortalForm, render: Callable[[int], Any]) -> Any:
    """The shared gate of the public forms (portal.web.public_forms) with this domain's limit."""
    return public_forms.refuse_public_post(form, render, "dialogs:post", *_limit("post"))


def _voter() -> tuple[str, bool]:
    """This browser's random id for supports and the survey, and whether it is new."""
    voter = request.cookies.get(VOTER_COOKIE, "")
    if not voter or len(voter) > rules.MAX_VOTER:
        return secrets.token_urlsafe(24), True
    return voter, False


def _voter_cookie(response: Response, voter: str) -> None:
    response.set_cookie(
        VOTER_COOKIE,
        voter,
        max_age=365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        path=url_for("dialogs.index"),
    )


# --- rendering -----------------------------------------------------------------------------------


def _public_dialog_or_404(dialog_id: int) -> Dialog:
    dialog = reading.get_public_dialog(dialog_id)
    if dialog is None:
        abort(404)
    return dialog


def _detail_context(dialog: Dialog, **forms: Any) -> dict[str, Any]:
    now = utcnow()
    reg_open, reg_reason = rules.registration_state(dialog, now)
    survey_open = rules.survey_open(dialog)
    voter = request.cookies.get(VOTER_COOKIE, "")[: rules.MAX_VOTER]
    return {
        "dialog": dialog,
        "attachments": reading.attachments_of(dialog),
        "questions": reading.public_questions(dialog),
        "follow_ups": reading.follow_ups_of(dialog),
        "registration_open": reg_open,
        "registration_reason": reg_reason,
        "questions_open": rules.questions_open(dialog, now),
        "reg_form": forms.get("reg_form") or RegistrationForm(formdata=None),
        "question_form": forms.get("question_form") or QuestionForm(formdata=None),
        "cancel_form": forms.get("cancel_form") or CancelRegistrationForm(formdata=None),
        "forgot_form": forms.get("forgot_form") or ForgotCodeForm(formdata=None),
        "my_registration": _my_registration(dialog),
        "can_edit": rules.can_edit(current_user, dialog),
        "survey_open": survey_open,
        "survey_done": survey_open and survey.has_answered_survey(dialog, voter),
        "survey": survey.survey_results(dialog) if survey_open else {},
        "survey_unsur": survey.SURVEY_UNSUR,
        "labels": rules.STATUS_LABELS,
        "tones": rules.STATUS_TONES,
        "fu_labels": rules.FOLLOW_UP_LABELS,
        "fu_tones": rules.FOLLOW_UP_TONES,
        "canonical": url_for("dialogs.detail", dialog_id=dialog.id, _external=True),
    }


def _my_registration(dialog: Dialog) -> Registration | None:
    """The registration this browser made for the dialog (kept in the session), if still on."""
    registration_id = (session.get(REGISTERED_KEY) or {}).get(str(dialog.id))
    if not isinstance(registration_id, int):
        return None
    return public.active_registration(dialog.id, registration_id)


def _remember_registration(dialog: Dialog, registration: Registration) -> None:
    mine = dict(session.get(REGISTERED_KEY) or {})
    mine.pop(str(dialog.id), None)
    mine[str(dialog.id)] = registration.id
    session[REGISTERED_KEY] = dict(list(mine.items())[-10:])  # the last ten dialogs


def _render_detail(
    dialog: Dialog, status: int = 200, block: str | None = None, preview: bool = False, **forms
) -> Response:
    context = _detail_context(dialog, **forms)
    return respond("dialogs/detail.html", block, status, preview=preview, **context)


def _detail_url(dialog: Dialog, anchor: str | None = None) -> str:
    return url_for("dialogs.detail", dialog_id=dialog.id, _anchor=anchor)


def _format_time(dialog: Dialog) -> str:
    start, end = dialog.starts_at, dialog.ends_at
    return f"{tanggal(start)}, {jam(start)}–{jam(end, with_zone=True)}"


def _feed_summary(dialog: Dialog) -> str:
    parts = [
        f"{_('Time')}: {_format_time(dialog)}",
        f"{_('Status')}: {rules.STATUS_LABELS[dialog.status]}",
    ]
    if dialog.tempat:
        parts.append(f"{_('Place')}: {dialog.tempat}")
    if dialog.notice:
        parts.append(dialog.notice)
    if dialog.layanan:
        parts.append(dialog.layanan)
    return "\n".join(parts)


# --- pages ---------------------------------------------------------------------------------------


@bp.get("", strict_slashes=False)
def index():
    filters = reading.Filters.from_args(request.args)
    number = pagination.page_number(request.args)
    page = reading.public_page(filters, number)
    return respond(
        "dialogs/index.html",
        "dialog_list",
        page=page,
        progress=reading.follow_up_progress([dialog.id for dialog in page.items]),
        filters=filters,
        units=reading.public_units(),
        topics=TOPICS,
        labels=rules.STATUS_LABELS,
        tones=rules.STATUS_TONES,
        can_organize=rules.can_organize(current_user),
        canonical=url_for("dialogs.index", _external=True),
    )


@bp.get("/<int:dialog_id>")
def detail(dialog_id):
    dialog = reading.get_public_dialog(dialog_id)
    if dialog is None:
        # The organisers preview a draft (or a cancelled, never announced) dialog; others: 404.
        dialog = reading.get_managed_dialog(current_user, dialog_id)
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
    body = feeds.atom_feed(
        reading.feed_dialogs(),
        feed_url=url_for("dialogs.feed", _external=True),
        site_url=url_for("dialogs.index", _external=True),
        title=_("Public dialogs of %(pemda)s", pemda=current_app.config["PEMDA_NAME"]),
        subtitle=_("Announcements of public consultation forums"),
        url_for_dialog=lambda d: url_for("dialogs.detail", dialog_id=d.id, _external=True),
        summary_for=_feed_summary,
    )
    return Response(
        body, mimetype="application/atom+xml", headers={"Cache-Control": "public, max-age=300"}
    )


@bp.get("/<int:dialog_id>/lampiran/<int:attachment_id>")
def attachment(dialog_id, attachment_id):
    dialog = _public_dialog_or_404(dialog_id)
    item = get_or_404(DialogAttachment, attachment_id, DialogAttachment.dialog == dialog.id)
    return uploads.send(
        item.stored_name,
        item.original_name,
        item.kind,
        missing=_("This attachment is no longer stored. Please contact the organiser."),
    )


# --- the citizens' forms -------------------------------------------------------------------------


@bp.post("/<int:dialog_id>/daftar")
def register(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    form = RegistrationForm()
    refused = refuse_public_post(form, lambda status: _render_detail(dialog, status, reg_form=form))
    if refused:
        return refused
    data = public.RegistrationInput(
        form.nama.data, form.organisasi.data, form.kontak.data, form.setuju.data
    )
    outcome = submit(form, lambda: public.register(dialog.id, data), validate=False)
    if not outcome.ok:  # the count of registrations may have moved: read the dialog again
        return _render_detail(_public_dialog_or_404(dialog_id), outcome.status, reg_form=form)
    _remember_registration(dialog, outcome.result)
    return done(None, url_for("dialogs.registered", dialog_id=dialog.id))


@bp.get("/<int:dialog_id>/terdaftar")
def registered(dialog_id):
    """The confirmation after registering, with the code (for this browser, as long as the
    registration stands; it stays readable after a reload, unlike a one-time message)."""
    dialog = _public_dialog_or_404(dialog_id)
    registration = _my_registration(dialog)
    if registration is None:
        return redirect(_detail_url(dialog, "pendaftaran"), 303)
    response = make_response(
        render_template("dialogs/registered.html", dialog=dialog, registration=registration)
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.post("/<int:dialog_id>/lupa-kode")
def forgot_code(dialog_id):
    """The code again, through the contact given when registering; the same answer whether
    or not the contact is registered (and a limit per address and per contact)."""
    dialog = _public_dialog_or_404(dialog_id)
    form = ForgotCodeForm()
    refused = refuse_public_post(
        form, lambda status: _render_detail(dialog, status, forgot_form=form)
    )
    if refused:
        return refused
    outcome = submit(
        form,
        lambda: public.remind_code(dialog.id, form.kontak_lupa.data),
        validate=False,
    )
    if not outcome.ok:
        return _render_detail(dialog, outcome.status, forgot_form=form)
    if mail.enabled():
        message = _(
            "If this contact is registered for this dialog, its registration code has been sent "
            "to it. A code can be sent only to an e-mail address; if you registered with a phone "
            "number, contact the organiser, %(unit)s.",
            unit=dialog.unit.nama,
        )
    else:
        message = _(
            "This portal cannot send codes. Contact the organiser, %(unit)s, with the name and "
            "contact you registered with: they can look up your code.",
            unit=dialog.unit.nama,
        )
    return done(message, _detail_url(dialog, "pendaftaran"), category="info")


@bp.post("/<int:dialog_id>/batal-daftar")
def cancel_registration(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    form = CancelRegistrationForm()
    refused = refuse_public_post(
        form, lambda status: _render_detail(dialog, status, cancel_form=form)
    )
    if refused:
        return refused
    outcome = submit(
        form,
        lambda: public.cancel_registration(dialog.id, form.kode.data),
        field_map={"code": "kode"},
        validate=False,
    )
    if not outcome.ok:
        return _render_detail(dialog, outcome.status, cancel_form=form)
    return done(_("Your registration has been cancelled."), _detail_url(dialog))


@bp.post("/<int:dialog_id>/tanya")
def ask(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    form = QuestionForm()
    refused = refuse_public_post(
        form, lambda status: _render_detail(dialog, status, question_form=form)
    )
    if refused:
        return refused
    data = public.QuestionInput(form.penanya.data, form.teks.data, form.anonim.data)
    outcome = submit(form, lambda: public.submit_question(dialog.id, data), validate=False)
    if not outcome.ok:
        return _render_detail(dialog, outcome.status, question_form=form)
    return done(
        _("Thank you. Your question has been received and will appear after moderation."),
        _detail_url(dialog, "pertanyaan"),
    )


@bp.post("/<int:dialog_id>/pertanyaan/<int:question_id>/dukung")
def support(dialog_id, question_id):
    dialog = _public_dialog_or_404(dialog_id)
    limited = _rate_limited("support")
    if limited:
        return limited
    voter, new_voter = _voter()
    get_or_404(Question, question_id, Question.dialog == dialog.id)
    status = 200
    try:
        public.support_question(question_id, voter)
    except Conflict as error:  # already supported (or not supportable): a warning, not an error
        flash(str(error), "warning")
        status = error.status
    else:
        flash(_("Thank you for your support."), "success")
    if wants_fragment():
        response = _render_detail(dialog, status, block="question_list")
    else:
        response = done(None, _detail_url(dialog, f"q{question_id}"))
    if new_voter:
        _voter_cookie(response, voter)
    return response


def _render_survey(dialog: Dialog, form: SurveyForm, status: int = 200) -> Any:
    voter = request.cookies.get(VOTER_COOKIE, "")[: rules.MAX_VOTER]
    html = render_template(
        "dialogs/survey.html",
        dialog=dialog,
        form=form,
        survey_done=survey.has_answered_survey(dialog, voter),
    )
    return html, status


@bp.route("/<int:dialog_id>/survei", methods=["GET", "POST"], endpoint="survey")
def survey_page(dialog_id):
    dialog = _public_dialog_or_404(dialog_id)
    if not rules.survey_open(dialog):
        abort(404)
    form = SurveyForm()
    if request.method == "GET":
        return _render_survey(dialog, form)
    refused = refuse_public_post(form, lambda status: _render_survey(dialog, form, status))
    if refused:
        return refused
    voter, new_voter = _voter()
    answers = {f"u{n}": getattr(form, f"u{n}").data for n in range(1, 10)}
    outcome = submit(
        form,
        lambda: survey.submit_survey(dialog.id, voter, answers, form.saran.data or ""),
        validate=False,
    )
    if not outcome.ok:
        return _render_survey(dialog, form, outcome.status)
    response = done(
        _("Thank you for filling in the satisfaction survey."), _detail_url(dialog, "survei")
    )
    if new_voter:
        _voter_cookie(response, voter)
    return response
