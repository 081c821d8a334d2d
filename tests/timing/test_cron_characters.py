"""No text in a cron field makes the validator raise; characters cron does not read are errors.

`str.isdigit` accepts '¹' and '٣' and `str.upper` turns a long 's' into 'S', so the field is
checked character by character before anything parses it: ASCII digits and letters and
`* , - / # ?` only.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitcron.timing import check_cron
from gitcron.timing.cronexpr import parse_cron

CRON_ALPHABET = "0123456789*,-/#?LWMONTUEDFRISAJBPYGCV"
FIELD = st.text(
    st.one_of(st.sampled_from(CRON_ALPHABET), st.characters(exclude_categories=("Cs",))),
    max_size=10,
)


@given(field=FIELD, position=st.integers(0, 4))
@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_field_text_makes_the_validator_raise(field: str, position: int) -> None:
    fields = ["0", "9", "*", "*", "*"]
    fields[position] = field
    verdict = check_cron(" ".join(fields))
    if verdict.error is None:
        assert all(char.isascii() or char.isspace() for char in field)  # spaces split fields
        parse_cron(" ".join(fields))  # what the validator accepts, the engine can run
    else:
        assert verdict.hint


@pytest.mark.parametrize(
    ("expr", "error"),
    [
        ("¹ 9 * * *", "the minute field '¹' has the character '¹' (U+00B9 SUPERSCRIPT ONE)"),
        ("0 9 * * 1#¹", "the day-of-week field '1#¹' has the character '¹'"),
        ("0 9 * * 1-\u0663", "the day-of-week field '1-\u0663' has the character '\u0663'"),
        ("0 9 * \u017fep *", "the month field '\u017fep' has the character '\u017f'"),
        ("0 9 \u00df * *", "the day-of-month field '\u00df' has the character '\u00df'"),
        ("0 9 * * MON\u200b", "the day-of-week field 'MON\u200b' has the character '\u200b'"),
    ],
)
def test_characters_cron_does_not_read(expr: str, error: str) -> None:
    verdict = check_cron(expr)
    assert verdict.error is not None
    assert verdict.error.startswith(error)
    assert verdict.error.endswith(", which cron does not read")
    assert verdict.hint is not None
    assert verdict.hint.startswith("retype the field on the keyboard")


def test_ascii_letters_keep_their_messages() -> None:
    assert check_cron("x 9 * * *").error == "the minute field 'X' is not a number"
