"""Work that runs once the answer has been sent: `run_after_response(work)`.

For what must not make the answer slower, or tell something by its timing (the mail of a
password-reset link: an answer that waited for SMTP only when the account exists would say that
it does). `work()` runs when the server closes the response, in a request context of its own
(the same address, language and host for url_for), its errors logged, never shown.
"""

import logging
from collections.abc import Callable

from flask import Response, after_this_request, current_app, request

log = logging.getLogger("portal.after_response")


def run_after_response(work: Callable[[], object]) -> None:
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    environ = dict(request.environ)

    @after_this_request
    def _attach(response: Response) -> Response:
        def _run() -> None:
            with app.request_context(environ):
                try:
                    work()
                except Exception:  # the answer is gone: log, never raise into the server
                    log.exception("work after the response failed")

        response.call_on_close(_run)
        return response
