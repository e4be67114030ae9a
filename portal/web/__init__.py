"""Web plumbing shared by every domain: respond(), navigation, access policy, errors, headers."""

from portal.web.blueprint import bp
from portal.web.respond import respond

__all__ = ["bp", "respond"]
