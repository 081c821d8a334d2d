"""The HTTP client factory and the pinned request, against a real server on 127.0.0.1."""

from __future__ import annotations

import ipaddress
import json

import httpx

from datasets.http_server import Answer, serve
from gitcron.net import http
from gitcron.net.guard import Pinned


def test_the_client_reads_nothing_from_the_environment_and_follows_no_redirect() -> None:
    with http.client(timeout=3) as client:
        assert client.trust_env is False
        assert client.follow_redirects is False
        assert client.timeout == httpx.Timeout(3)
    with http.client(timeout=3, follow_redirects=True, trust_env=True) as asked:
        assert (asked.trust_env, asked.follow_redirects) == (True, True)


def test_a_pinned_request_goes_to_the_checked_address_under_the_host_name() -> None:
    with serve() as site:
        site.answers["/rows"] = Answer(body=json.dumps([{"n": n} for n in range(100)]).encode())
        port = int(site.base.rsplit(":", 1)[1])
        url = httpx.URL(f"http://api.example:{port}/rows")
        to = Pinned("api.example", port, ipaddress.ip_address("127.0.0.1"))  # no DNS asked
        with http.client(timeout=5) as client, http.stream(client, "GET", url, to) as response:
            head, more = http.read_at_most(response, 10)
        assert response.status_code == 200
        assert (head, more) == (b'[{"n": 0},', True)
        [request] = site.requests
        assert request["host"] == f"api.example:{port}"


def test_read_at_most_reads_a_short_body_whole() -> None:
    response = httpx.Response(200, content=b"[1, 2]")
    assert http.read_at_most(response, 10) == (b"[1, 2]", False)
    assert http.read_at_most(httpx.Response(200, content=b"[1, 2]"), 6) == (b"[1, 2]", False)


def test_host_and_port_defaults() -> None:
    assert http.host_and_port(httpx.URL("https://hooks.example/x")) == ("hooks.example", 443)
    assert http.host_and_port(httpx.URL("http://[::1]:8080/x")) == ("::1", 8080)
    assert http.host_and_port(httpx.URL("http://bücher.example/")) == ("xn--bcher-kva.example", 80)
