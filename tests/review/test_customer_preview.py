"""`gitcron preview` of a customer's schedules: the customer file's name and defaults show."""

from __future__ import annotations

import json
from pathlib import Path

from .test_preview import NOW, make, preview_of
from .test_rendered import STOCK

CUSTOMER = "name: Acme Trading Ltd\nlocale: en-GB\n"


def test_the_next_run_shows_the_customer_and_what_it_gives(tmp_path: Path) -> None:
    plain = STOCK.replace('      subject: "Stock for {{ customer }} on {{ run.local_date }}"\n', "")
    files = {"schedules/acme/customer.yaml": CUSTOMER, "schedules/acme/stock.yaml": plain}
    out = preview_of(make(tmp_path, {}, files), NOW)
    assert "- customer: `Acme Trading Ltd`" in out
    assert "- email subject: `Products for Acme Trading Ltd, 23 November 2026`" in out
    # not a schedule: neither added nor removed (its own section says what it gives)
    assert "`acme/customer`" not in out
    assert "### Customer file: `schedules/acme/customer.yaml`" in out


def test_a_broken_customer_file_is_shown_with_its_error(tmp_path: Path) -> None:
    files = {"schedules/acme/customer.yaml": "name: Acme\nlocal: en-GB\n"}
    out = preview_of(make(tmp_path, {}, files), NOW)  # the preview reports, it does not fail
    assert "schedules/acme/customer.yaml" in out
    assert "local" in out


# a customer folder: one schedule takes everything from the customer file, one names its own zone
OLD_CUSTOMER = """\
name: Acme Trading Ltd
timezone: Europe/London
to: [buying@acme.example]
sender_name: Our Co Reports
locale: en-GB
"""
NEW_CUSTOMER = """\
name: Acme Trading Group
timezone: America/New_York
to: [orders@acme.example, buying@acme.example]
sender_name: Our Co for Acme
locale: en-US
"""
INHERITS = """\
schedule:
  weekly: { on: monday, at: "09:00" }
report: { dataset: products, params: { customer: acme }, format: csv }
deliver:
  - email: {}
"""
OWN_ZONE = """\
timezone: Asia/Tokyo
schedule:
  daily: { at: "07:00" }
report: { dataset: products, params: { customer: acme }, format: xlsx }
deliver:
  - email: { to: [tokyo@acme.example] }
"""
FOLDER = {
    "schedules/acme/customer.yaml": OLD_CUSTOMER,
    "schedules/acme/weekly.yaml": INHERITS,
    "schedules/acme/tokyo.yaml": OWN_ZONE,
    "schedules/other/weekly.yaml": INHERITS.replace("email: {}", "email: { to: [x@o.example] }"),
}


def section(out: str, heading: str) -> str:
    """The text under one `### ` heading, up to the next."""
    start = out.index(heading)
    end = out.find("\n### ", start + 1)
    return out[start : end if end != -1 else None]


def test_a_changed_customer_file_lists_each_of_its_schedules(tmp_path: Path) -> None:
    repo = make(tmp_path, FOLDER, {"schedules/acme/customer.yaml": NEW_CUSTOMER})
    out = preview_of(repo, NOW)
    assert "2 changed." in out  # acme's two schedules; the other customer's is untouched
    assert "other/weekly" not in out

    customer = section(out, "### Customer file: `schedules/acme/customer.yaml`")
    assert "Its schedules inherit this change, each shown below: `acme/tokyo`, `acme/weekly`." in (
        customer
    )
    assert "| customer.name | `Acme Trading Ltd` | `Acme Trading Group` |" in customer
    assert "| customer.timezone | `Europe/London` | `America/New_York` |" in customer

    weekly = section(out, "### Changed: `acme/weekly`")
    assert "Changed through its customer file `schedules/acme/customer.yaml`." in weekly
    assert (
        "| when | at 09:00 every Monday, Europe/London | at 09:00 every Monday, America/New_York |"
        in weekly
    )
    assert (
        "| deliver | email to `buying@acme.example` |"
        " email to `orders@acme.example` and `buying@acme.example` |" in weekly
    )
    assert "| customer.sender_name | `Our Co Reports` | `Our Co for Acme` |" in weekly
    assert "| customer.locale | `en-GB` | `en-US` |" in weekly
    # the next fires in the customer's new zone and in UTC, and what the next run renders
    assert "| 1 | Mon 2026-11-23 09:00 EST | 2026-11-23 14:00 |  |" in weekly
    assert "| email subject | `Products for Acme Trading Ltd, 23 November 2026` |" in weekly
    assert "`Products for Acme Trading Group, November 23, 2026` |" in weekly
    assert "- email subject: `Products for Acme Trading Group, November 23, 2026`" in weekly

    tokyo = section(out, "### Changed: `acme/tokyo`")
    assert "Changed through its customer file" in tokyo
    assert "| when |" not in tokyo  # it names its own zone and recipients: those stay
    assert "| deliver |" not in tokyo
    assert "| customer.name | `Acme Trading Ltd` | `Acme Trading Group` |" in tokyo
    assert "| 1 | Mon 2026-11-23 07:00 JST | 2026-11-22 22:00 |  |" in tokyo


def test_the_json_preview_says_what_each_schedule_inherits(tmp_path: Path) -> None:
    repo = make(tmp_path, FOLDER, {"schedules/acme/customer.yaml": NEW_CUSTOMER})
    found = json.loads(preview_of(repo, NOW, "--format", "json"))
    assert found["customers"][0]["file"] == "schedules/acme/customer.yaml"
    assert found["customers"][0]["schedules"] == ["acme/tokyo", "acme/weekly"]
    weekly = next(c for c in found["changes"] if c["id"] == "acme/weekly")
    assert weekly["kind"] == "changed"
    assert weekly["inherits"] == "schedules/acme/customer.yaml"
    assert weekly["after"]["timezone"] == "America/New_York"
    assert weekly["before"]["timezone"] == "Europe/London"
    assert weekly["next_run"]["local"] == "2026-11-23T09:00:00-05:00"
    assert weekly["next_run"]["utc"] == "2026-11-23T14:00:00+00:00"


def test_a_customer_file_changed_only_in_comments_changes_no_schedule(tmp_path: Path) -> None:
    repo = make(tmp_path, FOLDER, {"schedules/acme/customer.yaml": "# ours\n" + OLD_CUSTOMER})
    out = preview_of(repo, NOW)
    assert "No schedule changes." in out
    assert "acme/weekly" not in out


def test_an_edited_schedule_is_compared_with_its_customer_file(tmp_path: Path) -> None:
    """Its old version inherits too: the preview shows the edit, not the inherited values as
    if they were new."""
    edited = INHERITS.replace('"09:00"', '"10:00"')
    out = preview_of(make(tmp_path, FOLDER, {"schedules/acme/weekly.yaml": edited}), NOW)
    assert (
        "| when | at 09:00 every Monday, Europe/London | at 10:00 every Monday, Europe/London |"
        in out
    )
    assert "| deliver |" not in out
    assert "Changed through" not in out


def test_a_broken_customer_file_is_shown_at_its_line_and_its_schedules_with_it(
    tmp_path: Path,
) -> None:
    broken = OLD_CUSTOMER.replace("timezone: Europe/London", "timezone: Europe/Londn")
    out = preview_of(make(tmp_path, FOLDER, {"schedules/acme/customer.yaml": broken}), NOW)
    assert "3 invalid." in out  # the customer file and both of its schedules
    assert "schedules/acme/customer.yaml:2:11: error: timezone:" in out
    weekly = section(out, "### Invalid: `acme/weekly`")
    assert "`schedules/acme/weekly.yaml` (through `schedules/acme/customer.yaml`)" in weekly
    assert "its customer file schedules/acme/customer.yaml has errors" in weekly
    assert "other/weekly" not in out


def test_a_new_customer_file_reaches_the_folders_schedules(tmp_path: Path) -> None:
    base = {k: v for k, v in FOLDER.items() if not k.endswith("customer.yaml")}
    base["schedules/acme/weekly.yaml"] = INHERITS.replace(
        "email: {}", "email: { to: [buying@acme.example] }"
    )
    out = preview_of(make(tmp_path, base, {"schedules/acme/customer.yaml": NEW_CUSTOMER}), NOW)
    weekly = section(out, "### Changed: `acme/weekly`")
    assert "| when | at 09:00 every Monday, UTC | at 09:00 every Monday, America/New_York |" in (
        weekly
    )
    assert "| customer.name | (not set) | `Acme Trading Group` |" in weekly


def test_a_deleted_customer_file_takes_back_what_it_gave(tmp_path: Path) -> None:
    repo = make(tmp_path, FOLDER, {"schedules/acme/customer.yaml": None})
    out = preview_of(repo, NOW)
    # without the customer's recipients the inheriting schedule names no one: invalid, at its line
    weekly = section(out, "### Invalid: `acme/weekly`")
    assert "(through `schedules/acme/customer.yaml`)" in weekly
    assert "schedules/acme/weekly.yaml:5:" in weekly
    tokyo = section(out, "### Changed: `acme/tokyo`")
    assert "| customer.name | `Acme Trading Ltd` | (not set) |" in tokyo


def test_a_schedule_added_beside_a_changed_customer_file_is_added(tmp_path: Path) -> None:
    pr = {"schedules/acme/customer.yaml": NEW_CUSTOMER, "schedules/acme/new.yaml": INHERITS}
    out = preview_of(make(tmp_path, FOLDER, pr), NOW)
    assert "2 changed, 1 added" in out or "1 added, 2 changed" in out
    added = section(out, "### Added: `acme/new`")
    assert "Changed through" not in added
    assert "America/New_York" in added
