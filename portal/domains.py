"""The explicit list of the portal's domains, and the lookup of a domain's modules."""

import importlib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
PORTAL = Path(__file__).resolve().parent

# The domains, in the order their blueprints are registered and their models created. Each is a
# package portal/<domain>/ with, where it has them: a blueprint `bp` (in __init__.py) and its
# routes in views.py, models.py with MODELS, commands.py with COMMANDS, demo.py, and
# translations/. A new domain is added here, and nowhere else.
DOMAINS = [
    "web",
    "auth",
    "org",
    "settings",
    "admin",
    "performance",  # before activities: the demo entries link to the demo SKPs' RHK
    "activities",
    "reviews",
    "notifications",
    "trainings",
    "dialogs",
    "reports",
    "public_service",
    "audit",
]


def domain_module(domain: str, part: str) -> ModuleType | None:
    """portal.<domain>.<part> when the domain has that module (a file on disk), else None;
    `part` "" is the domain package itself.

    Whether a domain has, say, a commands module is a fact of the source tree, not of a failed
    import: a module that exists but fails to import raises."""
    package_dir = PORTAL / domain
    if not package_dir.is_dir():
        raise RuntimeError(f"DOMAINS names {domain!r}, which has no package portal/{domain}/")
    if part and not (package_dir / f"{part}.py").exists():
        return None
    return importlib.import_module(f"portal.{domain}.{part}" if part else f"portal.{domain}")
