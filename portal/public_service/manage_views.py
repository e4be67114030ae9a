"""The officers' pages under /pengaduan/kelola: the queue (the unit admin's complaints and the
pegawai's assigned ones) and one complaint with the actions the actor may take. Every action is
checked in portal.public_service.handling (a complaint that is not the actor's answers 404)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today
from portal.errors import NotFound
from portal.public_service import bp, handling, reading
from portal.public_service.filing import history
from portal.public_service.forms import (
    AnswerForm,
    AssignForm,
    ButtonForm,
    PublishForm,
    RejectForm,
    VerifyForm,
)
from portal.public_service.models import STATUSES
from portal.public_service.rules import (
    STATUS_LABELS,
    STATUS_TONES,
    assignable,
    can_handle,
    can_manage,
    has_complaint_role,
    is_open,
    units_for,
)
from portal.web import pagination, respond, uploads
from portal.web.forms import PortalForm, attempt, done, submit


@bp.get("/pengaduan/kelola")
@login_required
def manage():
    if not has_complaint_role(current_user):
        abort(404)
    status = request.args.get("status", "")
    status = status if status in STATUSES else ""
    number = pagination.page_number(request.args)
    return respond(
        "public_service/manage.html",
        "complaint_queue",
        page=reading.queue(current_user, status or None, number),
        current_status=status,
        statuses=STATUSES,
        labels=STATUS_LABELS,
        tones=STATUS_TONES,
        today=local_today(),
    )


def _forms(complaint: Any, **given: Any) -> dict[str, Any]:
    verify = given.get("verify_form") or VerifyForm(formdata=None)
    verify.unit_id.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(str(u.id), u.nama) for u in units_for(current_user)
    ]
    if verify.unit_id.data is None and complaint.unit_id:
        verify.unit_id.data = str(complaint.unit_id)
    assign = given.get("assign_form") or AssignForm(formdata=None)
    assign.employee_id.choices = [SelectChoice("", _("— choose —"))] + [
        SelectChoice(str(e.id), f"{e.nama} — {e.jabatan}" if e.jabatan else e.nama)
        for e in assignable(complaint.unit_id)
    ]
    return {
        "verify_form": verify,
        "assign_form": assign,
        "reject_form": given.get("reject_form") or RejectForm(formdata=None),
        "answer_form": given.get("answer_form") or AnswerForm(formdata=None),
        "publish_form": given.get("publish_form") or PublishForm(formdata=None),
        "button_form": ButtonForm(formdata=None),
    }


def _render(complaint: Any, status: int = 200, **given: Any):
    return respond(
        "public_service/manage_detail.html",
        None,
        status,
        complaint=complaint,
        history=history(complaint),
        labels=STATUS_LABELS,
        tones=STATUS_TONES,
        may_manage=can_manage(current_user, complaint),
        may_handle=can_handle(current_user, complaint),
        is_open=is_open(complaint),
        today=local_today(),
        **_forms(complaint, **given),
    )


def _load(complaint_id: int) -> Any:
    return handling.get_for(current_user, complaint_id)


def _back(complaint: Any) -> str:
    return url_for("public_service.manage_detail", complaint_id=complaint.id)


@bp.get("/pengaduan/kelola/<int:complaint_id>")
@login_required
def manage_detail(complaint_id):
    return _render(_load(complaint_id))


def _act(
    complaint: Any, form: PortalForm, form_name: str, action: Callable[[], Any], message: str
) -> Response:
    """One form's action on `complaint`: `action` runs through `submit`; a refusal shows the
    page again with `form` (and its errors) as `form_name`, success flashes `message` and goes
    back to the complaint."""
    outcome = submit(form, action)
    if not outcome.ok:
        return _render(complaint, outcome.status, **{form_name: form})
    return done(message, _back(complaint))


def _press(complaint: Any, action: Callable[[], Any], message: str) -> Response:
    """A button without fields on `complaint`: `action` runs through `attempt` (a refusal is
    flashed on the page shown again), success flashes `message` and goes back."""
    if not ButtonForm().validate_on_submit():
        abort(400)
    outcome = attempt(action)
    if not outcome.ok:
        return _render(complaint, outcome.status)
    return done(message, _back(complaint))


@bp.post("/pengaduan/kelola/<int:complaint_id>/verifikasi")
@login_required
def verify(complaint_id):
    complaint, form = _load(complaint_id), VerifyForm()
    return _act(
        complaint,
        form,
        "verify_form",
        lambda: handling.verify(current_user, complaint, form.unit_id.data),
        _("The complaint is verified."),
    )


@bp.post("/pengaduan/kelola/<int:complaint_id>/tugaskan")
@login_required
def assign(complaint_id):
    complaint, form = _load(complaint_id), AssignForm()
    return _act(
        complaint,
        form,
        "assign_form",
        lambda: handling.assign(current_user, complaint, form.employee_id.data),
        _("The complaint is assigned."),
    )


@bp.post("/pengaduan/kelola/<int:complaint_id>/tolak")
@login_required
def reject(complaint_id):
    complaint, form = _load(complaint_id), RejectForm()
    return _act(
        complaint,
        form,
        "reject_form",
        lambda: handling.reject(current_user, complaint, form.reason.data),
        _("The complaint is rejected; the citizen sees the reason."),
    )


@bp.post("/pengaduan/kelola/<int:complaint_id>/jawab")
@login_required
def answer(complaint_id):
    complaint, form = _load(complaint_id), AnswerForm()
    return _act(
        complaint,
        form,
        "answer_form",
        lambda: handling.answer(current_user, complaint, form.answer.data),
        _("The answer is sent; the citizen sees it with the tracking code."),
    )


@bp.post("/pengaduan/kelola/<int:complaint_id>/publikasi")
@login_required
def publish(complaint_id):
    complaint, form = _load(complaint_id), PublishForm()
    return _act(
        complaint,
        form,
        "publish_form",
        lambda: handling.publish(current_user, complaint, form.summary.data),
        _("The answer is published."),
    )


@bp.post("/pengaduan/kelola/<int:complaint_id>/tarik")
@login_required
def unpublish(complaint_id):
    complaint = _load(complaint_id)
    return _press(
        complaint,
        lambda: handling.unpublish(current_user, complaint),
        _("The answer is no longer public."),
    )


@bp.post("/pengaduan/kelola/<int:complaint_id>/catat-kegiatan")
@login_required
def log_entry(complaint_id):
    complaint = _load(complaint_id)
    return _press(
        complaint,
        lambda: handling.log_as_entry(current_user, complaint),
        _("A draft daily entry was added for today; check and submit it on the activities page."),
    )


@bp.get("/pengaduan/kelola/<int:complaint_id>/foto")
@login_required
def photo(complaint_id):
    complaint = _load(complaint_id)
    if not complaint.foto_stored:
        raise NotFound(_("This complaint has no photo."))
    return uploads.send(
        complaint.foto_stored,
        complaint.foto_name,
        complaint.foto_kind,
        missing=_("The photo is no longer stored."),
    )
