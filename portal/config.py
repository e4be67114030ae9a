"""Settings read from the environment, with safe defaults.

Every setting is documented in README.md ("Konfigurasi"). Production (`PORTAL_ENV=production`)
refuses to start without SECRET_KEY; development generates one once into instance/ (mode 0600).
"""

import os
import secrets
from pathlib import Path
from typing import Any

# Every Indonesian zone of the tz database, with what users write after a time.
TIMEZONES = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}


class ConfigError(RuntimeError):
    """The environment does not allow the portal to start safely."""


def _bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def _int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def _secret_key(instance_path, production):
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError("SECRET_KEY wajib diatur di lingkungan produksi (PORTAL_ENV=production).")
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the settings dict from the environment."""
    production = os.environ.get("PORTAL_ENV", "development") == "production"
    timezone = os.environ.get("TIMEZONE", "Asia/Jakarta")
    if timezone not in TIMEZONES:
        raise ConfigError(f"TIMEZONE harus salah satu dari: {', '.join(TIMEZONES)}")
    secure = _bool("SESSION_COOKIE_SECURE", production)
    return {
        "PORTAL_ENV": "production" if production else "development",
        "PRODUCTION": production,
        "SECRET_KEY": _secret_key(instance_path, production),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(instance_path) / 'portal.sqlite3'}"
        ),
        # MySQL/MariaDB connection pool, per process (gunicorn worker): keep
        # workers x instances x DB_POOL_MAX_CONNECTIONS under the server's max_connections.
        "DB_POOL_MAX_CONNECTIONS": _int("DB_POOL_MAX_CONNECTIONS", 8),
        "DB_POOL_STALE_SECONDS": _int("DB_POOL_STALE_SECONDS", 300),
        "DB_POOL_WAIT_SECONDS": _int("DB_POOL_WAIT_SECONDS", 10),
        "TIMEZONE": timezone,
        "PEMDA_NAME": os.environ.get("PEMDA_NAME", "Pemerintah Kota Sukamaju"),
        "PEMDA_SHORT": os.environ.get("PEMDA_SHORT", "Sukamaju"),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": timezone,
        "LANGUAGES": ("id", "en"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_NAME": "__Host-portal" if secure else "portal_session",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int("SESSION_MAX_HOURS", 10),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 12 * 1024 * 1024),
        "UPLOAD_DIR": os.environ.get("UPLOAD_DIR", str(Path(instance_path) / "uploads")),
        "EXPORT_DIR": os.environ.get("EXPORT_DIR", str(Path(instance_path) / "exports")),
        "WTF_CSRF_TIME_LIMIT": None,
        "PROXY_FIX_HOPS": _int("PROXY_FIX_HOPS", 0),
        "PASSWORD_HASH_MEMORY_KIB": _int("PASSWORD_HASH_MEMORY_KIB", 47104),
        "PASSWORD_HASH_TIME_COST": _int("PASSWORD_HASH_TIME_COST", 1),
        "RATE_LIMIT_LOGIN_PER_IP": _int("RATE_LIMIT_LOGIN_PER_IP", 300),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 25),
        "MAIL_SENDER": os.environ.get("MAIL_SENDER", "portal-kinerja@localhost"),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL", ""),  # links in e-mails
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "kinerja-demo-2026"),
        # Responses are compressed by the portal itself (flask-compress); static files are
        # precompressed by the asset setup (portal/web/static.py serves the .gz twin).
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/csv",
            "text/calendar",
            "text/xml",
            "application/json",
            "application/javascript",
            "application/atom+xml",
        ],
        "COMPRESS_MIN_SIZE": 500,
    }
