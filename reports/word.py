"""The strategic assessment as a Word document (DOCX), the same document as the PDF.

Built with python-docx from the same template context as the PDF (`reports.presentation`):
headings in Word's heading styles, real tables for the crime table, risk lists, theme tables
and the heat map (each risk under its own rating word and colour), Markdown narrative as
paragraphs and lists. Charts are given as their tables: no SVG renderer is installed without
new system libraries, and the PDF keeps the drawn charts. Every table cell is formula-safe
(`assessments.safe_cells`), as in the spreadsheets, because Word tables are pasted into Excel.
"""

from __future__ import annotations

import io
import re
from typing import Any

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from assessments.display.numbers import number, one_decimal, rate, signed, thousands
from assessments.safe_cells import safe_cell
from reports.heat_map import document_axes
from reports.presentation import report_context
from reports.prose import NARRATIVE_HEADINGS

# The report's rating colours (tests/test_rating_colours.py checks their contrast).
RATING_COLOURS = {
    "High": "B3261E",
    "Moderate": "8A5300",
    "Standard": "1E6B34",
}
UNRATED_COLOUR = "595959"
BOLD_OR_ITALIC = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*|__[^_]+__|_[^_]+_)")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|(\d+)[.)])\s+(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
CHART_NOTE = "The PDF draws this as a chart; its figures are given here as a table."


def _inline(paragraph, text: str) -> None:
    """Text with **bold** and *italic* as Word runs."""
    for part in BOLD_OR_ITALIC.split(text):
        if not part:
            continue
        if part[:2] in ("**", "__") and part[-2:] == part[:2] and len(part) > 4:
            paragraph.add_run(part[2:-2]).bold = True
        elif part[0] in "*_" and part[-1] == part[0] and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        else:
            paragraph.add_run(part)


def markdown(doc, text: str, *, heading_level: int = 3) -> None:
    """The narrative's Markdown (paragraphs, lists, emphasis, headings) as Word paragraphs."""
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            _inline(doc.add_paragraph(), " ".join(paragraph))
            paragraph.clear()

    for line in (text or "").splitlines():
        if not line.strip():
            flush()
            continue
        if heading := HEADING.match(line):
            flush()
            level = min(9, heading_level + len(heading.group(1)) - 1)
            doc.add_heading(heading.group(2).strip("# "), level=level)
        elif item := LIST_ITEM.match(line):
            flush()
            style = "List Number" if item.group(1) else "List Bullet"
            _inline(doc.add_paragraph(style=style), item.group(2))
        else:
            paragraph.append(line.strip())
    flush()


def _shade(cell, colour: str) -> None:
    """A table cell's background colour (hex RGB)."""
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties.append(shading)


def _rating_run(paragraph, rating: str, suffix: str = "") -> None:
    """A rating as its word, bold, in its colour: never a colour alone."""
    run = paragraph.add_run(rating + suffix)
    run.bold = True
    run.font.color.rgb = RGBColor.from_string(RATING_COLOURS.get(rating, UNRATED_COLOUR))


def table(doc, header: list[str], rows: list[list[Any]], *, caption: str = ""):
    """A real Word table with a bold header row that repeats on each page."""
    if caption:
        doc.add_paragraph(caption, style="Caption")
    grid = doc.add_table(rows=1, cols=len(header))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(grid.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(safe_cell(text))).bold = True
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for values in rows:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            if callable(value):  # writes its own runs (a rating word in colour)
                value(cell.paragraphs[0])
            else:
                cell.text = str(safe_cell("" if value is None else value))
    return grid


def _rated(rating: str, extra: str = ""):
    return lambda paragraph: (_rating_run(paragraph, rating), paragraph.add_run(extra))


def _introduction(doc, c: dict[str, Any]) -> None:
    report, front = c["report"], c["front_matter"]
    doc.add_heading("Introduction", level=1)
    if front["introduction"]:
        markdown(doc, front["introduction"])
    else:
        doc.add_paragraph(
            f"{report['partnership']['name']} is the community safety partnership for "
            f"{report['partnership']['area_name']}. This assessment reviews {len(c['rows'])} "
            f"risks grouped in {len(c['themes'])} themes; each was scored for harm and "
            "likelihood, and partners agreed their confidence in that picture and the strength "
            "of the partnership's response."
        )
        doc.add_paragraph(
            f"Crime analysis is based on the 12 months to {report['period_end']} unless "
            "otherwise stated."
        )
    if front["governance"]:
        doc.add_heading("Governance", level=2)
        markdown(doc, front["governance"])
    doc.add_heading("Acknowledgements", level=1)
    if front["acknowledgements"]:
        markdown(doc, front["acknowledgements"])
    else:
        for org in c["participants"] or c["members"]:
            doc.add_paragraph(org["name"], style="List Bullet")


def _overview(doc, c: dict[str, Any]) -> None:
    report, front = c["report"], c["front_matter"]
    doc.add_heading(f"{report['partnership']['area_name']}: an overview of recorded crime", 1)
    if front["area_overview"]:
        markdown(doc, front["area_overview"])
    doc.add_heading("Quick facts: recorded crime", level=2)
    doc.add_paragraph(f"Reporting period: {c['crime_period']}.")
    if c["quick_facts"]:
        for fact in c["quick_facts"]:
            doc.add_paragraph(fact, style="List Bullet")
    else:
        doc.add_paragraph(f"Recorded crime figures for {report['period']} were not available.")
    if c["trend"]:
        doc.add_heading("Crime trend", level=2)
        doc.add_paragraph(c["trend_summary"])
        table(
            doc,
            ["Period", "All crime"],
            [
                [p, "no figure" if n is None else thousands(n) + (f" ({part})" if part else "")]
                for p, n, part in c["trend"]
            ],
            caption=CHART_NOTE,
        )
    if c["seasonal"]:
        doc.add_heading("Seasonal pattern", level=2)
        table(
            doc,
            ["Month", "Crimes", "Average", "Against the average"],
            [
                [
                    f"{m['label']} {m['month'][:4]}",
                    thousands(m["count"]),
                    rate(m["average"]),
                    signed(m["pct_vs_average"], "%"),
                ]
                for m in c["seasonal"]
            ],
            caption=CHART_NOTE,
        )
    elif c["seasonal_pattern"].get("missing"):
        doc.add_heading("Seasonal pattern", level=2)
        doc.add_paragraph(c["seasonal_pattern"]["missing"])
    if c["neighbourhoods"]:
        doc.add_heading("Location", level=2)
        table(
            doc,
            ["Rank", "Neighbourhood", "Crimes", "Rate per 1,000"],
            [
                [n["rank"] or "–", n["name"], thousands(n["count"]), rate(n["rate_per_1000"])]
                for n in c["neighbourhoods_in_print"]
            ],
            caption=CHART_NOTE,
        )
    if front["crime_trends"]:
        doc.add_heading("Crime trends", level=2)
        markdown(doc, front["crime_trends"])
    doc.add_heading("Crime table", level=2)
    _crime_table(doc, c)
    if c["other_statistics"]:
        doc.add_heading("Other key statistics", level=2)
        table(
            doc,
            ["Statistic", "Value", "Unit", "Comparator"],
            [
                [
                    row["name"],
                    number(row["value"]),
                    row["unit"],
                    f"{row['comparator_label']}: {number(row['comparator_value'])}"
                    if row["comparator_value"] is not None
                    else "",
                ]
                for row in c["other_statistics"]
            ],
        )


def _crime_table(doc, c: dict[str, Any]) -> None:
    report = c["report"]
    rows = []
    for row in c["crime_table"]:
        if not row["comparable"] and row["count"] is not None and row["previous_count"] is not None:
            change = "not compared: part year"
        elif row["pct_change"] is not None:
            change = f"{signed(row['pct_change'], '%')} ({signed(row['change'])})"
        elif row["change"] is not None:
            change = f"({signed(row['change'])})"
        else:
            change = "–"
        basis = " †" if row.get("rate_basis") == "households" else ""
        msg = f" ({rate(row['msg_rate_per_1000'])})" if row["msg_rate_per_1000"] is not None else ""
        rows.append(
            [
                row["name"],
                thousands(row["previous_count"]),
                thousands(row["count"]),
                change,
                rate(row["rate_per_1000"]) + msg + basis,
            ]
        )
    if not rows:
        doc.add_paragraph(f"Recorded crime figures for {report['period']} were not available.")
        return
    table(
        doc,
        [
            "Crime / incident type",
            report["previous_period"],
            report["period"],
            "% change (number)",
            "Rate per 1,000 (MSG)",
        ],
        rows,
        caption=(
            f"Recorded crime and incidents, {report['previous_period']} and {report['period']}. "
            "Rates per 1,000 residents († per 1,000 households); the most similar group (MSG) "
            "average in brackets."
        ),
    )


def heat_map_table(doc, document: dict[str, Any]) -> None:
    """The heat map as a table: harm bands down (highest first), likelihood across, each
    risk in its cell with its own rating word in its rating's colour."""
    axes, counted = document_axes(document)
    cells: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for risk in document["risks"]:
        grid = risk["grid"]
        if grid is None or not counted:
            continue
        cells.setdefault(tuple(grid), []).append(risk)
    header = ["Harm \\ likelihood"] + [column.label for column in axes.likelihood]
    grid_table = table(doc, header, [])
    for row_index in reversed(range(len(axes.harm))):
        cells_of_row = grid_table.add_row().cells
        cells_of_row[0].text = axes.harm[row_index].label
        for column_index in range(len(axes.likelihood)):
            cell = cells_of_row[column_index + 1]
            for n, risk in enumerate(cells.get((column_index, row_index), [])):
                paragraph = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
                paragraph.add_run(str(safe_cell(risk["name"])) + ": ")
                _rating_run(paragraph, risk["rating"])


def _risks(doc, c: dict[str, Any], document: dict[str, Any]) -> None:
    doc.add_heading("Risks", level=1)
    doc.add_paragraph(
        f"Community safety issues have been considered under broad themes using the "
        f"{c['spec'].name} method to review strategic threat, risk and harm. Risks are "
        "categorised as High, Moderate and Standard; within each list they are ordered by "
        "score (shown to one decimal place)."
    )
    if c["front_matter"]["method"]:
        markdown(doc, c["front_matter"]["method"])
    meanings = {rating: intro for rating, intro, _ in c["meanings"]}
    for rating, rows in c["lists"]:
        doc.add_heading(f"{rating} level risks", level=2)
        doc.add_paragraph(meanings[rating]).runs[0].italic = True
        table(
            doc,
            ["Risk", "Theme", "Rating", "Score", f"Since {c['previous_period']}"],
            [
                [
                    r["name"] + (" ★" if r["is_priority"] else ""),
                    r["theme"],
                    _rated(r["rating"]),
                    one_decimal(r["score"]),
                    f"{r['movement_symbol']} {r['movement_text']}",
                ]
                for r in rows
            ]
            or [["None.", "", "", "", ""]],
        )
    for row in c["priorities"]:
        doc.add_paragraph(f"★ {row['name']} ({row['rating']}): {row['priority_reason']}")
    if c["unrated"]:
        names = ", ".join(r["name"] for r in c["unrated"])
        doc.add_paragraph(f"Not yet fully scored: {names}.")
    doc.add_heading("Harm by likelihood", level=2)
    heat_map_table(doc, document)
    doc.add_paragraph(c["heat_map_caption"])


def _themes(doc, c: dict[str, Any]) -> None:
    doc.add_heading("Key areas of focus", level=1)
    doc.add_paragraph(
        "This section reports on each theme in greater detail: the scoring of its risks and "
        "the qualitative intelligence gathered from partners."
    )
    for theme, rows in c["themes"]:
        doc.add_heading(theme["name"], level=2)
        if theme["description"]:
            doc.add_paragraph(theme["description"])
        grid = table(
            doc,
            [
                theme["name"],
                "Harm",
                "Likelihood & trends",
                "Intelligence",
                "Response",
                "Threat, risk and harm assessment",
            ],
            [
                [
                    r["name"] + (" ★" if r["is_priority"] else ""),
                    *(
                        f"{cell['word']} {cell['value']}".strip() if cell["value"] else cell["word"]
                        for cell in r["cells"]
                    ),
                    _rated(r["rating"], f" {one_decimal(r['score'])}"),
                ]
                for r in rows
            ]
            or [["No risks in this theme.", "", "", "", "", ""]],
        )
        for row_cells, r in zip(grid.rows[1:], rows, strict=False):
            for cell, level in zip(row_cells.cells[1:5], r["cells"], strict=True):
                _shade(cell, SEVERITY_TINTS[level["severity"]])
        for key, heading in NARRATIVE_HEADINGS:
            text = theme["narrative"].get(key)
            if text:
                doc.add_heading(heading, level=3)
                markdown(doc, text, heading_level=4)


# The PDF's tints for a level's severity, 0 (not scored) to 4 (most concern).
SEVERITY_TINTS = ("FFFFFF", "DBE9F6", "FBE6B0", "F8C7A8", "F1A7A3")


def _appendices(doc, c: dict[str, Any]) -> None:
    if c["emerging_issues"]:
        doc.add_heading(f"Emerging issues for {c['report']['partnership']['name']}", level=1)
        for issue in c["emerging_issues"]:
            doc.add_heading(issue["title"], level=2)
            markdown(doc, issue["text"])
    doc.add_heading("Appendix A: understanding threat, risk and harm", level=1)
    doc.add_paragraph(
        "An analyst first assessed harm and likelihood from current data and intelligence. "
        "Partners then met in a workshop to ratify those scores and to agree their confidence "
        "in the intelligence picture and the partnership's position in responding."
    )
    table(
        doc,
        ["Rating", "What this means for the partnership"],
        [[_rated(rating), " ".join([intro, *points])] for rating, intro, points in c["meanings"]],
    )
    if c["front_matter"]["sources"]:
        doc.add_heading("Sources", level=2)
        markdown(doc, c["front_matter"]["sources"])
    spec = c["spec"]
    doc.add_heading("Appendix B: the scoring model", level=1)
    doc.add_paragraph(
        "Score = harm × likelihood × confidence × response. A risk is High at "
        f"{number(spec.high_threshold)} or more, Moderate at {number(spec.moderate_threshold)} "
        f"or more, otherwise Standard. Model: {spec.name}, version {spec.version}."
    )
    table(
        doc,
        ["Dimension", "Factor", "Levels (value)"],
        [
            [
                f.dimension.capitalize(),
                f.name,
                ", ".join(f"{lv.label} ({number(lv.value)})" for lv in f.levels),
            ]
            for f in spec.factors
        ],
    )
    approvals = c["report"].get("sign_off", {}).get("approvals", [])
    if approvals:
        doc.add_heading("Board sign-off", level=1)
        for a in approvals:
            by = f"{a['user']} ({a['organisation']})" if a["organisation"] else a["user"]
            doc.add_paragraph(f"Approved by {by} on {a['at'][:10]}", style="List Bullet")


def assessment_docx_from_document(document: dict[str, Any]) -> bytes:
    """The report document as DOCX bytes."""
    c = report_context(document, prefix="docx")
    report = c["report"]
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    title = f"{report['partnership']['name']}: a strategic assessment of threat, risk and harm"
    doc.core_properties.title = f"{title} {report['period']}"
    doc.core_properties.author = report["partnership"]["name"]
    doc.add_heading(f"{title} {report['period']}", level=0)
    status = (
        f"Published {report['published_at'][:10]}"
        if report["status"] == "published" and report.get("published_at")
        else f"{report['status_display']}: not yet published"
    )
    doc.add_paragraph(
        f"Community safety partnership for {report['partnership']['area_name']}. Crime analysis "
        f"covers {c['crime_period']}. Risks assessed with the {c['spec'].name} method "
        f"(version {c['spec'].version}). {status}."
    )
    _introduction(doc, c)
    _overview(doc, c)
    _risks(doc, c, document)
    _themes(doc, c)
    _appendices(doc, c)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
