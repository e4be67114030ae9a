"""Every model of the portal, in dependency order: migrations and tests use this list."""

from portal.db import BaseModel
from portal.domains import DOMAINS, domain_module


def all_models() -> list[type[BaseModel]]:
    models = []
    for domain in DOMAINS:
        module = domain_module(domain, "models")
        if module is not None:
            models.extend(module.MODELS)
    return models


MODELS = all_models()
