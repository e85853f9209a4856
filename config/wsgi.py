"""WSGI entry point for production servers such as gunicorn."""

import logging
import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

if not settings.DEBUG and not settings.SECRET_KEY_FROM_ENV:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY before serving with debug off.")
if not settings.DEBUG and not settings.SERVE_COLLECTED_STATIC and not settings.RUNNING_TESTS:
    logging.getLogger(__name__).warning(
        "Serving static files unhashed from static/ with a short cache lifetime: run "
        "`manage.py collectstatic` before starting the server (see the README)."
    )
