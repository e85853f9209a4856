"""The report's words: what each rating means, movement since last year, the narrative's
headings, and the sentences written from the evidence (quick facts, the period covered).

Pure functions over the evidence module's values and the report document; no database.
"""

from __future__ import annotations

from typing import Any

from assessments import evidence
from assessments.periods import period_start_year
from assessments.scoring import HIGH, MODERATE, STANDARD, ScoringModelSpec
from reports.heat_map import Axes

RATING_MEANINGS: dict[str, tuple[str, list[str]]] = {
    HIGH: (
        "These should be prioritised by the partnership and all of its partners, and feature "
        "strongly in local strategies and plans.",
        [
            "Recognised by the partnership and partners as a priority, clearly evidenced in all "
            "relevant strategies and delivery plans.",
            "May demand additional resources and funding to address.",
            "Review existing strategy and services: where can the response be improved, "
            "enhanced or increased to reduce the risk?",
            "Make sure the risk is understood across the partnership and partners are "
            "proactively acting to reduce it.",
            "Set targets to evidence improvement in key areas.",
        ],
    ),
    MODERATE: (
        "The partnership continues to be proactive: working together to manage the risks, "
        "address identified problems and prevent new problems developing.",
        [
            "Make sure there is a clear strategy in place and adequate services to respond.",
            "Maintain, support and improve the existing response to reduce or control the risk.",
            "Make sure the risk is understood across the partnership and partners are "
            "proactively acting to reduce or control it; influence other relevant strategies.",
            "Monitor the level of risk against moderate improvement targets and respond if "
            "adverse trends appear.",
        ],
    ),
    STANDARD: (
        "Managed as business as usual and not placing much additional demand on services; "
        "monitored to make sure they continue to be managed well.",
        [
            "Make sure there are adequate services in place to respond.",
            "Maintain and support the existing response to control the risk.",
            "Make sure the risk is understood across the partnership and partners' actions do "
            "not increase it.",
            "Monitor the level of risk and respond if adverse trends appear.",
        ],
    ),
}

NARRATIVE_HEADINGS: tuple[tuple[str, str], ...] = (
    ("key_statistics", "Key statistics"),
    ("impact", "Impact"),
    ("likelihood", "Likelihood"),
    ("organisational_response", "Organisational response"),
    ("knowledge_gaps", "Knowledge gaps"),
    ("recommendation", "Recommendation"),
)

MOVEMENT_TEXT = {
    "up": ("↑", "Up from {previous}"),
    "down": ("↓", "Down from {previous}"),
    "same": ("→", "No change"),
    "new": ("+", "New this year"),
    "unrated": ("?", "Not yet rated"),
    "rated": ("+", "Not rated last year"),
}
# The risk page's shorter words: "Up" for "Up from Moderate".
MOVEMENT_WORDS = {key: text.partition(" from ")[0] for key, (_, text) in MOVEMENT_TEXT.items()}


def period_end(period: str) -> str:
    """'31 March 2020' for 2019/20: the seed's 'the 12 months to 31 March 2020'."""
    return f"31 March {period_start_year(period) + 1}"


def _months_text(figures) -> str:
    """ " in 3 of 12 months" for a part year, else nothing."""
    return f" in {figures.months} of 12 months" if figures.is_partial else ""


def _not_compared(figures, period: str, previous: str) -> str:
    """Why a part year is not compared with the year before, e.g. "Not compared with 2015/16
    (23,626 crimes, the whole year): 2016/17 covers only 3 of 12 months"."""
    if figures.is_partial:
        before = (
            f", {figures.previous_months} of 12 months"
            if figures.previous_is_partial
            else ", the whole year"
        )
        return (
            f"Not compared with {previous} ({figures.previous_count:,} crimes{before}): "
            f"{period} covers only {figures.months} of 12 months"
        )
    return (
        f"Not compared with {previous}: its {figures.previous_count:,} crimes cover only "
        f"{figures.previous_months} of 12 months"
    )


def msg_position_text(row: evidence.IndicatorRow) -> str:
    """ "position 2 of 15 in the group (1 = lowest rate)", as the evidence page says it, or ""
    without a rank."""
    if row.msg_rank is None:
        return ""
    size = f" of {row.msg_group_size}" if row.msg_group_size else ""
    return f"position {row.msg_rank}{size} in the group (1 = lowest rate)"


def quick_fact_sentences(facts: evidence.QuickFacts, previous: str) -> list[str]:
    """The seed's 'Quick facts' box as sentences, from the evidence module's quick facts.

    A part year says which months it covers and is never compared with another year."""
    sentences = []
    crime = facts.all_crime.figures if facts.all_crime else None
    if crime and crime.count is not None:
        text = f"{crime.count:,} crimes recorded{_months_text(crime)}"
        if crime.is_partial and facts.months_covered:
            text += f" ({facts.months_covered})"
        if crime.rate_per_1000 is not None:
            text += f": {crime.rate_per_1000} crimes per 1,000 {crime.rate_basis}"
            if crime.is_partial:
                text += " in those months"
        sentences.append(text + ".")
        position = msg_position_text(facts.all_crime)
        if crime.position and crime.msg_rate_per_1000 is not None:
            text = (
                f"The rate of crime is {crime.position} the most similar group (MSG) average "
                f"of {crime.msg_rate_per_1000} per 1,000"
            )
            sentences.append(text + (f": {position}." if position else "."))
        elif position:
            sentences.append(f"In the most similar group (MSG): {position}.")
        if crime.comparable and crime.pct_change is not None and crime.change is not None:
            word = "an increase" if crime.change > 0 else "a decrease"
            if crime.change == 0:
                sentences.append(f"No change on {previous} ({crime.previous_count:,} crimes).")
            else:
                sentences.append(
                    f"This is {word} of {abs(crime.pct_change)}% on {previous} "
                    f"({crime.previous_count:,} crimes)."
                )
        elif not crime.comparable and crime.previous_count is not None:
            sentences.append(_not_compared(crime, facts.period, previous) + ".")
    asb = facts.asb.figures if facts.asb else None
    if asb and asb.count is not None:
        name = facts.asb.name
        # "Anti-social behaviour incidents" reads on in lower case; an acronym (ASB) stays.
        label = name if name[:2].isupper() else name[:1].lower() + name[1:]
        text = f"{asb.count:,} {label}"
        if "incident" not in facts.asb.name.lower():
            text += " incidents"
        text += f" recorded{_months_text(asb)}"
        if asb.comparable and asb.pct_change is not None and asb.change:
            word = "an increase" if asb.change > 0 else "a reduction"
            text += f", {word} of {abs(asb.pct_change)}% on {previous} ({asb.previous_count:,})"
        elif not asb.comparable and asb.previous_count is not None:
            text += f", not compared with {previous}'s {asb.previous_count:,} (part year)"
        sentences.append(text + ".")
    return sentences


def crime_period_text(document: dict[str, Any], coverage: dict[str, Any]) -> str:
    """ "the 12 months to 31 March 2020", or for a part year "3 of the 12 months to 31 March
    2017 (January to March 2017)"."""
    whole = f"the 12 months to {document['period_end']}"
    if not coverage["is_partial"]:
        return whole
    text = f"{coverage['months']} of {whole}"
    return f"{text} ({coverage['months_covered']})" if coverage["months_covered"] else text


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def heat_map_caption(axes: Axes, spec: ScoringModelSpec) -> str:
    """What the heat map's rows, columns and markers mean, for the model it was drawn with."""
    harm = len(spec.factors_for("harm"))
    count = NUMBER_WORDS[harm] if harm < len(NUMBER_WORDS) else f"{harm:,}"
    scale = f"{axes.harm[0].range_text.split('–')[0]}–{axes.harm[-1].range_text.split('–')[1]}"
    bands = "; ".join(f"{band.word} {band.range_text}" for band in axes.harm)
    likelihood = " plus ".join(
        f.name[:1].lower() + f.name[1:] for f in spec.factors_for("likelihood")
    )
    columns = f"{axes.likelihood[0].low}–{axes.likelihood[-1].high}"
    return (
        f"Rows are bands of harm (the sum of {count} harm factor{'s' if harm != 1 else ''}, "
        f"{scale}): {bands}. Columns are likelihood ({likelihood}, {columns}). Each risk is "
        "numbered in its cell under its own rating, a word on the rating's colour, and named "
        "in the key; a cell can hold risks of different ratings, because confidence and the "
        "response count too."
    )
