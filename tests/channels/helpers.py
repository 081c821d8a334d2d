"""Helpers: one run of customer-001/weekly-products with a real CSV file, ready for any channel.

The model builders live in tests/factories.py (the channel_* family); these are their short names.
"""

from __future__ import annotations

from collections.abc import Callable

from factories import CHANNEL_RUN_ID as RUN_ID
from factories import FIRE, GRANTED, TEST_HOSTS, credentials, delivery
from factories import channel_run as run_info
from factories import channel_schedule as schedule
from factories import channel_settings as settings
from gitcron.channels.base import DeliveryContext

__all__ = [
    "CSV",
    "FILE_NAME",
    "FIRE",
    "GRANTED",
    "RUN_ID",
    "TEST_HOSTS",
    "MakeCtx",
    "credentials",
    "delivery",
    "run_info",
    "schedule",
    "settings",
]

CSV = b"sku,name,price\r\nA1,Bread,2.50\r\nB2,Milk,1.10\r\nC3,Eggs,3.20\r\n"
FILE_NAME = "customer-001-products-2026-11-23.csv"


MakeCtx = Callable[..., DeliveryContext]
