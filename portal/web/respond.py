"""One URL, two answers: the whole page, or for htmx the named block of the same template."""

from typing import Any

from flask import Response, get_flashed_messages, make_response, render_template
from jinja2_fragments.flask import render_block

from portal.extensions import htmx


def wants_fragment() -> bool:
    """An htmx request that is neither a boosted navigation nor a history restore."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def respond(template: str, block: str | None = None, status: int = 200, **context: Any) -> Response:
    """Render `template`, or only its `block` (plus out-of-band flashes) for htmx requests."""
    if block and wants_fragment():
        html = render_block(template, block, **context)
        html += render_template("web/_flash_oob.html", messages=get_flashed_messages(True))
    else:
        html = render_template(template, **context)
    response = make_response(html, status)
    response.vary.add("HX-Request")
    return response
