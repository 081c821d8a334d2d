"""The preview as GitHub Markdown, for a job summary or a pull-request comment.

Text from schedule files is put in code spans or escaped, so a description cannot break a table
or mention someone. Output over GitHub's 1 MiB job-summary limit is cut with a note.
"""

from __future__ import annotations

from datetime import UTC

from gitcron.config.problems import Problem, format_text
from gitcron.review.changes import CustomerChange, Row
from gitcron.review.escape import SUMMARY_LIMIT, cell, plain
from gitcron.review.preview import Item, Preview, counts
from gitcron.review.rendered import NextRun
from gitcron.review.view import View
from gitcron.review.words import code

TITLES = {
    "invalid": "Invalid",
    "added": "Added",
    "changed": "Changed",
    "paused": "Paused",
    "resumed": "Resumed",
    "removed": "Removed",
}


def render(preview: Preview) -> str:
    """The whole preview; `truncate` it before writing to a job summary."""
    parts = [_header(preview), *(_warning(p) for p in preview.warnings)]
    if preview.last_tick is None and "added" in counts(preview):
        parts.append(
            "No tick has run in this repo yet: the first one only records the time, so no fire"
            " before it runs."
        )
    parts += _settings(preview)
    parts += [_customer(change) for change in preview.changes.customers]
    parts += [_item(item) for item in preview.items]
    if not preview.items and not preview.changes.settings_rows and not preview.changes.customers:
        parts.append("No schedule changes.")
    return "\n\n".join(parts) + "\n"


def _header(preview: Preview) -> str:
    found = counts(preview)
    tally = ", ".join(f"{n} {kind}" for kind, n in found.items()) or "no schedule changes"
    return (
        "## gitcron preview\n\n"
        f"Compared with `{code(preview.ref)}` (merge-base `{preview.base[:12]}`) "
        f"as of {preview.now.astimezone(UTC):%Y-%m-%d %H:%M} UTC: {tally}."
    )


def _warning(problem: Problem) -> str:
    fix = f"<br>Fix: {plain(problem.hint)}" if problem.hint else ""
    return f"> [!WARNING]\n> `{problem.file}`: {plain(problem.message)}{fix}"


def _settings(preview: Preview) -> list[str]:
    changes = preview.changes
    if not changes.settings_rows and not changes.settings_problems:
        return []
    text = "### Settings: `gitcron.yaml`\n\n"
    if changes.settings_rows:
        text += "Every schedule uses these; `gitcron validate` checks them all.\n\n"
        text += _rows(changes.settings_rows)
    if changes.settings_problems:
        text += "\n\n" + _problems(changes.settings_problems)
    return [text]


def _customer(change: CustomerChange) -> str:
    text = f"### Customer file: `{code(change.file)}`\n\n"
    if change.schedules:
        names = ", ".join(f"`{code(sid)}`" for sid in change.schedules)
        text += f"Its schedules inherit this change, each shown below: {names}.\n\n"
    else:
        text += "No schedule inherits from it yet.\n\n"
    return text + _rows(change.rows)


def _problems(problems: list[Problem]) -> str:
    lines = "\n".join(format_text(p) for p in problems).replace("```", "'''")
    return f"```text\n{lines}\n```"


def _item(item: Item) -> str:
    change = item.change
    head = f"### {TITLES[change.kind]}: `{code(change.sid)}`"
    if change.kind == "invalid":
        through = f" (through `{code(change.inherits)}`)" if change.inherits else ""
        return (
            f"{head}\n\n`{change.file}`{through} will not run until this is fixed:\n\n"
            + _problems(item.problems)
        )
    if change.kind == "removed":
        was = _facts(item.before) if item.before else "It did not pass validation."
        return f"{head}\n\n`{change.file}` is deleted: it will not run again.\n\n{was}"
    body = [head]
    if change.inherits is not None:
        body.append(f"Changed through its customer file `{code(change.inherits)}`.")
    if change.kind == "paused":
        body.append("No runs until `paused: false`; runs due while paused are never made up.")
    if change.kind == "resumed":
        body.append("Runs again from the next tick; runs due while it was paused are not made up.")
    if item.rows:
        body.append(_rows(item.rows))
    if item.after is not None:
        body.append(_view(item.after))
        if item.next_run is not None and item.next_run.lines:
            body.append(_next_run(item.next_run, item.after))
    return "\n\n".join(body)


def _next_run(found: NextRun, view: View) -> str:
    """What the next run's templates render to; a failing one in words, as the run would fail."""
    local = found.fire.astimezone(view.timing.zone)
    lines = [f"**Next run** ({local:%a %Y-%m-%d %H:%M %Z}) renders:", ""]
    for line in found.lines:
        if line.error is not None:
            lines.append(f"- {plain(line.what)}: the run will fail: {plain(line.error)}")
        else:
            lines.append(f"- {plain(line.what)}: `{code(line.text or '')}`")
    return "\n".join(lines)


def _rows(rows: list[Row]) -> str:
    lines = ["| field | before | after |", "|---|---|---|"]
    lines += [f"| {name} | {cell(a)} | {cell(b)} |" for name, a, b in rows]
    return "\n".join(lines)


def _facts(view: View) -> str:
    lines = [f"> {plain(view.description)}", ""] if view.description else []
    targets = "; ".join(view.deliveries) or "nothing (outbox only)"
    lines += [
        f"- **When:** {view.when}",
        f"- **Sends:** {view.sends}",
        f"- **To:** {targets}",
    ]
    return "\n".join(lines)


def _view(view: View) -> str:
    parts = [_facts(view)]
    if view.warnings:
        parts.append("**Warnings**\n\n" + "\n".join(f"- {_note(w)}" for w in view.warnings))
    if view.fires:
        parts.append(_fires(view))
    elif not view.paused:
        parts.append("No upcoming runs.")
    return "\n\n".join(parts)


def _note(text: str) -> str:
    return plain(text).replace("\\`", "`")  # keep the code spans our own sentences use


def _fires(view: View) -> str:
    zone = view.timing.zone
    lines = [f"| # | local ({zone.key}) | UTC | note |", "|---:|---|---|---|"]
    runs = 0
    for fire in view.fires:
        note = ""
        if fire.closed:
            note = f"skipped: {fire.closed}"
        else:
            runs += 1
            if fire.at != fire.nominal:
                note = f"moved from {fire.nominal.astimezone(zone):%a %Y-%m-%d}, a closed day"
        number = "" if fire.closed else str(runs)
        local = fire.at.astimezone(zone)
        lines.append(
            f"| {number} | {local:%a %Y-%m-%d %H:%M %Z} | {fire.at.astimezone(UTC):%Y-%m-%d %H:%M}"
            f" | {cell(note)} |"
        )
    return "\n".join(lines)


def truncate(text: str, limit: int = SUMMARY_LIMIT) -> str:
    """`text` cut at a line so that it and a closing note fit in `limit` bytes of UTF-8."""
    size = len(text.encode())
    if size <= limit:
        return text
    note = (
        f"\n\n---\n**Preview truncated**: it is {size:,} bytes and a GitHub job summary holds "
        f"{limit:,}. Run `gitcron preview --base REF` locally to read all of it.\n"
    )
    budget = limit - len(note.encode()) - len("```\n")
    kept: list[str] = []
    used = 0
    for line in text.splitlines(keepends=True):
        used += len(line.encode())
        if used > budget:
            break
        kept.append(line)
    if sum(line.startswith("```") for line in kept) % 2:
        kept.append("```\n")  # close a code block cut in the middle
    return "".join(kept).rstrip("\n") + note
