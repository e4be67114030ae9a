"""The /pelatihan blueprint: its access policy, navigation, dashboard panel and routes.

The routes live in three modules, imported here so that they register on `bp`:
catalogue_views (the pegawai's side: catalogue, detail, seats, feedback, the atasan's
approvals), organiser_views (create, edit, status, participants, attendance) and ledger_views
(the JP ledger, external records, the JP recap, certificates, calendar feeds).
"""

from flask_babel import lazy_gettext as _l

from portal.org import services as org
from portal.trainings import (
    bp,
    catalogue_views,  # noqa: F401  (registers its routes)
    ledger_views,  # noqa: F401
    organiser_views,  # noqa: F401
)
from portal.trainings.catalogue import my_upcoming
from portal.trainings.ledger import jp_summary
from portal.trainings.rules import status_badge
from portal.trainings.seats import pending_approval_query
from portal.web import access, dashboard, nav

L, P = access.LOGIN, access.PUBLIC
access.register(
    {
        "trainings.index": L,
        "trainings.detail": L,
        "trainings.sign_up": L,
        "trainings.cancel": L,
        "trainings.confirm": L,
        "trainings.ics": L,
        "trainings.manage": L,
        "trainings.create": L,
        "trainings.edit": L,
        "trainings.transition": L,
        "trainings.cancel_training": L,
        "trainings.participants": L,
        "trainings.attendance": L,
        "trainings.approvals": L,
        "trainings.decide": L,
        "trainings.feedback": L,
        "trainings.certificate": L,
        "trainings.verify": P,
        "trainings.ledger": L,
        "trainings.record_file": L,
        "trainings.records": L,
        "trainings.decide_record": L,
        "trainings.report": L,
        "trainings.feed": P,
        "trainings.renew_feed": L,
    }
)

nav.add(
    _l("Training"),
    "trainings.index",
    order=50,
    badge=lambda user: nav.fact(user, "training_approvals") if user.is_atasan else 0,
)
nav.add_fact("training_approvals", lambda user, day: pending_approval_query(user))
nav.add_admin_section(
    _l("External JP to verify"), "trainings.records", order=60, visible=org.is_any_admin
)
nav.add_admin_section(_l("JP recap"), "trainings.report", order=61, visible=org.is_any_admin)


def _dashboard_context(user):
    return {"ledger": jp_summary(user), "upcoming": my_upcoming(user, limit=3)}


dashboard.add("trainings/_dashboard.html", _dashboard_context, order=40)

# (label, tone) of a training, sign-up or record status, for the status_badge macro.
bp.add_app_template_global(status_badge, "training_status")
