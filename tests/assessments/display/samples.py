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
# Each risk with its own rating; the top-right cell holds two ratings.
RISKS = {
    (4, 4): [("Domestic abuse", "High"), ("Rape and sexual assault", "Moderate")],
    (2, 3): [("Homicide", "Moderate")],
    (0, 0): [("Burglary", "Standard")],
}
RATING_WORDS = {"High", "Moderate", "Standard", "Unrated", "H", "M", "S", "U"}


def render_heat_map(cells=RISKS, **kwargs) -> str:
    return heat_map(cells, x_levels=LIKELIHOOD, y_levels=HARM, title="Risks", **kwargs)


def ratings_shown(svg: str) -> dict[str, tuple[str, str]]:
    """Each risk's name → (the rating word above its marker, that block's fill), read from the
    drawing as a reader would: the cells' numbered markers, then the key's numbers and names."""
    root = parse(svg)
    by_number: dict[str, tuple[str, str]] = {}
    for cell in root.iter(f"{SVG}g"):
        if not (cell.findtext(f"{SVG}title") or "").startswith("Harm "):
            continue
        word = fill = ""
        for element in cell:
            if element.tag == f"{SVG}rect" and element.get("rx"):
                fill = element.get("fill")
            elif element.tag == f"{SVG}text":
                text = "".join(element.itertext())
                if text in RATING_WORDS:
                    word = text
                elif text.isdigit():
                    by_number[text] = (word, fill)
    shown = [t for t in texts(root)]
    key = shown[shown.index("Key") + 1 :] if "Key" in shown else []
    names: dict[str, str] = {}
    number = None
    for text in key:
        if text.isdigit():
            number = text
            names[number] = ""
        elif number is not None:
            names[number] = f"{names[number]} {text}".strip()
    return {names[n]: by_number[n] for n in names}
