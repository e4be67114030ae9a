"""Translation catalogs: one per domain (portal/<domain>/translations) plus the core one.

English msgids in code and templates; Indonesian (the default) and English catalogs. Flask-Babel
merges every catalog it finds (see `portal.translation_directories`).
"""

import subprocess
import sys
from pathlib import Path
from typing import Any

from flask.globals import _cv_app
from flask_babel import Domain, get_locale
from jinja2 import pass_eval_context
from markupsafe import Markup

from portal.domains import DOMAINS, ROOT

PORTAL = ROOT / "portal"
LOCALES = ("id", "en")


def catalog_dirs() -> dict[str, tuple[Path, list[str]]]:
    """{name: (translations dir, [source paths])}, core first."""
    core_sources = [str(path) for path in sorted(PORTAL.glob("*.py"))]
    core_sources += [str(PORTAL / "web"), str(ROOT / "templates" / "web")]
    core_sources += [str(path) for path in sorted((ROOT / "templates").glob("*.html"))]
    catalogs = {"core": (PORTAL / "translations", core_sources)}
    for domain in DOMAINS:
        if domain == "web":
            continue
        candidates = [PORTAL / domain, ROOT / "templates" / domain]
        sources = [str(path) for path in candidates if path.exists()]
        if (PORTAL / domain).exists():
            catalogs[domain] = (PORTAL / domain / "translations", sources)
    return catalogs


def _babel(*args):
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", *args], check=True)


def extract(name: str, target_pot: Path) -> None:
    _directory, sources = catalog_dirs()[name]
    _babel(
        "extract",
        "-F",
        str(ROOT / "babel.cfg"),
        "-k",
        "_l",
        "-k",
        "lazy_gettext",
        "-k",
        "lazy_ngettext:1,2",
        "--no-location",
        "-w",
        "100",
        "--sort-output",
        "-o",
        str(target_pot),
        *sources,
    )


def update(names: set[str] | None = None) -> None:
    """Extract each catalog's messages and merge them into its id and en .po files."""
    for name, (directory, _sources) in catalog_dirs().items():
        if names and name not in names:
            continue
        directory.mkdir(parents=True, exist_ok=True)
        pot = directory / "messages.pot"
        extract(name, pot)
        for locale in LOCALES:
            po = directory / locale / "LC_MESSAGES" / "messages.po"
            if po.exists():
                _babel(
                    "update",
                    "--no-fuzzy-matching",
                    "-w",
                    "100",
                    "-i",
                    str(pot),
                    "-d",
                    str(directory),
                    "-l",
                    locale,
                )
            else:
                _babel("init", "-w", "100", "-i", str(pot), "-d", str(directory), "-l", locale)


def compile_all() -> None:
    for directory, _sources in catalog_dirs().values():
        if (directory / "id").exists():
            _babel("compile", "-d", str(directory), "--use-fuzzy")


def po_files(locale: str = "id") -> list[Path]:
    return sorted(Path(PORTAL).glob(f"**/translations/{locale}/LC_MESSAGES/messages.po"))


# --- the templates' gettext ---------------------------------------------------------------------

_CACHE = "portal_translations"  # on Flask-Babel's per-request namespace: {locale: catalog}


def _babel_context() -> Any:
    """Flask-Babel's namespace of the current app context (`g._flask_babel`), or None, read
    without the `g` proxy: Flask-Babel reads it through the proxy three times per call, and a
    page asks for the locale hundreds of times (every `_()`, every formatted date)."""
    app_context = _cv_app.get(None)
    return None if app_context is None else app_context.g.__dict__.get("_flask_babel")


def current_locale() -> Any:
    """`flask_babel.get_locale()`, its answer read straight from where it keeps it (a
    `force_locale` block included, which sets it there); else asked the usual way."""
    context = _babel_context()
    locale = None if context is None else context.__dict__.get("babel_locale")
    return locale if locale is not None else get_locale()


class RequestDomain(Domain):
    """Flask-Babel's message domain, its catalog found once per request and locale: Flask-Babel
    finds it anew at every call (about 7 µs; a page translates a hundred strings). A
    `force_locale` block (an e-mail in the recipient's language) has a locale of its own, so
    its own entry. The templates' `_()` and the Python code's `gettext` and lazy strings."""

    def get_translations(self) -> Any:
        locale = current_locale()  # first: it sets up Flask-Babel's namespace
        context = _babel_context()
        if context is None:
            return super().get_translations()
        cache = context.__dict__.setdefault(_CACHE, {})
        found = cache.get(locale)
        if found is None:
            found = cache[locale] = super().get_translations()
        return found


_DOMAIN = RequestDomain()
_translations = _DOMAIN.get_translations


@pass_eval_context
def _template_gettext(eval_ctx: Any, string: str, **variables: Any) -> str:
    """Jinja's newstyle gettext (always a format string, variables escaped) without its two
    context calls per string."""
    text = _translations().ugettext(string)
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704 (as Jinja)


@pass_eval_context
def _template_ngettext(
    eval_ctx: Any, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    text = _translations().ungettext(singular, plural, num)
    return (Markup(text) if eval_ctx.autoescape else text) % variables  # noqa: S704 (as Jinja)


def install_template_gettext(app: Any) -> None:
    """After Flask-Babel's init_app: `_`, `gettext` and `ngettext` (and `{% trans %}`) in the
    templates translate through `_translations`, with Jinja's newstyle semantics; the Python
    code's through `RequestDomain`."""
    app.extensions["babel"].instance.domain_instance = _DOMAIN  # (a cached property there)
    app.jinja_env.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext
    )
