"""Pages of the project itself rather than of an app."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from config.forms import ThrottledPasswordChangeForm


def locked_out(request: HttpRequest, response: HttpResponse | None, credentials: dict | None):
    """django-axes' lockout page: says what is locked and for how long, from the settings."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    address_locked = getattr(request, "sign_in_address_locked", False)
    return render(
        request,
        "registration/locked_out.html",
        {
            "cooloff_minutes": minutes,
            "address_locked": address_locked,
            "failure_limit": (
                settings.WORKBENCH_ADDRESS_FAILURE_LIMIT
                if address_locked
                else settings.AXES_FAILURE_LIMIT
            ),
        },
        status=429,
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, its old-password check throttled like sign-in."""

    form_class = ThrottledPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}
