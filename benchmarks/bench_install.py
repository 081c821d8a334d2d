"""What a tick's install step costs: `pip install .` against `uv pip install .`, warm caches.

Each round makes a fresh virtual environment and installs this project into it, as the tick
workflow does on every run, once with pip (`python -m venv`, then `pip install .`, which compiles
bytecode) and once with uv (`uv venv`, then `uv pip install --compile-bytecode .`), alternating
which goes first. A first round fills both caches and is not counted. Prints each round and the
medians; the ratio is uv's median over pip's.

Run: python benchmarks/bench_install.py [ROUNDS]  (needs `uv` on PATH; figures in docs/gitops.md)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]


def _run(*args: str | Path) -> None:
    subprocess.run([str(a) for a in args], check=True, capture_output=True, cwd=PROJECT)


def with_pip(venv: Path) -> None:
    _run(sys.executable, "-m", "venv", venv)
    _run(venv / "bin" / "python", "-m", "pip", "install", "-q", PROJECT)


def with_uv(venv: Path) -> None:
    uv = shutil.which("uv")
    assert uv is not None, "uv is not on PATH"
    _run(uv, "venv", "-q", "--python", sys.executable, venv)
    _run(uv, "pip", "install", "-q", "--compile-bytecode", "--python", venv, PROJECT)


def timed(install: Callable[[Path], None]) -> float:
    with tempfile.TemporaryDirectory(prefix="gitcron-bench-") as folder:
        began = time.perf_counter()
        install(Path(folder) / "venv")
        return time.perf_counter() - began


def main(rounds: int) -> None:
    timed(with_pip), timed(with_uv)  # fill both caches
    pip: list[float] = []
    uv: list[float] = []
    for index in range(rounds):
        order = [(pip, with_pip), (uv, with_uv)]
        for into, install in order if index % 2 == 0 else reversed(order):
            into.append(timed(install))
        print(f"round {index + 1}: pip {pip[-1]:.2f} s, uv {uv[-1]:.2f} s", flush=True)
    a, b = statistics.median(pip), statistics.median(uv)
    print(f"median of {rounds} interleaved rounds: pip {a:.2f} s, uv {b:.2f} s, uv/pip {b / a:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
