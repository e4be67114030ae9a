"""The SKM pages: the public survey of one service (no login, one answer per signed respondent
token per period), and the admin's form naming a surveyed service (on /layanan/kelola)."""

from __future__ import annotations

from typing import Any

from flask import current_app, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from portal.clock import local_today
from portal.public_service import bp, skm
from portal.public_service.forms import SkmForm, SkmServiceForm
from portal.public_service.indicator_views import _render_list, _require_admin
from portal.public_service.rules import setting, units_for
from portal.web import public_forms, respond
from portal.web.forms import done, submit

RESPONDENT_COOKIE = "skm_responden"  # the signed token, not a secret


def _token() -> tuple[str, bool]:
    """The respondent's token: from the desk's link (?t=), the form, or the cookie; else new."""
    for candidate in (
        request.args.get("t"),
        request.form.get("token"),
        request.cookies.get(RESPONDENT_COOKIE),
    ):
        if skm.respondent_of(candidate):
            return str(candidate), False
    return skm.new_token(), True


def _render(service: Any, form: SkmForm, token: str, status: int = 200):
    form.token.data = token
    today = local_today()
    return respond(
        "public_service/survey.html",
        None,
        status,
        service=service,
        form=form,
        answered=skm.has_answered(service, token, today),
        period=skm.period_of(today),
    )


def _remember(response: Any, token: str) -> Any:
    response.set_cookie(
        RESPONDENT_COOKIE,
        token,
        max_age=365 * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


@bp.route("/layanan/survei/<int:service_id>", methods=["GET", "POST"])
def survey(service_id):
    service = skm.get_public(service_id)
    token, new = _token()
    form = SkmForm()
    if request.method == "GET":
        response = _render(service, form, token)
        return _remember(response, token) if new else response
    limit = current_app.config.get("PUBLIC_SERVICE_POSTS_PER_IP") or setting("posts_per_ip")
    refused = public_forms.refuse_public_post(
        form, lambda status: _render(service, form, token, status), "layanan:skm", limit, 600
    )
    if refused:
        return refused
    answers = {f"u{n}": getattr(form, f"u{n}").data for n in range(1, 10)}
    profile = skm.Profile(
        form.usia.data, form.jenis_kelamin.data, form.pendidikan.data, form.pekerjaan.data
    )
    outcome = submit(
        form,
        lambda: skm.submit(
            service, form.token.data, answers, profile, form.saran.data, local_today()
        ),
        validate=False,
    )
    if not outcome.ok:
        return _render(service, form, token, outcome.status)
    response = done(
        _("Thank you for filling in the satisfaction survey."),
        url_for("public_service.unit_page", unit_id=service.unit_id, _anchor="skm"),
    )
    return _remember(response, form.token.data)


@bp.post("/layanan/kelola/skm")
@login_required
def skm_service_create():
    _require_admin()
    form = SkmServiceForm()
    form.unit_id.choices = [SelectChoice(str(u.id), u.nama) for u in units_for(current_user)]
    outcome = submit(
        form,
        lambda: skm.create_service(
            current_user, form.unit_id.data, form.nama.data, form.populasi.data
        ),
    )
    if not outcome.ok:
        return _render_list(skm_form=form, status=outcome.status)
    return done(_("The surveyed service was added."), url_for("public_service.indicators_manage"))
