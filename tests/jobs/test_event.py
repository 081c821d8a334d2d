"""The event job: payload strings rendered as templates, inside a fixed, deterministic envelope."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from gitcron.jobs.base import JobError
from gitcron.jobs.event import EventJob

from .helpers import job_ctx, schedule


def produce(tmp_path: Path, payload: dict[str, Any], **extra: Any) -> Any:
    the_schedule = schedule(event={"type": "report.daily", "payload": payload}, **extra)
    return EventJob().produce(job_ctx(tmp_path, the_schedule))


def test_envelope(tmp_path: Path) -> None:
    artifact = produce(tmp_path, {"date": "{{ run.local_date }}"})
    assert artifact.name == "acme-weekly-products-20261123T140000Z.json"
    assert artifact.content_type == "application/json"
    assert artifact.path is None
    assert json.loads(artifact.data()) == {
        "type": "report.daily",
        "id": "acme/weekly-products@2026-11-23T14:00:00Z",
        "fire": "2026-11-23T14:00:00Z",
        "schedule": "acme/weekly-products",
        "customer": "acme",
        "data": {"date": "2026-11-23"},
    }


def test_payload_is_rendered_recursively(tmp_path: Path) -> None:
    payload = {
        "who": {"customer": "{{ customer }}", "team": "{{ labels.team }}"},
        "window": ["{{ run.interval_start }}", "{{ run.interval_end }}"],
        "count": 3,
        "flag": True,
        "nothing": None,
        "{{ not a key template }}": "kept",
    }
    artifact = produce(tmp_path, payload, labels={"team": "emea"})
    assert json.loads(artifact.data())["data"] == {
        "who": {"customer": "acme", "team": "emea"},
        "window": ["2026-11-16T14:00:00Z", "2026-11-23T14:00:00Z"],
        "count": 3,
        "flag": True,
        "nothing": None,
        "{{ not a key template }}": "kept",
    }


def test_same_run_same_bytes(tmp_path: Path) -> None:
    payload = {"b": "{{ run.id }}", "a": "é"}
    assert produce(tmp_path, payload).data() == produce(tmp_path, payload).data()
    assert "é".encode() in produce(tmp_path, payload).data()


def test_failing_template_names_its_place(tmp_path: Path) -> None:
    with pytest.raises(JobError, match=r"event\.payload\.who\[1\]: the template failed") as caught:
        produce(tmp_path, {"who": ["ok", "{{ run.missing }}"]})
    assert caught.value.permanent


def test_huge_event_is_refused(tmp_path: Path) -> None:
    payload = {str(i): "x" * 9000 for i in range(200)}
    with pytest.raises(JobError, match="more than 1,048,576") as caught:
        produce(tmp_path, payload)
    assert caught.value.permanent
