"""The navigation, assembled from what each domain registers; shown by role."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy string
    endpoint: str
    order: int = 100
    visible: Callable[[Any], bool] = field(default=lambda user: user.is_authenticated)
    badge: Callable[[Any], int] | None = None
    icon: str = ""


_ITEMS: list[NavItem] = []


def add(
    label: object,
    endpoint: str,
    order: int = 100,
    visible: Callable[[Any], bool] | None = None,
    badge: Callable[[Any], int] | None = None,
) -> None:
    """Register a navigation entry (called once at import time by a domain's views)."""
    if any(item.endpoint == endpoint for item in _ITEMS):
        return
    item = NavItem(label, endpoint, order, visible or (lambda user: user.is_authenticated), badge)
    _ITEMS.append(item)
    _ITEMS.sort(key=lambda entry: entry.order)


def items_for(user: Any) -> list[tuple[NavItem, int]]:
    """The entries this user may see, with their badge counts."""
    shown = []
    for item in _ITEMS:
        if item.visible(user):
            count = item.badge(user) if item.badge else 0
            shown.append((item, count))
    return shown


# Sections of the admin area (/admin): each domain adds its own admin pages here, and the
# admin index lists those the signed-in admin may open.
_ADMIN_SECTIONS: list[NavItem] = []


def add_admin_section(
    label: object, endpoint: str, order: int = 100, visible: Callable[[Any], bool] | None = None
) -> None:
    """Register a page of the admin area (listed on /admin for whom `visible(user)`)."""
    if any(item.endpoint == endpoint for item in _ADMIN_SECTIONS):
        return
    item = NavItem(label, endpoint, order, visible or (lambda user: user.is_authenticated))
    _ADMIN_SECTIONS.append(item)
    _ADMIN_SECTIONS.sort(key=lambda entry: entry.order)


def admin_sections_for(user: Any) -> list[NavItem]:
    return [item for item in _ADMIN_SECTIONS if item.visible(user)]
