"""What a workshop refuses: each exception's message says why, for the person who tried."""

from __future__ import annotations

from assessments.models import Risk
from workshops.models import Workshop


class WorkshopLocked(Exception):
    """Raised on any attempt to change a locked workshop."""

    def __init__(self, workshop: Workshop):
        super().__init__(f"The workshop “{workshop.title}” is locked; scores can no longer change.")


class WorkshopNotOpen(Exception):
    """Raised when scoring or facilitation is attempted before the workshop is opened."""

    def __init__(self, workshop: Workshop):
        super().__init__(f"The workshop “{workshop.title}” is not open yet.")


class RiskRevealed(Exception):
    """Raised on saving scores for a risk the facilitator has revealed in its current round."""

    def __init__(self, risk: Risk, round_number: int):
        super().__init__(
            f"Not saved: the facilitator has revealed “{risk.name}” in round {round_number}, so "
            "its scores can no longer change. The facilitator may open a new round for it."
        )


class RiskSettled(Exception):
    """Raised on changing a risk settled in a locked workshop (its scores or agreed values)."""

    def __init__(self, risks: list[tuple[str, str]]):
        names = "; ".join(f"“{risk}” (in “{title}”)" for risk, title in risks)
        super().__init__(
            "Settled in a locked workshop, so its scores and agreed values can no longer change: "
            f"{names}."
        )


class WorkshopHoldsWithdrawnRisks(Exception):
    """Raised on opening a workshop that holds risks withdrawn from the assessment."""

    def __init__(self, names: list[str]):
        listed = "; ".join(f"“{name}”" for name in names)
        super().__init__(
            f"The workshop cannot open: it holds risks withdrawn from the assessment ({listed}). "
            "Reinstate them from the register, or start a workshop without them."
        )
