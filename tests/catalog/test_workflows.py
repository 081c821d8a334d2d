"""`gitcron validate` reads the workflows: each granted secret passed to the step that delivers,
and no secret passed that gitcron.yaml does not declare."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gitcron.catalog import workflows
from gitcron.catalog.load import load, load_settings
from gitcron.catalog.named_variables import Named, named_variables
from gitcron.catalog.workflows import subcommands
from gitcron.config import yamlio
from support import REPO, Run, invoke

TICK = ".github/workflows/tick.yml"
SHARDED = ".github/workflows/tick-sharded.yml"
GRANTED = "          CUSTOMER_004_WEBHOOK_SECRET: ${{ secrets.CUSTOMER_004_WEBHOOK_SECRET }}"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of this repository's gitcron.yaml, schedules and workflows."""
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    shutil.copytree(REPO / "schedules", root / "schedules")
    shutil.copytree(REPO / ".github", root / ".github")
    return root


def validate(root: Path, *args: str) -> Run:
    return invoke(["--repo", str(root), "validate", *args])


def drop_grant(root: Path, rel: str) -> None:
    """Remove the line passing the example's credential (and its comment) from a workflow."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(GRANTED)]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(root: Path, rel: str, text: str) -> int:
    """The line number of the only line of a workflow that starts with `text` (the workflows
    change, so a test finds the line it planted instead of pinning its number)."""
    lines = (root / rel).read_text(encoding="utf-8").splitlines()
    found = [number for number, line in enumerate(lines, start=1) if line.startswith(text)]
    assert len(found) == 1, text
    return found[0]


def _pass_from_secrets(repo: Path) -> None:
    """Both tick workflows pass HOST_KEY from secrets. to their delivering step."""
    for rel in (TICK, SHARDED):
        text = (repo / rel).read_text(encoding="utf-8")
        passed = f"\n          {HOST_KEY}: ${{{{ secrets.{HOST_KEY} }}}}"
        (repo / rel).write_text(
            "\n".join(x + passed if x.startswith(GRANTED) else x for x in text.split("\n")),
            encoding="utf-8",
        )


def test_the_shipped_example_passes(repo: Path) -> None:
    run = validate(repo)
    assert (run.code, run.out) == (0, "7 schedule files checked: no problems.\n")


def test_a_grant_the_tick_step_does_not_pass(repo: Path) -> None:
    drop_grant(repo, TICK)
    run = validate(repo)
    assert run.code == 0  # a warning: the schedule is right, the workflow is not
    headline, fix, summary = run.out.splitlines()
    env = line_of(repo, "gitcron.yaml", "    env: CUSTOMER_004_WEBHOOK_SECRET")
    assert headline == (
        f"gitcron.yaml:{env}:5: warning: credentials.customer-004-hooks.env:"
        f" CUSTOMER_004_WEBHOOK_SECRET is granted here, but the step 'Tick' of {TICK} does not"
        " pass it to gitcron, so deliveries using 'customer-004-hooks' fail there"
    )
    assert fix == (
        "    fix: add `CUSTOMER_004_WEBHOOK_SECRET: ${{ secrets.CUSTOMER_004_WEBHOOK_SECRET }}`"
        " under env: of that step"
    )
    assert summary == "0 errors, 1 warning in gitcron.yaml; none in 7 schedule files."
    assert validate(repo, "--strict").code == 1


def test_a_secret_nothing_declares(repo: Path) -> None:
    edit(
        repo,
        TICK,
        GRANTED,
        GRANTED + "\n          OLD_FTP_PASSWORD: ${{ secrets.OLD_FTP_PASSWORD }}",
    )
    run = validate(repo)
    line = line_of(repo, TICK, "          OLD_FTP_PASSWORD:")
    assert run.out.splitlines()[:2] == [
        f"{TICK}:{line}:11: warning: jobs.tick.steps item 5, env.OLD_FTP_PASSWORD: the secret"
        " OLD_FTP_PASSWORD is passed to gitcron here, but gitcron.yaml declares no use of it",
        "    fix: remove this line, or declare the variable in gitcron.yaml (a schedule's secret is"
        " a credentials: entry, docs/grants.md)",
    ]


def test_a_secret_given_to_the_whole_job(repo: Path) -> None:
    drop_grant(repo, TICK)
    edit(
        repo,
        TICK,
        "    timeout-minutes: 30\n",
        "    timeout-minutes: 30\n    env:\n" + GRANTED.replace("          ", "      ") + "\n",
    )
    run = validate(repo)
    line = line_of(repo, TICK, "      CUSTOMER_004_WEBHOOK_SECRET:")
    assert run.out.splitlines()[0] == (
        f"{TICK}:{line}:7: warning: jobs.tick.env.CUSTOMER_004_WEBHOOK_SECRET: the secret"
        " CUSTOMER_004_WEBHOOK_SECRET is given to every step of this job, not only to the one"
        " that runs gitcron"
    )


def test_a_credential_given_to_a_step_that_delivers_nothing(repo: Path) -> None:
    edit(
        repo,
        SHARDED,
        "          SHARDS: ${{ inputs.shards || '4' }}\n",
        "          SHARDS: ${{ inputs.shards || '4' }}\n" + GRANTED + "\n",
    )
    run = validate(repo)
    line = line_of(repo, SHARDED, "          SHARDS:") + 1
    assert run.out.splitlines()[0].startswith(
        f"{SHARDED}:{line}:11: warning: jobs.plan.steps item 4, env.CUSTOMER_004_WEBHOOK_SECRET:"
        " the step 'Plan the tick and split it' delivers nothing, so it does not need"
    )


def test_an_unreadable_workflow_is_said_not_checked(repo: Path) -> None:
    (repo / ".github/workflows/broken.yml").write_text("jobs: [\n", encoding="utf-8")
    run = validate(repo)
    assert run.out.startswith(
        ".github/workflows/broken.yml:2:1: warning: gitcron cannot read this workflow, so the"
        " secrets it passes were not checked: this is not valid YAML"
    )


def test_checking_some_files_leaves_the_workflows_alone(repo: Path) -> None:
    drop_grant(repo, TICK)
    run = validate(repo, "schedules/customer-004/stock-event.yaml")
    assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")


def test_on_stays_a_key() -> None:
    """YAML 1.1 reads `on:` as true; the project's loader keeps the key as written."""
    doc = yamlio.read(TICK, (REPO / TICK).read_text(encoding="utf-8"))
    assert "on" in doc.data
    assert True not in doc.data


@pytest.mark.parametrize(
    ("script", "found"),
    [
        pytest.param("gitcron run --commit --push", {"run"}, id="run"),
        pytest.param('gitcron trigger "$SCHEDULE" "${args[@]}"', {"trigger"}, id="trigger"),
        pytest.param('gitcron --repo . --at "$AT" run', {"run"}, id="group options first"),
        pytest.param("python -m gitcron validate || status=$?", {"validate"}, id="python -m"),
        pytest.param('x=1; gitcron plan --at "$at" > plan.json && gitcron run', {"plan", "run"}),
        pytest.param(".venv/bin/gitcron commit --records records", {"commit"}, id="a path"),
        pytest.param("echo gitcron-validate; pip install gitcron", set(), id="words only"),
        pytest.param("echo done", set(), id="none"),
    ],
)
def test_the_gitcron_commands_of_a_script(script: str, found: set[str]) -> None:
    assert subcommands(script) == found


HOST_KEY = "CUSTOMER_003_SFTP_HOST_KEY"
DAILY = "schedules/customer-003/daily-products.yaml"
SFTP = f"""  - sftp:
      url: sftp://reports@sftp.customer3.example.com/incoming
      key_env: CUSTOMER_003_SFTP_KEY
      known_hosts_env: {HOST_KEY}
  - webhook:
      url: https://hooks.customer3.example.com/in
      secret_env: CUSTOMER_003_HOOK_SECRET
"""


def named_in(root: Path) -> list[Named]:
    """The variables the daily schedule names, as the whole repository's check gets them."""
    catalog = load(root, datetime(2026, 12, 7, tzinfo=UTC), [str(root / DAILY)], rehearse=False)
    [entry] = catalog.entries
    assert entry.schedule is not None, entry.problems
    return named_variables(entry.file, entry.schedule, entry.text)


def test_every_variable_a_schedule_names_is_found_at_its_line(repo: Path) -> None:
    with (repo / DAILY).open("a", encoding="utf-8") as schedule:
        schedule.write(SFTP)
    lines = (repo / DAILY).read_text("utf-8").splitlines()
    found = [(n.variable, n.where, n.line) for n in named_in(repo)]
    assert found == [
        (variable, f"delivery {position}, {channel}.{key}",
         lines.index(f"      {key}: {variable}") + 1)
        for variable, position, channel, key in (
            ("CUSTOMER_003_SFTP_KEY", 2, "sftp", "key_env"),
            (HOST_KEY, 2, "sftp", "known_hosts_env"),
            ("CUSTOMER_003_HOOK_SECRET", 3, "webhook", "secret_env"),
        )
    ]  # fmt: skip


def test_a_variable_a_schedule_names_that_a_delivering_step_does_not_pass(repo: Path) -> None:
    with (repo / DAILY).open("a", encoding="utf-8") as schedule:
        schedule.write(SFTP)
    settings, problems = load_settings(repo)
    assert not problems
    named = [n for n in named_in(repo) if n.variable == HOST_KEY]
    found = [p for p in workflows.check(repo, settings, named).problems if p.file == DAILY]
    line = named[0].line
    assert {(p.line, p.severity, p.message) for p in found} == {
        (line, "warning", f"{HOST_KEY} is named here, but the step '{title}' of {file} does not"
         " pass it to gitcron, so this delivery fails there")
        for title, file in (("Tick", TICK), ("Run this shard's runs (records only, no state)",
                            SHARDED), ("Run by hand", SHARDED))
    }  # fmt: skip
    assert found[0].hint == (
        f"add `{HOST_KEY}: ${{{{ vars.{HOST_KEY} }}}}` under env: of that step (a repository"
        " variable; use secrets. for a secret)"
    )
    # passed to each (here as a secret): no warning at the schedule, and none at the workflow
    _pass_from_secrets(repo)
    assert workflows.check(repo, settings, named).problems == []
    said = [p.message for p in workflows.check(repo, settings).problems]  # without the schedule's
    assert (
        f"the secret {HOST_KEY} is passed to gitcron here, but gitcron.yaml declares no use"
        " of it" in said
    )


SFTP_GRANTED = f"""  - sftp:
      url: sftp://reports@sftp.customer3.example.com/incoming
      key: customer-003-sftp
      known_hosts_env: {HOST_KEY}
"""
SFTP_GRANT = """credentials:
  customer-003-sftp:
    env: CUSTOMER_003_SFTP_KEY
    for: sftp
    to: ["sftp://reports@sftp.customer3.example.com/incoming"]
    customers: [customer-003]
"""


def test_validate_checks_the_variables_schedules_name_against_the_workflows(repo: Path) -> None:
    edit(repo, "gitcron.yaml", "credentials:\n", SFTP_GRANT)
    with (repo / DAILY).open("a", encoding="utf-8") as schedule:
        schedule.write(SFTP_GRANTED)
    line = (repo / DAILY).read_text("utf-8").splitlines().index(
        f"      known_hosts_env: {HOST_KEY}"
    ) + 1
    catalog = load(repo, datetime(2026, 12, 7, tzinfo=UTC))
    assert not [p for p in catalog.problems if p.severity == "error"], catalog.problems
    found = [p for p in catalog.problems if p.file == DAILY]
    assert {(p.line, p.col, p.severity, p.message) for p in found} == {
        (line, 24, "warning", f"{HOST_KEY} is named here, but the step '{title}' of {file} does"
         " not pass it to gitcron, so this delivery fails there")
        for title, file in (("Tick", TICK), ("Run this shard's runs (records only, no state)",
                            SHARDED), ("Run by hand", SHARDED))
    }  # fmt: skip
    said = validate(repo)
    assert f"{DAILY}:{line}:24" in said.both, said.both
    # passed from secrets. to each delivering step: the schedule declares it, so no warning
    _pass_from_secrets(repo)
    messages = [p.message for p in load(repo, datetime(2026, 12, 7, tzinfo=UTC)).problems]
    assert not [m for m in messages if HOST_KEY in m], messages


def test_a_variable_named_under_a_key_spelt_with_an_escape_is_found(repo: Path) -> None:
    spelt = re.sub(r"(\w+)_env:", r'"\1\\x5fenv":', SFTP)  # "key\x5fenv": the same key
    assert "_env" not in spelt
    with (repo / DAILY).open("a", encoding="utf-8") as schedule:
        schedule.write(spelt)
    assert HOST_KEY in [n.variable for n in named_in(repo)]
