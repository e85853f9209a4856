"""Sign-in throttling: django-axes counts wrong passwords per username from an address, and
this also counts them per address across usernames (one password tried on many accounts)."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, Sum


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler, locking an address too once it reaches its own, higher limit.

    Axes compares one number with AXES_FAILURE_LIMIT; an address over
    WORKBENCH_ADDRESS_FAILURE_LIMIT counts as having reached it. Signing in clears only that
    username's failures from that address (AXES_LOCKOUT_PARAMETERS), never the address's other
    failures, so an attacker's own account cannot reset the count of a spray.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        counts = recent.aggregate(
            address=Sum("failures_since_start"),
            account=Sum("failures_since_start", filter=Q(username=username)),
        )
        account, address = counts["account"] or 0, counts["address"] or 0
        request.sign_in_address_locked = address >= settings.WORKBENCH_ADDRESS_FAILURE_LIMIT
        if request.sign_in_address_locked:
            return max(account, get_failure_limit(request, credentials))
        return account
