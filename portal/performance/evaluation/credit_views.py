"""The admin's angka kredit recap at /kinerja/evaluasi/angka-kredit."""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from portal.errors import NotFound
from portal.performance.evaluation import credits, periods
from portal.performance.evaluation.distribution_views import _year
from portal.performance.evaluation.rules import predikat_labels
from portal.performance.evaluation.views import bp
from portal.web import respond


@bp.get("/angka-kredit")
def credit_recap():
    if not credits.can_see_recap(current_user):
        raise NotFound(_("The page was not found."))
    tahun = _year(request.args.get("tahun"))
    return respond(
        "performance/evaluation/credits.html",
        tahun=tahun,
        rows=credits.recap(current_user, tahun),
        label=periods.label,
        predikat_labels=predikat_labels(),
    )
