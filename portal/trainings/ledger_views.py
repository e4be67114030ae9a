"""The JP side of /pelatihan: my ledger with external records, the admin's verification queue,
the JP recap, certificates (and their public verification) and the personal calendar feed."""

from flask import abort, make_response, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.clock import local_today
from portal.db import get_or_404
from portal.errors import DomainError, Invalid
from portal.org import services as org
from portal.trainings import bp, calendars, ledger
from portal.trainings.forms import DecisionForm, EmptyForm, ExternalRecordForm
from portal.trainings.models import ExternalRecord, Registration
from portal.trainings.rules import query_id, query_year
from portal.web import ratelimit, respond, uploads
from portal.web.forms import attempt, done, submit

# --- my ledger -------------------------------------------------------------------------------


def _add_record(form: ExternalRecordForm) -> ExternalRecord:
    """Store the certificate file, then the record; a refused record leaves no file behind."""
    try:
        stored = uploads.save(request.files.get("berkas"), kinds=("pdf", "jpg", "png"))
    except uploads.UploadError as error:
        raise Invalid(str(error), field="berkas") from error
    data = ledger.ExternalRecordInput(
        judul=form.judul.data,
        penyelenggara=form.penyelenggara.data,
        tanggal=form.tanggal.data,
        jp=form.jp.data,
    )
    try:
        return ledger.add_external_record(current_user, data, stored)
    except DomainError:
        uploads.delete(stored.stored_name)
        raise


@bp.route("/jp-saya", methods=["GET", "POST"], endpoint="ledger")
def ledger_page():
    form = ExternalRecordForm()
    status = 200
    if request.method == "POST":
        outcome = submit(form, lambda: _add_record(form))
        if outcome.ok:
            return done(
                _("The record is submitted; an admin will verify it."),
                url_for("trainings.ledger"),
            )
        status = outcome.status
    year = query_year(request.args.get("tahun"), local_today().year)
    return respond(
        "trainings/ledger.html",
        status=status,
        form=form,
        ledger=ledger.jp_ledger(current_user, year),
        feed_url=url_for(
            "trainings.feed", token=calendars.calendar_token(current_user), _external=True
        ),
        token_form=EmptyForm(),
    )


# --- the personal calendar feed --------------------------------------------------------------


@bp.post("/kalender/token-baru")
def renew_feed():
    if not EmptyForm().validate_on_submit():
        abort(400)
    calendars.calendar_token(current_user, renew=True)
    return done(
        _("A new calendar address was made; the old one no longer works."),
        url_for("trainings.ledger"),
    )


@bp.get("/kalender/<token>.ics")
def feed(token):
    """Personal feed for calendar apps, which cannot sign in: the secret token is the key."""
    employee = calendars.employee_for_token(token)
    if employee is None:
        abort(404)
    response = make_response(calendars.personal_ics(employee, request.url_root.rstrip("/")))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


# --- external records ------------------------------------------------------------------------


@bp.get("/jp-eksternal/<int:record_id>/berkas")
def record_file(record_id):
    rec = get_or_404(ExternalRecord, record_id)
    if not ledger.can_see_record(current_user, rec):
        abort(404)
    return uploads.send(
        rec.stored_name,
        rec.original_name,
        rec.kind,
        missing=_("The certificate file is no longer stored; ask the pegawai to submit it again."),
    )


def _record_list(status: int = 200) -> Response:
    return respond(
        "trainings/records.html",
        "record_list",
        status=status,
        records=ledger.records_to_verify(current_user),
        form=DecisionForm(),
    )


@bp.get("/jp-eksternal")
def records():
    if not org.is_any_admin(current_user):
        abort(403)
    return _record_list()


@bp.post("/jp-eksternal/<int:record_id>")
def decide_record(record_id):
    rec = get_or_404(ExternalRecord, record_id)
    if not ledger.can_verify_record(current_user, rec):
        abort(404)
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    approve = request.form.get("keputusan") == "verifikasi"
    outcome = attempt(lambda: ledger.verify_record(current_user, rec, approve, form.note.data))
    if not outcome.ok:
        return _record_list(outcome.status)
    return done(
        _("Verified.") if approve else _("Rejected."),
        url_for("trainings.records"),
        fragment=_record_list,
    )


# --- the JP recap ----------------------------------------------------------------------------


@bp.get("/rekap-jp")
def report():
    if not ledger.can_see_report(current_user):
        abort(403)
    units = ledger.report_units(current_user)
    unit = None
    unit_id = request.args.get("unit", type=query_id)
    if units:
        unit = next((u for u in units if u.id == unit_id), None) or (
            current_user.unit
            if org.can_admin_unit(current_user, current_user.unit_id)
            else units[0]
        )
    year = query_year(request.args.get("tahun"), local_today().year)
    data = ledger.jp_report(current_user, unit, year)
    return respond("trainings/report.html", data=data, units=units, unit=unit)


# --- certificates ----------------------------------------------------------------------------


@bp.get("/sertifikat/<int:registration_id>")
def certificate(registration_id):
    reg = get_or_404(Registration, registration_id, Registration.completed == True)  # noqa: E712
    if not ledger.can_see_certificate(current_user, reg):
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
    reg = ledger.verify_certificate(code)
    return respond("trainings/verify.html", reg=reg, status=200 if reg else 404)
