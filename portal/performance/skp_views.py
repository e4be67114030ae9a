"""The SKP pages at /kinerja/skp."""

from flask_login import current_user

from portal.db import get_or_404
from portal.performance import bp
from portal.performance.models import Skp
from portal.performance.rules import can_view, require
from portal.web import respond


def _skp(skp_id: int) -> Skp:
    skp = get_or_404(Skp, skp_id)
    require(can_view(current_user, skp))
    return skp


@bp.get("/skp")
def index():
    return respond("performance/index.html")


@bp.get("/skp/<int:skp_id>")
def detail(skp_id):
    return respond("performance/detail.html", skp=_skp(skp_id))
