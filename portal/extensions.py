"""The unbound extension objects, bound to the app in create_app()."""

from flask_babel import Babel
from flask_compress import Compress
from flask_htmx import HTMX
from flask_login import LoginManager
from flask_wtf import CSRFProtect

from portal.db import db

__all__ = ["babel", "compress", "csrf", "db", "htmx", "login_manager"]

babel = Babel()
compress = Compress()
csrf = CSRFProtect()
htmx = HTMX()
login_manager = LoginManager()
