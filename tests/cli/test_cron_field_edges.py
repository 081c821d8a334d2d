"""Cron fields at the edges of the grammar, through the CLI on a copy of the example repo.

- A field with a character cron does not read (a superscript '¹' pasted from a document) is a
  normal error at the file's line and column with a fix, and the other files still get their
  report: no internal error, whatever the text.
- A one-value range with a step (`0-0/15`) is that one value, as in Debian cron: `next`, the
  validator and the pull-request preview all say 09:00, not every 15 minutes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from support import REPO, Run, invoke, variant

FILE = "schedules/acme/test.yaml"
DAILY = 'daily: { at: "08:00" }'  # line 4 of GOOD; the cron value starts at column 9


def write(repo: Path, text: str, rel: str = FILE) -> None:
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("cron", "phrase"),
    [
        ("¹ 9 * * *", "the minute field '¹' has the character '¹' (U+00B9 SUPERSCRIPT ONE)"),
        ("0 ² * * *", "the hour field '²' has the character '²' (U+00B2 SUPERSCRIPT TWO)"),
        ("0 9 ¹ * *", "the day-of-month field '¹' has the character '¹'"),
        ("0 9 * ¹ *", "the month field '¹' has the character '¹'"),
        ("0 9 * * 1#¹", "the day-of-week field '1#¹' has the character '¹'"),
        ("*/¹ 9 * * *", "the minute field '*/¹' has the character '¹'"),
        (
            "٣ 9 * * *",
            "the minute field '٣' has the character '٣' (U+0663 ARABIC-INDIC DIGIT THREE)",
        ),
        (
            "0 9 * * \u017fun",
            "the day-of-week field '\u017fun' has the character '\u017f' (U+017F LATIN SMALL",
        ),
        (
            "0\u200b 9 * * *",
            "the minute field '0\u200b' has the character '\u200b' (U+200B ZERO WIDTH SPACE)",
        ),
    ],
)
def test_a_character_cron_does_not_read_is_a_field_error(
    repo: Path, gitcron: Callable[..., Run], cron: str, phrase: str
) -> None:
    write(repo, variant(DAILY, f'cron: "{cron}"'))
    run = gitcron("validate")
    run.assert_clean_failure(1)
    (problem,) = run.headlines()  # the example schedules still get checked, and pass
    assert (problem.file, problem.line, problem.col, problem.severity) == (FILE, 4, 9, "error")
    assert problem.rest.startswith(f"schedule.cron: {phrase}"), problem.rest
    assert problem.rest.endswith("which cron does not read")
    assert problem.fix is not None
    assert problem.fix.startswith("retype the field on the keyboard")
    assert run.out.rstrip().endswith("1 error, 0 warnings in 1 of 8 schedule files.")


# Cron's own characters with digits and numbers of every script ('٣', '¹', '④'), or anything
CRON_LIKE = st.one_of(st.sampled_from("0123456789*,-/#?LW"), st.characters(categories=("Nd", "No")))
FIELD = st.one_of(
    st.text(CRON_LIKE, min_size=1, max_size=6),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=8),
)


@given(field=FIELD)
@example(field="¹")  # the case: int('¹') ended validate with an internal error
@example(field="1#²")
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_no_text_in_a_cron_field_crashes_validate(field: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
        cron = json.dumps(f"{field} 9 * * *", ensure_ascii=True)  # a valid YAML string
        write(root, variant(DAILY, f"cron: {cron}"))
        run = invoke(["--repo", folder, "validate"])
    assert run.code in (0, 1), run.both
    assert "internal error" not in run.both
    assert "Traceback" not in run.both


QUARTER = variant(DAILY, 'cron: "0-0/15 9 * * *"')


def test_one_value_range_with_a_step_runs_once(repo: Path, gitcron: Callable[..., Run]) -> None:
    write(repo, QUARTER)
    run = gitcron("next", "acme/test", "-n", "3", "--format", "json")
    assert run.code == 0, run.both
    assert run.json()["runs"] == [  # Debian cron: 0-0/15 is minute 0 only
        "2026-11-23T09:00:00+00:00",
        "2026-11-24T09:00:00+00:00",
        "2026-11-25T09:00:00+00:00",
    ]
    checked = gitcron("validate")
    assert checked.code == 0, checked.both
    (warning,) = checked.headlines()
    assert (warning.line, warning.col, warning.severity) == (4, 9, "warning")
    assert "'0-0/15' in the minute field means only 0" in warning.rest


def test_the_preview_words_a_one_value_range_as_one_time(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "gitcron.yaml", root / "gitcron.yaml")
    git_env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **{f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER")
           for what, value in (("NAME", "Test"), ("EMAIL", "test@example.com"))},
    }  # fmt: skip
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=root, env=git_env, check=True, capture_output=True)
    write(root, QUARTER)
    run = invoke(["--repo", str(root), "preview", "--base", "main"])
    assert run.code == 0, run.both
    assert "- **When:** at 09:00 (cron `0-0/15 9 * * *`), Europe/London" in run.out
