"""The Safer Plymouth demo, loaded by `manage.py load_demo` once per test session and copied
into each test that asks for it (the `demo` fixture in tests/conftest.py).

Running `load_demo` takes seconds (it imports the register and the scoring sheet and scores
every risk); copying the rows it wrote takes a fraction of that. The rows are read and written
through each model's fields, raw (no `auto_now`, no signals), so every value, timestamp and id
is the one `load_demo` stored, on SQLite and PostgreSQL alike. The copy goes into the test's
own transaction, so it is rolled back with everything else the test did.

Under pytest-xdist the first worker to need the demo loads it and leaves the rows in a file
beside the workers' temporary directories; the others read that file.
"""

from __future__ import annotations

import fcntl
import io
import os
import pickle
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction

Rows = dict[str, list[tuple]]  # model label → rows of its concrete fields' attnames


def _models() -> list[type[models.Model]]:
    """Every model with a table of its own, many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _columns(model: type[models.Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def _every_row() -> Rows:
    return {
        model._meta.label: list(model._base_manager.order_by("pk").values_list(*_columns(model)))
        for model in _models()
    }


def _rows_load_demo_adds() -> Rows:
    """Run `load_demo` in a transaction that is rolled back; the rows it added, by model."""
    with transaction.atomic():
        before = _every_row()
        call_command("load_demo", stdout=io.StringIO())
        after = _every_row()
        transaction.set_rollback(True)
    added: Rows = {}
    for model in _models():
        label = model._meta.label
        at = _columns(model).index(model._meta.pk.attname)
        old = {row[at]: row for row in before[label]}
        now = {row[at]: row for row in after[label]}
        # The copy can only add rows: were a row already there changed, adding would not do.
        assert all(now.get(pk) == row for pk, row in old.items()), (
            f"load_demo changed or removed {label} rows that were there before it"
        )
        if new := [row for pk, row in now.items() if pk not in old]:
            added[label] = new
    return added


def demo_rows(shared_dir: Path | None) -> Rows:
    """The rows `load_demo` adds; loaded once and kept in `shared_dir` for other workers."""
    if shared_dir is None:
        return _rows_load_demo_adds()
    path = shared_dir / f"demo-rows-{connection.vendor}.pickle"
    with (shared_dir / "demo-rows.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker loads; the others wait, then read
        if path.exists():
            return pickle.loads(path.read_bytes())
        rows = _rows_load_demo_adds()
        partial = path.with_suffix(f".{os.getpid()}")
        partial.write_bytes(pickle.dumps(rows))
        partial.replace(path)
        return rows


def demo_copy_in(rows: Rows) -> None:
    """Insert the demo's rows as `load_demo` stored them, and move id sequences past them."""
    copied = []
    with transaction.atomic():
        for label, values in rows.items():
            model = apps.get_model(label)
            fields = model._meta.concrete_fields
            objects = [model(**dict(zip(_columns(model), row, strict=True))) for row in values]
            size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
            for start in range(0, len(objects), size):
                model._base_manager._insert(objects[start : start + size], fields, raw=True)
            copied.append(model)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), copied):
                cursor.execute(sql)
