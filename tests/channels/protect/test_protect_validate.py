"""`gitcron validate` on `protect:`: key files checked, expiring keys warned about, zip grants."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from channels.helpers import MakeCtx, delivery
from channels.protect.tools import Gpg, gpg_home
from gitcron.channels.base import DeliveryError
from gitcron.channels.registry import deliver
from support import Run, invoke

SETTINGS = """\
datasets:
  products: { sample: products, params: [customer] }
channels:
  email: { from: reports@ourco.example }
credentials:
  acme-zip: { env: ACME_ZIP_PASSWORD, for: zip, customers: [acme] }
"""
# 1 schedule  2 report  3 deliver  4 storage  5 protect  6 its way
SCHEDULE = """\
schedule: {{ daily: {{ at: "06:00" }} }}
report: {{ dataset: products, params: {{ customer: acme }}, format: csv }}
deliver:
  - storage: {{ path: exports/acme }}
    protect:
      {protect}
"""


@pytest.fixture
def gpg(tmp_path: Path) -> Iterator[Gpg]:
    with gpg_home(tmp_path / "gnupg") as home:
        yield home


def repo(tmp_path: Path, protect: str, rel: str = "acme/daily.yaml") -> Path:
    root = tmp_path / "repo"
    path = root / "schedules" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    (root / "gitcron.yaml").write_text(SETTINGS, encoding="utf-8")
    path.write_text(SCHEDULE.format(protect=protect), encoding="utf-8")
    return root


def validate(root: Path, at: str = "2027-01-01T00:00:00Z") -> Run:
    return invoke(["--repo", str(root), "--at", at, "validate"])


def expiring_key(root: Path, gpg: Gpg) -> None:
    (root / "keys").mkdir()
    armored = gpg.new_key("buyer@acme.example", expires="2027-06-01", made="20260101T000000")
    (root / "keys/buyer.asc").write_text(armored)


def test_a_key_far_from_expiry_is_clean(tmp_path: Path, gpg: Gpg) -> None:
    root = repo(tmp_path, "openpgp: [keys/buyer.asc]")
    expiring_key(root, gpg)
    run = validate(root)
    assert (run.code, run.out) == (0, "1 schedule file checked: no problems.\n")


def test_a_key_about_to_expire_is_a_warning_at_its_line(tmp_path: Path, gpg: Gpg) -> None:
    root = repo(tmp_path, "openpgp: [keys/buyer.asc]")
    expiring_key(root, gpg)
    run = validate(root, "2027-05-20T00:00:00Z")
    assert run.code == 0
    first = run.out.splitlines()[0]
    assert first.startswith("schedules/acme/daily.yaml:6:17: warning: delivery 1, protect.openpgp")
    assert (
        "the OpenPGP key in keys/buyer.asc (Buyer <buyer@acme.example>) expires on 2027-06-01"
        in first
    )
    assert "renew their key" in run.out


def test_an_expired_key_is_an_error(tmp_path: Path, gpg: Gpg) -> None:
    root = repo(tmp_path, "openpgp: [keys/buyer.asc]")
    expiring_key(root, gpg)
    run = validate(root, "2027-07-01T00:00:00Z")
    assert run.code == 1
    assert "expired on 2027-06-01: files can no longer be encrypted to it" in run.out


def test_an_expired_key_fails_the_delivery(make_ctx: MakeCtx, root: Path, gpg: Gpg) -> None:
    (root / "keys").mkdir()
    made_and_gone = gpg.new_key("old@acme.example", expires="2026-06-01", made="20260101T000000")
    (root / "keys/old.asc").write_text(made_and_gone)
    with pytest.raises(DeliveryError) as caught:
        deliver(
            delivery(storage={"path": "exports"}, protect={"openpgp": ["keys/old.asc"]}), make_ctx()
        )
    assert caught.value.permanent
    assert caught.value.message == (
        "keys/old.asc: the OpenPGP key of Buyer <old@acme.example> expired on 2026-06-01"
    )
    assert not (root / "exports").exists()


@pytest.mark.parametrize(
    ("protect", "words"),
    [
        pytest.param(
            "age: [keys/missing.age]",
            "6:13: error: delivery 1, protect.age item 1: keys/missing.age: there is no such key",
            id="missing key",
        ),
        pytest.param(
            "age: [../secrets/key.age]",
            "'../secrets/key.age' is not a file in the repository's keys/ folder",
            id="outside keys",
        ),
        pytest.param(
            "{ age: [keys/a.age], zip: acme-zip }",
            "protect: seals one way: found age and zip",
            id="two ways",
        ),
    ],
)
def test_key_paths_are_checked(tmp_path: Path, protect: str, words: str) -> None:
    run = validate(
        repo(tmp_path, protect.replace("{ ", "").replace(" }", "").replace(", ", "\n      "))
    )
    assert run.code == 1
    assert words in run.out


def test_a_zip_password_of_another_customer_is_an_error(tmp_path: Path) -> None:
    run = validate(repo(tmp_path, "zip: acme-zip", rel="globex/daily.yaml"))
    assert run.code == 1
    assert (
        "delivery 1, protect.zip: the credential 'acme-zip' is granted to the customer acme only,"
        " not to globex"
    ) in run.out
