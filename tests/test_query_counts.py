"""The dashboard, live fragment, results, register, risk and export pages run the same number of
SQL queries however many organisations, risks and rounds there are (benchmarks/page_speed.py's
pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from benchmarks.page_speed import PAGES, build_world, measure

pytestmark = pytest.mark.django_db

# organisations × risks × rounds: more of each, then more rounds as well.
SIZES = {"3×3×2": (3, 3, 2), "8×10×2": (8, 10, 2), "8×10×3": (8, 10, 3)}


@pytest.mark.slow
def test_page_query_counts_do_not_grow_with_organisations_risks_or_rounds():
    client = Client()
    worlds = {
        size: build_world(organisations=o, risks=r, rounds=n, slug=f"size-{o}-{r}-{n}")
        for size, (o, r, n) in SIZES.items()
    }
    counts = {
        page.label: {size: measure(client, page, world)[1] for size, world in worlds.items()}
        for page in PAGES
    }
    assert len(counts) == 9  # dashboard, live fragment, results, register, risk page, 4 exports
    grown = {label: by_size for label, by_size in counts.items() if len(set(by_size.values())) > 1}
    assert not grown, f"query counts by size that grow: {grown}"
