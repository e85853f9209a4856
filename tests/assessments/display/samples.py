"""Figures and helpers the chart tests share."""

import xml.etree.ElementTree as ET
from decimal import Decimal

from assessments.display.rating_grid import heat_map

SVG = "{http://www.w3.org/2000/svg}"
MINUS = "\u2212"
SCRIPT = "<script>alert('x')</script>"

NEIGHBOURHOODS = [
    ("City Centre", Decimal("486.3")),
    ("Stonehouse", Decimal("248.6")),
    ("Mutley", Decimal("248.5")),
    ("Morice Town", Decimal("212.3")),
    ("East End", Decimal("160.8")),
]
SEASONAL = [
    ("Apr", Decimal("-5.5")),
    ("May", Decimal("3.6")),
    ("Jun", Decimal("0.0")),
    ("Jul", None),
    ("Dec", Decimal("-12.4")),
]
TREND = [("2017/18", 22000), ("2018/19", 23626), ("2019/20", 23024)]


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


LIKELIHOOD = ["Rare", "Unlikely", "Possible", "Likely", "Almost certain"]
HARM = ["Minimal", "Minor", "Moderate", "Major", "Critical"]
RISKS = {
    (4, 4): ["Domestic abuse", "Rape and sexual assault"],
    (2, 3): ["Homicide"],
    (0, 0): ["Burglary"],
}


def rating(x: int, y: int) -> str:
    score = (x + 1) * (y + 1)
    return "High" if score >= 15 else "Moderate" if score >= 8 else "Standard"


def render_heat_map(cells=RISKS, **kwargs) -> str:
    return heat_map(
        cells, x_levels=LIKELIHOOD, y_levels=HARM, title="Risks", cell_rating=rating, **kwargs
    )
