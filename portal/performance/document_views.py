"""The SKP as a print-ready page and as a PDF (the same template)."""

from flask import make_response
from flask_login import current_user

from portal.db import get_or_404
from portal.performance import bp, documents
from portal.performance.models import Skp
from portal.performance.rules import can_view, require


def _skp(skp_id: int) -> Skp:
    skp = get_or_404(Skp, skp_id)
    require(can_view(current_user, skp))
    return skp


@bp.get("/skp/<int:skp_id>/cetak")
def print(skp_id):
    return documents.render_html(current_user, _skp(skp_id))


@bp.get("/skp/<int:skp_id>.pdf")
def pdf(skp_id):
    skp = _skp(skp_id)
    response = make_response(documents.render_pdf(current_user, skp))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{documents.file_name(skp)}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
