"""Routes of the public service: the access policy of every endpoint and the menu entry. The
routes live in `public_views` (no login) and `manage_views` (officers, /pengaduan/kelola)."""

from flask_babel import lazy_gettext as _l
from peewee import fn

from portal.org.services import is_any_admin
from portal.public_service import indicator_views, manage_views, public_views, skm_views
from portal.public_service.rules import assigned_complaints, has_complaint_role
from portal.web import access, nav

__all__ = ["indicator_views", "manage_views", "public_views", "skm_views"]

access.register(
    {
        "public_service.index": access.PUBLIC,
        "public_service.file_complaint": access.PUBLIC,
        "public_service.privacy": access.PUBLIC,
        "public_service.lookup": access.PUBLIC,
        "public_service.track": access.PUBLIC,
        "public_service.rate": access.PUBLIC,
        "public_service.services": access.PUBLIC,
        "public_service.unit_page": access.PUBLIC,
        "public_service.feed": access.PUBLIC,
        "public_service.unit_feed": access.PUBLIC,
        "public_service.manage": access.LOGIN,
        "public_service.manage_detail": access.LOGIN,
        "public_service.verify": access.LOGIN,
        "public_service.assign": access.LOGIN,
        "public_service.reject": access.LOGIN,
        "public_service.answer": access.LOGIN,
        "public_service.publish": access.LOGIN,
        "public_service.unpublish": access.LOGIN,
        "public_service.log_entry": access.LOGIN,
        "public_service.photo": access.LOGIN,
        "public_service.indicators_manage": access.LOGIN,
        "public_service.indicator_create": access.LOGIN,
        "public_service.indicator_detail": access.LOGIN,
        "public_service.indicator_target": access.LOGIN,
        "public_service.indicator_value": access.LOGIN,
        "public_service.indicator_import": access.LOGIN,
        "public_service.indicator_rhk": access.LOGIN,
        "public_service.survey": access.PUBLIC,
        "public_service.skm_service_create": access.LOGIN,
    }
)

nav.add(_l("Public Service"), "public_service.services", order=75, visible=lambda user: True)
nav.add(
    _l("Complaints"),
    "public_service.manage",
    order=76,
    visible=lambda user: has_complaint_role(user, nav.fact(user, "complaints_assigned")),
)
nav.add_fact("complaints_assigned", lambda user, day: fn.EXISTS(assigned_complaints(user)))
nav.add_admin_section(
    _l("Service indicators"), "public_service.indicators_manage", order=77, visible=is_any_admin
)
