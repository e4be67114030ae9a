"""Laporan kegiatan harian at /kegiatan, and the holiday calendar / date unlocks at /admin."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import settings

bp = Blueprint("activities", __name__, url_prefix="/kegiatan")
admin_bp = Blueprint("activities_admin", __name__, url_prefix="/admin")


@bp.record_once
def _register_admin(state):
    state.app.register_blueprint(admin_bp)


GROUP = _l("Daily Activities")

settings.define(
    "activities.max_minutes_per_day",
    _l("Maximum minutes per day"),
    int,
    600,
    minimum=60,
    maximum=1440,
    group=GROUP,
    help=_l("The total of one day's entries may not exceed this."),
)
settings.define(
    "activities.input_deadline_days",
    _l("Input deadline (working days)"),
    int,
    3,
    minimum=0,
    maximum=30,
    group=GROUP,
    help=_l("Entries for a date can be created or changed until this many working days later."),
)
settings.define(
    "activities.monthly_target_minutes",
    _l("Monthly minute target"),
    int,
    6750,
    minimum=0,
    maximum=20000,
    group=GROUP,
    help=_l("Effective minutes a pegawai is expected to report in a month."),
)
settings.define(
    "activities.rhk_required",
    _l("An activity must name its RHK"),
    bool,
    False,
    group=GROUP,
    help=_l(
        "When on, every new or changed activity must be linked to one of the pegawai's approved "
        "RHK valid on its date."
    ),
)
settings.define(
    "activities.workday_start",
    _l("Working day starts (HH:MM)"),
    str,
    "07:30",
    group=GROUP,
    help=_l("The first start time the form suggests."),
)
settings.define(
    "activities.workday_end",
    _l("Working day ends (HH:MM)"),
    str,
    "16:00",
    group=GROUP,
    help=_l("The end of the usual working day, shown on the day view."),
)
