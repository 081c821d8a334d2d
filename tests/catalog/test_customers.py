"""Customer files: read beside the schedules, inherited by them, checked at file:line:col."""

from __future__ import annotations

from pathlib import Path

from gitcron.catalog.cache import load_views
from gitcron.catalog.load import load
from gitcron.channels.email.message import build_message
from gitcron.config.customer import CustomerName
from gitcron.engine.executor import delivery_context
from gitcron.jobs.base import Artifact
from gitcron.jobs.context import template_context
from jobs.helpers import run_info
from support import GOOD, NOW, utc, variant

NO_ZONE = variant("timezone: Europe/London\n", "")
NO_TO = variant("  - email: { to: [buyer@example.com] }\n", '  - email: { subject: "Hi" }\n')
ACME = """\
name: Acme Trading Ltd
timezone: Asia/Tokyo
to: [buyers@acme.example]
reply_to: jane.doe@ourco.example
sender_name: Our Co for Acme
locale: en-GB
"""


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_a_customer_file_is_no_schedule_and_its_schedules_inherit(empty_repo: Path) -> None:
    write(empty_repo, "schedules/acme/customer.yaml", ACME)
    write(empty_repo, "schedules/acme/zone.yaml", NO_ZONE)
    write(empty_repo, "schedules/acme/own.yaml", GOOD)
    write(empty_repo, "schedules/acme/to.yaml", NO_TO)
    catalog = load(empty_repo, utc(NOW))
    assert catalog.problems == []
    by_id = {entry.id: entry.schedule for entry in catalog.entries}
    assert sorted(by_id) == ["acme/own", "acme/to", "acme/zone"]  # no acme/customer
    zone, own, to = by_id["acme/zone"], by_id["acme/own"], by_id["acme/to"]
    assert zone is not None
    assert own is not None
    assert to is not None
    assert zone.timezone == "Asia/Tokyo"
    assert own.timezone == "Europe/London"  # what a schedule says wins
    assert to.deliver[0].email is not None
    assert list(to.deliver[0].email.to) == ["buyers@acme.example"]
    assert zone.customer_file is not None
    assert zone.customer_file.name == "Acme Trading Ltd"


def test_errors_are_at_file_line_col_and_stay_in_their_folder(empty_repo: Path) -> None:
    write(empty_repo, "schedules/acme/customer.yaml", "name: Acme\ntimezone: Paris\nlocal: en-GB\n")
    write(empty_repo, "schedules/acme/weekly.yaml", GOOD)
    write(empty_repo, "schedules/globex/weekly.yaml", GOOD)
    catalog = load(empty_repo, utc(NOW))
    found = sorted((p.file, p.line, p.col, p.where) for p in catalog.problems)
    assert found == [
        ("schedules/acme/customer.yaml", 2, 11, "timezone"),
        ("schedules/acme/customer.yaml", 3, 1, "local"),
        ("schedules/acme/weekly.yaml", 0, 0, ""),
    ]
    [schedule] = [p for p in catalog.problems if p.file == "schedules/acme/weekly.yaml"]
    assert "schedules/acme/customer.yaml has errors" in schedule.message
    [zone] = [p for p in catalog.problems if p.where == "timezone"]
    assert zone.hint == "did you mean 'Europe/Paris'?"
    [globex] = [e for e in catalog.entries if e.id == "globex/weekly"]
    assert globex.ok  # another customer's schedules never notice


def test_the_fingerprint_and_the_parse_cache_follow_the_customer_file(empty_repo: Path) -> None:
    write(empty_repo, "schedules/acme/customer.yaml", ACME)
    write(empty_repo, "schedules/acme/zone.yaml", NO_ZONE)
    cache = empty_repo / "cache"
    [before] = load_views(empty_repo, utc(NOW), cache).views
    write(empty_repo, "schedules/acme/customer.yaml", ACME.replace("Asia/Tokyo", "Europe/Oslo"))
    after = load_views(empty_repo, utc(NOW), cache)
    assert after.stats.parsed == 1  # not taken from the cache: what it inherits changed
    [view] = after.views
    assert (before.zone, view.zone) == ("Asia/Tokyo", "Europe/Oslo")
    assert before.fingerprint != view.fingerprint  # the tick re-anchors it, as for its own edit


def test_templates_and_emails_speak_of_the_customer_by_name(empty_repo: Path) -> None:
    write(empty_repo, "schedules/acme/customer.yaml", ACME)
    write(empty_repo, "schedules/acme/to.yaml", NO_TO.replace('subject: "Hi"', "attach: false"))
    catalog = load(empty_repo, utc(NOW))
    [entry] = catalog.entries
    schedule = entry.schedule
    assert schedule is not None
    run = run_info("acme/to@2026-11-23T14:00:00Z", zone="Asia/Tokyo")
    context = template_context(run, schedule, catalog.settings)
    customer = context["customer"]
    assert isinstance(customer, CustomerName)
    assert (str(customer), customer.name, customer.locale) == ("acme", "Acme Trading Ltd", "en-GB")
    artifact = Artifact("to-2026-11-23.csv", "text/csv", body=b"", rows=0, title="Products")
    ctx = delivery_context(run, schedule, catalog.settings, artifact, empty_repo, None, {})
    message = build_message(schedule.deliver[0].email, ctx)  # type: ignore[arg-type]
    assert message["From"] == "Our Co for Acme <reports@ourco.example>"
    assert message["Reply-To"] == "jane.doe@ourco.example"
    assert message["To"] == "buyers@acme.example"
    assert message["Subject"] == "Products, 23 November 2026"  # en-GB, the day in Tokyo (23:00)


def test_a_warm_load_keeps_a_customer_file_s_problems_without_checking_it(
    empty_repo: Path,
) -> None:
    """The parse cache keeps each customer file's problems by the digest of its bytes: a warm
    tick reports them as a fresh load does, without reading its YAML again."""
    from gitcron.catalog import customers

    write(empty_repo, "schedules/acme/customer.yaml", "name: Acme\ntimezone: Paris\n")
    write(empty_repo, "schedules/acme/zone.yaml", NO_ZONE)
    write(empty_repo, "schedules/globex/customer.yaml", ACME)
    write(empty_repo, "schedules/globex/weekly.yaml", GOOD)
    cache = empty_repo / "cache"
    fresh = load_views(empty_repo, utc(NOW), cache)
    customers._READ.clear()  # the per-process memo: a warm tick starts without it
    warm = load_views(empty_repo, utc(NOW), cache)
    assert not customers._READ  # no customer file was read and checked
    assert warm.invalid == fresh.invalid
    assert [e.file for e in warm.invalid] == [
        "schedules/acme/customer.yaml",
        "schedules/acme/zone.yaml",
    ]
    assert [v.id for v in warm.views] == ["globex/weekly"]
    write(empty_repo, "schedules/acme/customer.yaml", ACME)  # fixed: checked again, no problems
    fixed = load_views(empty_repo, utc(NOW), cache)
    assert fixed.invalid == []
    assert [v.id for v in fixed.views] == ["acme/zone", "globex/weekly"]
    write(empty_repo, "schedules/acme/customer.yaml", "name: [\n")  # broken again
    broken_again = load_views(empty_repo, utc(NOW), cache)
    assert broken_again.invalid[0].file == "schedules/acme/customer.yaml"
    assert broken_again.invalid[0].problems


def test_a_customer_file_added_or_removed_makes_the_parse_cache_read_its_folder_again(
    empty_repo: Path,
) -> None:
    """A folder without a customer file is keyed as such from the walk of schedules/; the file
    appearing (or going) changes what its schedules inherit, so they are read again."""
    write(empty_repo, "schedules/acme/zone.yaml", NO_ZONE)
    write(empty_repo, "schedules/globex/weekly.yaml", GOOD)
    cache = empty_repo / "cache"
    first = load_views(empty_repo, utc(NOW), cache)
    assert [v.zone for v in first.views] == ["UTC", "Europe/London"]  # gitcron.yaml's zone

    write(empty_repo, "schedules/acme/customer.yaml", ACME)
    added = load_views(empty_repo, utc(NOW), cache)
    assert (added.stats.parsed, added.stats.from_cache) == (1, 1)  # globex's is kept
    assert [v.zone for v in added.views] == ["Asia/Tokyo", "Europe/London"]

    (empty_repo / "schedules/acme/customer.yaml").unlink()
    removed = load_views(empty_repo, utc(NOW), cache)
    assert (removed.stats.parsed, removed.stats.from_cache) == (1, 1)
    assert [v.zone for v in removed.views] == ["UTC", "Europe/London"]
