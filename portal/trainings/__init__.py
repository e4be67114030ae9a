"""Pelatihan: trainings, sign-up with seats and a waiting list, attendance and the JP ledger."""

from flask import Blueprint

bp = Blueprint("trainings", __name__, url_prefix="/pelatihan")
