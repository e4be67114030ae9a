"""Verifikasi by the atasan (queue, decisions, Plt/Plh) at /verifikasi, and umpan balik
(feedback threads) at /umpan-balik."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/verifikasi")
feedback_bp = Blueprint("feedback", __name__, url_prefix="/umpan-balik")


@bp.record_once
def _register_feedback(state):
    state.app.register_blueprint(feedback_bp)
