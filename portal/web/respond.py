"""One URL, two answers: the whole page, or for htmx the named block of the same template."""

import json
import re
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


BETWEEN_TAGS = re.compile(r">\s+<")
TAG = re.compile(r"<[^>]+>")
SPACES = re.compile(r"\s+")


def respond_changes(template: str, trigger: dict | None = None, **context: Any) -> Response:
    """For htmx: only what changed, every piece an out-of-band swap of `template` (plus the
    flashes); the request's own target is left alone (`HX-Reswap: none`); `trigger` becomes
    `HX-Trigger` (events for the page's script). Whitespace between tags is squeezed: the
    answer is a few rows, not a page."""
    html = render_template(template, **context)
    html += render_template("web/_flash_oob.html", messages=get_flashed_messages(True))
    html = TAG.sub(lambda tag: SPACES.sub(" ", tag.group(0)), html.strip())
    response = make_response(BETWEEN_TAGS.sub("> <", html), 200)
    response.headers["HX-Reswap"] = "none"
    if trigger:
        response.headers["HX-Trigger"] = json.dumps(trigger)
    response.vary.add("HX-Request")
    return response
