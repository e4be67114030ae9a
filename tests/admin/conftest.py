import flask_babel
import pytest
from flask import g


def _forget_loaded_user():
    # The `app` fixture keeps one app context open for the whole test, so `g` (and the user
    # Flask-Login caches in it) would outlive a request; in production each request has its
    # own. Forget it (and the locale Flask-Babel caches there) at the start of every
    # request so each client is judged on its own cookie.
    g.pop("_login_user", None)
    flask_babel.refresh()  # the locale chosen for the previous request's user


@pytest.fixture(autouse=True)
def _database(app):
    """Every test here works on the fresh database of the `app` fixture."""
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_loaded_user)
    return app
