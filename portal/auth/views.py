from flask import flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user
from peewee import fn

from portal import clock
from portal.auth import bp, services
from portal.auth.forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    ResetPasswordForm,
)
from portal.auth.safe_next import safe_next
from portal.errors import Invalid
from portal.extensions import login_manager
from portal.org import services as org
from portal.org.models import Employee
from portal.web import access, nav, respond
from portal.web.after_response import run_after_response
from portal.web.forms import submit
from portal.web.hooks import security_log

access.register(
    {
        "auth.login": access.PUBLIC,
        "auth.logout": access.PUBLIC,
        "auth.profile": access.LOGIN,
        "auth.change_password": access.LOGIN,
        "auth.language": access.LOGIN,
        "auth.forgot_password": access.PUBLIC,
        "auth.reset_with_link": access.PUBLIC,
        "auth.reset_subordinate": access.LOGIN,
    }
)

login_manager.user_loader(services.load_user)

nav.add(_l("Home"), "web.home", order=0)
# Who the signed-in pegawai is, read with the other navigation facts: whether they have
# subordinates (most have none) and their roles, so `is_atasan` and `role_rows` need no query
# of their own.
nav.add_fact(
    "is_atasan",
    lambda user, day: fn.EXISTS(user.subordinates_query()),
    lambda user, value, day: user.know_is_atasan(value),
)
nav.add_fact(
    "roles",
    lambda user, day: user.roles_query(),
    lambda user, rows, day: user.know_roles(rows),
    Employee.read_roles,
)

# While a password must be changed (after an admin reset) only these may be opened.
FORCED_CHANGE_ALLOWED = {"auth.change_password", "auth.logout", "auth.login", "static"}


@bp.before_app_request
def force_password_change():
    if (
        current_user.is_authenticated
        and current_user.must_change_password
        and request.endpoint not in FORCED_CHANGE_ALLOWED
        and access.level_of(request.endpoint) == access.LOGIN
    ):
        return redirect(url_for("auth.change_password"))
    return None


def _start_session(employee):
    """A fresh session (no fixation): clear, sign in, start the idle/absolute clocks."""
    session.clear()
    login_user(employee)
    now = clock.epoch_seconds()
    session["started"] = now
    session["seen"] = now


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return respond("auth/login.html", form=form)
    outcome = submit(form, lambda: _authenticate(form))  # RateLimited: the 429 page
    if outcome.ok:
        employee = outcome.result
        _start_session(employee)
        security_log("login", user=employee.id)
        if employee.must_change_password:
            flash(_("Please choose a new password before you continue."), "warning")
            return redirect(url_for("auth.change_password"))
        return redirect(safe_next(form.next.data))
    form.password.data = ""
    return respond("auth/login.html", status=outcome.status, form=form)


def _authenticate(form):
    """The sign-in itself; every refusal is written to the security log first."""
    try:
        return services.authenticate(
            form.identifier.data, form.password.data, ip=request.remote_addr
        )
    except services.RateLimited:
        security_log("login_rate_limited")
        raise
    except Invalid:
        security_log("login_failed", identifier=form.identifier.data[:40])
        raise


@bp.post("/keluar")
@login_required
def logout():
    services.end_all_sessions(current_user)
    security_log("logout", user=current_user.id)
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.get("/profil")
def profile():
    employee = current_user
    language_form = LanguageForm(language=employee.language)
    return respond(
        "auth/profile.html",
        employee=employee,
        chain=org.supervisor_chain(employee, limit=2),
        subordinates=list(org.subordinates(employee)),
        roles=employee.role_rows(),
        role_label=org.role_label,
        language_form=language_form,
    )


@bp.route("/profil/kata-sandi", methods=["GET", "POST"])
def change_password():
    form = ChangePasswordForm()
    if request.method == "GET":
        return respond("auth/change_password.html", "password_form", form=form)
    employee = current_user._get_current_object()
    outcome = submit(
        form,
        lambda: services.change_password(
            employee, form.current.data, form.new.data, form.confirm.data
        ),
    )
    if outcome.ok:
        _start_session(employee)
        security_log("password_changed", user=employee.id)
        flash(_("Your password has been changed. Other sessions have been ended."), "success")
        return redirect(url_for("auth.profile"))
    return respond("auth/change_password.html", "password_form", status=outcome.status, form=form)


@bp.post("/profil/bahasa")
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        services.set_language(current_user._get_current_object(), form.language.data)
        flash(_("Language preference saved."), "success")
        return redirect(url_for("auth.profile"), code=303)
    flash(_("Unknown language."), "danger")
    return redirect(url_for("auth.profile"), code=303)


@bp.route("/lupa-kata-sandi", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link (mailed when SMTP is set); the answer never says whether the
    account exists. Without SMTP the page says who can reset it: the atasan or the Admin OPD."""
    form = ForgotPasswordForm()
    mail_on = services.mail_enabled()
    if request.method == "GET" or not mail_on:
        return respond("auth/forgot_password.html", form=form, mail_on=mail_on, sent=False)

    def link_for(token):
        return url_for("auth.reset_with_link", token=token, _external=True)

    outcome = submit(
        form, lambda: services.request_reset(form.identifier.data, request.remote_addr, link_for)
    )
    if outcome.ok:
        run_after_response(outcome.result)  # the lookup and the mail: after the answer
        security_log("password_reset_requested", identifier=form.identifier.data[:40])
        return respond("auth/forgot_password.html", form=form, mail_on=True, sent=True)
    return respond(
        "auth/forgot_password.html", status=outcome.status, form=form, mail_on=True, sent=False
    )


@bp.route("/lupa-kata-sandi/<token>", methods=["GET", "POST"])
def reset_with_link(token):
    """Choose a new password through a mailed link (30 minutes, once)."""
    if len(token) > 400:
        raise Invalid(_("This link is invalid, already used or older than 30 minutes."))
    form = ResetPasswordForm()
    if request.method == "GET":
        services.account_for_token(token)  # a dead link says so at once
        return respond("auth/reset_password.html", form=form, token=token)
    outcome = submit(
        form, lambda: services.reset_with_token(token, form.new.data, form.confirm.data)
    )
    if outcome.ok:
        security_log("password_reset_by_link", user=outcome.result.id)
        session.clear()
        flash(_("Your password has been changed. Sign in with it."), "success")
        return redirect(url_for("auth.login"))
    return respond("auth/reset_password.html", status=outcome.status, form=form, token=token)


@bp.post("/profil/bawahan/<int:employee_id>/reset-kata-sandi")
def reset_subordinate(employee_id):
    """The atasan langsung gives a direct subordinate a temporary password (shown once)."""
    employee, temporary = services.reset_by_supervisor(
        current_user._get_current_object(), employee_id
    )
    security_log("password_reset_by_atasan", user=current_user.id, target=employee.id)
    return respond("auth/temporary_password.html", employee=employee, temporary=temporary)
