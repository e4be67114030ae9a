"""The dasbor and small portal-wide routes."""

from flask import render_template
from flask_login import current_user

from portal.clock import local_today
from portal.web import access, dashboard
from portal.web.blueprint import bp

access.register({"web.home": access.LOGIN, "web.health": access.PUBLIC})


@bp.get("/")
def home():
    return render_template(
        "web/home.html", panels=dashboard.panels_for(current_user), today=local_today()
    )


@bp.get("/sehat")
def health():
    """Liveness for the reverse proxy and the benchmark: no database, no session."""
    return {"status": "ok"}
