"""The admin area (/admin): units, pegawai, roles, import, audit log, settings.

Admin sees everything; admin OPD sees and edits only their unit subtree (others' objects: 404);
settings and the audit log are for the admin only (403 for others). Every route of the area is
declared here (its access level) and lives in one of:

- portal/admin/org_views.py: units, pegawai, roles (the changes are org.services' rules);
- portal/admin/tool_views.py: the pegawai import, the audit log, the settings page.
"""

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.admin import bp, org_views, tool_views
from portal.admin.common import require_admin_area
from portal.org import services as org
from portal.web import access, nav, respond

__all__ = ["org_views", "tool_views"]  # imported for their routes

ROUTES = [
    "index",
    "units",
    "unit_new",
    "unit_edit",
    "employees",
    "employee_new",
    "employee_edit",
    "employee_active",
    "employee_reset",
    "employee_end_sessions",
    "role_grant",
    "role_revoke",
    "roles",
    "import_page",
    "import_template",
    "import_progress",
    "audit_log",
    "settings_page",
]
# Every route needs a session; who may open it is checked in the route (admin area, admin only).
access.register({f"admin.{name}": access.LOGIN for name in ROUTES})

nav.add(_l("Admin"), "admin.index", order=900, visible=lambda user: org.is_any_admin(user))

OWN_SECTIONS = [
    (_l("Unit kerja"), "admin.units", _l("The tree of units: add, edit, move.")),
    (_l("Pegawai"), "admin.employees", _l("Find by NIP or name, edit, atasan, deactivate.")),
    (_l("Roles"), "admin.roles", _l("Admin OPD and penyelenggara of each unit.")),
    (_l("Import"), "admin.import_page", _l("Pegawai from a CSV or XLSX file.")),
    (_l("Audit log"), "admin.audit_log", _l("Who changed what, when and from where.")),
    (_l("Settings"), "admin.settings_page", _l("Local settings of the pemda.")),
]
ADMIN_ONLY = {"admin.settings_page"}


@bp.get("/")
def index():
    require_admin_area()
    own = [
        (label, endpoint, text)
        for label, endpoint, text in OWN_SECTIONS
        if endpoint not in ADMIN_ONLY or org.is_admin(current_user)
    ]
    others = nav.admin_sections_for(current_user)
    return respond("admin/index.html", own=own, others=others)
