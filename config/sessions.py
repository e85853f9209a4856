"""Sessions end after SESSION_IDLE_SECONDS without activity, or SESSION_COOKIE_AGE after
signing in, whichever comes first."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse

SIGNED_IN_AT = "_signed_in_at"
ACTIVE_AT = "_active_at"
# Activity is written to the session at most once a minute, not on every request.
RENEW_EVERY_SECONDS = 60


def session_mark_active(session, now: float | None = None) -> None:
    """Renew the idle clock of a session: its person is doing something.

    Every request but those in settings.SESSION_PASSIVE_URL_NAMES calls this; anything else
    that shows a person is active (e.g. a workshop's socket) may call it too.
    """
    now = time.time() if now is None else now
    if now - session.get(ACTIVE_AT, 0) >= RENEW_EVERY_SECONDS:
        session[ACTIVE_AT] = int(now)


def _ended(session, now: float) -> str | None:
    """Why the session has ended ("idle" or "age"), or None while it lasts."""
    signed_in = session.get(SIGNED_IN_AT, now)
    if now - signed_in > settings.SESSION_COOKIE_AGE:
        return "age"
    if now - session.get(ACTIVE_AT, signed_in) > settings.SESSION_IDLE_SECONDS:
        return "idle"
    return None


def _minutes(seconds: int) -> str:
    minutes = round(seconds / 60)
    return f"{minutes} minute{'' if minutes == 1 else 's'}"


class SessionTimeoutMiddleware:
    """Sign out a session that has been idle too long or has lasted too long, saying why."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and SIGNED_IN_AT not in request.session:
            # Just signed in: both clocks start now.
            now = int(time.time())
            request.session[SIGNED_IN_AT] = request.session[ACTIVE_AT] = now
        return response

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        now = time.time()
        session = request.session
        session.setdefault(SIGNED_IN_AT, int(now))
        reason = _ended(session, now)
        if reason is None:
            match = request.resolver_match
            if not match or match.view_name not in settings.SESSION_PASSIVE_URL_NAMES:
                session_mark_active(session, now)
            return None
        logout(request)  # LoginRequiredMiddleware, next, sends the person to sign in again
        if reason == "idle":
            why = f"after {_minutes(settings.SESSION_IDLE_SECONDS)} without activity"
        else:
            why = f"{_minutes(settings.SESSION_COOKIE_AGE)} after signing in"
        messages.info(request, f"You were signed out {why}. Sign in again to carry on.")
        return None


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, answering htmx's requests with 401 instead of the
    sign-in page: htmx swaps nothing in on a 4xx answer, so answers typed into the page stay,
    and static/js/session.js says why nothing was saved."""

    def handle_no_permission(self, request: HttpRequest, view_func) -> HttpResponse:
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(
                "You have been signed out, so this was not saved. Anything you typed is still "
                "on this page: sign in again in a new tab, then come back here and save it.",
                status=401,
                content_type="text/plain; charset=utf-8",
            )
        return super().handle_no_permission(request, view_func)
