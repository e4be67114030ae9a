"""Routes of dialog publik: the access policy of every endpoint, the menu entry and the dasbor
card. The routes themselves live in `public_views` (the public pages, no login) and
`manage_views` (the organisers' pages under /kelola); importing them registers them on `bp`.
"""

from flask_babel import lazy_gettext as _l

from portal.clock import local_today
from portal.dialogs import manage_views, public_views, reading, rules
from portal.web import access, dashboard, nav

__all__ = ["manage_views", "public_views"]

access.register(
    {
        "dialogs.index": access.PUBLIC,
        "dialogs.detail": access.PUBLIC,
        "dialogs.ics": access.PUBLIC,
        "dialogs.feed": access.PUBLIC,
        "dialogs.privacy": access.PUBLIC,
        "dialogs.attachment": access.PUBLIC,
        "dialogs.register": access.PUBLIC,
        "dialogs.cancel_registration": access.PUBLIC,
        "dialogs.registered": access.PUBLIC,
        "dialogs.forgot_code": access.PUBLIC,
        "dialogs.ask": access.PUBLIC,
        "dialogs.support": access.PUBLIC,
        "dialogs.survey": access.PUBLIC,
        "dialogs.manage": access.LOGIN,
        "dialogs.create": access.LOGIN,
        "dialogs.manage_detail": access.LOGIN,
        "dialogs.edit": access.LOGIN,
        "dialogs.transition": access.LOGIN,
        "dialogs.moderate": access.LOGIN,
        "dialogs.results": access.LOGIN,
        "dialogs.add_follow_up": access.LOGIN,
        "dialogs.follow_up_status": access.LOGIN,
        "dialogs.upload_attachment": access.LOGIN,
        "dialogs.delete_attachment": access.LOGIN,
        "dialogs.export": access.LOGIN,
    }
)

nav.add(_l("Public Dialog"), "dialogs.index", order=70, visible=lambda user: True)


def _dashboard_context(user):
    if not rules.has_follow_up_role(user):
        return None
    return reading.dashboard_summary(user, local_today())


dashboard.add("dialogs/_dashboard.html", _dashboard_context, order=70)
