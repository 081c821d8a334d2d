"""The `gitcron` command: click parses options; plain functions do the work, return exit codes."""

from __future__ import annotations

from gitcron.cli.main import main

__all__ = ["main"]
