"""`gitcron new`: write a schedule file from flags, or from the old scheduling API's payload."""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from gitcron.catalog.files import SCHEDULES_DIR, schedule_id, schedule_path
from gitcron.catalog.load import Entry, check_entry, load_settings
from gitcron.cli import output
from gitcron.cli.options import Env
from gitcron.config.problems import format_text
from gitcron.errors import GitcronError, UsageError

MODELINE = "# yaml-language-server: $schema=../../schema/schedule.schema.json"
FORMATS = {"excel": "xlsx", "xlsx": "xlsx", "csv": "csv", "pdf": "pdf", "json": "json"}
_ID_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # as validate requires


@dataclass
class Draft:
    """The answers a schedule file is written from."""

    sid: str
    when: dict[str, Any]
    timezone: str | None = None
    dataset: str = "products"
    fmt: str = "xlsx"
    emails: list[str] = field(default_factory=list)
    description: str | None = None


def _q(value: Any) -> str:
    """A YAML scalar that means the same to every YAML reader (JSON strings are valid YAML)."""
    return json.dumps(value) if isinstance(value, str) else str(value).lower()


def _flow(mapping: dict[str, Any]) -> str:
    items = []
    for key, value in mapping.items():
        shown = (
            "[" + ", ".join(_q(v) for v in value) + "]" if isinstance(value, list) else _q(value)
        )
        items.append(f"{key}: {shown}")
    return "{ " + ", ".join(items) + " }"


def render(draft: Draft) -> str:
    """The file text, laid out the way people write schedules by hand."""
    customer, name = draft.sid.split("/", 1)
    ((form, spec),) = draft.when.items()
    when = _flow(spec) if isinstance(spec, dict) else _q(spec)
    lines = [MODELINE]
    lines.append(f"description: {_q(draft.description or f'{name} for {customer}')}")
    if draft.timezone:
        lines.append(f"timezone: {draft.timezone}")
    lines += ["schedule:", f"  {form}: {when}", "report:", f"  dataset: {draft.dataset}"]
    lines.append(f"  format: {draft.fmt}")
    filename = f"{customer}-{draft.dataset}-{{{{ run.local_date }}}}.{draft.fmt}"
    lines.append(f"  filename: {_q(filename)}")
    if draft.emails:
        lines += ["deliver:", f"  - email: {{ to: [{', '.join(_q(e) for e in draft.emails)}] }}"]
    else:  # a report must go somewhere: the outbox folder, until an address is added
        lines += ["deliver:", "  - outbox: {}"]
    return "\n".join(lines) + "\n"


_SEED_FORMS = {"daily", "weekly", "monthly-first-weekday", "monthly-last-weekday", "custom"}


def from_payload(payload: Any, sid: str | None) -> Draft:
    """The old API's request (`customerId`, `scheduleType`, `config`, ...) as a draft."""
    if not isinstance(payload, dict):
        raise UsageError("the payload is not a JSON object", "fix the payload")
    kind = payload.get("scheduleType")
    if kind not in _SEED_FORMS:
        raise UsageError(
            f"scheduleType '{kind}' is not one of {', '.join(sorted(_SEED_FORMS))}",
            "fix the payload",
        )
    config = payload.get("config") or {}
    if not isinstance(config, dict):
        raise UsageError("the payload's config is not a JSON object", "fix the payload")
    time, day = config.get("time"), str(config.get("dayOfWeek", "")).lower()
    forms: dict[str, dict[str, Any]] = {
        "daily": {"daily": {"at": time}},
        "weekly": {"weekly": {"on": day, "at": time}},
        "monthly-first-weekday": {"monthly": {"on": f"first {day}", "at": time}},
        "monthly-last-weekday": {"monthly": {"on": f"last {day}", "at": time}},
        "custom": {"cron": config.get("cronExpression")},
    }
    when = forms[str(kind)]
    dataset = str(payload.get("fileType") or "products")
    customer = str(payload.get("customerId") or "")
    if not customer and not sid:
        raise UsageError("the payload has no customerId", "add customerId or give an ID")
    short = {"monthly-first-weekday": "monthly", "monthly-last-weekday": "monthly"}.get(kind, kind)
    fmt = str(payload.get("format") or "excel").lower()
    if fmt not in FORMATS:
        raise UsageError(f"format '{fmt}' is not one of excel, csv, pdf, json", "fix the payload")
    email = payload.get("customerEmail")
    return Draft(
        sid=sid or f"{customer}/{short}-{dataset}",
        when=when,
        timezone=payload.get("timezone"),
        dataset=dataset,
        fmt=FORMATS[fmt],
        emails=[email] if email else [],
    )


def _when_from_flags(options: dict[str, Any]) -> dict[str, Any]:
    at = list(options["time"]) or None
    chosen = {
        "daily": {"at": at} if options["daily"] else None,
        "weekly": {"on": list(options["weekly"]), "at": at} if options["weekly"] else None,
        "monthly": {"on": options["monthly"], "at": at} if options["monthly"] else None,
        "cron": options["cron"],
        "once": options["once"],
        "every": options["every"],
    }
    given = {k: v for k, v in chosen.items() if v}
    if len(given) != 1:
        raise UsageError(
            "say when it runs with exactly one of --daily, --weekly, --monthly, --cron, --once,"
            " --every",
            "e.g. gitcron new acme/weekly --weekly monday --time 09:00",
        )
    ((form, spec),) = given.items()
    if isinstance(spec, dict):
        if spec["at"] is None:
            raise UsageError(f"--{form} needs --time HH:MM", f"e.g. --{form} ... --time 09:00")
        spec = {k: (v[0] if isinstance(v, list) and len(v) == 1 else v) for k, v in spec.items()}
    return {form: spec}


_TIME_OF_DAY = re.compile(r"^\d{1,2}:\d{2}$")


def _old_at(env: Env, options: dict[str, Any]) -> None:
    """`new --at 09:00` meant a time of day before `--time` had a name of its own: it still
    does, with a note; any other `--at` is the instant taken as now, as in every command."""
    given = options.pop("old_at")
    if given and all(_TIME_OF_DAY.match(value) for value in given):
        output.warn(
            "`gitcron new --at HH:MM` is deprecated and will mean the instant taken as now, as"
            " in every other command; write the time of day as --time HH:MM"
        )
        options["time"] = (*options["time"], *given)
    elif len(given) == 1:
        env.at, env.at_source = given[0], "--at"
    elif given:
        raise UsageError("--at is the instant taken as now: give it once", "times of day: --time")


def run(root: Path, now: datetime, draft: Draft, to_stdout: bool) -> int:
    """Write the draft (or print it), refusing files that would not validate."""
    draft.sid = schedule_id(draft.sid)
    if "/" not in draft.sid:
        raise UsageError(
            f"'{draft.sid}' has no customer folder", "give an id like acme-corp/weekly-products"
        )
    wrong = next((part for part in draft.sid.split("/") if not _ID_PART.match(part)), None)
    if wrong is not None:
        raise UsageError(
            f"'{wrong}' cannot be part of a schedule id",
            "use letters, digits, '-', '_' or '.', e.g. acme-corp/weekly-products",
        )
    text = render(draft)
    path = schedule_path(root, draft.sid)
    if path.exists() and not to_stdout:
        raise GitcronError(f"{SCHEDULES_DIR}/{draft.sid}.yaml already exists", "pick another id")
    settings, _ = load_settings(root)
    rel = path.relative_to(root).as_posix()
    entry = check_entry(Entry(draft.sid, rel, text), settings, now)
    errors = [p for p in entry.problems if p.severity == "error"]
    if errors:
        report = "\n".join(format_text(p) for p in errors)
        raise GitcronError(f"the new schedule would not be valid:\n{report}", "change the options")
    if to_stdout:
        output.say(text, nl=False)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        output.say(f"wrote {entry.file}; check it with: gitcron next {draft.sid}")
    return 0


@click.command("new")
@click.argument("schedule_id", required=False)
@click.option("--daily", is_flag=True, help="Every day, at --time.")
@click.option("--weekly", multiple=True, metavar="DAY", help="On this weekday (repeatable).")
@click.option("--monthly", metavar="ON", help="'first monday', 'last friday', 15, 'last day'.")
@click.option("--cron", metavar="EXPR", help="A 5-field cron expression.")
@click.option("--once", metavar="DATETIME", help="Once, at 'YYYY-MM-DD HH:MM' local time.")
@click.option("--every", metavar="DURATION", help="Every 6h, 1d, ...")
@click.option("--time", multiple=True, metavar="HH:MM", help="Time of day (repeatable).")
@click.option(
    "--at",
    "old_at",
    multiple=True,
    metavar="ISO",
    help="Take this instant as now. (--at HH:MM, the old spelling of --time, still works.)",
)
@click.option("--timezone", metavar="ZONE", help="IANA timezone, e.g. Europe/London.")
@click.option("--dataset", default="products", show_default=True)
@click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), default="xlsx")
@click.option("--email", multiple=True, metavar="ADDRESS", help="Send to (repeatable).")
@click.option("--description")
@click.option(
    "--from-json",
    type=click.File("r"),
    metavar="FILE",
    help="The old API's JSON payload ('-' for standard input).",
)
@click.option("--stdout", "to_stdout", is_flag=True, help="Print the file instead of writing it.")
@click.pass_obj
def command(env: Env, /, schedule_id: str | None, **options: Any) -> int:
    """Scaffold schedules/SCHEDULE_ID.yaml (e.g. acme-corp/weekly-products)."""
    _old_at(env, options)
    source = options.pop("from_json")
    if source is not None:
        try:
            payload = json.load(source if source.name != "<stdin>" else sys.stdin)
        except json.JSONDecodeError as error:
            raise UsageError(f"the payload is not JSON: {error}", "check the file") from None
        draft = from_payload(payload, schedule_id)
    else:
        if not schedule_id:
            raise UsageError("give an id like acme-corp/weekly-products", "or use --from-json")
        draft = Draft(
            sid=schedule_id,
            when=_when_from_flags(options),
            timezone=options["timezone"],
            dataset=options["dataset"],
            fmt=FORMATS[options["fmt"]],
            emails=list(options["email"]),
            description=options["description"],
        )
    return run(env.root, env.now, draft, options["to_stdout"])
