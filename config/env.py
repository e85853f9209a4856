"""Read settings from environment variables, failing loudly on values that make no sense."""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool, environ: Mapping[str, str] = os.environ) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off."""
    raw = environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a yes/no value; use 1 or 0.")


def env_int(
    name: str, default: int, environ: Mapping[str, str] = os.environ, *, minimum: int = 0
) -> int:
    """A whole-number setting no smaller than `minimum`."""
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] = os.environ) -> list[str]:
    """A comma-separated list setting."""
    raw = environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_networks(
    name: str, default: list[str], environ: Mapping[str, str] = os.environ
) -> list[str]:
    """A comma-separated list of IP addresses or networks (CIDR), each as a network."""
    networks = []
    for item in env_list(name, default, environ):
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network (like 10.0.0.2 or 10.0.0.0/24)."
            ) from None
    return networks


def redact_url(url: str) -> str:
    """The URL with any password replaced by ***, fit for an error message or a log."""
    scheme, separator, rest = url.partition("://")
    if not separator:
        return url
    # The last @ before any query ends the user part, even if an unencoded password has / or @.
    head, question, query = rest.partition("?")
    userinfo, at, location = head.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}://{user}:***@{location}{question}{query}"


def database_from_url(url: str, *, base_dir: Path) -> dict:
    """Turn DATABASE_URL (sqlite:///path or postgres://user:pw@host:port/name) into DATABASES."""
    parts = urlsplit(url)
    shown = redact_url(url)  # error messages end up in logs: never print the password
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        if parts.netloc or not raw_path or raw_path == "/":
            raise ImproperlyConfigured(
                f"DATABASE_URL {shown!r}: write sqlite:///relative.db or sqlite:////absolute/path.db."
            )
        path = Path(raw_path[1:])
        return sqlite_database(path if path.is_absolute() else base_dir / path)
    if parts.scheme in {"postgres", "postgresql"}:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL {shown!r} names no database.")
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(
                f"DATABASE_URL {shown!r} has a port that is not a number."
            ) from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": dict(parse_qsl(parts.query)),
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL {shown!r}: only sqlite:// and postgres:// databases are supported."
    )


def sqlite_database(path: Path) -> dict:
    """SQLite tuned for a workshop room of concurrent users: WAL, busy timeout, immediate writes."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {
            # WAL lets readers carry on while one writer writes; IMMEDIATE takes the write lock
            # at the start of a transaction so two writers queue instead of failing mid-way.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }
