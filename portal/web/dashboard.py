"""Panels of the dasbor at `/`, contributed by the domains.

A domain registers `add(template, context, order)`: `context(user)` returns the variables of its
partial template, or None to hide the panel for this user. Each panel must run a fixed number of
queries whatever the data size.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    template: str
    context: object
    order: int


_PANELS: list[Panel] = []


def add(template, context, order=100):
    if any(panel.template == template for panel in _PANELS):
        return
    _PANELS.append(Panel(template, context, order))
    _PANELS.sort(key=lambda panel: panel.order)


def panels_for(user):
    shown = []
    for panel in _PANELS:
        data = panel.context(user)
        if data is not None:
            shown.append((panel.template, data))
    return shown
