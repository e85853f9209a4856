"""The PDF renderer fetches nothing but the app's own static files: no network address, no
other file on the server, whatever a report's HTML might come to name."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings

from reports import files
from reports.pdf_fetcher import StaticFilesOnly


@pytest.fixture
def listener():
    """A web server on this machine that counts the requests it is sent."""
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"@page { size: 100mm 100mm }")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def _render(monkeypatch, html: str):
    monkeypatch.setattr(files, "assessment_pdf_html", lambda source: html)
    return files.assessment_pdf_document(None)


def _page_width_mm(document) -> float:
    return round(document.pages[0].width * 25.4 / 96)


def test_the_pdf_renderer_sends_no_request_to_any_address(monkeypatch, listener, caplog):
    base, hits = listener
    html = f"""<html><head><link rel="stylesheet" href="{base}/sheet.css">
      <style>@import url("{base}/imported.css"); body {{ background: url("{base}/bg.png") }}</style>
      </head><body><img src="{base}/logo.png"><p>Report</p></body></html>"""
    with caplog.at_level("WARNING", logger="weasyprint"):
        document = _render(monkeypatch, html)
    assert hits == []
    assert _page_width_mm(document) == 210  # A4: the fetched 100 mm page was never applied
    refused = [r.getMessage() for r in caplog.records if "Failed to load" in r.getMessage()]
    assert len(refused) == 4 and all("The PDF may not fetch" in m for m in refused)


def test_the_pdf_renderer_reads_no_file_outside_the_static_files(monkeypatch, tmp_path):
    sheet = tmp_path / "page.css"
    sheet.write_text("@page { size: 100mm 100mm }")
    html = (
        f'<html><head><link rel="stylesheet" href="{sheet.as_uri()}"></head><body>x</body></html>'
    )
    assert _page_width_mm(_render(monkeypatch, html)) == 210


def test_the_pdf_renderer_may_read_the_apps_own_static_files():
    css = Path(settings.BASE_DIR, "static", "css", "app.css")
    response = StaticFilesOnly().fetch(css.as_uri())
    assert response.read() == css.read_bytes()
    assert response.content_type == "text/css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        Path(settings.BASE_DIR, "static", "..", "config", "settings.py").as_uri(),
        Path(settings.BASE_DIR, "static", "css").as_uri(),  # a folder, not a file
        "file://elsewhere.example/" + str(Path(settings.BASE_DIR, "static", "css", "app.css")),
        "data:text/css,@page{size:100mm}",
        "https://example.org/logo.png",
        "ftp://example.org/logo.png",
    ],
)
def test_the_pdf_fetcher_refuses_anything_else(url):
    with pytest.raises(ValueError, match="The PDF may not fetch"):
        StaticFilesOnly().fetch(url)


def test_the_real_report_needs_nothing_fetched(scored, caplog):
    # Everything the report shows is in its HTML: not one URL is refused (or fetched).
    with caplog.at_level("WARNING", logger="weasyprint"):
        files.assessment_pdf_document(scored)
    assert not [r.getMessage() for r in caplog.records if "Failed to load" in r.getMessage()]
