"""Phone numbers as people write them: checked loosely, never reformatted."""

import pytest

from planner.core.phones import phone_is_valid


@pytest.mark.parametrize("text", ["", "+81 53 000 0000", "+91-79-2658-0000", "(053) 000-0000", "079 2658 0000 ext. 12",
                                  "０５３−０００−００００", "+81 3 0000 0000 内線 204", "053.000.0000", "+91 98765 43210 x9"])
def test_numbers_as_written_pass(text):
    assert phone_is_valid(text)


@pytest.mark.parametrize("text", ["ask reception", "suzuki@example.jp", "12345", "+81 53 000 0000 (mobile)", "--"])
def test_what_is_no_number_is_refused(text):
    assert not phone_is_valid(text)
