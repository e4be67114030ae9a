"""Translation catalogs: one per domain (portal/<domain>/translations) plus the core one.

English msgids in code and templates; Indonesian (the default) and English catalogs. Flask-Babel
merges every catalog it finds (see `portal.translation_directories`).
"""

import subprocess
import sys
from pathlib import Path

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
