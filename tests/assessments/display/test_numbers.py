"""Numbers with thousands separators and a true minus sign."""

from decimal import Decimal

from assessments.display.numbers import format_number
from tests.assessments.display.samples import MINUS


def test_numbers_are_formatted_with_separators_and_a_true_minus_sign():
    assert format_number(23024) == "23,024"
    assert format_number(-602) == f"{MINUS}602"
    assert format_number(Decimal("0.74")) == "0.74"
    assert format_number(Decimal("-0.0")) == "0.0"
    assert format_number(2.5) == "2.5"
