"""Shared by the admin routes: the guards of the area, the acting user, the 303 after a change."""

from flask import Response, abort, redirect, url_for
from flask_login import current_user

from portal.admin import services
from portal.extensions import htmx
from portal.org import services as org


def require_admin_area():
    if not services.can_open_admin(current_user):
        abort(403)


def require_full_admin():
    if not org.is_admin(current_user):
        abort(403)


def acting_user():
    return current_user._get_current_object()


def see_other(endpoint, **values):
    """303 to the next page; for htmx a full navigation (HX-Redirect), not a swapped page."""
    target = url_for(endpoint, **values)
    if htmx:
        return Response("", 204, headers={"HX-Redirect": target})
    return redirect(target, code=303)
