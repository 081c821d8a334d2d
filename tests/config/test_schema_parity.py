"""The published schema refuses what `gitcron validate` refuses, wherever JSON Schema can say it.

Editors (yaml-language-server) and CI tools (check-jsonschema) judge schedule files by
schema/schedule.schema.json alone. Every document of validate's rejection corpus (the cases of
tests/cli/test_validate_rejections.py, the phrases of tests/config/test_phrases.py, the cron
characters of tests/cli/test_cron_field_edges.py, and the cases of RULES below) goes through
`jsonschema` in the dialect the schema declares (Draft 2020-12). The documents the schema still
accepts must be exactly VALIDATOR_ONLY, each with the reason JSON Schema cannot say it; a new
rejection case fails here until it is either refused by the schema or listed with its reason.
The other way round, every valid schedule (the examples, the tests' base files, unusual but valid
spellings, and what `gitcron new` writes) must pass the schema: a file validate accepts never
gets a red underline.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import cli.test_cron_field_edges as cron_edges
import cli.test_new as scaffolds
import cli.test_validate_rejections as rejections
import config.test_phrases as phrases
from gitcron.catalog.files import discover
from gitcron.config import yamlio
from support import GOOD, REPO, Run, invoke, variant

SCHEMA = json.loads((REPO / "schema/schedule.schema.json").read_text(encoding="utf-8"))
DAILY = 'daily: { at: "08:00" }'
TO = "to: [buyer@example.com]"
EMAIL = "  - email: { to: [buyer@example.com] }\n"
SFTP = (
    "  - sftp:\n"
    "      url: sftp://gitcron@sftp.example.com/incoming\n"
    "      key_env: ACME_SFTP_KEY\n"
    "      known_hosts: sftp.example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample\n"
)
BURST = (
    '  filename: "acme-{{ run.local_date }}.csv"\n'
    "  burst: { by: category, to: { Bakery: [bakery@acme.example] } }\n"
)
BURSTING = variant('  filename: "acme-{{ run.local_date }}.csv"\n', BURST)
LINKED = (
    "  - storage: { url: s3://acme-reports/exports, link_expires: 7d }\n"
    "  - email: { to: [buyer@example.com], link: true, attach: false }\n"
)


def schema_accepts(text: str) -> bool:
    """What an editor concludes from the schema, given the YAML as a YAML 1.2 parser reads it.

    gitcron's own refusals of the text (anchors, duplicate keys, size) are not applied: the
    schema never sees them. A text no YAML parser reads is refused before any schema.
    """
    try:
        loader = yamlio.Loader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError:
        return False
    document = json.loads(json.dumps(data, default=str))  # dates as their ISO text, as in JSON
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    return validator.is_valid(document)


def _parametrized(test: Any) -> list[Any]:
    """The argument values of another test's `parametrize`, so its corpus stays in one place."""
    (mark,) = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
    return list(mark.args[1])


def _corpus() -> dict[str, str]:
    found: dict[str, str] = {}
    for case in rejections.CASES:
        found[f"rejections/{case.id}"] = case.values[0]
    for case in rejections.SECRETS:
        found[f"secrets/{case.id}"] = case.values[0]
    for case in _parametrized(phrases.test_schedule_phrases):
        change, expected = case.values
        if expected is not None:  # the one valid change is not a rejection
            found[f"phrases/{case.id}"] = json.dumps(phrases.good() | change)  # JSON is YAML
    for number, (cron, _phrase) in enumerate(
        _parametrized(cron_edges.test_a_character_cron_does_not_read_is_a_field_error)
    ):
        found[f"cron-edges/{number}"] = variant(DAILY, f'cron: "{cron}"')
    return found | RULES


# More rejections: what editors used to let through, and each rule the schema now states.
RULES = {
    "rules/no-job": GOOD.split("report:")[0] + "deliver:\n" + EMAIL,
    "rules/report-and-event": GOOD + "event: { type: report.daily }\n",
    "rules/paused-yes": GOOD + "paused: yes\n",
    "rules/paused-no": GOOD + "paused: no\n",
    "rules/paused-one": GOOD + "paused: 1\n",
    "rules/attach-off": variant(TO, TO + ", attach: off"),
    "rules/timezone-without-region": variant("Europe/London", "EST"),
    "rules/timezone-in-lower-case": variant("Europe/London", "europe/london"),
    "rules/cron-every-minute-step-1": variant(DAILY, 'cron: "*/1 9 * * *"'),
    "rules/cron-shortcut": variant(DAILY, 'cron: "@daily"'),
    "rules/cron-four-fields": variant(DAILY, 'cron: "0 9 * *"'),
    "rules/every-zero": variant(DAILY, "every: 0m"),
    "rules/every-without-unit": variant(DAILY, "every: 15"),
    "rules/weekdays-empty": variant(DAILY, 'weekly: { on: [], at: "09:00" }'),
    "rules/times-empty": variant(DAILY, "daily: { at: [] }"),
    "rules/once-with-offset": variant(DAILY, 'once: "2027-03-01 09:00+01:00"'),
    "rules/once-not-a-date": variant(DAILY, 'once: "next monday"'),
    "rules/email-empty-list": variant(TO, "to: []"),
    "rules/email-without-dot": variant(TO, "to: [buyer@example]"),
    "rules/owner-without-at": GOOD + "owner: jane.doe\n",
    "rules/customer-with-two-dots": GOOD + "customer: a..b\n",
    "rules/holidays-three-letters": GOOD + "skip: [holidays: USA]\n",
    "rules/storage-url-and-path": variant(EMAIL, "  - storage: { url: s3://b/x, path: exports }\n"),
    "rules/storage-no-place": variant(EMAIL, "  - storage: { link_expires: 7d }\n"),
    "rules/storage-ftp": variant(EMAIL, "  - storage: { url: ftp://files.example.com/x }\n"),
    "rules/webhook-not-an-address": variant(EMAIL, "  - webhook: { url: hooks.example.com }\n"),
    "rules/two-channels-in-one-item": variant(TO, TO + " }\n    webhook: { url: https://h.example"),
    "rules/sftp-without-user": variant(EMAIL, SFTP.replace("gitcron@", "")),
    "rules/sftp-without-login": variant(EMAIL, SFTP.replace("key_env", "known_hosts_env")),
    "rules/sftp-without-host-key": variant(EMAIL, SFTP.split("      known_hosts")[0]),
    "rules/link-without-storage": variant(TO, TO + ", link: true"),
    "rules/csv-bom-yes": variant("format: csv", "format: csv\n  csv: { bom: yes }"),
    "rules/sftp-parent-folder": variant(EMAIL, SFTP.replace("/incoming", "/in/../etc")),
    "rules/burst-to-a-webhook": variant(
        EMAIL, '  - email: {}\n  - webhook: { url: "https://hooks.example.com/x" }\n', BURSTING
    ),
    "rules/burst-email-with-to": BURSTING,
    # validator-only, listed below
    "rules/link-before-its-storage": variant(EMAIL, "\n".join(reversed(LINKED.split("\n")))[1:]),
    "rules/holidays-unknown-country": GOOD + "skip: [holidays: XX]\n",
    "rules/once-february-30": variant(DAILY, 'once: "2027-02-30 09:00"'),
    "rules/email-reserved-domain": variant(TO, "to: [buyer@example.local]"),
    "rules/email-without-to": variant(TO, 'subject: "Hi"'),
    "rules/template-attribute-of-text": variant(TO, TO + ', subject: "Hi {{ customer.nmae }}"'),
    "rules/template-unknown-run-value": variant("acme-{{ run.local_date }}", "{{ run.nope }}"),
    "rules/template-fails-when-rendered": variant(TO, TO + ', subject: "{{ 100 // rows }}"'),
}

_TEMPLATE = "what a template computes and which names it uses: only compiling it tells"
_SETTINGS = "named in gitcron.yaml, another file: the schedule schema cannot see it"
_TICK = "the gap between runs against gitcron.yaml's tick, another file"

# Rejected by validate, accepted by the schema, and why JSON Schema cannot say it.
VALIDATOR_ONLY = {
    # gitcron's YAML reader refuses these texts; a schema sees only the data they parse to
    "rejections/anchor": "anchors and aliases are expanded before any schema sees the data",
    "rejections/over-256-kib": "the size of the file: a schema sees values, not bytes",
    "rejections/duplicate-top-level-key": "a duplicate key is gone once parsed (the last wins);"
    " yaml-language-server reports it itself",
    "rejections/duplicate-nested-key": "the same: a duplicate key is gone once parsed",
    # timing
    "rejections/cron-minute-61": "the values of each cron field (cronsim's grammar): the schema"
    " checks five fields of cron's characters, validate names the field and its range",
    "rejections/cron-never-fires": "whether a date exists (February 30th) is calendar arithmetic",
    "rejections/cron-every-10-minutes": _TICK,
    "rejections/daily-five-minutes-apart": _TICK,
    "rejections/every-5m": _TICK,
    "rejections/inverted-active-window": "'until' after 'from': JSON Schema cannot compare values",
    "rejections/unknown-skip-calendar": _SETTINGS,
    "rules/holidays-unknown-country": "the countries and regions the holidays package knows:"
    " a list of hundreds that changes with it (the schema checks the two-letter shape)",
    "rules/once-february-30": "whether a date exists is calendar arithmetic",
    # what and how
    "rejections/unknown-dataset": _SETTINGS,
    "rejections/unknown-dataset-param": _SETTINGS,
    "rejections/dataset-param-typo": _SETTINGS,
    "rejections/filename-parent-folder-inside-braces": _TEMPLATE,
    "rejections/filename-unknown-variable": _TEMPLATE,
    "rejections/duplicate-delivery-target": "the same place written differently (BUYER@ and"
    " buyer@): uniqueItems compares exact values only",
    "rejections/customer-not-matching-folder": "the file's folder: a schema sees the document only",
    "rules/link-before-its-storage": "the order of list items: 'contains' says the storage is"
    " there, not that it comes first",
    "rules/template-attribute-of-text": _TEMPLATE,
    "rules/template-unknown-run-value": _TEMPLATE,
    "rules/template-fails-when-rendered": "what a template makes of a run's values: only"
    " rendering it for the run tells",
    "rules/email-reserved-domain": "the finer rules of addresses (reserved domains, lengths):"
    " the schema checks the shape",
    "rules/email-without-to": "the folder's customer file, another file, may give the email's to:",
    # secrets
    "secrets/token-in-description": "a token pasted in any text: the secret scan knows dozens"
    " of shapes in every string, with allow comments",
}

CORPUS = _corpus()


def test_validator_only_names_real_cases() -> None:
    assert set(VALIDATOR_ONLY) <= set(CORPUS)
    assert all(reason.strip() for reason in VALIDATOR_ONLY.values())


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_the_schema_refuses_what_validate_refuses(check: Callable[..., Run], case: str) -> None:
    text = CORPUS[case]
    run = check(text)
    assert run.code == 1, f"validate accepts {case}:\n{run.both}"
    accepted = schema_accepts(text)
    if case in VALIDATOR_ONLY:
        assert accepted, f"the schema now refuses {case}: remove it from VALIDATOR_ONLY"
    else:
        assert not accepted, f"the schema accepts {case}, which validate refuses:\n{run.out}"


# Valid files, some written in unusual ways validate accepts: the schema must accept them all.
EVENT_TO_WEBHOOK = rejections.EVENT
VALID = {
    "base": GOOD,
    "event": EVENT_TO_WEBHOOK,
    "event-with-report-null": EVENT_TO_WEBHOOK + "report: null\n",
    "event-to-the-outbox": EVENT_TO_WEBHOOK.split("deliver:")[0] + "deliver:\n  - outbox: {}\n",
    "paused-true": GOOD + "paused: true\nlabels: { approved: yes, mode: off }\n",
    "weekly-upper-case": variant(DAILY, "weekly: { on: MONDAY, at: 9:30 }"),
    "weekly-weekdays": variant(DAILY, 'weekly: { on: weekdays, at: "07:00" }'),
    "weekly-weekdays-list": variant(DAILY, 'weekly: { on: [weekdays], at: "07:00" }'),
    "weekly-short-names": variant(DAILY, 'weekly: { on: [Mon, fri], at: ["07:00", "16:00"] }'),
    "monthly-business-day": variant(DAILY, 'monthly: { on: Last  Business Day, at: "18:00" }'),
    "monthly-day-as-text": variant(DAILY, 'monthly: { on: "07", at: "18:00" }'),
    "monthly-2nd-tue": variant(DAILY, 'monthly: { on: 2nd tue, at: "18:00" }'),
    "cron-hash-and-question": variant(DAILY, 'cron: "0 9 ? * MON#1"'),
    "cron-last-day": variant(DAILY, 'cron: "30 8 L * *"'),
    "cron-last-friday": variant(DAILY, 'cron: "0 9 * * 5L"'),
    "cron-spaces": variant(DAILY, 'cron: "  0   */6 * * *  "'),
    "cron-lower-case-names": variant(DAILY, 'cron: "0 9 * jan mon-fri"'),
    "every-with-a-space": variant(DAILY, "every: 1h 30m"),
    "every-upper-case": variant(DAILY, "every: 6H"),
    "once-date-only": variant(DAILY, "once: 2027-01-01"),
    "once-with-t": variant(DAILY, 'once: "2027-01-01T09:00"'),
    "once-unquoted-seconds": variant(DAILY, "once: 2027-01-01 09:00:00"),
    "timezone-utc": variant("Europe/London", "UTC"),
    "timezone-gmt": variant("Europe/London", "GMT"),
    "timezone-three-parts": variant("Europe/London", "America/Argentina/Buenos_Aires"),
    "timezone-etc": variant("Europe/London", "Etc/GMT+5"),
    "owner-with-name": GOOD + 'owner: "Jane Doe <jane.doe@ourco.example>"\n',
    "email-single-address": variant(TO, "to: Buyer <buyer@example.com>, cc: x@example.co.uk"),
    "active-window": GOOD + "active: { from: 2026-01-01, until: 2030-01-01 09:00:00 }\n",
    "skip-everything": GOOD + "skip: [weekends, holidays: gb-eng, company-closures]\n",
    "timing-options": GOOD + "max_delay: 90s\ncatchup: all\nmax_runs: 3\non_closed: skip\n",
    "customer": GOOD + "customer: acme\n",
    "filename-with-comment": variant(
        'filename: "acme-{{ run.local_date }}.csv"',
        'filename: "{# dated #}{{ customer }}-{{ run.local_date }}.v2.csv"',
    ),
    "report-options": variant("format: csv", "format: csv\n  csv: { delimiter: ';', bom: true }"),
    "storage-link-then-email": variant(EMAIL, LINKED),
    "burst-to-email-storage-and-outbox": variant(
        EMAIL,
        "  - storage: { path: exports/acme }\n  - email: { bcc: [archive@ourco.example] }\n"
        "  - outbox: {}\n",
        BURSTING,
    ),
    "storage-path": variant(EMAIL, "  - storage: { path: exports/acme, key: x.csv }\n"),
    "sftp": variant(EMAIL, SFTP),
    "sftp-host-key-from-env": variant(
        EMAIL, SFTP.split("      known_hosts")[0] + "      known_hosts_env: ACME_SFTP_HOSTS\n"
    ),
    "notify-and-retry": GOOD
    + "notify: { on: [missed], webhook: HTTPS://hooks.example.com/x, email: ops@ourco.example }\n"
    + "retry: { attempts: 0, backoff: 1m }\n",
    "nulls": GOOD + "skip: []\ncatchup: ~\nmax_delay: null\nnotify:\n",
}


def _examples() -> dict[str, str]:
    return {
        f"example/{path.parent.name}/{path.stem}": path.read_text(encoding="utf-8")
        for path in discover(REPO)
    }


ACCEPTED = {f"valid/{name}": text for name, text in VALID.items()} | _examples()


GRANTS = (  # what the valid corpus's webhook and sftp deliveries name, granted as engineers would
    "credentials:\n"
    "  customer-webhook:"
    ' { env: CUSTOMER_WEBHOOK_SECRET, for: webhook, to: ["hooks.example.com"] }\n'
    '  acme-sftp-key: { env: ACME_SFTP_KEY, for: sftp, to: ["sftp.example.com"] }\n'
)


@pytest.fixture
def granted(empty_repo: Path) -> None:
    settings = empty_repo / "gitcron.yaml"
    text = settings.read_text("utf-8")
    assert text.count("\ncredentials:\n") == 1
    settings.write_text(text.replace("credentials:\n", GRANTS, 1), "utf-8")


@pytest.mark.parametrize("case", sorted(ACCEPTED))
@pytest.mark.usefixtures("granted")
def test_the_schema_accepts_what_validate_accepts(check: Callable[..., Run], case: str) -> None:
    text = ACCEPTED[case]
    # an example keeps its own path: its credentials are granted to its own customer
    run = (
        check(text, f"schedules/{case.removeprefix('example/')}.yaml")
        if case.startswith("example/")
        else check(text)
    )
    assert run.code == 0, f"validate refuses {case}:\n{run.out}"
    assert schema_accepts(text), f"the schema refuses {case}, which validate accepts"


SCAFFOLDS = {str(case.id): case.values[0] for case in [*scaffolds.FLAGS, *scaffolds.PAYLOADS]}


@pytest.mark.parametrize("case", sorted(SCAFFOLDS))
def test_what_gitcron_new_writes_passes_the_schema(
    empty_repo: Path, tmp_path: Path, case: str
) -> None:
    """The files `gitcron new` writes (the cases of tests/cli/test_new.py) pass the schema too."""
    given = SCAFFOLDS[case]
    if isinstance(given, dict):  # an old API payload
        payload = tmp_path / "payload.json"
        payload.write_text(json.dumps(given), encoding="utf-8")
        args = ["new", "--from-json", str(payload)]
    else:
        args = ["new", *given, "--email", "buyer@example.com"]
    run = invoke(["--repo", str(empty_repo), *args, "--stdout"])
    assert run.code == 0, run.both
    assert schema_accepts(run.out), run.out
