from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.auth import bp, services
from portal.auth.forms import LoginForm
from portal.auth.safe_next import safe_next
from portal.extensions import login_manager
from portal.web import access
from portal.web.hooks import security_log

access.register({"auth.login": access.PUBLIC, "auth.logout": access.PUBLIC})

login_manager.user_loader(services.load_user)


@bp.route("/masuk", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    status = 200
    if form.validate_on_submit():
        try:
            employee = services.authenticate(form.identifier.data, form.password.data)
        except services.AuthError as error:
            security_log("login_failed", identifier=form.identifier.data[:40])
            form.form_errors.append(str(error))
            status = 422
        else:
            session.clear()
            login_user(employee)
            security_log("login", user=employee.id)
            return redirect(safe_next(form.next.data))
    elif request.method == "POST":
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.post("/keluar")
@login_required
def logout():
    services.end_all_sessions(current_user)
    security_log("logout", user=current_user.id)
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))
