"""benchmarks/workshop_load.py: its `lost` count when colleagues' saves of one answer race."""

from benchmarks.workshop_load import Save, count_lost

ORG, RISK = 1, 10
ANSWER_A = {"confidence": "High", "capacity": "Weak"}
ANSWER_B = {"confidence": "Low", "capacity": "Strong", "physical": "Critical"}


def _save(comment, levels, started, answered, acknowledged=True):
    return Save(ORG, RISK, levels, comment, started, answered, acknowledged)


def _chains(*changes):
    """Audit chains of one organisation and risk from (factor, old, new) changes in order."""
    chains = {}
    for factor, old, new in changes:
        chains.setdefault((ORG, RISK, factor), []).append((old, new))
    return chains


A_THEN_B = _chains(
    ("confidence", "", "High"),
    ("capacity", "", "Weak"),
    ("confidence", "High", "Low"),
    ("capacity", "Weak", "Strong"),
    ("physical", "", "Critical"),
)


def test_overlapping_colleagues_lose_nothing_whichever_committed_last():
    # Two people of one organisation send at the same moment; either may commit last.
    saves = [_save("a", ANSWER_A, 0.0, 0.2), _save("b", ANSWER_B, 0.1, 0.3)]
    assert count_lost(saves, {(ORG, RISK): ("b", ANSWER_B)}, A_THEN_B) == 0
    b_then_a = _chains(
        ("confidence", "", "Low"),
        ("capacity", "", "Strong"),
        ("physical", "", "Critical"),
        ("confidence", "Low", "High"),
        ("capacity", "Strong", "Weak"),
        ("physical", "Critical", ""),
    )
    assert count_lost(saves, {(ORG, RISK): ("a", ANSWER_A)}, b_then_a) == 0


def test_an_earlier_save_stored_over_a_later_one_is_lost():
    # B was sent after A was answered, so B committed last; holding A loses B's three values.
    saves = [_save("a", ANSWER_A, 0.0, 0.1), _save("b", ANSWER_B, 0.2, 0.3)]
    assert (
        count_lost(
            saves,
            {(ORG, RISK): ("a", ANSWER_A)},
            _chains(("confidence", "", "High"), ("capacity", "", "Weak")),
        )
        == 3
    )


def test_a_half_written_answer_is_lost():
    # B's levels with A's withdrawn challenge missing: one value is not as B left it.
    saves = [_save("a", ANSWER_A, 0.0, 0.1), _save("b", ANSWER_B, 0.2, 0.3)]
    half = {"confidence": "Low", "capacity": "Strong"}
    assert count_lost(saves, {(ORG, RISK): ("b", half)}, A_THEN_B) == 2  # value + audit end


def test_a_change_missing_from_the_audit_trail_is_lost():
    saves = [_save("a", ANSWER_A, 0.0, 0.1), _save("b", ANSWER_B, 0.2, 0.3)]
    gap = _chains(
        ("confidence", "", "High"),
        ("capacity", "", "Weak"),
        ("confidence", "Medium", "Low"),  # the change High → Medium was never recorded
        ("capacity", "Weak", "Strong"),
        ("physical", "", "Critical"),
    )
    assert count_lost(saves, {(ORG, RISK): ("b", ANSWER_B)}, gap) == 1


def test_an_unacknowledged_save_may_be_the_one_stored():
    # The answer to C never arrived, but C may well have committed after B.
    saves = [_save("b", ANSWER_B, 0.0, 0.1), _save("c", ANSWER_A, 0.2, 0.3, acknowledged=False)]
    chains = _chains(
        ("confidence", "", "Low"),
        ("capacity", "", "Strong"),
        ("physical", "", "Critical"),
        ("confidence", "Low", "High"),
        ("capacity", "Strong", "Weak"),
        ("physical", "Critical", ""),
    )
    assert count_lost(saves, {(ORG, RISK): ("c", ANSWER_A)}, chains) == 0
