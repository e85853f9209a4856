"""The report's front matter: the sections around the risks that the seed writes in prose.

Each is Markdown with live figures (`reports/figures.py`), one per assessment and key, stored
as a `ReportSection`. The report prints them in the seed's order; a section carried forward
from last year is marked for review until someone saves it again.
"""

from __future__ import annotations

from collections.abc import Iterable

# (key, heading, what it is for), in the order the seed prints them.
SECTIONS: tuple[tuple[str, str, str], ...] = (
    (
        "introduction",
        "Introduction",
        "The partnership, its responsible authorities and its duties.",
    ),
    (
        "governance",
        "Governance",
        "Who the partnership reports to and the plans this assessment informs.",
    ),
    (
        "acknowledgements",
        "Acknowledgements",
        "Who prepared the assessment and the organisations thanked for taking part.",
    ),
    (
        "area_overview",
        "Area overview",
        "The area: its people, economy and deprivation.",
    ),
    (
        "crime_trends",
        "Crime trends",
        "Commentary on the year's recorded crime, printed before the crime table.",
    ),
    (
        "method",
        "Method and caveats",
        "How this year's scores were reached, and anything the reader should allow for.",
    ),
    (
        "sources",
        "Sources",
        "Where the data come from, printed at the end of Appendix A.",
    ),
)
SECTION_KEYS = tuple(key for key, _, _ in SECTIONS)
HEADINGS = {key: heading for key, heading, _ in SECTIONS}
PURPOSES = {key: purpose for key, _, purpose in SECTIONS}
MAX_LENGTH = 50_000  # about twenty pages of prose; bounds what one save may store


def acknowledgements_text(
    *, partnership_name: str, organisations: Iterable[str], participants: Iterable[str]
) -> str:
    """A first draft of the acknowledgements: the partnership's organisations and those that
    took part in the workshop, each named once."""
    names = list(dict.fromkeys([*participants, *organisations]))
    lines = [
        f"This assessment was prepared by {partnership_name}, in partnership with a broad "
        "representation of organisations working in the area.",
    ]
    if names:
        lines += [
            "",
            "Special thanks are given to the following organisations for their input and "
            "support at the workshop and afterwards:",
            "",
            *(f"- {name}" for name in names),
        ]
    return "\n".join(lines)
