"""The client's address when Workbench runs behind a TLS-terminating reverse proxy."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest


@lru_cache(maxsize=8)
def _networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_trusted_proxy(address: str | None) -> bool:
    """Whether `address` is one of the proxies in settings.WORKBENCH_TRUSTED_PROXIES."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.WORKBENCH_TRUSTED_PROXIES)))


def client_ip_address(request: HttpRequest) -> str | None:
    """The address the proxy saw: the last entry of X-Forwarded-For, else REMOTE_ADDR.

    The proxy appends the address it received the request from, so the last entry is the one
    a client cannot forge; entries before it are whatever the client chose to send. The header
    counts only on a request from a trusted proxy (DJANGO_TRUSTED_PROXIES): a client reaching
    the app directly could otherwise send a new address with every guess.
    """
    remote = request.META.get("REMOTE_ADDR")
    if not is_trusted_proxy(remote):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    return entries[-1] if entries else remote
