"""Workshop writes: rounds, reveals, agreement and partners' submissions, safe under concurrent
saves. Reads are in `selectors`, refusals in `exceptions`."""

from __future__ import annotations

from collections.abc import Collection

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assessments.models import AssessmentStatus, Organisation, Risk, ScoreChange, ScoreKind
from assessments.scoring import ScoringModelSpec, analyst_factors
from assessments.services import (
    assessment_ensure_editable,
    assessment_freeze_model,
    assessment_spec,
    factor_score_set,
)
from workshops.exceptions import (
    RiskRevealed,
    RiskSettled,
    WorkshopHoldsWithdrawnRisks,
    WorkshopLocked,
    WorkshopNotOpen,
)
from workshops.models import RiskComment, Round, RoundRisk, Submission, Workshop, WorkshopStatus
from workshops.selectors import current_round_risk, current_round_risks, settled_risks


def workshop_ensure_editable(workshop: Workshop) -> None:
    """Refuse changes to a locked workshop or a published assessment."""
    if workshop.is_locked:
        raise WorkshopLocked(workshop)
    assessment_ensure_editable(workshop.assessment)


@transaction.atomic
def workshop_first_round(*, workshop: Workshop) -> Round:
    """Round 1 of the workshop, covering all its risks (created on first use)."""
    round_one, created = Round.objects.get_or_create(workshop=workshop, number=1)
    if created:
        RoundRisk.objects.bulk_create(
            [RoundRisk(round=round_one, risk=risk) for risk in workshop.risks.all()],
            ignore_conflicts=True,
        )
    return round_one


def submission_record(
    *,
    round: Round,
    risk: Risk,
    organisation: Organisation,
    factor_key: str,
    level_label: str,
    reason: str = "",
    user=None,
) -> Submission:
    """Save an organisation's level for a factor of a risk in a round, auditing any change."""
    return submissions_record(
        round=round,
        risk=risk,
        organisation=organisation,
        levels={factor_key: (level_label, reason)},
        user=user,
    )[factor_key]


def submissions_record(
    *,
    round: Round,
    risk: Risk,
    organisation: Organisation,
    levels: dict[str, tuple[str, str]],
    withdraw: Collection[str] = (),
    user=None,
) -> dict[str, Submission]:
    """Save an organisation's levels (factor key → (label, reason)) for a risk in a round, and
    delete its submissions for the factors in `withdraw` that `levels` leaves out.

    Two people of the same organisation share one submission per factor; concurrent saves
    serialise on the rows (or retry after losing an insert race), so no update is lost and none
    errors. Every changed or withdrawn value is recorded in the audit trail.
    """
    workshop = round.workshop
    workshop_ensure_editable(workshop)
    spec = _frozen_spec(workshop)
    wanted = {
        key: (spec.factor(key).level(label), reason) for key, (label, reason) in levels.items()
    }
    withdrawn = [key for key in withdraw if key not in wanted]
    names = {factor.key: factor.name for factor in spec.factors}  # for the audit trail
    # No savepoint of its own inside a caller's transaction: only the insert needs one.
    with transaction.atomic(savepoint=False):
        for attempt in range(3):
            try:
                return _submissions_upsert(
                    round, risk, organisation, wanted, withdrawn, user, names
                )
            except IntegrityError:
                # Another request inserted one of the same submissions first (nothing else was
                # written yet); read again under the lock and update theirs instead.
                if attempt == 2:
                    raise
    raise AssertionError("unreachable")


def _frozen_spec(workshop: Workshop) -> ScoringModelSpec:
    """The assessment's frozen model; freezing takes a row lock, so skip it once frozen."""
    assessment = workshop.assessment
    if assessment.scoring_spec:
        return assessment_spec(assessment)
    return assessment_freeze_model(assessment=assessment)


def _submissions_upsert(
    round, risk, organisation, wanted, withdrawn, user, factor_names
) -> dict[str, Submission]:
    """A handful of queries (one update per changed factor): lock, insert, update, delete, audit.

    The insert comes first, in a savepoint, so losing an insert race leaves nothing written.
    """
    key = {"round": round, "risk": risk, "organisation": organisation}
    existing = {
        s.factor_key: s
        for s in Submission.objects.select_for_update().filter(
            **key, factor_key__in=[*wanted, *withdrawn]
        )
    }
    now = timezone.now()
    changes, to_update, to_create = [], [], []

    def audit(factor_key, old: Submission | None, new_value=None, new_label="", note=""):
        changes.append(
            ScoreChange(
                assessment_id=risk.assessment_id,
                risk=risk,
                factor_key=factor_key,
                factor_name=factor_names[factor_key],
                kind=ScoreKind.SUBMISSION,
                organisation=organisation,
                round_number=round.number,
                old_value=old.value if old else None,
                old_label=old.level_label if old else "",
                new_value=new_value,
                new_label=new_label,
                note=note,
                changed_by=user,
            )
        )

    for factor_key, (level, reason) in wanted.items():
        submission = existing.get(factor_key)
        if submission is None or submission.value != level.value:
            audit(factor_key, submission, level.value, level.label, reason)
        if submission is None:
            submission = Submission(
                **key,
                factor_key=factor_key,
                value=level.value,
                level_label=level.label,
                reason=reason,
                updated_by=user,
                updated_at=now,
            )
            to_create.append(submission)
        elif (submission.value, submission.level_label, submission.reason) != (
            level.value,
            level.label,
            reason,
        ) or submission.updated_by_id != getattr(user, "pk", None):
            submission.value, submission.level_label = level.value, level.label
            submission.reason, submission.updated_by, submission.updated_at = reason, user, now
            to_update.append(submission)
        existing[factor_key] = submission
    gone = [existing.pop(factor_key) for factor_key in withdrawn if factor_key in existing]
    for submission in gone:
        audit(submission.factor_key, submission, note="Challenge withdrawn.")
    if to_create:
        with transaction.atomic():
            Submission.objects.bulk_create(to_create)
    # One plain UPDATE per changed factor (at most the model's few partner factors): half the
    # time of bulk_update's CASE WHEN statement, which Django is slow to build.
    for submission in to_update:
        Submission.objects.filter(pk=submission.pk).update(
            value=submission.value,
            level_label=submission.level_label,
            reason=submission.reason,
            updated_by=submission.updated_by,
            updated_at=submission.updated_at,
        )
    if gone:
        Submission.objects.filter(pk__in=[submission.pk for submission in gone]).delete()
    if changes:
        ScoreChange.objects.bulk_create(changes)
    return existing


# --- Running a workshop -----------------------------------------------------------------------


@transaction.atomic
def workshop_create(
    *,
    assessment,
    title: str,
    date=None,
    risks=(),
    organisations=(),
    participants=(),
    named_display: bool = False,
    user=None,
) -> Workshop:
    """A draft workshop for some of an assessment's risks, inviting organisations and people.

    Risks settled in a locked workshop are refused: nothing can change them any more.
    """
    assessment_ensure_editable(assessment)
    settled = settled_risks(assessment=assessment, risk_ids=[risk.pk for risk in risks])
    if settled:
        raise RiskSettled([(risk.name, settled[risk.pk]) for risk in risks if risk.pk in settled])
    workshop = Workshop.objects.create(
        assessment=assessment,
        title=title,
        date=date,
        named_display=named_display,
        created_by=user,
    )
    workshop.risks.set(risks)
    workshop.organisations.set(organisations)
    workshop.participants.set(participants)
    return workshop


def _locked_workshop(workshop: Workshop) -> Workshop:
    """Re-read the workshop under a row lock so status changes serialise."""
    locked = Workshop.objects.select_for_update().select_related("assessment").get(pk=workshop.pk)
    workshop_ensure_editable(locked)
    return locked


@transaction.atomic
def workshop_open(*, workshop: Workshop, user=None) -> Round:
    """Open the workshop: freeze the scoring model and start round 1 for all its risks."""
    locked = _locked_workshop(workshop)
    if locked.status == WorkshopStatus.DRAFT and (
        withdrawn := list(
            locked.risks.filter(withdrawn_at__isnull=False).values_list("name", flat=True)
        )
    ):
        raise WorkshopHoldsWithdrawnRisks(withdrawn)
    assessment_freeze_model(assessment=locked.assessment)
    if locked.status == WorkshopStatus.DRAFT:
        locked.status, locked.opened_at = WorkshopStatus.OPEN, timezone.now()
        locked.save(update_fields=["status", "opened_at"])
        assessment = locked.assessment
        if assessment.status == AssessmentStatus.DRAFT:
            assessment.status = AssessmentStatus.WORKSHOP
            assessment.save(update_fields=["status"])
    workshop.status, workshop.opened_at = locked.status, locked.opened_at
    return workshop_first_round(workshop=locked)


@transaction.atomic
def workshop_lock(*, workshop: Workshop, user=None) -> None:
    """Lock the workshop; afterwards no submission, reveal, round or agreed value changes."""
    locked = _locked_workshop(workshop)
    locked.status, locked.locked_at = WorkshopStatus.LOCKED, timezone.now()
    locked.save(update_fields=["status", "locked_at"])
    workshop.status, workshop.locked_at = locked.status, locked.locked_at


def _ensure_open(workshop: Workshop) -> None:
    workshop_ensure_editable(workshop)
    if workshop.status != WorkshopStatus.OPEN:
        raise WorkshopNotOpen(workshop)


def _share_lock_suffix() -> str:
    return " FOR SHARE" if connection.vendor == "postgresql" else ""


def _workshops_holding(workshop: Workshop, risk_id: int) -> list[tuple[int, str, str]]:
    """(id, status, title) of the workshop and of every other workshop holding the risk.

    On PostgreSQL the rows are share-locked, so a concurrent lock of any of them waits for this
    transaction, and their statuses are read as of after any lock that was in progress.
    """
    sql = f"""
        SELECT w.id, w.status, w.title FROM {Workshop._meta.db_table} w
        WHERE w.id = %s OR w.id IN (
            SELECT wr.workshop_id FROM {Workshop.risks.through._meta.db_table} wr
            WHERE wr.risk_id = %s)
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql + _share_lock_suffix(), [workshop.pk, risk_id])
        return list(cursor.fetchall())


def _refuse_if_settled_elsewhere(workshop: Workshop, risk: Risk) -> None:
    """Refuse a change to a risk that another, locked workshop settled."""
    settled = [
        (risk.name, title)
        for pk, status, title in _workshops_holding(workshop, risk.pk)
        if pk != workshop.pk and status == WorkshopStatus.LOCKED
    ]
    if settled:
        raise RiskSettled(settled[:1])


def _recheck_save_allowed(workshop: Workshop, round_risk: RoundRisk, organisation) -> None:
    """Inside a save, re-read what may have changed since the request began: the workshop's
    status, whether another workshop holding the risk was locked, and whether the risk was
    revealed in its round. Two queries.

    On PostgreSQL the first query share-locks the workshops, so a concurrent lock or reveal
    waits for the save (partners' saves share the locks, so they never queue on each other),
    and it locks the organisation's row, so two people of one organisation save one after the
    other: each save then reads its colleague's committed answer whole, challenges included.
    The reveal is read by a second statement, after the locks, so it is never read stale.
    (SQLite's immediate transactions already run one write at a time.)
    """
    locks = ""
    if connection.vendor == "postgresql":
        locks = " FOR SHARE OF w FOR NO KEY UPDATE OF o"
    sql = f"""
        SELECT w.id, w.status, w.title
        FROM {Workshop._meta.db_table} w, {Organisation._meta.db_table} o
        WHERE o.id = %s AND (w.id = %s OR w.id IN (
            SELECT wr.workshop_id FROM {Workshop.risks.through._meta.db_table} wr
            WHERE wr.risk_id = %s))
    """  # noqa: S608 - table names from the models, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql + locks, [organisation.pk, workshop.pk, round_risk.risk_id])
        rows = cursor.fetchall()
        own = next((row for row in rows if row[0] == workshop.pk), None)
        if own is None or own[1] != WorkshopStatus.OPEN:
            workshop.status = own[1] if own else workshop.status
            workshop_ensure_editable(workshop)
            raise WorkshopNotOpen(workshop)
        risk = round_risk.risk
        settled = [(risk.name, t) for _, status, t in rows if status == WorkshopStatus.LOCKED]
        if settled:
            raise RiskSettled(settled[:1])
        cursor.execute(
            f"SELECT revealed_at FROM {RoundRisk._meta.db_table} WHERE id = %s",  # noqa: S608
            [round_risk.pk],
        )
        if cursor.fetchone()[0] is not None:
            raise RiskRevealed(risk, round_risk.round.number)


@transaction.atomic
def workshop_reveal(*, workshop: Workshop, risk: Risk, user=None) -> RoundRisk:
    """Reveal a risk's scores in its current round to the partners."""
    locked = _locked_workshop(workshop)
    _ensure_open(locked)
    round_risk = current_round_risks(locked).get(risk.id)
    if round_risk is None:
        raise ValueError("That risk is not part of this workshop.")
    if round_risk.revealed_at is None:
        round_risk.revealed_at = timezone.now()
        round_risk.save(update_fields=["revealed_at"])
    return round_risk


@transaction.atomic
def workshop_new_round(*, workshop: Workshop, risks, user=None) -> Round:
    """Open another round for chosen risks; earlier rounds and their submissions are kept."""
    locked = _locked_workshop(workshop)
    _ensure_open(locked)
    allowed = set(locked.risks.values_list("id", flat=True))
    chosen = [risk for risk in risks if risk.id in allowed]
    if not chosen:
        raise ValueError("Choose at least one of the workshop's risks.")
    settled = settled_risks(
        assessment=locked.assessment, risk_ids=[r.id for r in chosen], exclude_workshop=locked
    )
    if settled:
        raise RiskSettled([(r.name, settled[r.id]) for r in chosen if r.id in settled])
    last = locked.rounds.order_by("-number").values_list("number", flat=True).first() or 0
    new_round = Round.objects.create(workshop=locked, number=last + 1)
    RoundRisk.objects.bulk_create([RoundRisk(round=new_round, risk=risk) for risk in chosen])
    return new_round


@transaction.atomic
def workshop_agree(
    *, workshop: Workshop, risk: Risk, factor_key: str, level_label: str, note: str = "", user=None
):
    """Record the level the workshop agreed for a factor of one of its risks, with a note.

    The audit trail records the risk's current round; a risk settled in another, locked
    workshop is refused.
    """
    locked = _locked_workshop(workshop)
    _ensure_open(locked)
    round_risk = current_round_risk(locked, risk.id)
    if round_risk is None:
        raise ValueError("That risk is not part of this workshop.")
    _refuse_if_settled_elsewhere(locked, risk)
    return factor_score_set(
        risk=risk,
        factor_key=factor_key,
        kind=ScoreKind.AGREED,
        level_label=level_label,
        note=note,
        user=user,
        round_number=round_risk.round.number,
    )


def risk_scores_save(
    *,
    workshop: Workshop,
    risk: Risk,
    organisation: Organisation,
    levels: dict[str, tuple[str, str]],
    comment: str = "",
    user=None,
    round_risk: RoundRisk | None = None,
) -> Round:
    """Save an organisation's whole answer for a risk (factor key → (label, reason)), all or
    nothing: challenges of harm or likelihood that `levels` leaves out are withdrawn, and an
    empty comment removes the organisation's comment.

    Scores go into the risk's current round (`round_risk`, if the caller has already read it
    with `current_round_risk`). Refused once the facilitator has revealed the risk in that round
    (RiskRevealed), or once another, locked workshop has settled it (RiskSettled).
    """
    _ensure_open(workshop)
    if round_risk is None or round_risk.risk_id != risk.id:
        round_risk = current_round_risk(workshop, risk.id)
    if round_risk is None:
        raise ValueError("That risk is not part of this workshop.")
    if getattr(round_risk, "settled_in", None):
        raise RiskSettled([(risk.name, round_risk.settled_in)])
    if round_risk.revealed_at is not None:
        raise RiskRevealed(risk, round_risk.round.number)
    round_risk.round.workshop = workshop  # spare a query per factor
    round_risk.risk = risk
    spec = _frozen_spec(workshop)
    withdraw = [f.key for f in analyst_factors(spec) if f.key not in levels]
    with transaction.atomic():
        _recheck_save_allowed(workshop, round_risk, organisation)
        submissions_record(
            round=round_risk.round,
            risk=risk,
            organisation=organisation,
            levels=levels,
            withdraw=withdraw,
            user=user,
        )
        key = {"round": round_risk.round, "risk": risk, "organisation": organisation}
        if comment.strip():
            # One upsert statement: this runs on every save of a busy workshop.
            RiskComment.objects.bulk_create(
                [RiskComment(**key, text=comment.strip(), updated_by=user)],
                update_conflicts=True,
                unique_fields=["round", "organisation", "risk"],
                update_fields=["text", "updated_by", "updated_at"],
            )
        else:
            RiskComment.objects.filter(**key).delete()
    return round_risk.round
