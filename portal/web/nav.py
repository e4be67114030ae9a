"""The navigation, assembled from what each domain registers; shown by role."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class NavItem:
    label: object  # a lazy string
    endpoint: str
    order: int = 100
    visible: object = field(default=lambda user: user.is_authenticated)
    badge: object = None  # callable(user) -> int, or None
    icon: str = ""


_ITEMS: list[NavItem] = []


def add(label, endpoint, order=100, visible=None, badge=None):
    """Register a navigation entry (called once at import time by a domain's views)."""
    if any(item.endpoint == endpoint for item in _ITEMS):
        return
    item = NavItem(label, endpoint, order, visible or (lambda user: user.is_authenticated), badge)
    _ITEMS.append(item)
    _ITEMS.sort(key=lambda entry: entry.order)


def items_for(user):
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


def add_admin_section(label, endpoint, order=100, visible=None):
    if any(item.endpoint == endpoint for item in _ADMIN_SECTIONS):
        return
    item = NavItem(label, endpoint, order, visible or (lambda user: user.is_authenticated))
    _ADMIN_SECTIONS.append(item)
    _ADMIN_SECTIONS.sort(key=lambda entry: entry.order)


def admin_sections_for(user):
    return [item for item in _ADMIN_SECTIONS if item.visible(user)]
