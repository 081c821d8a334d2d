"""`gitcron validate` on one bad file: exit 1, the file, the line and column, the phrase, a fix.

Each case changes one line of a valid schedule (support.GOOD, whose line numbers are listed
there) and expects exactly one error, at the position a reader would look first.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from gitcron.config import yamldata, yamlio
from support import GOOD, Run, variant

FILE = "schedules/acme/test.yaml"

# An event schedule: 1 description  2 schedule  3 daily  4 event  5 type  6 payload  7 deliver
# 8 webhook  9 url  10 secret_env
EVENT = """\
description: Stock event
schedule:
  daily: { at: "06:00" }
event:
  type: report.daily
  payload: { date: "{{ run.local_date }}" }
deliver:
  - webhook:
      url: https://hooks.example.com/gitcron
      secret_env: CUSTOMER_WEBHOOK_SECRET
"""

DAILY = 'daily: { at: "08:00" }'


@pytest.fixture(autouse=True)
def _granted(empty_repo: Path) -> None:
    """gitcron.yaml grants EVENT's secret to its webhook, so only the one bad line is reported."""
    settings = empty_repo / "gitcron.yaml"
    grant = (
        "credentials:\n  customer-webhook: { env: CUSTOMER_WEBHOOK_SECRET, for: webhook,"
        ' to: ["https://hooks.example.com/gitcron"] }\n'
    )
    text = settings.read_text("utf-8")
    assert text.count("\ncredentials:\n") == 1
    settings.write_text(text.replace("credentials:\n", grant, 1), "utf-8")


FILENAME = 'filename: "acme-{{ run.local_date }}.csv"'
TO = "to: [buyer@example.com]"

# (text, line, col, where, phrase, fix): line 0 means the problem is the file as a whole.
CASES = [
    # --- the file cannot be read --------------------------------------------------------------
    pytest.param(
        variant("description: Test schedule", "description: Note: bring coffee"),
        *(1, 18, "", "this is not valid YAML: mapping values are not allowed"),
        'put quotes around a value that contains ": "',
        id="yaml-syntax-colon-in-value",
    ),
    pytest.param(
        variant(DAILY, 'daily: { at: "08:00"'),
        *(5, 1, "", "this is not valid YAML: did not find expected ',' or '}'"),
        "check the indentation and quoting on this line and the one above",
        id="yaml-syntax-unclosed-brace",
    ),
    pytest.param(
        variant("  daily:", "\tdaily:"),
        *(4, 1, "", "a tab is used for indentation; YAML only allows spaces"),
        "replace the tab at the start of this line with spaces",
        id="tab-indentation",
    ),
    pytest.param(
        variant("  filename:", "  filename:\t").replace("  daily:", "  \tdaily:"),
        *(4, 3, "", "a tab is used for indentation"),
        "replace the tab",
        id="tab-after-spaces",
    ),
    pytest.param(
        variant("timezone: Europe/London", "timezone: &tz Europe/London"),
        *(2, 11, "", "YAML anchors and aliases ('&tz', '*tz') are not allowed"),
        "write the value out in full where it is needed",
        id="anchor",
    ),
    pytest.param(
        variant("description: Test schedule", "description: *text"),
        *(1, 14, "", "a value starts with '*', which YAML reads as a reference"),
        "a value starting with * must be quoted",
        id="alias-without-anchor",
    ),
    pytest.param(
        variant(DAILY, "cron: */10 * * * *"),
        *(4, 9, "", "a value starts with '*', which YAML reads as a reference"),
        'a value starting with * must be quoted, e.g. cron: "*/30 * * * *"',
        id="unquoted-cron-star",
    ),
    pytest.param(
        "- daily\n- weekly\n",
        *(1, 1, "", "the file must be a set of 'key: value' lines, not a list"),
        "start with a line like 'schedule:' at the left margin",
        id="document-is-a-list",
    ),
    pytest.param(
        "hello\n",
        *(1, 1, "", "the file must be a set of 'key: value' lines, not a single value"),
        "start with a line like 'schedule:'",
        id="document-is-a-string",
    ),
    pytest.param("", 0, 0, "", "the file is empty", "see schedules/ for examples", id="empty-file"),
    pytest.param("# just a comment\n\n", 0, 0, "", "the file is empty", None, id="only-comments"),
    pytest.param(
        GOOD + "# " + "x" * 256 * 1024 + "\n",
        *(0, 0, "", "the file is larger than 256 KiB"),
        "a schedule file should be a few lines long",
        id="over-256-kib",
    ),
    pytest.param(
        GOOD + "timezone: UTC\n",
        *(12, 1, "", "the key 'timezone' appears more than once"),
        "keep one of them; YAML would silently use only the last",
        id="duplicate-top-level-key",
    ),
    pytest.param(
        variant(DAILY, DAILY + "\n  daily: { at: '09:00' }"),
        *(5, 3, "", "the key 'daily' appears more than once"),
        "keep one of them",
        id="duplicate-nested-key",
    ),
    # --- keys and values ----------------------------------------------------------------------
    pytest.param(
        variant("timezone:", "timzone:"),
        *(2, 1, "timzone", "'timzone' is not a setting gitcron knows here"),
        "did you mean 'timezone'?",
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        variant(TO, TO + ", subjet: Hi"),
        *(11, 39, "delivery 1, email.subjet", "'subjet' is not a setting gitcron knows here"),
        "did you mean 'subject'?",
        id="unknown-key-inside-a-list-item",
    ),
    pytest.param(
        variant("Europe/London", "Europe/Lodnon"),
        *(2, 11, "timezone", "'Europe/Lodnon' is not a timezone gitcron knows"),
        "did you mean 'Europe/London'?",
        id="unknown-timezone",
    ),
    # --- when ---------------------------------------------------------------------------------
    pytest.param(
        variant(DAILY, 'cron: "0 9 * * * *"'),
        *(4, 9, "schedule.cron", "expected 5 fields"),
        "cron fields are separated by spaces",
        id="cron-six-fields",
    ),
    pytest.param(
        variant(DAILY, 'cron: "61 * * * *"'),
        *(4, 9, "schedule.cron", "the minute field '61' is outside 0-59"),
        "minutes go from 0 to 59",
        id="cron-minute-61",
    ),
    pytest.param(
        variant(DAILY, 'cron: "0 0 30 2 *"'),
        *(4, 9, "schedule.cron", "never fires: February never has a 30th"),
        "pick a day that exists in the chosen months",
        id="cron-never-fires",
    ),
    pytest.param(
        variant(DAILY, 'cron: "* * * * *"'),
        *(4, 3, "schedule", "this fires every minute, more often than gitcron's tick"),
        "fire at most once every 15 minutes",
        id="cron-every-minute",
    ),
    pytest.param(
        variant(DAILY, 'cron: "*/10 * * * *"'),
        *(4, 3, "schedule", "this fires every 10 minutes, more often than gitcron's tick"),
        "fire at most once every 15 minutes",
        id="cron-every-10-minutes",
    ),
    pytest.param(
        variant(DAILY, 'daily: { at: ["08:00", "08:05"] }'),
        *(4, 3, "schedule", "this fires every 5 minutes, more often than gitcron's tick"),
        "fire at most once every 15 minutes",
        id="daily-five-minutes-apart",
    ),
    pytest.param(
        variant(DAILY, "every: 5m"),
        *(4, 3, "schedule", "this fires every 5 minutes"),
        None,
        id="every-5m",
    ),
    pytest.param(
        variant(DAILY, 'daily: { at: "25:00" }'),
        *(4, 16, "schedule.daily.at", "'25:00' is not a time of day"),
        "use a 24-hour time from 00:00 to 23:59",
        id="time-25-00",
    ),
    pytest.param(
        variant(DAILY, "daily: { at: 9:75 }"),
        *(4, 16, "schedule.daily.at", "'9:75' is not a time of day"),
        "use a 24-hour time from 00:00 to 23:59",
        id="time-9-75-unquoted",
    ),
    pytest.param(
        variant(DAILY, 'daily: { at: ["08:00", "noon"] }'),
        *(4, 26, "schedule.daily.at item 2", "'noon' is not a time of day"),
        'write it as "HH:MM" on a 24-hour clock',
        id="second-time-of-a-list",
    ),
    pytest.param(
        variant(DAILY, "weekly:\n    on:\n      - monday\n      - tusday\n    at: '09:00'"),
        *(7, 9, "schedule.weekly.on item 2", "'tusday' is not a day of the week"),
        "did you mean 'tuesday'?",
        id="weekday-typo-in-block-list",
    ),
    pytest.param(
        variant(DAILY, 'weekly: { on: munday, at: "09:00" }'),
        *(4, 17, "schedule.weekly.on", "'munday' is not a day of the week"),
        "did you mean 'monday'?",
        id="weekday-typo-as-in-readme",
    ),
    pytest.param(
        variant(DAILY, 'monthly: { on: fifth monday, at: "08:00" }'),
        *(4, 18, "schedule.monthly.on", "'fifth' is not an ordinal gitcron knows"),
        "use 'last monday'",
        id="ordinal-fifth",
    ),
    pytest.param(
        variant(DAILY, 'monthly: { on: frist monday, at: "08:00" }'),
        *(4, 18, "schedule.monthly.on", "'frist' is not an ordinal gitcron knows"),
        "did you mean 'first'?",
        id="ordinal-typo",
    ),
    pytest.param(
        variant(DAILY, DAILY + '\n  cron: "0 9 * * *"'),
        *(4, 3, "schedule", "a schedule has exactly one form: found daily and cron"),
        "keep only one of daily or cron",
        id="two-forms",
    ),
    pytest.param(
        variant("schedule:\n  " + DAILY, "schedule: {}"),
        *(3, 11, "schedule", "a schedule has exactly one form, but none is given"),
        "add one of daily, weekly, monthly, cron, once or every",
        id="no-form",
    ),
    pytest.param(
        variant("schedule:\n  " + DAILY + "\n", ""),
        *(1, 1, "schedule", "'schedule' is missing"),
        "add 'schedule:' here",
        id="no-schedule-key",
    ),
    pytest.param(
        GOOD + "active: { from: 2027-01-01, until: 2026-06-01 }\n",
        *(12, 9, "active", "the active window ends before it starts"),
        "'until' must be later than 'from'",
        id="inverted-active-window",
    ),
    pytest.param(
        GOOD + "max_runs: 0\n",
        *(12, 11, "max_runs", "0 is too small"),
        "use 1 or more",
        id="max-runs-zero",
    ),
    pytest.param(
        GOOD + "max_runs: -3\n",
        *(12, 11, "max_runs", "-3 is too small"),
        "use 1 or more",
        id="max-runs-negative",
    ),
    pytest.param(
        GOOD + "skip: [weekends, company-closure]\n",
        *(12, 18, "skip item 2", "there is no calendar named 'company-closure'"),
        "did you mean 'company-closures'?",
        id="unknown-skip-calendar",
    ),
    # --- what ---------------------------------------------------------------------------------
    pytest.param(
        variant("dataset: products", "dataset: prodcts"),
        *(6, 12, "report.dataset", "there is no dataset named 'prodcts' in gitcron.yaml"),
        "did you mean 'products'?",
        id="unknown-dataset",
    ),
    pytest.param(
        variant("{ customer: acme }", "{ customer: acme, colour: red }"),
        *(7, 29, "report.params.colour", "the dataset 'products' has no parameter 'colour'"),
        "its parameters are customer or category",
        id="unknown-dataset-param",
    ),
    pytest.param(
        variant("{ customer: acme }", "{ custmer: acme }"),
        *(7, 13, "report.params.custmer", "the dataset 'products' has no parameter 'custmer'"),
        "did you mean 'customer'?",
        id="dataset-param-typo",
    ),
    pytest.param(
        variant("{ customer: acme }", "{ customer: [a, b] }"),
        *(7, 23, "report.params.customer", "this should be one value: text, a number"),
        "write a single value",
        id="dataset-param-is-a-list",
    ),
    pytest.param(
        variant(FILENAME, 'filename: "{{ run.local_date "'),
        *(9, 13, "report.filename", "the template does not compile"),
        "close the {{ with }}",  # a fix for what is wrong, not a generic one
        id="filename-does-not-compile",
    ),
    pytest.param(
        variant(FILENAME, 'filename: "../x.csv"'),
        *(9, 13, "report.filename", "a file name cannot contain '/', '\\' or '..'"),
        "use a plain file name",
        id="filename-parent-folder",
    ),
    pytest.param(
        variant(FILENAME, 'filename: "a/b.csv"'),
        *(9, 13, "report.filename", "a file name cannot contain '/'"),
        "use a plain file name",
        id="filename-subfolder",
    ),
    pytest.param(
        variant(FILENAME, 'filename: ".hidden"'),
        *(9, 13, "report.filename", "nor start with '.'"),
        "use a plain file name",
        id="filename-hidden",
    ),
    pytest.param(
        variant(FILENAME, "filename: '{{ \"../\" ~ run.local_date }}.csv'"),
        *(9, 13, "report.filename", "a file name cannot contain '/', '\\' or '..'"),
        "use a plain file name",
        id="filename-parent-folder-inside-braces",
    ),
    pytest.param(
        variant(FILENAME, 'filename: "{{ secret }}.csv"'),
        *(9, 13, "report.filename", "the template uses 'secret', which is not one of customer"),
        "use a plain file name",
        id="filename-unknown-variable",
    ),
    # --- how ----------------------------------------------------------------------------------
    pytest.param(
        variant(TO, "to: [not-an-email]"),
        *(
            11,
            19,
            "delivery 1, email.to item 1",
            "'not-an-email' is not an email address: it has no",
        ),
        "write it like name@example.com",
        id="email-without-at",
    ),
    pytest.param(
        variant(TO, 'to: [ok@example.com, "a@b.com, c@d.com"]'),
        *(11, 35, "delivery 1, email.to item 2", "'a@b.com, c@d.com' is not an email address"),
        "one per line",
        id="two-emails-in-one-item",
    ),
    pytest.param(
        variant(
            "  - email: { to: [buyer@example.com] }",
            "  - email:\n      to:\n        - ok@example.com\n        - not-an-email",
        ),
        *(14, 11, "delivery 1, email.to item 2", "'not-an-email' is not an email address"),
        "write it like name@example.com",
        id="bad-email-in-block-list",
    ),
    pytest.param(
        GOOD + "  - email: { to: [BUYER@example.com] }\n",
        *(12, 12, "delivery 2, email", "this delivery repeats delivery 1"),
        "remove one of them",
        id="duplicate-delivery-target",
    ),
    pytest.param(
        GOOD + "customer: globex\n",
        *(12, 11, "customer", "the customer 'globex' does not match the folder 'acme'"),
        "move the file to schedules/globex/ or remove this line",
        id="customer-not-matching-folder",
    ),
    pytest.param(
        variant(
            "deliver:\n  - webhook:\n      url: https://hooks.example.com/gitcron\n"
            "      secret_env: CUSTOMER_WEBHOOK_SECRET\n",
            "deliver:\n  - email: { to: [ops@example.com] }\n",
            EVENT,
        ),
        *(8, 3, "deliver", "an event needs a webhook to be sent to"),
        "add - webhook: {url: https://...} under deliver",
        id="event-without-webhook",
    ),
    pytest.param(
        variant("CUSTOMER_WEBHOOK_SECRET", "customer-webhook-secret", EVENT),
        *(10, 19, "delivery 1, webhook.secret_env", "is not the name of an environment variable"),
        "UPPER_SNAKE_CASE",
        id="secret-env-not-a-name",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "where", "phrase", "fix"), CASES)
def test_one_bad_file(
    check: Callable[..., Run],
    text: str,
    line: int,
    col: int,
    where: str,
    phrase: str,
    fix: str | None,
) -> None:
    run = check(text)
    run.assert_clean_failure(1)
    assert run.err == ""
    (problem,) = run.headlines()
    assert (problem.file, problem.line, problem.col, problem.severity) == (FILE, line, col, "error")
    position = f"{FILE}:{line}:{col}: " if line else f"{FILE}: "
    assert run.out.startswith(f"{position}error: {where + ': ' if where else ''}"), run.out
    assert phrase in problem.rest
    if fix is not None:
        assert problem.fix is not None
        assert fix in problem.fix
    assert run.out.rstrip().endswith("1 error, 0 warnings in 1 of 1 schedule file.")


SECRET = "this looks like a webhook signing secret (whsec), and secrets must never be in files"
STRIPE = "this looks like a Stripe secret key (stripe), and secrets must never be in files"
PASSWORD = (
    "this looks like a password inside a web address (url-password), and secrets must never be"
    " in files"
)

SECRETS = [
    pytest.param(
        variant("CUSTOMER_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", EVENT),
        *(10, 19, "", SECRET),
        id="secret-env-holds-a-webhook-secret",
    ),
    pytest.param(
        variant(
            "description: Stock event", "description: API sk_live_4eC39HqLyjWDarjtT1zdp7dc", EVENT
        ),
        *(1, 18, "", STRIPE),
        id="token-in-description",
    ),
    pytest.param(
        variant("https://hooks", "https://ops:pa55word@hooks", EVENT),
        *(9, 12, "", PASSWORD),
        id="webhook-url-with-password",
    ),
    pytest.param(
        variant("CUSTOMER_WEBHOOK_SECRET", "9f8a7b6c5d4e3f2a1b0c9d8e7f", EVENT),
        *(
            10,
            19,
            "delivery 1, webhook.secret_env",
            "this looks like a secret value, and secrets must never be written in files",
        ),
        id="secret-env-holds-an-unknown-token",
    ),
]


@pytest.mark.parametrize(("text", "line", "col", "where", "phrase"), SECRETS)
def test_secrets(
    check: Callable[..., Run], text: str, line: int, col: int, where: str, phrase: str
) -> None:
    run = check(text)
    run.assert_clean_failure(1)
    (problem,) = run.headlines()  # the raw-text scan and the field check say it once
    assert (problem.line, problem.col) == (line, col)
    assert problem.rest == (f"{where}: {phrase}" if where else phrase)
    assert problem.fix is not None
    data = check(text, FILE, "--format", "json").json()
    (only,) = data["problems"]
    assert (only["kind"], only["severity"], only["line"], only["col"]) == (
        "secret",
        "error",
        line,
        col,
    )
    (annotation, summary) = check(text, FILE, "--format", "github").out.splitlines()
    assert annotation.startswith(f"::error file={FILE},line={line},col={col},title=")
    assert summary == "1 error, 0 warnings in 1 of 1 schedule file."


def test_secret_is_listed_before_earlier_problems(check: Callable[..., Run]) -> None:
    text = variant("description: Stock event", "description: Stock event\ntimzone: UTC", EVENT)
    text = variant("CUSTOMER_WEBHOOK_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", text)
    run = check(text, FILE, "--format", "github")
    run.assert_clean_failure(1)
    lines = run.out.splitlines()
    assert lines[0].startswith(f"::error file={FILE},line=11,col=19,title={FILE}::{SECRET}")
    assert lines[1].startswith(f"::error file={FILE},line=2,col=1,title=timzone::'timzone'")
    assert lines[2] == "2 errors, 0 warnings in 1 of 1 schedule file."


def test_missing_required_dataset_param(check: Callable[..., Run], empty_repo: Path) -> None:
    settings = empty_repo / "gitcron.yaml"
    text = settings.read_text(encoding="utf-8")
    old = 'customer: { description: "Our id for the customer (the sample ignores it)" }'
    settings.write_text(text.replace(old, "customer: { required: true }"), encoding="utf-8")
    run = check(variant("  params: { customer: acme }\n", "  params: { category: Bakery }\n"))
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert (problem.line, problem.col) == (7, 3)
    assert problem.rest == ("report.params: the dataset 'products' needs the parameter 'customer'")
    assert problem.fix == "add customer: <value> under params"


def test_billion_laughs_is_refused_without_expanding(
    check: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        rows.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    built: list[str] = []  # the files whose reading reached construction, where aliases expand
    reading = [""]
    read, construct = yamlio.read, yamlio.Loader.construct_document
    build = yamldata.build  # plain documents are built here; others by construct_document

    def read_file(file: str, text: str) -> yamlio.Document:
        reading[0] = file
        return read(file, text)

    def reached() -> None:
        built.append(reading[0])
        if reading[0] != "gitcron.yaml":  # stop here: going on would expand 9**9 strings
            raise AssertionError(f"{reading[0]} reached construction")

    def construct_document(self: yamlio.Loader, node: yaml.Node) -> object:
        reached()
        return construct(self, node)

    def build_document(node: yaml.Node, loader: yamldata.Builder) -> object:
        reached()
        return build(node, loader)

    monkeypatch.setattr(yamlio, "read", read_file)
    monkeypatch.setattr(yamlio.Loader, "construct_document", construct_document)
    monkeypatch.setattr(yamldata, "build", build_document)
    run = check("\n".join(rows) + "\n")  # 9**9 strings if it were ever expanded
    # the settings may be read (or come from the parse cache); the schedule never got that far
    assert set(built) <= {"gitcron.yaml"}
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert (problem.line, problem.col) == (1, 4)
    assert problem.rest == "YAML anchors and aliases ('&a', '*a') are not allowed"


def test_file_outside_a_customer_folder(check: Callable[..., Run]) -> None:
    run = check(GOOD, "schedules/x.yaml")
    run.assert_clean_failure(1)
    assert run.out.splitlines()[:2] == [
        "schedules/x.yaml: error: a schedule file must be inside a customer folder",
        "    fix: move it to schedules/<customer>/x.yaml",
    ]


def test_yml_file_is_a_warning_and_strict_makes_it_fail(check: Callable[..., Run]) -> None:
    run = check(GOOD, "schedules/acme/test.yml")
    assert run.code == 0
    assert run.out.splitlines() == [
        "schedules/acme/test.yml: warning: this file is ignored: schedule files end in .yaml",
        "    fix: rename it to schedules/acme/test.yaml",
        "0 errors, 1 warning in 1 of 1 schedule file.",
    ]
    strict = check(GOOD, "schedules/acme/test.yml", "--strict")
    strict.assert_clean_failure(1)
    assert strict.out == run.out


def test_unreadable_bytes_are_reported_on_their_line(check: Callable[..., Run]) -> None:
    run = check(GOOD.encode() + b"description: caf\xe9\n")
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert (problem.line, problem.rest) == (12, "the file is not UTF-8 text")


def test_unknown_holiday_country(check: Callable[..., Run]) -> None:
    run = check(GOOD + "skip: [holidays: XX]\n")
    run.assert_clean_failure(1)
    (problem,) = run.headlines()
    assert (problem.file, problem.line, problem.col) == (FILE, 12, 18)
    assert problem.rest.startswith("skip item 1, holidays: unknown holiday country 'XX'")


def test_unknown_holiday_country_does_not_hide_other_files(check: Callable[..., Run]) -> None:
    check(GOOD + "skip: [holidays: XX]\n", "schedules/acme/a.yaml")
    run = check(variant("timezone:", "timzone:"), "schedules/acme/b.yaml")
    assert "schedules/acme/b.yaml:2:1: error: timzone:" in run.out
