"""What an import did, as the person who ran it reads it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportOutcome:
    """What an import did, in words for the person who ran it."""

    kind: str
    rows: int
    messages: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return " ".join(self.messages)
