"""The client's address when Workbench runs behind a TLS-terminating reverse proxy."""

from __future__ import annotations

from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The address the proxy saw: the last entry of X-Forwarded-For, else REMOTE_ADDR.

    The proxy appends the address it received the request from, so the last entry is the one
    a client cannot forge; entries before it are whatever the client chose to send.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
    return entries[-1] if entries else request.META.get("REMOTE_ADDR")
