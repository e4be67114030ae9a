"""Laporan at /laporan: the monthly recap per unit (TPP-ready), closing a month, the kehadiran
import and the exports (XLSX, CSV, PDF) as background jobs."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import settings

bp = Blueprint("reports", __name__, url_prefix="/laporan")

GROUP = _l("Reports and TPP")

settings.define(
    "reports.tpp_weight_kinerja",
    _l("TPP weight of kinerja (%)"),
    int,
    70,
    minimum=0,
    maximum=100,
    group=GROUP,
    help=_l("The share of the TPP that follows the capaian of the month."),
)
settings.define(
    "reports.tpp_weight_kehadiran",
    _l("TPP weight of kehadiran (%)"),
    int,
    30,
    minimum=0,
    maximum=100,
    group=GROUP,
    help=_l("The share of the TPP that follows the imported attendance."),
)
settings.define(
    "reports.tpp_cap",
    _l("Highest capaian counted (%)"),
    int,
    100,
    minimum=1,
    maximum=100,
    group=GROUP,
    help=_l("A capaian above this counts as this much for the kinerja component."),
)
settings.define(
    "reports.tpp_floor",
    _l("Lowest capaian paid (%)"),
    int,
    0,
    minimum=0,
    maximum=100,
    group=GROUP,
    help=_l("Below this capaian the kinerja component is zero."),
)
settings.define(
    "reports.band_low",
    _l("Capaian band: low below (%)"),
    int,
    50,
    minimum=1,
    maximum=100,
    group=GROUP,
    help=_l("A capaian below this is in the low band of the recap filter."),
)
settings.define(
    "reports.band_high",
    _l("Capaian band: good from (%)"),
    int,
    80,
    minimum=1,
    maximum=100,
    group=GROUP,
    help=_l("A capaian from this up is in the good band of the recap filter."),
)
settings.define(
    "reports.page_size",
    _l("Recap rows per page"),
    int,
    100,
    minimum=10,
    maximum=1000,
    group=GROUP,
    help=_l("How many pegawai one page of the recap shows."),
)
settings.define(
    "reports.export_keep_hours",
    _l("Keep exported files (hours)"),
    int,
    24,
    minimum=1,
    maximum=720,
    group=GROUP,
    help=_l("An exported file can be downloaded for this long, then it is deleted."),
)
