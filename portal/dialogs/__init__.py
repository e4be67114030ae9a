"""Dialog publik: public announcements, citizen registration and questions, results."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

from portal import settings

bp = Blueprint("dialogs", __name__, url_prefix="/dialog-publik")

GROUP = _l("Public Dialog")

settings.define(
    "dialogs.public_posts_per_ip",
    _l("Public form submissions per connection (per 10 minutes)"),
    int,
    30,
    minimum=1,
    maximum=10000,
    group=GROUP,
    help=_l(
        "Registrations, cancellations and questions from one IP address; supports may be "
        "three times as many. A city hall behind one NAT may need more."
    ),
)
