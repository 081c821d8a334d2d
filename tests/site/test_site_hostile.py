"""What schedules and history hold is escaped on every page, and names no file can have get no
page: a hostile schedule or history line cannot script the site or write outside it."""

from __future__ import annotations

from pathlib import Path

from gitcron.state import Delivery, StateStore
from support import GOOD, invoke, record, variant

NOW = "2026-11-22T12:00:00Z"
EVIL = '<script>alert("x")</script> & <img src=x onerror=alert(1)>'


def test_descriptions_errors_and_targets_are_escaped(empty_repo: Path, tmp_path: Path) -> None:
    schedule = variant("description: Test schedule", f"description: '{EVIL}'")
    (empty_repo / "schedules/acme").mkdir()
    (empty_repo / "schedules/acme/daily.yaml").write_text(schedule, "utf-8")
    failed = record(
        "2026-11-22T08:00:00",
        "2026-11-22T08:07:00",
        status="failed",
        schedule="acme/daily",
        deliveries=(Delivery("email:buyer@example.com", "failed", error=EVIL),),
        error=f"boom {EVIL}",
    )
    elsewhere = record("2026-11-22T09:00:00", "2026-11-22T09:07:00", schedule="../../x/y")
    StateStore(empty_repo).append_history([failed, elsewhere])
    out = tmp_path / "out"
    run = invoke(["--repo", str(empty_repo), "site", "--out", str(out), "--at", NOW])
    assert run.code == 0, run.both
    pages = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.html"))
    assert pages == ["out/index.html", "out/schedules/acme/daily.html"]
    for page in pages:
        html = (tmp_path / page).read_text("utf-8")
        assert "<script" not in html
        assert "<img" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;img" in html
    assert "boom &lt;script&gt;" in (out / "schedules/acme/daily.html").read_text("utf-8")


def test_an_invalid_schedule_is_listed_with_its_problem(empty_repo: Path, tmp_path: Path) -> None:
    (empty_repo / "schedules/acme").mkdir()
    (empty_repo / "schedules/acme/broken.yaml").write_text(
        variant("timezone: Europe/London", "timezone: Mars/Olympus", GOOD), "utf-8"
    )
    out = tmp_path / "out"
    run = invoke(["--repo", str(empty_repo), "site", "--out", str(out), "--at", NOW])
    assert run.code == 0, run.both
    html = (out / "schedules/acme/broken.html").read_text("utf-8")
    assert "Why it does not run" in html
    assert "schedules/acme/broken.yaml:2:11: error: timezone:" in html
    assert "invalid" in (out / "index.html").read_text("utf-8")
