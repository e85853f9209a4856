"""In production (gunicorn, debug off, after collectstatic) static files have content-hashed
names and a year-long cache lifetime; before collectstatic they are served from static/."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _production_env(static_root: Path, database: Path) -> dict[str, str]:
    # PYTEST_VERSION would make the settings behave as under test: leave it out, like a server.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "PYTEST_", "WORKBENCH_"))
    }
    return {
        **clean,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "a-long-random-secret-for-this-test-only-" + "x" * 20,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{database}",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, attempts: int = 100):
    for _ in range(attempts):
        try:
            return urllib.request.urlopen(url, timeout=5)
        except (ConnectionError, urllib.error.URLError):
            time.sleep(0.1)
    raise AssertionError(f"gunicorn did not answer {url}")


@pytest.mark.slow
def test_gunicorn_after_collectstatic_serves_hashed_files_cached_for_a_year(tmp_path):
    env = _production_env(tmp_path / "static", tmp_path / "db.sqlite3")
    collect = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    assert (tmp_path / "static" / "staticfiles.json").is_file()

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        page = _get(f"http://127.0.0.1:{port}/login/").read().decode()
        stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page)
        assert stylesheet, "the page links no content-hashed app.css"
        css = _get(f"http://127.0.0.1:{port}{stylesheet.group(1)}")
        assert css.status == 200
        cache = css.headers["Cache-Control"]
        assert "max-age=315360000" in cache and "immutable" in cache
    finally:
        server.terminate()
        _, log = server.communicate(timeout=30)
    assert "No directory at" not in log
    assert "collectstatic" not in log  # no warning on a normal start
