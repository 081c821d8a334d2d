"""The fast path for plain addresses must never accept what email-validator rejects."""

import pytest
from email_validator import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from gitcron.config.addresses import _PLAIN, _SPECIAL, parse_email

PIECES = st.sampled_from([*"ab.-_+@xyz09", "..", ".test", ".local", ".example", "é", "@@", " "])


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join))
def test_fast_path_is_a_subset_of_email_validator(address: str) -> None:
    if _PLAIN.match(address) and address.rsplit(".", 1)[1].lower() not in _SPECIAL:
        validate_email(address, check_deliverability=False)  # raises if the fast path was wrong


@pytest.mark.parametrize("address", ["ops@printer.local", "x@y.test", "a..b@c.com"])
def test_addresses_outside_the_fast_path_still_rejected(address: str) -> None:
    with pytest.raises(ValueError, match="not an email address"):
        parse_email(address)
