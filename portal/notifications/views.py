"""Thin routes of /notifikasi: the list, the bell fragment, mark read, mark all read."""

from flask import abort, make_response, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from portal.notifications import bp, services
from portal.web import access, nav, pagination, respond
from portal.web.forms import PortalForm, done

L = access.LOGIN
access.register(
    {
        "notifications.index": L,
        "notifications.bell": L,
        "notifications.open": L,
        "notifications.mark_read": L,
        "notifications.mark_all_read": L,
    }
)
# Polling the bell is not user activity: it must not keep an idle session alive.
access.passive("notifications.bell")


class EmptyForm(PortalForm):
    pass


def _page_number():
    return pagination.page_number(request.args, "hal")


def _list_page(status=200):
    page = _page_number()
    unread_only = request.args.get("belum") == "1"
    rows, has_more = services.for_recipient(current_user, page, unread_only)
    return respond(
        "notifications/index.html",
        "notice_list",
        status=status,
        rows=rows,
        page=page,
        has_more=has_more,
        unread_only=unread_only,
        unread=nav.fact(current_user, "unread_notifications"),  # the bell's number too
        form=EmptyForm(),
    )


@bp.get("")
def index():
    return _list_page()


@bp.get("/lonceng")
def bell():
    """The bell alone: no flashes (it must neither show nor consume them), no session refresh."""
    html = render_block(
        "notifications/_bell.html", "bell", unread=services.unread_count(current_user)
    )
    response = make_response(html)
    response.vary.add("HX-Request")
    return response


def _safe_link(link):
    return (
        link
        if link.startswith("/") and not link.startswith("//")
        else url_for("notifications.index")
    )


@bp.post("/<int:notification_id>/buka")
def open(notification_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    notice = services.mark_read(current_user, notification_id)
    if notice is None:
        abort(404)
    return redirect(_safe_link(notice.link or url_for("notifications.index")), 303)


@bp.post("/<int:notification_id>/baca")
def mark_read(notification_id):
    if not EmptyForm().validate_on_submit():
        abort(400)
    if services.mark_read(current_user, notification_id) is None:
        abort(404)
    return done(None, url_for("notifications.index"), fragment=_list_page)


@bp.post("/baca-semua")
def mark_all_read():
    if not EmptyForm().validate_on_submit():
        abort(400)
    count = services.mark_all_read(current_user)
    message = _("All notifications are marked as read.") if count else _("No unread notifications.")
    return done(message, url_for("notifications.index"), fragment=_list_page)


nav.add_fact("unread_notifications", lambda user, day: services.unread_count_query(user))


@bp.app_context_processor
def _bell_count():
    """`notification_unread()` for the bell in the header: read with the navigation's other
    facts (one statement per page), when shown."""

    def notification_unread():
        return nav.fact(current_user, "unread_notifications")

    return {"notification_unread": notification_unread}
