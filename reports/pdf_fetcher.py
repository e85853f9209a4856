"""What the PDF renderer may load: the app's own static files, and nothing else."""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from weasyprint.urls import URLFetcher, URLFetcherResponse


def _static_roots() -> list[Path]:
    return [Path(root).resolve() for root in [*settings.STATICFILES_DIRS, settings.STATIC_ROOT]]


def static_file(url: str) -> Path | None:
    """The file a `file:` URL names, if it is one of the app's static files (else None)."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return None
    path = Path(url2pathname(parts.path)).resolve()  # "..", and symlinks, resolved first
    if not path.is_file():
        return None
    return path if any(path.is_relative_to(root) for root in _static_roots()) else None


class StaticFilesOnly(URLFetcher):
    """WeasyPrint's fetcher, refusing every URL but a `file:` URL of a static file.

    Defence in depth: the report embeds everything it shows and its Markdown is sanitised, but
    should a URL ever reach its HTML, the renderer must not fetch an address of the server's
    network (SSRF) nor read any other file of the server. WeasyPrint leaves out what it cannot
    fetch, with a warning.
    """

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        path = static_file(url)
        if path is None:
            raise ValueError(f"The PDF may not fetch {url[:100]!r}: only the app's static files.")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )
