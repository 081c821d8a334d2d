"""The status site in a real browser: headless Chromium (Debian's, through its chromedriver)
over the site built from the simulated week, served on 127.0.0.1, read as a person would.

Set GITCRON_SITE_SCREENSHOTS=DIR to keep the screenshots (docs/images/ holds one of them).
"""

from __future__ import annotations

import functools
import os
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from site_week import BUILT, HOOK, Week, the_week

from support import invoke

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site built from the week, on a loopback port; yields its base URL."""
    week: Week = the_week(tmp_path_factory.mktemp("site"))
    out = tmp_path_factory.mktemp("browsed") / "site"
    at = BUILT.strftime("%Y-%m-%dT%H:%M:%SZ")
    run = invoke(["--repo", str(week.root), "site", "--out", str(out), "--at", at])
    assert run.code == 0, run.both

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=out))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    if not (os.access(CHROMIUM, os.X_OK) and os.access(DRIVER, os.X_OK)):
        pytest.skip(
            "Chromium is not installed: apt-get install chromium chromium-driver "
            "(.ci/run installs them)"
        )
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,900"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def shoot(driver: Any, tmp_path: Path, name: str, width: int) -> Path:
    """The whole page at `width` pixels, as a PNG (also into $GITCRON_SITE_SCREENSHOTS)."""
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, min(int(height) + 140, 6000))
    path = tmp_path / name
    assert driver.save_screenshot(str(path))
    assert path.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    keep = os.environ.get("GITCRON_SITE_SCREENSHOTS")
    if keep:
        shutil.copy(path, Path(keep) / name)
    return path


def test_a_person_finds_the_next_run_and_why_a_run_failed(
    browser: Any, served: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{served}/index.html")
    assert browser.title == "Schedules · gitcron status"
    # the daily CSV for Tokyo: its next run in Tokyo time, and in UTC beneath it
    row = browser.find_element(By.XPATH, "//tbody/tr[th//a[text()='daily-products']]")
    assert "Tue 2026-12-08 08:00 JST\n2026-12-07 23:00 UTC" in row.text
    health = browser.find_element(By.CSS_SELECTOR, "ul.cards").text
    assert "Last tick\n13 min ago" in health
    shoot(browser, tmp_path, "site-index.png", 1100)

    browser.find_element(By.LINK_TEXT, "stock-event").click()
    assert browser.find_element(By.TAG_NAME, "h1").text == HOOK
    failed = browser.find_elements(By.XPATH, "//tbody/tr[.//span[contains(., 'failed')]]")
    assert failed
    assert "answered HTTP 500 Internal Server Error: upstream exploded" in failed[0].text
    assert "Fri 2026-12-04 06:00 UTC" in failed[0].text

    # on a phone, nothing is wider than the screen: each run becomes a card
    browser.set_window_size(390, 900)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0
    shoot(browser, tmp_path, "site-schedule-phone.png", 390)
