"""`gitcron new`: write a schedule file from flags, or from the old scheduling API's payload.

In a customer folder with a customer file, the schedule leaves out what it inherits
(`cli.new.customer`)."""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from gitcron.catalog.files import SCHEDULES_DIR, schedule_id, schedule_path
from gitcron.catalog.load import Entry, check_entry, load_settings
from gitcron.cli import output
from gitcron.cli.new.customer import customer_for, leave_out
from gitcron.cli.new.draft import FORMATS, Draft, render
from gitcron.cli.new.payload import from_payload
from gitcron.cli.options import Env
from gitcron.config.problems import format_text
from gitcron.errors import GitcronError, UsageError

_ID_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")  # as validate requires


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


def run(
    root: Path, now: datetime, draft: Draft, to_stdout: bool, customer_name: str | None = None
) -> int:
    """Write the draft (or print it), refusing files that would not validate; `customer_name`
    starts the customer folder with a customer file."""
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
    path = schedule_path(root, draft.sid)
    if path.exists() and not to_stdout:
        raise GitcronError(f"{SCHEDULES_DIR}/{draft.sid}.yaml already exists", "pick another id")
    customer = customer_for(
        root, draft.sid.split("/")[0], customer_name, draft.timezone, draft.emails
    )
    if customer is not None:
        if customer.text is not None and to_stdout:
            raise UsageError(
                "--stdout prints one file, and --customer-name writes a second",
                "drop --stdout to write both, or drop --customer-name",
            )
        draft.timezone, draft.emails = leave_out(customer, draft.timezone, draft.emails)
        draft.customer_name, draft.customer_to = customer.model.name, bool(customer.model.to)
    text = render(draft)
    settings, _ = load_settings(root)
    rel = path.relative_to(root).as_posix()
    model = customer.model if customer is not None else None
    entry = check_entry(Entry(draft.sid, rel, text), settings, now, customer=model)
    errors = [p for p in entry.problems if p.severity == "error"]
    if errors:
        report = "\n".join(format_text(p) for p in errors)
        raise GitcronError(f"the new schedule would not be valid:\n{report}", "change the options")
    if to_stdout:
        output.say(text, nl=False)
        return 0
    path.parent.mkdir(parents=True, exist_ok=True)
    if customer is not None and customer.text is not None:
        (root / customer.file).write_text(customer.text, encoding="utf-8")
        output.say(f"wrote {customer.file}; fill in the rest of what the customer reads there")
    path.write_text(text, encoding="utf-8")
    output.say(f"wrote {entry.file}; check it with: gitcron next {draft.sid}")
    if customer is not None:
        output.say(customer.said())
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
    "--customer-name",
    metavar="NAME",
    help="Start a new customer folder with a customer file giving the customer's name (and"
    " --timezone, --email as the defaults of its schedules).",
)
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
    return run(env.root, env.now, draft, options["to_stdout"], options["customer_name"])
