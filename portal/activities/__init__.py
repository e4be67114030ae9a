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
# The national floor of the minutes that count toward the monthly target: 6,750 a month is
# 300 a day over 22.5 working days (pemda set 300-310).
COUNTED_MINUTES_FLOOR = 300
settings.define(
    "activities.counted_minutes_per_day",
    _l("Minutes a day that count toward the monthly target"),
    int,
    COUNTED_MINUTES_FLOOR,
    minimum=COUNTED_MINUTES_FLOOR,
    maximum=1440,
    group=GROUP,
    help=_l(
        "Of one day's approved minutes at most this many count toward the monthly target "
        "(at least 300, the national floor); the day's entries may still total up to the "
        "maximum minutes per day."
    ),
)


def _counted_within_cap(values):
    if values["activities.counted_minutes_per_day"] > values["activities.max_minutes_per_day"]:
        return {
            "activities.counted_minutes_per_day": _l("May not exceed the maximum minutes per day.")
        }
    return {}


settings.check(_counted_within_cap)
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
