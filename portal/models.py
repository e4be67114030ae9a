"""Every model of the portal, in dependency order: migrations and tests use this list."""

from portal import DOMAINS, optional_import


def all_models():
    models = []
    for domain in DOMAINS:
        module = optional_import(f"portal.{domain}.models")
        models.extend(getattr(module, "MODELS", []))
    return models


MODELS = all_models()
