"""Pelayanan publik: citizens' complaints (pengaduan) with tracking codes and response deadlines,
and the public figures of each unit's service. URLs under /pengaduan and /layanan."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import settings

bp = Blueprint("public_service", __name__)

GROUP = _l("Public Service")

settings.define(
    "public_service.response_days",
    _l("Complaint response deadline (working days)"),
    int,
    5,
    minimum=1,
    maximum=60,
    group=GROUP,
    help=_l("Working days from filing to the answer; weekends and holidays do not count."),
)
settings.define(
    "public_service.reminder_days",
    _l("Reminder before the complaint deadline (working days)"),
    int,
    1,
    minimum=0,
    maximum=30,
    group=GROUP,
    help=_l("The handler (or the unit's admin) is reminded this many working days before."),
)
settings.define(
    "public_service.posts_per_ip",
    _l("Complaints and ratings per connection (per 10 minutes)"),
    int,
    10,
    minimum=1,
    maximum=10000,
    group=GROUP,
    help=_l("Public submissions from one IP address; tracking look-ups may be ten times as many."),
)
settings.define(
    "public_service.photo_max_kb",
    _l("Largest complaint photo (KB)"),
    int,
    3072,
    minimum=100,
    maximum=20480,
    group=GROUP,
)
settings.define(
    "public_service.entry_minutes",
    _l("Minutes of a complaint logged as a daily entry"),
    int,
    30,
    minimum=5,
    maximum=480,
    group=GROUP,
    help=_l("The prefilled entry ends now and lasts this long; the pegawai may edit it."),
)
settings.define(
    "public_service.feed_entries",
    _l("Entries of the public Atom feeds"),
    int,
    50,
    minimum=5,
    maximum=200,
    group=GROUP,
    help=_l("Published answers and changes of the service figures, newest first."),
)
