"""Verifikasi by the atasan (queue, decisions, Plt/Plh) at /verifikasi, and umpan balik
(feedback threads) at /umpan-balik. The domain's settings (reviews.*) are declared here."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import settings

bp = Blueprint("reviews", __name__, url_prefix="/verifikasi")
feedback_bp = Blueprint("feedback", __name__, url_prefix="/umpan-balik")


@bp.record_once
def _register_feedback(state):
    state.app.register_blueprint(feedback_bp)


GROUP = _l("Verification")

settings.define(
    "reviews.escalation_days",
    _l("Escalation to the atasan's atasan (working days)"),
    int,
    5,
    minimum=1,
    maximum=60,
    group=GROUP,
    help=_l("Entries waiting longer than this also appear in the queue of the atasan's atasan."),
)
