"""Portal Kinerja ASN."""

import logging
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from flask_babel import get_locale
from flask_login import current_user
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from portal import cli, jobs
from portal import config as portal_config
from portal.db import Pool, db, make_database
from portal.domains import DOMAINS, ROOT, domain_module
from portal.extensions import babel, compress, csrf, htmx, login_manager
from portal.i18n import install_template_gettext
from portal.web import field_html, formatting, hooks, nav, urls
from portal.web import static as static_files

# The domain list and the lookup of a domain's modules live in portal.domains.
__all__ = ["DOMAINS", "ROOT", "create_app", "domain_module"]


class BoundedInt(IntegerConverter):
    """`<int:...>` in every route: 1 .. 2**31 - 1 (the id columns' range on both engines); a
    larger, zero or negative number is a 404, never a database overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def translation_directories() -> str:
    """Each domain keeps its own catalog; Flask-Babel merges them."""
    dirs = ["translations"]
    for domain in DOMAINS:
        if (Path(__file__).parent / domain / "translations").is_dir():
            dirs.append(f"{domain}/translations")
    return ";".join(dirs)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """The app factory: settings, extensions, blueprints, hooks."""
    app = Flask(
        __name__,
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.config.update(portal_config.from_environment(app.instance_path))
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    if config:
        app.config.update(config)
    app.debug = app.debug and not app.config["PRODUCTION"]
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if app.config["PROXY_FIX_HOPS"]:
        hops = app.config["PROXY_FIX_HOPS"]
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )

    _init_database(app)
    _init_extensions(app)
    app.url_map.converters["int"] = BoundedInt
    _register_blueprints(app)

    hooks.register(app)
    urls.install(app)
    cli.register(app)
    jobs.init_app(app)
    logging.getLogger("portal").setLevel(logging.INFO)
    return app


def _init_database(app):
    """One connection per request, taken on the request's first query (Peewee connects on
    demand), so a page or static file that runs no query never touches the database; closed
    (given back to the pool on MySQL) at teardown."""
    pool = Pool(
        max_connections=app.config["DB_POOL_MAX_CONNECTIONS"],
        stale_seconds=app.config["DB_POOL_STALE_SECONDS"],
        wait_seconds=app.config["DB_POOL_WAIT_SECONDS"],
    )
    database = make_database(app.config["DATABASE_URL"], pool)
    db.initialize(database)
    app.extensions["database"] = database

    @app.teardown_request
    def _close(exc):
        if not db.is_closed():
            db.close()


def _select_locale():
    if current_user and current_user.is_authenticated:
        preferred = getattr(current_user, "language", None)
        if preferred:
            return preferred
    return "id"


def _init_extensions(app):
    babel.init_app(app, locale_selector=_select_locale)
    install_template_gettext(app)
    csrf.init_app(app)
    htmx.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # the session version does this job

    for name, function in formatting.FILTERS.items():
        app.add_template_filter(function, name)
    app.add_template_global(field_html.field, "form_field")  # macros.html exports it as `field`

    @app.context_processor
    def _globals():
        # `nav_items()` is called by the layout: an htmx fragment (no layout) asks nothing.
        # The user itself, not Flask-Login's proxy (registered before, so replaced here): a
        # page reads `current_user` dozens of times, each through the proxy's lookup.
        user = current_user._get_current_object()
        return {
            "nav_items": lambda: nav.items_for(user),
            "current_locale": str(get_locale() or "id"),
            "current_user": user,
        }

    @app.before_request
    def _mark_authenticated():
        if request.endpoint != "static":
            g.authenticated_page = bool(current_user and current_user.is_authenticated)

    compress.init_app(app)
    static_files.init_app(app)


def _register_blueprints(app):
    for domain in DOMAINS:
        bp = getattr(domain_module(domain, ""), "bp", None)
        if bp is None:
            continue
        domain_module(domain, "views")
        app.register_blueprint(bp)
