"""Translation catalogs: one per domain (portal/<domain>/translations) plus the core one.

English msgids in code and templates; Indonesian (the default) and English catalogs. Flask-Babel
merges every catalog it finds (see `portal.translation_directories`).
"""

import subprocess
import sys
from pathlib import Path
from typing import Any

from flask import has_request_context, request
from flask_babel import get_locale, get_translations
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

_TRANSLATIONS_KEY = "portal.translations"


def _translations() -> Any:
    """The catalog of the current locale, found once per request and locale: Flask-Babel finds it
    anew at every call (about 13 µs; a page translates a hundred strings). A `force_locale`
    block (an e-mail in the recipient's language) has a locale of its own, so its own entry."""
    if not has_request_context():
        return get_translations()
    locale = get_locale()
    cache = request.environ.setdefault(_TRANSLATIONS_KEY, {})
    found = cache.get(locale)
    if found is None:
        found = cache[locale] = get_translations()
    return found


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
    templates translate through `_translations`, with Jinja's newstyle semantics."""
    app.jinja_env.globals.update(
        _=_template_gettext, gettext=_template_gettext, ngettext=_template_ngettext
    )
