"""The dashboard, results, register, risk and export pages run the same number of SQL queries
however many organisations, risks and rounds there are (benchmarks/page_speed.py's pages)."""

from __future__ import annotations

import pytest
from django.test import Client

from benchmarks.page_speed import PAGES, build_world, measure

pytestmark = pytest.mark.django_db


def test_page_query_counts_do_not_grow_with_organisations_or_risks():
    client = Client()
    small = build_world(organisations=3, risks=3, rounds=2, slug="small")
    large = build_world(organisations=8, risks=10, rounds=2, slug="large")
    counts = {
        page.label: (measure(client, page, small)[1], measure(client, page, large)[1])
        for page in PAGES
    }
    grown = {label: pair for label, pair in counts.items() if pair[0] != pair[1]}
    assert not grown, f"query counts (small, large) that grow: {grown}"
