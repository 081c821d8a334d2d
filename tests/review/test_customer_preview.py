"""`gitcron preview` of a customer's schedules: the customer file's name and defaults show."""

from __future__ import annotations

from pathlib import Path

from .test_preview import NOW, make, preview_of
from .test_rendered import STOCK

CUSTOMER = "name: Acme Trading Ltd\nlocale: en-GB\n"


def test_the_next_run_shows_the_customer_and_what_it_gives(tmp_path: Path) -> None:
    plain = STOCK.replace('      subject: "Stock for {{ customer }} on {{ run.local_date }}"\n', "")
    files = {"schedules/acme/customer.yaml": CUSTOMER, "schedules/acme/stock.yaml": plain}
    out = preview_of(make(tmp_path, {}, files), NOW)
    assert "- customer: `Acme Trading Ltd`" in out
    assert "- email subject: `Products for Acme Trading Ltd, 23/11/2026`" in out
    assert "schedules/acme/customer.yaml" not in out  # not a schedule: neither added nor removed


def test_a_broken_customer_file_is_shown_with_its_error(tmp_path: Path) -> None:
    files = {"schedules/acme/customer.yaml": "name: Acme\nlocal: en-GB\n"}
    out = preview_of(make(tmp_path, {}, files), NOW)  # the preview reports, it does not fail
    assert "schedules/acme/customer.yaml" in out
    assert "local" in out
