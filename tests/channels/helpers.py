"""Helpers: one run of customer-001/weekly-products with a real CSV file, ready for any channel."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from gitcron.channels.base import DeliveryContext
from gitcron.config.settings import Settings
from gitcron.jobs.base import RunInfo
from gitcron.schedule import Delivery, Schedule

# Monday 2026-11-23 09:00 in New York (EST, UTC-5) is 14:00 UTC; the previous fire a week before.
FIRE = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
RUN_ID = "customer-001/weekly-products@2026-11-23T14:00:00Z"
CSV = b"sku,name,price\r\nA1,Bread,2.50\r\nB2,Milk,1.10\r\nC3,Eggs,3.20\r\n"
FILE_NAME = "customer-001-products-2026-11-23.csv"


def run_info(run_id: str = RUN_ID) -> RunInfo:
    return RunInfo(
        run_id=run_id,
        schedule_id=run_id.split("@", 1)[0],
        fire=FIRE,
        interval_start=datetime(2026, 11, 16, 14, 0, tzinfo=UTC),
        trigger="scheduled",
        attempt=1,
        zone=ZoneInfo("America/New_York"),
    )


def schedule(*deliveries: dict[str, Any], labels: dict[str, str] | None = None) -> Schedule:
    return Schedule.model_validate(
        {
            "timezone": "America/New_York",
            "schedule": {"weekly": {"on": "monday", "at": "09:00"}},
            "report": {
                "dataset": "products",
                "params": {"customer": "customer-001"},
                "format": "csv",
            },
            "deliver": list(deliveries) or [{"email": {"to": ["buyer@acme.example"]}}],
            "labels": labels or {"team": "americas"},
        }
    )


LOOPBACK = ("127.0.0.1",)  # the test servers' address, allowed as an engineer allows a relay
# Every host the channel tests send to, so the checks under test (the address guard, the
# answers) are reached: the credentials below are granted to them (docs/grants.md).
TEST_HOSTS = (
    *("127.0.0.1", "localhost", "::1", "169.254.169.254", "10.0.0.1", "::ffff:10.0.0.1"),
    *("0.0.0.0", "224.0.0.1", "100.64.0.1", "hooks.example"),
)


def credentials(kind: str, *variables: str) -> dict[str, Any]:
    """`credentials:` granting each variable to `kind` deliveries to the test hosts."""
    return {
        variable.lower().replace("_", "-"): {"env": variable, "for": kind, "to": list(TEST_HOSTS)}
        for variable in variables
    }


GRANTED = {
    **credentials("webhook", "HOOK_SECRET", "HOOK_TOKEN"),
    **credentials("sftp", "SFTP_PASSWORD", "SFTP_KEY", "UNSET"),
}


def settings(allow: tuple[str, ...] = LOOPBACK, **email: Any) -> Settings:
    """gitcron.yaml for channel tests: `network.allow` is `allow` (the loopback test servers)."""
    channel = {"from": "Reports <reports@ourco.example>", **email}
    return Settings.model_validate(
        {
            "datasets": {"products": {"sample": "products", "params": ["customer"]}},
            "channels": {"email": channel, "outbox": {"dir": "outbox"}},
            "network": {"allow": list(allow)},
            "credentials": GRANTED,
        }
    )


MakeCtx = Callable[..., DeliveryContext]


def delivery(**spec: Any) -> Delivery:
    return Delivery.model_validate(spec)
