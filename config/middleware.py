"""Response headers Django 5.2 does not set by itself, and the upload size limit."""

import time
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme


class NoStoreMiddleware:
    """Forbid browsers and proxies to keep any page or file: they show partnership data.

    Static files are answered by WhiteNoise before this runs, and keep their long cache life.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private (and Expires),
        # as Django's never_cache: a shared computer's Back button or disk keeps nothing.
        add_never_cache_headers(response)
        return response


class ContentSecurityPolicyMiddleware:
    """Add the Content-Security-Policy header (and Permissions-Policy) to every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


class UploadSizeLimitMiddleware:
    """Refuse a request whose body is over the upload limit before anything parses or stores it.

    A browser form post goes back (303) to its page with a message naming the limit; anything
    else gets a 413 page that names the limit and links back.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_body_bytes(request) > upload_request_limit_bytes():
            response = self.refuse(request)
            discard_body(request)
            return response
        return self.get_response(request)

    @staticmethod
    def refuse(request: HttpRequest) -> HttpResponse:
        limit_mb = settings.UPLOAD_MAX_MB
        back = same_site_referer_path(request)
        if back and hasattr(request, "_messages"):
            messages.error(
                request,
                f"Nothing was uploaded: the upload is over the {limit_mb} MB limit.",
            )
            response = HttpResponseRedirect(back)
            response.status_code = 303
            return response
        return render(request, "413.html", {"limit_mb": limit_mb, "back": back or "/"}, status=413)


# Like nginx's lingering close: long enough for a browser on a good connection to finish
# sending, short enough that a slow or hostile client cannot hold a worker for long.
DISCARD_SECONDS = 30


def discard_body(request: HttpRequest, seconds: float = DISCARD_SECONDS) -> None:
    """Let the client finish sending, dropping each chunk as it arrives (never parsed, kept
    or written anywhere). A server that answers and closes while the browser is still sending
    makes the browser show "connection reset" instead of the answer."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and request.read(64 * 1024):
        pass


def upload_request_limit_bytes() -> int:
    """The largest request body accepted: the file limit plus 1 MB for the other form fields."""
    return (settings.UPLOAD_MAX_MB + 1) * 1024 * 1024


def declared_body_bytes(request: HttpRequest) -> int:
    """The body size the client declared in Content-Length (0 if none or nonsense)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def same_site_referer_path(request: HttpRequest) -> str | None:
    """The path of the page the request came from, if it is one of ours: a relative URL that
    stays on this site, or None."""
    referer = request.META.get("HTTP_REFERER", "")
    allowed = {"allowed_hosts": {request.get_host()}, "require_https": request.is_secure()}
    if not referer or not url_has_allowed_host_and_scheme(referer, **allowed):
        return None
    parts = urlsplit(referer)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    # Our own host can still name a path like "//evil.example/x", which a browser reads as
    # another site: the path itself must pass the same check, as a relative URL.
    if not path.startswith("/") or not url_has_allowed_host_and_scheme(path, **allowed):
        return None
    return path
