"""How fast `protect:` seals a report, against the reference tools and a plain copy of the file.

In one run, on the same generated CSV (--mb megabytes), interleaved round by round (ours, the
tool's, the copy; again; --rounds times), the median wall time of each:
  - age: `sealed()` through pyrage against Debian's `age -r`; target: ours <= 1.5x the tool's;
  - openpgp: `sealed()` through pysequoia against `gpg --encrypt` to the same key; target <= 1.5x;
  - zip: `sealed()` through pyzipper (AES-256, deflate) against `7zz a -mem=AES256`; printed only
    (pure-Python AES against native code; the file is usually far smaller than the budget);
  - each against `shutil.copyfile` of the file, the least any delivery costs, for scale.
Wall time (time.perf_counter): the tools run in subprocesses. Printed, never asserted.

    python benchmarks/bench_protect.py [--mb 20] [--rounds 5] [--only age,openpgp,zip]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

PASSWORD = "correct horse battery staple"


def make_csv(path: Path, megabytes: float) -> None:
    rnd = random.Random(0)
    words = ["fresh", "bread", "water", "coffee", "tea", "pallet", "crate", "north", "south"]
    with path.open("w", encoding="utf-8") as out:
        n = 0
        while out.tell() < megabytes * 1024 * 1024:
            out.write(
                f"{n},SKU-{n:07},{rnd.uniform(0.5, 999):.2f},{' '.join(rnd.choices(words, k=8))}\n"
            )
            n += 1


def sealer(way: str, root: Path, source: Path) -> Callable[[], None]:
    """A call of gitcron's `sealed` for `way` on `source`, as the registry makes it."""
    from gitcron.channels.base import DeliveryContext
    from gitcron.channels.protect.seal import sealed
    from gitcron.channels.protect.target import Protect
    from gitcron.config.settings import Settings
    from gitcron.core.artifact import Artifact
    from gitcron.core.run import RunInfo

    fire = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    run = RunInfo("bench/protect@x", "bench/protect", fire, None, "scheduled", 1, ZoneInfo("UTC"))
    settings = Settings.model_validate(
        {"credentials": {"bench-zip": {"env": "BENCH_ZIP", "for": "zip"}}}
    )
    protect = Protect.model_validate(
        {
            "age": {"age": ["keys/bench.age"]},
            "openpgp": {"openpgp": ["keys/bench.asc"]},
            "zip": {"zip": "bench-zip"},
        }[way]
    )
    artifact = Artifact(source.name, "text/csv", path=source)
    ctx = DeliveryContext(run, settings, artifact, root, None, {"BENCH_ZIP": PASSWORD}, dict)
    return lambda: sealed(protect, ctx) and None


def tool(way: str, root: Path, source: Path, gnupg: dict[str, str]) -> Callable[[], None]:
    out = source.with_name("tool.out")
    recipient = (root / "keys/bench.age").read_text().strip()
    commands = {
        "age": ["age", "-r", recipient, "-o", str(out), str(source)],
        "openpgp": [
            "gpg",
            "--batch",
            "--yes",
            "--trust-model",
            "always",
            "--encrypt",
            "-r",
            "bench@example.org",
            "-o",
            str(out),
            str(source),
        ],
        "zip": [
            "7zz",
            "a",
            "-tzip",
            "-mem=AES256",
            f"-p{PASSWORD}",
            "-bso0",
            str(out) + ".zip",
            str(source),
        ],
    }

    def call() -> None:
        Path(str(out) + ".zip").unlink(missing_ok=True)
        subprocess.run(commands[way], check=True, env={**os.environ, **gnupg}, capture_output=True)

    return call


def timed(call: Callable[[], None]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--only", default="age,openpgp,zip")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "keys").mkdir()
        home = root / "gnupg"
        home.mkdir(mode=0o700)
        gnupg = {"GNUPGHOME": str(home)}
        gpg = ["gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", ""]

        def gpg_run(*args: str) -> bytes:
            env = {**os.environ, **gnupg}
            return subprocess.run([*gpg, *args], check=True, env=env, capture_output=True).stdout

        gpg_run("--quick-gen-key", "Bench <bench@example.org>", "ed25519", "cert", "never")
        listing = gpg_run("--with-colons", "--list-keys", "bench@example.org").decode()
        fingerprint = next(x.split(":")[9] for x in listing.splitlines() if x.startswith("fpr"))
        gpg_run("--quick-add-key", fingerprint, "cv25519", "encr", "never")
        exported = gpg_run("--armor", "--export", "bench@example.org")
        (root / "keys/bench.asc").write_bytes(exported)
        subprocess.run(["age-keygen", "-o", str(root / "id.txt")], check=True, capture_output=True)
        public = subprocess.run(["age-keygen", "-y", str(root / "id.txt")], check=True,
                                capture_output=True, text=True).stdout  # fmt: skip
        (root / "keys/bench.age").write_text(public)
        source = root / "report.csv"
        make_csv(source, args.mb)
        copy = root / "copy.csv"
        print(
            f"{source.stat().st_size / 2**20:.1f} MB CSV, {args.rounds} interleaved rounds, medians"
        )
        for way in args.only.split(","):
            ours, theirs = sealer(way, root, source), tool(way, root, source, gnupg)
            times: dict[str, list[float]] = {"ours": [], "tool": [], "copy": []}
            for _ in range(args.rounds):
                times["ours"].append(timed(ours))
                times["tool"].append(timed(theirs))
                times["copy"].append(timed(lambda: shutil.copyfile(source, copy) and None))
            med = {name: statistics.median(values) for name, values in times.items()}
            print(
                f"{way:8} ours {med['ours']:.3f}s  tool {med['tool']:.3f}s"
                f"  ours/tool {med['ours'] / med['tool']:.2f}x"
                f"  ours/copy {med['ours'] / med['copy']:.1f}x"
            )
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env={**os.environ, **gnupg}, check=False)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
