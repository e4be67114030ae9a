"""The organisers' pages of dialog publik (/kelola, login): their dialogs and follow-ups, the
dialog form, and one dialog's management page (status, moderation, minutes, follow-ups,
attachments, the registrants' export). A dialog that is not the user's answers 404.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from flask import Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today, tz_abbreviation
from portal.db import get_or_404, utcnow
from portal.dialogs import bp, exports, followups, moderation, organising, reading, rules
from portal.dialogs.forms import (
    AttachmentForm,
    DialogForm,
    FollowUpForm,
    FollowUpStatusForm,
    RejectForm,
    ResultsForm,
    TransitionForm,
)
from portal.dialogs.models import (
    Q_APPROVED,
    Q_PENDING,
    REG_ACTIVE,
    Dialog,
    DialogAttachment,
    Question,
)
from portal.org.models import Unit
from portal.web import respond, uploads
from portal.web.forms import attempt, done, submit


def _managed_or_404(dialog_id: int) -> Dialog:
    dialog = reading.get_managed_dialog(current_user, dialog_id)
    if dialog is None:
        abort(404)
    return dialog


def _manage_url(dialog: Dialog, anchor: str | None = None) -> str:
    return url_for("dialogs.manage_detail", dialog_id=dialog.id, _anchor=anchor)


@bp.get("/kelola")
def manage():
    if not rules.has_follow_up_role(current_user):
        abort(403)
    return render_template(
        "dialogs/manage.html",
        dialogs=list(reading.managed_dialogs(current_user).limit(200)),
        follow_ups=followups.follow_ups_for_actor(current_user),
        can_organize=rules.can_organize(current_user),
        labels=rules.STATUS_LABELS,
        tones=rules.STATUS_TONES,
        fu_labels=rules.FOLLOW_UP_LABELS,
        fu_tones=rules.FOLLOW_UP_TONES,
        today=local_today(),
    )


# --- the dialog form -----------------------------------------------------------------------------


def _unit_choices():
    return [SelectChoice(u.id, u.nama) for u in rules.organizer_units(current_user)]


def _dialog_form(dialog: Dialog | None = None) -> DialogForm:
    form = DialogForm()
    form.unit.choices = _unit_choices()
    if dialog is not None and request.method == "GET":
        start = rules.utc_to_local(dialog.starts_at)
        end = rules.utc_to_local(dialog.ends_at)
        form.process(
            obj=dialog,
            unit=dialog.unit_id,
            tanggal=start.date(),
            jam_mulai=start.time().replace(tzinfo=None),
            jam_selesai=end.time().replace(tzinfo=None),
            tutup_pendaftaran=(
                rules.utc_to_local(dialog.registration_closes_at).date()
                if dialog.registration_closes_at
                else None
            ),
        )
        form.unit.choices = _unit_choices()
    return form


def _dialog_input(form: DialogForm) -> organising.DialogInput:
    """The form's local date and times as the stored UTC moments."""
    starts = rules.local_to_utc(form.tanggal.data, form.jam_mulai.data)
    ends = rules.local_to_utc(form.tanggal.data, form.jam_selesai.data)
    closes = None
    if form.tutup_pendaftaran.data:
        closes = min(rules.local_to_utc(form.tutup_pendaftaran.data, time(23, 59)), starts)
    return organising.DialogInput(
        judul=form.judul.data,
        topik=form.topik.data,
        layanan=form.layanan.data,
        deskripsi=form.deskripsi.data,
        unit=form.unit.data,
        tempat=form.tempat.data,
        alamat=form.alamat.data,
        online_url=form.online_url.data,
        starts_at=starts,
        ends_at=ends,
        registration_closes_at=closes,
        kuota=form.kuota.data,
        unsur_peserta=form.unsur_peserta.data,
    )


def _render_form(form: DialogForm, dialog: Dialog | None, status: int) -> Any:
    html = render_template("dialogs/form.html", form=form, dialog=dialog, zone=tz_abbreviation())
    return html, status


@bp.route("/kelola/baru", methods=["GET", "POST"])
def create():
    rules.require_organizer(current_user)
    form = _dialog_form()
    if request.method == "GET":
        return _render_form(form, None, 200)
    outcome = submit(form, lambda: organising.create_dialog(current_user, _dialog_input(form)))
    if outcome.ok:
        return done(_("The dialog has been saved as a draft."), _manage_url(outcome.result))
    return _render_form(form, None, outcome.status)


@bp.route("/kelola/<int:dialog_id>/ubah", methods=["GET", "POST"])
def edit(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = _dialog_form(dialog)
    if request.method == "GET":
        return _render_form(form, dialog, 200)
    outcome = submit(
        form, lambda: organising.update_dialog(current_user, dialog, _dialog_input(form))
    )
    if outcome.ok:
        return done(_("Changes saved."), _manage_url(dialog))
    return _render_form(form, dialog, outcome.status)


# --- one dialog's management page ----------------------------------------------------------------


def _follow_up_form(dialog, form=None):
    form = form or FollowUpForm(formdata=None)
    active_units = Unit.select(Unit.id, Unit.nama).where(Unit.active == True)  # noqa: E712
    form.owner_unit.choices = [SelectChoice(u.id, u.nama) for u in active_units.order_by(Unit.nama)]
    if not form.owner_unit.data:
        form.owner_unit.data = dialog.unit_id
    return form


def _manage_context(dialog: Dialog, **forms: Any) -> dict[str, Any]:
    questions = moderation.questions_for_moderation(current_user, dialog)
    registrations = organising.registrations_of(current_user, dialog)
    return {
        "dialog": dialog,
        "questions": questions,
        "pending": [q for q in questions if q.status == Q_PENDING],
        "approved": [q for q in questions if q.status == Q_APPROVED],
        "moderated": [q for q in questions if q.status != Q_PENDING],
        "registrations": registrations,
        "active_registrations": [r for r in registrations if r.status == REG_ACTIVE],
        "follow_ups": reading.follow_ups_of(dialog),
        "attachments": reading.attachments_of(dialog),
        "transition_form": forms.get("transition_form") or TransitionForm(formdata=None),
        "reject_form": RejectForm(formdata=None),
        "results_form": forms.get("results_form") or ResultsForm(formdata=None, obj=dialog),
        "follow_up_form": _follow_up_form(dialog, forms.get("follow_up_form")),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(formdata=None),
        "labels": rules.STATUS_LABELS,
        "tones": rules.STATUS_TONES,
        "q_labels": rules.QUESTION_LABELS,
        "fu_labels": rules.FOLLOW_UP_LABELS,
        "fu_tones": rules.FOLLOW_UP_TONES,
        "transitions": organising.TRANSITIONS,
        "now": utcnow(),
    }


def _render_manage(dialog: Dialog, status: int = 200, block: str | None = None, **forms):
    return respond("dialogs/manage_detail.html", block, status, **_manage_context(dialog, **forms))


@bp.get("/kelola/<int:dialog_id>")
def manage_detail(dialog_id):
    return _render_manage(_managed_or_404(dialog_id))


@bp.post("/kelola/<int:dialog_id>/status")
def transition(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        return _render_manage(dialog, 422, transition_form=form)
    outcome = attempt(
        lambda: organising.transition(
            current_user, dialog, form.action.data, form.notice.data or ""
        )
    )
    if not outcome.ok:
        return _render_manage(dialog, outcome.status, transition_form=form)
    return done(
        _(
            "The status of the dialog is now: %(status)s.",
            status=rules.STATUS_LABELS[outcome.result.status],
        ),
        _manage_url(dialog),
    )


@bp.post("/kelola/<int:dialog_id>/pertanyaan/<int:question_id>")
def moderate(dialog_id, question_id):
    dialog = _managed_or_404(dialog_id)
    question = get_or_404(Question, question_id, Question.dialog == dialog.id)
    outcome = attempt(
        lambda: moderation.moderate(
            current_user,
            question,
            request.form.get("action", ""),
            reason=request.form.get("reason", ""),
            target=request.form.get("target", ""),
        )
    )
    if not outcome.ok:
        return _render_manage(dialog, outcome.status)
    return done(_moderated_message(outcome.result), _manage_url(dialog, "moderasi"))


def _moderated_message(action: str) -> str:
    if action == "approve":
        return _("The question has been approved and is now public.")
    if action == "reject":
        return _("The question has been rejected.")
    return _("The question has been merged.")


@bp.post("/kelola/<int:dialog_id>/hasil")
def results(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = ResultsForm()
    if not form.validate_on_submit():
        return _render_manage(dialog, 422, results_form=form)
    data = organising.ResultsInput(
        form.notulen.data,
        form.hadir_total.data,
        form.hadir_masyarakat.data,
        publish=request.form.get("publish") == "1",
    )
    outcome = attempt(lambda: organising.save_results(current_user, dialog, data))
    if not outcome.ok:
        return _render_manage(dialog, outcome.status, results_form=form)
    message = _("The results have been published.") if data.publish else _("Minutes saved.")
    return done(message, _manage_url(dialog, "hasil"))


@bp.post("/kelola/<int:dialog_id>/tindak-lanjut")
def add_follow_up(dialog_id):
    dialog = _managed_or_404(dialog_id)
    form = FollowUpForm()
    form.owner_unit.choices = [SelectChoice(u.id, u.nama) for u in Unit.select(Unit.id, Unit.nama)]
    if not form.validate_on_submit():
        return _render_manage(dialog, 422, follow_up_form=form)
    data = followups.FollowUpInput(form.uraian.data, form.owner_unit.data, form.due_date.data)
    outcome = attempt(lambda: followups.add_follow_up(current_user, dialog, data))
    if not outcome.ok:
        return _render_manage(dialog, outcome.status, follow_up_form=form)
    return done(_("The follow-up has been added."), _manage_url(dialog, "tindak-lanjut"))


@bp.post("/kelola/tindak-lanjut/<int:follow_up_id>")
def follow_up_status(follow_up_id):
    follow_up = followups.get_follow_up(current_user, follow_up_id)
    if follow_up is None:
        abort(404)
    form = FollowUpStatusForm()
    back = (
        _manage_url(follow_up.dialog, "tindak-lanjut")
        if request.form.get("next") == "dialog" and rules.can_edit(current_user, follow_up.dialog)
        else url_for("dialogs.manage")
    )
    if not form.validate_on_submit():
        return done(_("Choose a status."), back, category="danger")
    outcome = attempt(
        lambda: followups.update_follow_up(
            current_user, follow_up, form.status.data, form.progress_note.data or ""
        )
    )
    return done(_("The follow-up status has been updated.") if outcome.ok else None, back)


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
    outcome = attempt(
        lambda: organising.add_attachment(current_user, dialog, stored, form.label.data or "")
    )
    if not outcome.ok:
        uploads.delete(stored.stored_name)
        return _render_manage(dialog, outcome.status, attachment_form=form)
    return done(_("The attachment has been uploaded."), _manage_url(dialog, "lampiran"))


@bp.post("/kelola/<int:dialog_id>/lampiran/<int:attachment_id>/hapus")
def delete_attachment(dialog_id, attachment_id):
    dialog = _managed_or_404(dialog_id)
    item = get_or_404(DialogAttachment, attachment_id, DialogAttachment.dialog == dialog.id)
    uploads.delete(organising.remove_attachment(current_user, item))
    return done(_("The attachment has been removed."), _manage_url(dialog, "lampiran"))


@bp.get("/kelola/<int:dialog_id>/pendaftar.<fmt>")
def export(dialog_id, fmt):
    dialog = _managed_or_404(dialog_id)
    if fmt not in ("xlsx", "csv"):
        abort(404)
    registrations = organising.registrants_for_export(current_user, dialog, fmt)
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
