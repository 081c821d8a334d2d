"""`gitcron site` over a simulated week: what each page says, and the scheduler's health."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from site_week import BUILT, HOOK, Week, the_week

from support import invoke

pytestmark = pytest.mark.slow

STAMP = BUILT.strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture(scope="module")
def week(tmp_path_factory: pytest.TempPathFactory) -> Week:
    return the_week(tmp_path_factory.mktemp("site"))


@pytest.fixture(scope="module")
def built(week: Week, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    run = invoke(["--repo", str(week.root), "site", "--out", str(out), "--at", STAMP])
    assert run.code == 0, run.both
    assert "site: 8 page(s) for 7 schedule(s)" in run.out
    return out


def text_of(html: str) -> str:
    """The page's text as a reader gets it (tags dropped, entities decoded, spaces collapsed)."""

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []

        def handle_data(self, data: str) -> None:
            self.parts.append(data)

    reader = Text()
    reader.feed(html)
    return " ".join(" ".join(reader.parts).split())


def test_the_week_ran_with_failures_retries_and_misses(week: Week) -> None:
    assert len(week.ticks) == 669
    # a tick whose only failures are retried exits 0; the final failure of a run exits 1:
    # the webhook's runs of Wednesday and Friday failed 4 times each, the 4th for good
    assert week.codes.count(1) == 2


def test_index_lists_every_schedule_with_its_next_run_in_its_zone(built: Path) -> None:
    page = text_of((built / "index.html").read_text("utf-8"))
    for sid in ("customer-001/weekly-products", "customer-003/daily-products", HOOK):
        assert sid.split("/", 1)[1] in page
    # customer-001 runs Mondays 09:00 New York time: at 12:20 UTC that is still to come today
    assert "Mon 2026-12-07 09:00 EST 2026-12-07 14:00 UTC" in page
    # customer-003 runs daily 08:00 Tokyo time: the next is Tuesday the 8th
    assert "Tue 2026-12-08 08:00 JST 2026-12-07 23:00 UTC" in page
    # customers by the names their customer files give, with the folder's id beside
    assert "Sakura Foods (customer-003)" in page


def test_a_failed_runs_error_is_on_its_page_and_in_the_trouble_list(built: Path) -> None:
    page = text_of((built / "schedules" / f"{HOOK}.html").read_text("utf-8"))
    assert "answered HTTP 500" in page
    assert "upstream exploded" in page
    index = text_of((built / "index.html").read_text("utf-8"))
    assert "What failed or was missed, and why" in index
    assert "answered HTTP 500" in index
    assert "Thu 2026-12-03 06:00 UTC 2026-12-03 06:00 UTC · missed 1 more than 6h late" in index


def test_health_shows_the_last_tick_and_the_outage_as_a_gap(built: Path, week: Week) -> None:
    page = text_of((built / "index.html").read_text("utf-8"))
    assert "Last tick 13 min ago" in page
    assert "on time" in page
    # 669 ticks: 667 gaps on time, and the night GitHub dropped (13 h: 52 ticks never came)
    assert "up to 20 minutes 667 on time" in page
    assert "over 6 hours 1" in page
    assert "Ticks that never came 52 longest gap 13 h 14 min" in page


def test_pages_are_accessible_plain_html(built: Path) -> None:
    for path in built.rglob("*.html"):
        html = path.read_text("utf-8")
        assert html.startswith("<!doctype html>")
        assert '<html lang="en">' in html
        assert 'name="viewport"' in html
        assert "<script" not in html
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no external asset
        assert "<h1>" in html
        assert len(re.findall(r"<table[ >]", html)) == html.count("<caption>")
        assert '<th scope="col">' in html or "<thead>" not in html
