"""The import package's root: one place to import from, whose parse half needs no Django."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def test_the_parse_half_and_the_root_import_without_django_or_its_models():
    script = (
        "import sys\n"
        "from assessments.imports import ImportFailed, read_table\n"
        "from assessments.imports.parse import aggregate_records, parse_summary\n"
        "assert 'django.db' not in sys.modules, 'the parse half imported Django'\n"
        "assert 'assessments.models' not in sys.modules, 'the parse half imported models'\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_the_root_exports_the_store_halfs_data_import():
    from assessments.imports import KINDS, data_import
    from assessments.imports.store import importer

    assert data_import is importer.data_import
    assert KINDS is importer.KINDS
