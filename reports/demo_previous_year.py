"""The demo's published 2018/19 assessment, so movement since last year shows in 2019/20.

Its crime figures are the seed's 2018/19 column (in the demo's crime summary). Its scores are
illustrative, derived from 2019/20's: the seed publishes no 2018/19 scores. A few risks' trend
or frequency sit one level apart, so some ratings moved and most held, as the seed says ("the
lists of risk remain largely unchanged from 2019"). Its method section says so.
"""

from __future__ import annotations

import csv
import io

from django.contrib.auth import get_user_model

from assessments.models import Assessment, Risk, RiskOrigin
from assessments.scoring import DEFAULT_MODEL
from reports.services import approval_record, assessment_publish, report_section_set
from workshops.sheet.apply import score_sheet_import

PREVIOUS_PERIOD = "2018/19"
ILLUSTRATIVE_SHEET = "plymouth-2018-19-illustrative-scores.csv"
METHOD_2018 = (
    "The 2018/19 scores in this demonstration are **illustrative**: the seed document publishes "
    "only 2019/20's. They were derived from 2019/20's scores, with a few risks' trend or "
    "frequency one level apart, so that movement between the years can be seen. The crime "
    "figures are the seed's own 2018/19 figures."
)
INTRODUCTION_2018 = (
    "Safer Plymouth's strategic assessment for 2018/19, kept in this demonstration as the year "
    "before 2019/20. Its scores are illustrative (see the method)."
)


# Crimes the seed reports falling in 2019/20 (violence with injury −7%, ASB −8%): higher in
# 2018/19, so their rating comes down.
FELL_SINCE = (
    "Violence, with or without injury",
    "Anti-social behaviour",
    "Cyber related vulnerability",
)


def _shifted(factor_name: str, level: str, step: int) -> str:
    """The level `step` places along the factor's scale (clamped at its ends)."""
    factor = next(f for f in DEFAULT_MODEL.factors if f.name == factor_name)
    labels = [lv.label for lv in factor.levels]
    index = max(0, min(len(labels) - 1, labels.index(level) + step))
    return labels[index]


def illustrative_sheet(sheet_2019: bytes, risk_order: list[str]) -> bytes:
    """2019/20's scoring sheet as 2018/19's: some trends and frequencies one level apart."""
    position = {name: n for n, name in enumerate(risk_order)}
    rows = list(csv.DictReader(io.StringIO(sheet_2019.decode("utf-8"))))
    for row in rows:
        n = position[row["risk"]]
        if row["factor"] == "Trend" and n % 5 == 0:
            row["level"] = _shifted("Trend", row["level"], -1)  # rising since
        elif row["factor"] == "Trend" and n % 5 == 2:
            row["level"] = _shifted("Trend", row["level"], +1)  # falling since
        elif row["factor"] == "Frequency and volume" and n % 7 == 3:
            row["level"] = _shifted("Frequency and volume", row["level"], -1)
        if row["factor"] in ("Trend", "Frequency and volume") and row["risk"] in FELL_SINCE:
            row["level"] = _shifted(row["factor"], row["level"], +1)
        row["comment"] = ""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def demo_previous_year_load(current: Assessment, *, register_load, sheet: bytes) -> None:
    """Create, score and publish 2018/19 once; link 2019/20's risks to it as carried forward."""
    users = get_user_model().objects
    previous, _ = Assessment.objects.get_or_create(
        partnership=current.partnership, period=PREVIOUS_PERIOD
    )
    if not previous.is_published:
        register_load(previous)
        order = list(
            Risk.objects.filter(assessment=previous)
            .order_by("theme__order", "order")
            .values_list("name", flat=True)
        )
        analyst, board = users.get(username="analyst"), users.get(username="board")
        score_sheet_import(
            assessment=previous,
            data=illustrative_sheet(sheet, order),
            filename=ILLUSTRATIVE_SHEET,
            user=analyst,
        )
        for key, text in (("introduction", INTRODUCTION_2018), ("method", METHOD_2018)):
            report_section_set(assessment=previous, key=key, text=text, user=analyst)
        approval_record(
            assessment=previous,
            user=board,
            comment="Approved (illustrative demonstration year).",
            approved=True,
        )
        assessment_publish(assessment=previous, user=board)
    earlier = {r.name: r for r in Risk.objects.filter(assessment=previous)}
    for risk in Risk.objects.filter(assessment=current, carried_from__isnull=True):
        if risk.name in earlier:
            risk.carried_from, risk.origin = earlier[risk.name], RiskOrigin.CARRIED
            risk.save(update_fields=["carried_from", "origin"])
