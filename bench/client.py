"""A small browser for the bench: one cookie jar, loopback HTTP/1.1 with http.client, forms
posted with the CSRF token taken from the page (as a browser would)."""

import http.client
import re
import time
from urllib.parse import urlencode

_INPUT = re.compile(r"<input\b[^>]*>", re.I)
_ATTR = re.compile(r'([a-zA-Z_:-]+)="([^"]*)"')


def csrf_token(html):
    """The value of the first hidden `csrf_token` input, whatever the attribute order."""
    for tag in _INPUT.findall(html):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("name") == "csrf_token":
            return attrs.get("value", "")
    return ""


class Response:
    __slots__ = ("body", "headers", "seconds", "status")

    def __init__(self, status, body, headers, seconds):
        self.status, self.body, self.headers, self.seconds = status, body, headers, seconds

    @property
    def text(self):
        return self.body.decode("utf-8", errors="replace")

    def header(self, name):
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), None)


class Session:
    """One user's browser: a cookie jar and a (re-opened as needed) connection."""

    def __init__(self, port, timeout=30):
        self.port = port
        self.timeout = timeout
        self.jar = {}
        self.connection = None

    @property
    def cookie(self):
        return "; ".join(f"{k}={v}" for k, v in self.jar.items())

    def request(self, method, path, form=None, headers=None):
        """Send one request; the time is measured from sending to the last byte read. Network
        errors are raised (OSError, http.client.HTTPException)."""
        all_headers = dict(headers or {})
        if self.jar:
            all_headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            all_headers.setdefault("Referer", f"http://127.0.0.1:{self.port}{path}")
        started = time.perf_counter()
        while True:
            reused = self.connection is not None
            if not reused:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=self.timeout
                )
            try:
                self.connection.request(method, path, body=body, headers=all_headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept-alive connection the server had closed: once more on a fresh one
                # (what browsers do). A fresh connection's failure is the server's.
                self.close()
                if not reused:
                    raise
            except BaseException:
                self.close()
                raise
        seconds = time.perf_counter() - started
        headers_out = response.getheaders()
        for name, value in headers_out:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                cookie_value = rest.split(";", 1)[0]
                if "max-age=0" in value.lower() or "expires=thu, 01 jan 1970" in value.lower():
                    self.jar.pop(key, None)
                else:
                    self.jar[key] = cookie_value
        if response.will_close:
            self.close()
        return Response(response.status, data, headers_out, seconds)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def login(port, identifier, password, path="/masuk", field="identifier", timeout=30):
    """Sign in through the real form; the Session, or None (with the status) when refused."""
    session = Session(port, timeout=timeout)
    page = session.request("GET", path)
    form = {field: identifier, "password": password, "csrf_token": csrf_token(page.text)}
    if field == "identifier":
        form["next"] = "/"
    answer = session.request("POST", path, form=form)
    if answer.status not in (302, 303):
        return None, answer.status
    return session, answer.status
