"""A partner's answers, saved one part at a time as they are given: a factor's level (or “Don't
know”), a challenge of the analyst's level with its reason, or the comment.

Each answer carries the version of the stored answer the partner's page showed. A save based on
an older version than the one stored is not applied: the partner gets their colleague's answer,
and who gave it, to keep it or to apply their own (by saving again, based on that version).
Every stored change is audited, comments included. The invitation is checked by the view
(`workshop_for`), the round and the reveal once, here, under the locks that make a concurrent
reveal or lock wait for the save.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assessments.models import Organisation, Risk, ScoreChange, ScoreKind
from assessments.scoring import DONT_KNOW, ScoringModelSpec, answer_value, partner_factors
from assessments.services import assessment_ensure_editable
from workshops.exceptions import (
    RiskRevealed,
    RiskSettled,
    RoundMovedOn,
    WorkshopLocked,
    WorkshopNotOpen,
)
from workshops.models import RiskComment, Round, RoundRisk, Submission, Workshop, WorkshopStatus

COMMENT = "comment"
# A colleague who saved an answer for the risk this recently is said to be on it.
PRESENCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Answer:
    """One part of a partner's answer for a risk, as their page sent it."""

    part: str  # a factor key, or COMMENT
    level: str = ""  # a level label or DONT_KNOW; "" withdraws a challenge
    text: str = ""  # the challenge's reason, or the comment ("" removes it)
    based_on: int = 0  # the version of the stored answer the page showed (0: none)


@dataclass
class Stored:
    """What is stored for one part after a save: the partner's answer (`saved`), or a
    colleague's newer one that was kept (`conflict`)."""

    part: str
    state: str
    version: int
    level: str = ""
    text: str = ""
    by: str = ""  # who gave what is stored

    def as_json(self) -> dict:
        return {
            "state": self.state,
            "version": self.version,
            "level": self.level,
            "text": self.text,
            "by": self.by,
        }


@dataclass
class AnswersSaved:
    """A save's outcome for the card: each part, how much of the risk is answered, and which
    colleagues of the organisation are on the risk."""

    risk_id: int
    risk_name: str
    round_number: int
    parts: dict[str, Stored]
    answered: int
    needed: int
    was_complete: bool
    colleagues: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.answered >= self.needed


def person_name(user) -> str:
    """How a person is named to their colleagues: full name, else username."""
    if user is None:
        return "someone who has since left"
    return user.get_full_name() or user.get_username()


@dataclass
class _Current:
    """The risk's current round, read under the save's locks."""

    round_risk_id: int
    round_id: int
    number: int
    revealed: bool
    risk: Risk  # unsaved: id, name and assessment id, for messages and the audit trail


def _locked_save_state(workshop: Workshop, risk_id: int, organisation: Organisation) -> _Current:
    """Check, under locks, that the workshop is open, that no other locked workshop settled the
    risk, and that its current round is not revealed; two statements.

    On PostgreSQL the first share-locks the workshops holding the risk (a concurrent lock or
    reveal waits for this save; partners' saves share the lock) and locks the organisation's
    row, so two people of one organisation save one after the other and each reads the other's
    committed answer and version. The round is read by a second statement, after the locks, so
    it is never read stale. (SQLite's immediate transactions already run one write at a time.)
    """
    locks = " FOR SHARE OF w FOR NO KEY UPDATE OF o" if connection.vendor == "postgresql" else ""
    holding = f"""
        SELECT w.id, w.status, w.title
        FROM {Workshop._meta.db_table} w, {Organisation._meta.db_table} o
        WHERE o.id = %s AND (w.id = %s OR w.id IN (
            SELECT wr.workshop_id FROM {Workshop.risks.through._meta.db_table} wr
            WHERE wr.risk_id = %s))
    """  # noqa: S608 - table names from the models, values as parameters
    current = f"""
        SELECT rr.id, rr.round_id, r.number, rr.revealed_at, k.name, k.assessment_id
        FROM {RoundRisk._meta.db_table} rr
        JOIN {Round._meta.db_table} r ON r.id = rr.round_id
        JOIN {Risk._meta.db_table} k ON k.id = rr.risk_id
        WHERE r.workshop_id = %s AND rr.risk_id = %s AND EXISTS (
            SELECT 1 FROM {Workshop.risks.through._meta.db_table} wr
            WHERE wr.workshop_id = r.workshop_id AND wr.risk_id = rr.risk_id)
        ORDER BY r.number DESC LIMIT 1
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(holding + locks, [organisation.pk, workshop.pk, risk_id])
        rows = cursor.fetchall()
        cursor.execute(current, [workshop.pk, risk_id])
        found = cursor.fetchone()
    own = next((row for row in rows if row[0] == workshop.pk), None)
    if own is None or own[1] != WorkshopStatus.OPEN:
        workshop.status = own[1] if own else workshop.status
        if workshop.is_locked:
            raise WorkshopLocked(workshop)
        raise WorkshopNotOpen(workshop)
    if found is None:
        raise ValueError("That risk is not part of this workshop.")
    rr_id, round_id, number, revealed_at, name, assessment_id = found
    risk = Risk(id=risk_id, name=name, assessment_id=assessment_id)
    settled = [(name, title) for pk, status, title in rows if status == WorkshopStatus.LOCKED]
    if settled:
        raise RiskSettled(settled[:1])
    return _Current(rr_id, round_id, number, revealed_at is not None, risk)


def answers_save(
    *,
    workshop: Workshop,
    risk_id: int,
    organisation: Organisation,
    answers: list[Answer],
    round_number: int,
    spec: ScoringModelSpec,
    user=None,
) -> AnswersSaved:
    """Save the parts of an organisation's answer for a risk that the partner gave, each based
    on the version their page showed; the rest of the answer stays as it is.

    Refused whole (nothing stored) when the workshop is not open or locked, the assessment
    published, the risk settled elsewhere or revealed in its round, or the round the page
    showed is no longer the risk's current one (RoundMovedOn).
    """
    if workshop.is_locked:
        raise WorkshopLocked(workshop)
    assessment_ensure_editable(workshop.assessment)
    if workshop.status != WorkshopStatus.OPEN:
        raise WorkshopNotOpen(workshop)
    with transaction.atomic():
        current = _locked_save_state(workshop, risk_id, organisation)
        if current.revealed:
            raise RiskRevealed(current.risk, current.number)
        if current.number != round_number:
            raise RoundMovedOn(current.risk, round_number, current.number)
        for attempt in range(3):
            try:
                return _apply(current, organisation, answers, spec, user)
            except IntegrityError:
                # Another request inserted one of the same answers first (only possible beside
                # the organisation lock, e.g. a scoring sheet): read again and compare versions.
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def _apply(
    current: _Current, organisation: Organisation, answers: list[Answer], spec, user
) -> AnswersSaved:
    """Lock the organisation's answers for the risk in its round, compare versions, write what
    changed and audit it: a handful of statements, one UPDATE per changed part."""
    key = {"round_id": current.round_id, "risk_id": current.risk.id, "organisation": organisation}
    stored = {
        s.factor_key: s
        for s in Submission.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(**key)
    }
    comment = None
    if any(answer.part == COMMENT for answer in answers):
        comment = (
            RiskComment.objects.select_for_update(of=("self",))
            .select_related("updated_by")
            .filter(**key)
            .first()
        )
    needed = {f.key for f in partner_factors(spec)}
    was_complete = needed <= set(stored)
    now = timezone.now()
    writer = _Writer(current, organisation, user, now)
    parts: dict[str, Stored] = {}
    for answer in answers:
        if answer.part == COMMENT:
            parts[COMMENT] = writer.comment(comment, answer)
        else:
            parts[answer.part] = writer.factor(stored, answer, spec.factor(answer.part))
    writer.flush()
    colleagues = sorted(
        {
            person_name(s.updated_by)
            for s in stored.values()
            if s.updated_by_id not in (None, getattr(user, "pk", None))
            and s.updated_at >= now - PRESENCE
        }
    )
    return AnswersSaved(
        risk_id=current.risk.id,
        risk_name=current.risk.name,
        round_number=current.number,
        parts=parts,
        answered=len(needed & set(stored)),
        needed=len(needed),
        was_complete=was_complete,
        colleagues=colleagues,
    )


class _Writer:
    """Decides each part against what is stored, then writes and audits it in few statements."""

    def __init__(self, current: _Current, organisation: Organisation, user, now: datetime):
        self.current, self.organisation, self.user, self.now = current, organisation, user, now
        self.creates: list[Submission] = []
        self.updates: list[Submission] = []
        self.deletes: list[int] = []
        self.changes: list[ScoreChange] = []
        self.comment_write: tuple[str, RiskComment | None, str] | None = None

    def _audit(self, factor_key: str, factor_name: str, old=None, new=None, note="") -> None:
        user = self.user
        self.changes.append(
            ScoreChange(
                assessment_id=self.current.risk.assessment_id,
                risk_id=self.current.risk.id,
                risk_name=self.current.risk.name,
                factor_key=factor_key,
                factor_name=factor_name,
                kind=ScoreKind.SUBMISSION,
                organisation=self.organisation,
                round_number=self.current.number,
                old_value=old.value if old else None,
                old_label=old.level_label if old else "",
                new_value=new.value if new else None,
                new_label=new.level_label if new else "",
                note=note,
                changed_by=user,
                changed_by_username=user.get_username() if user else "",
                changed_by_name=user.get_full_name() if user else "",
            )
        )

    def _conflict(self, part: str, row, level: str, text: str) -> Stored:
        return Stored(part, "conflict", row.version if row else 0, level, text, self._by(row))

    def _by(self, row) -> str:
        return person_name(row.updated_by) if row is not None else ""

    def factor(self, stored: dict[str, Submission], answer: Answer, factor) -> Stored:
        """A factor's level (or a challenge of one, with its reason, or its withdrawal)."""
        row = stored.get(answer.part)
        version = row.version if row else 0
        wanted = answer.level
        unchanged = (row.level_label, row.reason) == (wanted, answer.text) if row else not wanted
        if unchanged:
            return Stored(answer.part, "saved", version, wanted, answer.text, self._by(row))
        if version != answer.based_on:
            level, text = (row.level_label, row.reason) if row else ("", "")
            return self._conflict(answer.part, row, level, text)
        if not wanted:  # a challenge withdrawn
            self.deletes.append(row.pk)
            del stored[answer.part]
            self._audit(factor.key, factor.name, old=row, note="Challenge withdrawn.")
            return Stored(answer.part, "saved", 0)
        new = Submission(
            round_id=self.current.round_id,
            risk_id=self.current.risk.id,
            organisation=self.organisation,
            factor_key=factor.key,
            value=answer_value(factor, wanted),
            level_label=wanted,
            reason=answer.text,
            version=version + 1,
            updated_by=self.user,
            updated_at=self.now,
        )
        if row is None:
            self.creates.append(new)
        else:
            new.pk = row.pk
            self.updates.append(new)
        stored[answer.part] = new
        # A challenge's reason is its note; a new reason for the same level is a change too.
        same_level = row is not None and row.level_label == wanted
        note = f"Reason changed: {answer.text}" if same_level else answer.text
        self._audit(factor.key, factor.name, old=row, new=new, note=note)
        return Stored(answer.part, "saved", new.version, wanted, answer.text, self._by(new))

    def comment(self, row: RiskComment | None, answer: Answer) -> Stored:
        """The organisation's comment on the risk; an empty one removes it."""
        version = row.version if row else 0
        old, wanted = (row.text if row else ""), answer.text
        if old == wanted:
            return Stored(COMMENT, "saved", version, text=old, by=self._by(row))
        if version != answer.based_on:
            return self._conflict(COMMENT, row, "", old)
        if not wanted:
            note = f"Comment removed (it was: “{old}”)."
        elif row is None:
            note = f"Comment: “{wanted}”."
        else:
            note = f"Comment changed from “{old}” to “{wanted}”."
        self._audit(COMMENT, "Comment", note=note)
        self.comment_write = (wanted, row, note)
        return Stored(
            COMMENT, "saved", version + 1 if wanted else 0, text=wanted, by=person_name(self.user)
        )

    def flush(self) -> None:
        """Write everything decided: inserts first, in a savepoint, so losing an insert race
        leaves nothing written."""
        if self.creates:
            with transaction.atomic():
                Submission.objects.bulk_create(self.creates)
        for new in self.updates:
            Submission.objects.filter(pk=new.pk).update(
                value=new.value,
                level_label=new.level_label,
                reason=new.reason,
                version=new.version,
                updated_by=new.updated_by,
                updated_at=new.updated_at,
            )
        if self.deletes:
            Submission.objects.filter(pk__in=self.deletes).delete()
        if self.comment_write:
            self._flush_comment(*self.comment_write)
        if self.changes:
            ScoreChange.objects.bulk_create(self.changes)

    def _flush_comment(self, text: str, row: RiskComment | None, note: str) -> None:
        if not text:
            RiskComment.objects.filter(pk=row.pk).delete()
        elif row is None:
            with transaction.atomic():
                RiskComment.objects.create(
                    round_id=self.current.round_id,
                    risk_id=self.current.risk.id,
                    organisation=self.organisation,
                    text=text,
                    updated_by=self.user,
                )
        else:
            RiskComment.objects.filter(pk=row.pk).update(
                text=text, version=row.version + 1, updated_by=self.user, updated_at=self.now
            )


def answers_from_levels(
    levels: dict[str, tuple[str, str]], comment: str | None, versions: dict[str, int]
) -> list[Answer]:
    """The Answers of a whole card (factor key → (level, reason), and the comment unless None),
    each based on the version the page showed."""
    answers = [
        Answer(key, level, reason, versions.get(key, 0)) for key, (level, reason) in levels.items()
    ]
    if comment is not None:
        answers.append(Answer(COMMENT, text=comment, based_on=versions.get(COMMENT, 0)))
    return answers


__all__ = ["COMMENT", "DONT_KNOW", "Answer", "AnswersSaved", "Stored", "answers_save"]
