"""Validate on bursting reports: parts go only where they stay apart, and who each email is for."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from catalog.test_customers import ACME, write
from gitcron.catalog.load import load
from support import NOW, Run, utc, variant

FILENAME = '  filename: "acme-{{ run.local_date }}.csv"\n'
BURST = FILENAME + "  burst:\n    by: category\n    to: { Bakery: [bakery@acme.example] }\n"
BURSTING = variant(FILENAME, BURST)  # deliver: is GOOD's email with to:, line 14
FIELDS = variant("  - email: { to: [buyer@example.com] }\n", "  - email: {}\n", BURSTING)


def where(run: Run) -> list[tuple[int, int, str]]:
    return [(h.line, h.col, h.rest) for h in run.headlines()]


def test_a_bursting_report_to_email_storage_and_outbox_is_valid(
    check: Callable[..., Run],
) -> None:
    text = FIELDS.replace(
        "  - email: {}\n",
        "  - storage: { path: exports/acme }\n"
        '  - email: { subject: "Products", bcc: [archive@ourco.example] }\n'
        "  - outbox: {}\n",
    )
    run = check(text)
    assert run.code == 0, run.out


def test_a_bursting_report_to_one_place_for_all_parts_is_refused_on_its_line(
    check: Callable[..., Run],
) -> None:
    text = FIELDS + '  - webhook: { url: "https://hooks.example.com/x" }\n'
    run = check(text)
    run.assert_clean_failure(1)
    [(line, col, rest)] = where(run)
    assert (line, col) == (15, 14)
    assert rest == (
        "delivery 2, webhook: a bursting report cannot go to webhook: every part, with every"
        " recipient's rows, would reach that one place"
    )
    assert "make a second schedule without burst:" in (run.headlines()[0].fix or "")


def test_a_bursting_reports_email_names_no_to_of_its_own(check: Callable[..., Run]) -> None:
    run = check(BURSTING)
    run.assert_clean_failure(1)
    assert where(run) == [
        (
            14,
            18,
            "delivery 1, email.to: a bursting report's email goes to each part's own recipients:"
            " the addresses under to: would get every part",
        )
    ]
    assert "under report.burst.to" in (run.headlines()[0].fix or "")


def test_any_other_email_still_needs_to(check: Callable[..., Run]) -> None:
    run = check(variant("to: [buyer@example.com]", 'subject: "Hi"'))
    run.assert_clean_failure(1)
    [headline] = run.headlines()
    assert (headline.line, headline.rest) == (11, "delivery 1, email.to: 'to' is missing")
    assert "to: in the customer file" in (headline.fix or "")


def test_burst_columns_the_dataset_does_not_declare_are_named(
    check: Callable[..., Run], empty_repo: Path
) -> None:
    settings = empty_repo / "gitcron.yaml"
    text = settings.read_text("utf-8")
    declared = '      category: { description: "Only products of this category, e.g. Bakery" }\n'
    assert text.count(declared) == 1
    columns = "    columns: [{ name: sku }, { name: name }, { name: category }]\n"
    start = text.index("    columns:\n", text.index(declared))  # the example's own columns
    end = text.index("  stock-by-category:\n", start)
    settings.write_text(text[:start] + columns + text[end:], "utf-8")
    run = check(FIELDS.replace("by: category", "by: region"))
    run.assert_clean_failure(1)
    [headline] = run.headlines()
    assert (headline.line, headline.col) == (11, 9)
    assert headline.rest == "report.burst.by: the dataset 'products' has no column 'region'"
    assert headline.fix == "use one of its columns: sku, name or category"


def test_a_bursting_schedule_does_not_inherit_the_customer_files_to(empty_repo: Path) -> None:
    write(empty_repo, "schedules/acme/customer.yaml", ACME)
    write(empty_repo, "schedules/acme/burst.yaml", FIELDS)
    write(
        empty_repo, "schedules/acme/plain.yaml", variant("to: [buyer@example.com]", 'subject: "Hi"')
    )
    catalog = load(empty_repo, utc(NOW))
    by_id = {entry.id: entry for entry in catalog.entries}
    burst = by_id["acme/burst"].schedule
    assert burst is not None
    assert burst.deliver[0].email is not None
    assert burst.deliver[0].email.to is None  # each part's own recipients, never buyers@
    assert by_id["acme/burst"].problems == []
    plain = by_id["acme/plain"].schedule
    assert plain is not None
    assert plain.deliver[0].email is not None
    assert list(plain.deliver[0].email.to or ()) == ["buyers@acme.example"]


def test_send_conditions_are_refused_beside_burst(check: Callable[..., Run]) -> None:
    text = variant(BURST, BURST + "  on_unchanged: skip\n  min_rows: 1\n", FIELDS)
    run = check(text)
    run.assert_clean_failure(1)
    [headline] = run.headlines()
    assert headline.rest.endswith(
        "on_unchanged and min_rows cannot be used with burst: each part of a bursting report is"
        " sent on its own, and these conditions are not checked part by part"
    )
    assert headline.fix == "remove on_unchanged and min_rows, or the burst: of this report"
