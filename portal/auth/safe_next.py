"""`next` after login may only lead to a path of this portal."""

from urllib.parse import unquote, urlsplit


def safe_next(target: str | None, default: str = "/") -> str:
    """Return `target` when it is a local path ('/kegiatan?x=1'), else `default`."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return default
    decoded = target
    for _ in range(3):  # look through repeated percent-encoding
        decoded = unquote(decoded)
    if any(ord(ch) < 32 or ch == "\\" for ch in decoded):
        return default
    if not target.startswith("/") or decoded.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
