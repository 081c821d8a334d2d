"""A green check means the delivery will work: every template is checked by name, in every branch,
then rendered in the run's sandbox for the schedule's next runs, each problem at its own line and
column inside the template, in the same round as every other problem of the file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from gitcron.catalog.fire_sample import Sampled, row_counts
from gitcron.catalog.load import load
from gitcron.catalog.rehearsal import make_run, run_values
from gitcron.timing import Daily, Timing
from support import GOOD, Run, utc, variant

TO = "to: [buyer@example.com]"
FILENAME = 'filename: "acme-{{ run.local_date }}.csv"'


def headlines(run: Run) -> list[tuple[int, int, str, str | None]]:
    return [(h.line, h.col, h.rest, h.fix) for h in run.headlines()]


def test_the_issue_s_two_templates_fail_validate_with_the_other_errors(
    check: Callable[..., Run],
) -> None:
    # `customer.name` is the customer's display name now (customer.yaml); a misspelling is not
    text = variant(TO, TO + ', subject: "Hi {{ customer.nmae }}"')
    text = variant(FILENAME, 'filename: "{{ run.nope }}.csv"', text)
    text = variant("Europe/London", "Paris", text)
    run = check(text)
    assert run.code == 1
    assert headlines(run) == [
        (
            2,
            11,
            "timezone: 'Paris' is not a timezone gitcron knows",
            "did you mean 'Europe/Paris'?",
        ),
        (
            9,
            21,
            "report.filename: the template uses run.nope, but run has no 'nope'",
            "use one of run.id, run.fire, run.local_date, run.local_time, run.local, run.timezone,"
            " run.interval_start, run.interval_end, run.trigger, run.attempt or run.generated",
        ),
        (
            11,
            64,
            "delivery 1, email.subject: the template uses customer.nmae, but customer has no"
            " 'nmae'",
            "did you mean 'name'?",
        ),
    ]


def test_a_name_in_a_branch_never_taken_today_is_still_checked(
    check: Callable[..., Run],
) -> None:
    body = (
        "      body: |\n"
        "        Hello,\n"
        "        {% if run.local_date.endswith('-01') %}\n"
        "          Monthly totals for {{ params.categroy }}.\n"
        "        {% endif %}\n"
    )
    text = variant("  - email: { to: [buyer@example.com] }\n", f"  - email:\n      {TO}\n{body}")
    run = check(text)
    assert headlines(run) == [
        (
            16,
            40,
            "delivery 1, email.body: the template uses params.categroy, but params has no"
            " 'categroy'",
            "did you mean 'category'?",
        )
    ]


def test_a_template_that_fails_for_the_next_run_fails_validate(check: Callable[..., Run]) -> None:
    """Retries and empty data happen: `100 // rows` divides by zero on a run with no rows."""
    run = check(variant(TO, TO + ', subject: "{{ 100 // rows }} per row"'))
    [problem] = run.headlines()
    assert (problem.line, problem.col) == (11, 48)  # where the template starts
    assert problem.rest.startswith("delivery 1, email.subject: this template fails for a retry")
    assert "with no rows: integer division or modulo by zero" in problem.rest


def test_a_branch_taken_on_the_first_of_the_month_is_rendered_today(
    check: Callable[..., Run],
) -> None:
    """The next run is on 23 November; the branch for the 1st fails on 1 December."""
    subject = "{% if run.local_date.endswith('-01') %}{{ 100 // rows }}{% endif %} products"
    [problem] = check(variant(TO, TO + f', subject: "{subject}"')).headlines()
    assert problem.rest.startswith(
        "delivery 1, email.subject: this template fails for a retry of the run of"
        " Tue 1 Dec 2026 08:00 Europe/London with no rows: integer division or modulo by zero"
    )


def test_the_first_run_of_a_once_schedule_has_no_interval_start(check: Callable[..., Run]) -> None:
    """The data interval is the tick's: a daily schedule's next run starts at the fire before."""
    slice_ = variant(FILENAME, 'filename: "acme-{{ run.interval_start[:10] }}.csv"')
    assert check(slice_).code == 0
    once = variant('daily: { at: "08:00" }', 'once: "2027-01-05 09:00"', slice_)
    [problem] = check(once).headlines()
    assert problem.rest.startswith(
        "report.filename: this template fails for the run of Tue 5 Jan 2027 09:00 Europe/London"
        " with 5 rows (no run before it: run.interval_start is empty)"
    )


def test_a_value_the_run_gives_that_no_file_name_may_hold_is_found(
    check: Callable[..., Run],
) -> None:
    text = variant("params: { customer: acme }", "params: { customer: acme, category: a/b }")
    run = check(variant(FILENAME, 'filename: "{{ params.category }}.csv"', text))
    [problem] = run.headlines()
    assert problem.rest.startswith("report.filename: this template fails for the run of")
    assert "rendered: 'a/b.csv'" in problem.rest


COLUMNS = """\
  priced:
    sample: products
    columns:
      - { name: sku }
      - { name: unit_price, type: number }
"""


@pytest.fixture
def declared(empty_repo: Path) -> Path:
    settings = empty_repo / "gitcron.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("datasets:\n", "datasets:\n" + COLUMNS, 1), encoding="utf-8")
    return empty_repo


def problems_of(repo: Path, text: str) -> list[tuple[int, int, str, str | None]]:
    path = repo / "schedules/acme/test.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    catalog = load(repo, utc("2026-11-22T12:00:00"))
    return [(p.line, p.col, p.message, p.hint) for p in catalog.problems]


def test_a_template_names_the_declared_columns_and_no_others(declared: Path) -> None:
    text = variant("dataset: products", "dataset: priced")
    good = variant(
        TO, TO + ', subject: "{{ columns.unit_price.name }} ({{ columns.sku.type }})"', text
    )
    assert problems_of(declared, variant("params: { customer: acme }", "params: {}", good)) == []
    typo = variant(TO, TO + ', subject: "Prices: {{ columns.unit_prise.name }}"', text)
    assert problems_of(declared, variant("params: { customer: acme }", "params: {}", typo)) == [
        (
            11,
            68,
            "the template uses columns.unit_prise, but columns has no 'unit_prise'",
            "did you mean 'unit_price'?",
        )
    ]


def test_the_tick_does_not_rehearse(empty_repo: Path) -> None:
    """A run that fails records its own error; only validate rehearses (`rehearse=True`)."""
    path = empty_repo / "schedules/acme/test.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(variant(TO, TO + ', subject: "{{ 100 // rows }}"'), encoding="utf-8")
    assert load(empty_repo, utc("2026-11-22T12:00:00"), rehearse=False).problems == []
    assert len(load(empty_repo, utc("2026-11-22T12:00:00")).problems) == 1


def test_the_example_repository_rehearses_clean(gitcron: Callable[..., Run]) -> None:
    run = gitcron("validate")
    assert run.code == 0, run.out
    assert GOOD  # the base schedule of the rejection tests is one of many that pass


def test_the_run_values_shared_between_schedules_are_the_run_s_own() -> None:
    """Validate works out a fire's `run` values once for all schedules; each gets its own id."""
    timing = Timing(Daily((time(8),)), ZoneInfo("Europe/London"))
    sampled = Sampled(utc("2026-11-23T08:00:00"), utc("2026-11-22T08:00:00"))
    for sid in ("acme/a", "other/b"):
        for retry in (False, True):
            run = make_run(sid, sampled, timing, 5, retry)
            assert run_values(run) == run.info.template_context()


def test_a_branch_for_one_row_fails_validate(check: Callable[..., Run]) -> None:
    """The sample has 5 rows and the retry none: a branch for exactly one row is rendered too."""
    subject = "{% if rows == 1 %}{{ 100 // (rows - 1) }}{% endif %} products"
    [problem] = check(variant(TO, TO + f', subject: "{subject}"')).headlines()
    assert problem.rest == (
        "delivery 1, email.subject: this template fails for the run of Mon 23 Nov 2026 08:00"
        " Europe/London with 1 row: integer division or modulo by zero"
    )


BIG = "{% if rows > 100 %}{{ 100 // (rows - 101) }} big{% else %}small{% endif %}"


def test_a_branch_past_max_rows_fails_validate_when_such_runs_are_sent(
    check: Callable[..., Run],
) -> None:
    text = variant(TO, TO + f', subject: "{BIG}"')
    text = variant(
        "  format: csv\n", "  format: csv\n  max_rows: 100\n  outside_rows: send\n", text
    )
    [problem] = check(text).headlines()
    assert problem.rest.endswith("with 101 rows: integer division or modulo by zero")
    # outside_rows: fail (the default) fails such a run before any template sees its count
    assert check(text.replace("  outside_rows: send\n", "")).code == 0


def test_a_branch_below_min_rows_fails_validate(check: Callable[..., Run]) -> None:
    body = "{% if rows < 10 %}{{ 1 // (rows - 9) }} few{% endif %}"
    text = variant(TO, TO + f', subject: "{body}"')
    text = variant("  format: csv\n", "  format: csv\n  min_rows: 10\n  outside_rows: skip\n", text)
    [problem] = check(text).headlines()
    assert problem.rest.endswith("with 9 rows: integer division or modulo by zero")


@pytest.mark.parametrize(
    ("low", "high", "outside", "counts"),
    [
        (None, None, "fail", (1,)),
        (None, 100, "send", (1, 99, 100, 101)),
        (None, 100, "fail", (1, 99, 100)),
        (10, 100, "skip", (1, 9, 10, 11, 99, 100, 101)),
        (10, None, "fail", (10, 11)),
        (0, 5, "send", (1, 4, 6)),  # 0 and 5 (the sample's) are rendered already
    ],
)
def test_the_row_counts_rehearsed(
    low: int | None, high: int | None, outside: str, counts: tuple[int, ...]
) -> None:
    report = SimpleNamespace(min_rows=low, max_rows=high, outside_rows=outside)
    assert row_counts(report, (5, 0)) == counts  # type: ignore[arg-type]
    assert row_counts(None, (5, 0)) == ()
