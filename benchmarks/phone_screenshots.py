"""Screenshots of the five pages that were widest on a phone (audit trail, risk page, register,
results, facilitator dashboard) at 390 × 844, full page, from a fresh demo database; prints one
line: each page's sideways scroll in px (0 = reflows).

    .venv/bin/python benchmarks/phone_screenshots.py [--output /tmp/wb-shots] [--width 390]
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "plymouth-demo"
BASE = "/p/plymouth/2019-20/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(env: dict[str, str]) -> dict[str, str]:
    """Migrate and load the demo, open its workshop; the paths to photograph."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    from assessments.models import Assessment
    from workshops.models import Workshop
    from workshops.services import workshop_open

    assessment = Assessment.objects.get(partnership__slug="plymouth", period="2019/20")
    workshop = Workshop.objects.filter(assessment=assessment).order_by("pk").first()
    if workshop.status == "draft":
        workshop_open(workshop=workshop)
    risk = assessment.risks.order_by("order").first()
    # Each page's username, path and the parts worth a closer look (CSS selectors).
    return {
        "audit-trail": ("facilitator", f"{BASE}audit/", ["main table"]),
        "risk-page": ("analyst", f"{BASE}risks/{risk.pk}/", ["main table"]),
        "register": ("analyst", f"{BASE}register/", ["main table"]),
        "results": ("board", f"{BASE}results/", ["#heat-map", "#themes"]),
        "facilitator-dashboard": (
            "facilitator",
            f"{BASE}workshops/{workshop.pk}/",
            ["main table"],
        ),
    }


def _wait_for(port: int, server: subprocess.Popen) -> None:
    """Wait (at most a minute: the machine may be busy) until the server answers."""
    for _ in range(600):
        if server.poll() is not None:
            raise SystemExit("the server stopped")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def _sign_in(context, url: str, username: str) -> None:
    page = context.new_page()
    page.goto(url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(url + "/")
    page.close()


def _photograph_part(page, selector: str, path: Path) -> None:
    """A screen and a half from just above the first element `selector` finds, full width."""
    box = page.locator(selector).first.bounding_box()
    width = page.evaluate("document.documentElement.scrollWidth")
    height = page.viewport_size["height"] * 1.5
    top = max(0, box["y"] + page.evaluate("window.scrollY") - 60)
    clip = {"x": 0, "y": top, "width": width, "height": height}
    page.screenshot(path=str(path), full_page=True, clip=clip)


def main() -> None:
    """Photograph each page; print how far each scrolls sideways."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", default="/tmp/wb-shots")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    args = parser.parse_args()
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    database = Path(tempfile.mkdtemp()) / "shots.sqlite3"
    env = {
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "screenshots-only",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    pages = _prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--insecure", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    from playwright.sync_api import sync_playwright

    results = []
    try:
        _wait_for(port, server)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            contexts = {}
            for name, (username, path, parts) in pages.items():
                if username not in contexts:
                    contexts[username] = browser.new_context(
                        viewport={"width": args.width, "height": args.height}
                    )
                    _sign_in(contexts[username], url, username)
                page = contexts[username].new_page()
                page.goto(url + path)
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                page.screenshot(path=str(output / f"{name}-{args.width}.png"))
                for n, selector in enumerate(parts, start=1):
                    _photograph_part(page, selector, output / f"{name}-{args.width}-{n}.png")
                results.append(f"{name} {overflow}px")
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait()
    print(f"phone_screenshots at {args.width}px sideways scroll: " + ", ".join(results))


if __name__ == "__main__":
    main()
