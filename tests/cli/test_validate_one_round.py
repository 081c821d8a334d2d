"""`gitcron validate` as a new user meets it: a green check means the file will reach someone.

Every problem of a file in one run, whatever stage finds it; positions counted from 1; the
schedule files counted apart from gitcron.yaml; a fix that fits a broken template.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from support import GOOD, Run, invoke, variant

FILE = "schedules/acme/test.yaml"
NO_DELIVERY = GOOD.split("deliver:")[0]


def test_a_report_with_no_delivery_is_an_error_with_a_fix(check: Callable[..., Run]) -> None:
    run = check(NO_DELIVERY)
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert (problem.severity, problem.rest) == (
        "error",
        "deliver: nothing is delivered: the report's file would be made and sent nowhere",
    )
    assert problem.fix is not None
    assert "deliver: [{email: {to: [buyer@example.com]}}]" in problem.fix
    empty = check(NO_DELIVERY + "deliver: []\n")
    empty.assert_clean_failure(1)
    (problem,) = empty.headlines()
    assert (problem.line, problem.col) == (10, 1)  # the `deliver:` that lists nothing
    assert problem.rest.startswith("deliver: nothing is delivered")


def test_the_outbox_is_a_delivery(check: Callable[..., Run]) -> None:
    run = check(NO_DELIVERY + "deliver:\n  - outbox: {}\n")
    assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")


def test_gitcron_new_without_an_address_delivers_to_the_outbox(empty_repo: Path) -> None:
    run = invoke(["--repo", str(empty_repo), "new", "acme/x", "--daily", "--at", "09:00"])
    assert run.code == 0, run.both
    text = (empty_repo / "schedules/acme/x.yaml").read_text(encoding="utf-8")
    assert text.endswith("deliver:\n  - outbox: {}\n")


def test_the_examples_validate_clean(gitcron: Callable[..., Run]) -> None:
    assert gitcron("validate").out == "7 schedule files checked: no problems.\n"


def test_every_stage_speaks_in_one_run(check: Callable[..., Run]) -> None:
    text = variant("dataset: products", "dataset: orders", variant("Europe/London", "Paris"))
    run = check(text)
    run.assert_clean_failure(1)
    assert [(p.line, p.col, p.rest, p.fix) for p in run.headlines()] == [
        (
            2,
            11,
            "timezone: 'Paris' is not a timezone gitcron knows",
            "did you mean 'Europe/Paris'?",
        ),
        (
            6,
            12,
            "report.dataset: there is no dataset named 'orders' in gitcron.yaml",
            "use one of products or stock-by-category",
        ),
    ]
    assert run.out.splitlines()[-1] == "2 errors, 0 warnings in 1 of 1 schedule file."


def test_positions_in_words_count_from_one(check: Callable[..., Run]) -> None:
    text = variant(
        "  - email: { to: [buyer@example.com] }\n",
        "  - email: { to: [buyer@example.com] }\n  - email: { to: [buyer@example.com] }\n",
    )
    run = check(text)
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert (problem.line, problem.rest) == (
        12,
        "delivery 2, email: this delivery repeats delivery 1: the customer would get it twice",
    )
    data = check(text, FILE, "--format", "json").json()
    (only,) = data["problems"]
    assert (only["loc"], only["where"]) == (["deliver", 1, "email"], "delivery 2, email")


def test_counts_are_of_schedule_files(gitcron: Callable[..., Run], repo: Path) -> None:
    bad = repo / "schedules/acme/bad.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text(variant("Europe/London", "Paris"), encoding="utf-8")
    one = gitcron("validate", "schedules/acme/bad.yaml")
    assert one.out.splitlines()[-1] == "1 error, 0 warnings in 1 of 1 schedule file."
    every = gitcron("validate")
    assert every.out.splitlines()[-1] == "1 error, 0 warnings in 1 of 8 schedule files."
    data = gitcron("validate", "--format", "json").json()
    assert (data["schedule_files"], data["files"]) == (8, 9)  # `files` counts gitcron.yaml too
    settings = repo / "gitcron.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("tick: 15m ", "tick: 15 minutes "),
        encoding="utf-8",
    )
    bad.unlink()
    assert gitcron("validate").out.splitlines()[-1] == (
        "1 error, 0 warnings in gitcron.yaml; none in 7 schedule files."
    )
    bad.write_text(variant("Europe/London", "Paris"), encoding="utf-8")
    assert gitcron("validate").out.splitlines()[-1] == (
        "2 errors, 0 warnings in 1 of 8 schedule files and in gitcron.yaml."
    )


def test_a_broken_template_says_what_and_where_with_a_fix_that_fits(
    check: Callable[..., Run],
) -> None:
    text = variant(
        "  - email: { to: [buyer@example.com] }\n",
        "  - email:\n"
        "      to: [buyer@example.com]\n"
        "      body: |\n"
        "        Hello,\n"
        "        your file for {{ run.local_date } is attached.\n",
    )
    run = check(text)
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert problem.rest == (
        "delivery 1, email.body: the template does not compile: unexpected '}'"
        " (line 2 of the template)"
    )
    assert problem.fix == "close the value with two braces, }}, as in {{ run.local_date }}"
    subject = variant(
        "to: [buyer@example.com] }", "to: [a@example.com], subject: '{{ customer | uper }}' }"
    )
    (problem,) = check(subject).headlines()
    assert problem.rest.endswith("No filter named 'uper'.")
    assert problem.fix == "did you mean 'upper'?"


def test_a_broken_event_payload_gets_a_fix(check: Callable[..., Run]) -> None:
    text = """\
description: Stock event
schedule:
  daily: { at: "06:00" }
event:
  type: report.daily
  payload: { date: "{% if run.local_date %}{{ run.local_date }}" }
deliver:
  - webhook: { url: https://hooks.example.com/gitcron }
"""
    run = check(text)
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert problem.rest.startswith("event.payload.date: the template does not compile:")
    assert problem.fix == "close the if block with {% endif %}"
