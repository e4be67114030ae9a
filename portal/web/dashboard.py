"""Panels of the dasbor at `/`, contributed by the domains.

A domain registers `add(template, context, order)`: `context(user)` returns the variables of its
partial template, or None to hide the panel for this user. Each panel must run a fixed number of
queries whatever the data size.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.web import nav


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Any], dict[str, Any] | None]
    order: int


_PANELS: list[Panel] = []


def add(template: str, context: Callable[[Any], dict[str, Any] | None], order: int = 100) -> None:
    """Add a panel: `context(user)` gives the partial's variables, or None to hide it."""
    if any(panel.template == template for panel in _PANELS):
        return
    _PANELS.append(Panel(template, context, order))
    _PANELS.sort(key=lambda panel: panel.order)


def panels_for(user: Any) -> list[tuple[str, dict[str, Any]]]:
    nav.facts(user)  # first: the user's facts, in one statement, settle what the panels ask
    shown = []
    for panel in _PANELS:
        data = panel.context(user)
        if data is not None:
            shown.append((panel.template, data))
    return shown
