"""`url_for`, remembered: Werkzeug builds a URL in about 25 µs, and a list page builds fifty
(a link per row, the navigation, the static files). The same endpoint, values and request root
always give the same URL, so within a process each is built once."""

from collections.abc import Callable
from typing import Any

from flask import Flask, has_request_context, request

KEPT = 8192  # URLs per process: then it starts again (a few MB at most)


def install(app: Flask) -> None:
    """Replace `app.url_for` (which `flask.url_for` calls) and the templates' `url_for`."""
    build: Callable[..., str] = app.url_for
    built: dict[tuple[Any, ...], str] = {}

    def url_for(
        endpoint: str,
        *,
        _anchor: str | None = None,
        _method: str | None = None,
        _scheme: str | None = None,
        _external: bool | None = None,
        **values: Any,
    ) -> str:
        options = {"_anchor": _anchor, "_method": _method, "_scheme": _scheme}
        if not has_request_context():
            return build(endpoint, _external=_external, **options, **values)
        # A relative endpoint (".index") depends on the request's blueprint, an external URL
        # on its scheme and host, every URL on the application's root.
        where = request.blueprint if endpoint.startswith(".") else None
        try:
            key = (
                endpoint,
                where,
                request.root_url,
                _external,
                _anchor,
                _method,
                _scheme,
                *((name, type(value), value) for name, value in sorted(values.items())),
            )
            url = built.get(key)
        except TypeError:  # a value that cannot be a key (a list): built each time
            return build(endpoint, _external=_external, **options, **values)
        if url is None:
            url = build(endpoint, _external=_external, **options, **values)
            if len(built) >= KEPT:
                built.clear()
            built[key] = url
        return url

    app.url_for = url_for  # type: ignore[method-assign]
    app.jinja_env.globals["url_for"] = url_for
