"""Dialog publik: public announcements, citizen registration and questions, results."""

from flask import Blueprint

bp = Blueprint("dialogs", __name__, url_prefix="/dialog-publik")
