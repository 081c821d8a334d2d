"""The fast path for plain addresses must never accept what email-validator rejects."""

from email_validator import validate_email
from hypothesis import given, settings
from hypothesis import strategies as st

from gitcron.config.addresses import _PLAIN, _SPECIAL, parse_email

PIECES = st.sampled_from([*"ab.-_+@xyz09", "..", ".test", ".local", ".example", "é", "@@", " "])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join))
def test_fast_path_is_a_subset_of_email_validator(address: str) -> None:
    if _PLAIN.match(address) and address.rsplit(".", 1)[1].lower() not in _SPECIAL:
        validate_email(address, check_deliverability=False)  # raises if the fast path was wrong


def test_special_use_domains_still_rejected() -> None:
    for address in ("ops@printer.local", "x@y.test"):
        try:
            parse_email(address)
        except Exception as error:  # pydantic's custom error
            assert "not an email address" in str(error)
        else:
            raise AssertionError(f"{address} was accepted")
