"""Kinerja: the planning half of the performance domain (SKP, RHK, indicators, perilaku kerja,
lampiran, the unit's IKU, the pohon kinerja and its monitoring, the SKP document).

Modules, bottom up: models; rules (labels, BerAKHLAK, who may do what); lifecycle (the one owner
of every SKP state change); planning (RHK, indicators, links, expectations, lampiran, IKU,
sharing, copying); pages (read-models of the pages and the daily-entry helpers); tree (the
pohon kinerja and the monitoring); documents (print page and PDF); views modules on top.
"""

from flask import Blueprint

bp = Blueprint("performance", __name__, url_prefix="/kinerja")
