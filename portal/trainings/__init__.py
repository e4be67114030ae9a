"""Pelatihan: trainings, sign-up with seats and a waiting list, attendance and the JP ledger.

The module map is in docs/modules/trainings.md. The domain's settings are declared here, once.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import settings

bp = Blueprint("trainings", __name__, url_prefix="/pelatihan")

CONFIRMATION_HOURS = "trainings.confirmation_hours"
TARGET_JP = "trainings.target_jp"
CANCEL_DEADLINE_HOURS = "trainings.cancel_deadline_hours"
TARGET_JP_FLOOR = 20  # the national floor: at least 20 JP of competence development a year

GROUP = _l("Training")
settings.define(
    CONFIRMATION_HOURS,
    _l("Hours to confirm a seat offered from the waiting list"),
    int,
    24,
    minimum=1,
    maximum=168,
    group=GROUP,
    help=_l("When a seat frees up, the first on the waiting list must confirm within this time."),
)
settings.define(
    TARGET_JP,
    _l("JP target per pegawai per year"),
    int,
    TARGET_JP_FLOOR,
    minimum=TARGET_JP_FLOOR,
    maximum=200,
    group=GROUP,
    help=_l("1 JP = 45 minutes of competence development; at least 20 JP a year (national rule)."),
)
settings.define(
    CANCEL_DEADLINE_HOURS,
    _l("Cancellation cut-off (hours before the training starts)"),
    int,
    24,
    minimum=0,
    maximum=720,
    group=GROUP,
    help=_l("A pegawai may cancel their sign-up until this many hours before the first session."),
)
