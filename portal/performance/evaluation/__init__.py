"""Penilaian kinerja: the evaluation half of the performance domain (PermenPANRB 6/2022), at
/kinerja/evaluasi.

Modules, bottom up: rules (labels, the 3x3 predikat matrix, the distribution curve, angka
kredit, who may do what); periods (the calendar: bulanan / triwulanan / semesteran plus the
annual evaluation); prefill (what the daily entries show, for a whole team in two queries);
lifecycle (the one owner of every Evaluation and keberatan state change); pages (read-models,
`latest_predikat`); forms; views. The settings are declared here.
"""

from flask_babel import lazy_gettext as _l

from portal import settings

GROUP = _l("Performance evaluation")

settings.define(
    "performance.evaluation_months",
    _l("Months per evaluation period"),
    int,
    3,
    minimum=1,
    maximum=6,
    group=GROUP,
    help=_l("1 = monthly, 3 = quarterly (the default), 6 = half-yearly."),
)
settings.define(
    "performance.evaluation_window_days",
    _l("Days after a period's end to report and rate"),
    int,
    15,
    minimum=1,
    maximum=60,
    group=GROUP,
    help=_l("A new period's input window closes this many days after the period ends."),
)
settings.define(
    "performance.reminder_days",
    _l("Remind this many days before a window closes"),
    int,
    5,
    minimum=0,
    maximum=30,
    group=GROUP,
    help=_l("Pegawai without realisasi and atasan with unrated staff get a notice."),
)
settings.define(
    "performance.extra_rewards",
    _l("Rewards the pemda adds (comma-separated)"),
    str,
    "-",
    group=GROUP,
    help=_l("Besides piagam, priority for competence development and additional TPP; - for none."),
)
