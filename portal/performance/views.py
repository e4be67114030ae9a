"""The /kinerja blueprint: its access policy and navigation; the routes live in skp_views
(the SKP pages), tree_views (the pohon kinerja, monitoring, IKU) and document_views (print and
PDF), imported here so that they register on `bp`."""

from flask_babel import lazy_gettext as _l

from portal.performance import (  # noqa: F401  (register their routes)
    bp,
    document_views,
    skp_views,
    tree_views,
)
from portal.performance.evaluation import (  # noqa: F401  (register their routes)
    credit_views,
    distribution_views,
    followup_views,
)
from portal.performance.pages import waiting_query
from portal.performance.rules import (
    can_monitor,
    know_acting_for,
    status_badge,
)
from portal.web import access, nav

L = access.LOGIN
access.register(
    {
        "performance.index": L,
        "performance.create": L,
        "performance.detail": L,
        "performance.add_rhk": L,
        "performance.edit_rhk": L,
        "performance.update_rhk": L,
        "performance.delete_rhk": L,
        "performance.add_indicator": L,
        "performance.delete_indicator": L,
        "performance.lampiran": L,
        "performance.expectations": L,
        "performance.submit_skp": L,
        "performance.approve": L,
        "performance.return_skp": L,
        "performance.new_version": L,
        "performance.share": L,
        "performance.tree_page": L,
        "performance.monitoring": L,
        "performance.remind": L,
        "performance.iku": L,
        "performance.delete_iku": L,
        "performance.print": L,
        "performance.pdf": L,
        "evaluation.index": L,
        "evaluation.make_calendar": L,
        "evaluation.open_evaluation": L,
        "evaluation.detail": L,
        "evaluation.save_realisasi": L,
        "evaluation.submit_realisasi": L,
        "evaluation.preview": L,
        "evaluation.rate": L,
        "evaluation.finalize": L,
        "evaluation.file_objection": L,
        "evaluation.decide_objection": L,
        "evaluation.distribution_page": L,
        "evaluation.unit_predikat": L,
        "evaluation.calibrate": L,
        "evaluation.ask_peer": L,
        "evaluation.calibration_page": L,
        "evaluation.follow_up_page": L,
        "evaluation.name_decider": L,
        "evaluation.credit_recap": L,
        "evaluation.print_page": L,
        "evaluation.pdf": L,
        "evaluation.follow_ups": L,
        "evaluation.record_follow_up": L,
        "evaluation.peer_form": L,
        "evaluation.give_peer_input": L,
    }
)

# One entry for the SKP and its evaluation (the pages' tabs lead on): a short menu on one line.
nav.add(
    _l("Performance"),
    "performance.index",
    order=25,
    badge=lambda user: nav.fact(user, "skp_waiting") if user.is_atasan else 0,
)
nav.add_fact("skp_waiting", waiting_query)
# Whether the user acts as Plt/Plh today (the reviews domain's fact): when not (most pegawai),
# the SKP rules need no query for it (`acting_for`)
nav.also_then("acting_today", know_acting_for)


# (label, tone) of an SKP status, for the skp_badge macro; who sees the monitoring tabs.
bp.add_app_template_global(status_badge, "skp_status")
bp.add_app_template_global(can_monitor, "can_monitor_skp")
