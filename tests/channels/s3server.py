"""A real S3-compatible server for tests (moto's, on 127.0.0.1), and settings that point at it.

Import its fixtures into a test module only after `pytest.importorskip("moto.server")`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from gitcron.config.settings import Settings

KEY_ENV, SECRET_ENV = "TEST_S3_KEY_ID", "TEST_S3_SECRET"
S3_ENV = {KEY_ENV: "testing", SECRET_ENV: "testing"}  # moto takes any credentials


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """`http://127.0.0.1:<port>` of a moto server running for the whole session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    port = server._server.server_port  # type: ignore[attr-defined]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def admin(endpoint: str) -> Any:
    """A plain boto3 client for looking at what arrived, outside the channel under test."""
    return boto3.session.Session().client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def bucket(s3_endpoint: str) -> str:
    """A new, empty, versioned bucket, so a test can count every object version written."""
    name = f"exports-{uuid.uuid4().hex[:12]}"
    client = admin(s3_endpoint)
    client.create_bucket(Bucket=name)
    client.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    return name


def s3_settings(endpoint: str, **s3: Any) -> Settings:
    """The test settings (as in helpers.settings) with channels.s3 pointing at the server."""
    return Settings.model_validate(
        {
            "datasets": {"products": {"sample": "products", "params": ["customer"]}},
            "channels": {
                "email": {"from": "Reports <reports@ourco.example>"},
                "outbox": {"dir": "outbox"},
                "s3": {
                    "endpoint_url": endpoint,
                    "region": "us-east-1",
                    "access_key_id_env": KEY_ENV,
                    "secret_access_key_env": SECRET_ENV,
                    **s3,
                },
            },
        }
    )
