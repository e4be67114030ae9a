"""The admin area (/admin): routes and the area's own queries; the module map is in
docs/modules/admin.md. The area's settings are declared here, once."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import settings

bp = Blueprint("admin", __name__, url_prefix="/admin")

GROUP = _l("Pegawai import")

settings.define(
    "admin.import_jobs_keep_days",
    _l("Keep finished import runs (days)"),
    int,
    30,
    minimum=1,
    maximum=365,
    group=GROUP,
    help=_l(
        "A finished or failed pegawai import (its progress page and its outcome) is deleted "
        "after this many days; a queued or running one is never deleted."
    ),
)
