"""Where a local storage delivery may write: under a root engineers declared in gitcron.yaml.

`channels.storage.roots` grants folders: repository folders for `path:` and absolute folders for
`url: file://`. `grant_refusal` judges a target's words (validate shows it at the target's line);
`confine` judges the real path on the runner at send time, so a symbolic link inside a root that
leads out of it, into the repository's own folders (state/, .git/, schedules/ ...) or a root that
is itself a link out of the repository is refused before anything is created.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from gitcron.channels.storage.target import StorageTarget
from gitcron.config.roots import own_path
from gitcron.config.settings import Settings

_ADD_ROOT = "an engineer grants a folder by adding it to channels.storage.roots in gitcron.yaml"


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a target may not be written, and what to do; `field` is the target's key at fault."""

    field: str
    message: str
    hint: str


@dataclass(frozen=True, slots=True)
class Granted:
    """A target's folder and the root that grants it (both as written, before links)."""

    folder: Path
    root: Path
    in_repo: bool


def grant_refusal(target: StorageTarget, settings: Settings) -> Refusal | None:
    """What is wrong with where a local target writes, from its text alone; None when granted
    (or for s3://, which roots do not govern)."""
    roots = settings.channels.storage.roots
    if target.path is not None:
        return _path_refusal(target.path, [r for r in roots if not r.startswith("/")])
    if target.url is None or urlsplit(target.url).scheme != "file":
        return None
    parts = urlsplit(target.url)
    folder = unquote(parts.path)
    if parts.netloc not in ("", "localhost") or not folder.startswith("/"):
        return Refusal(
            "url", f"'{target.url}' is not a local folder", "write url: file:///srv/exports"
        )
    absolute = [r for r in roots if r.startswith("/")]
    if _under(posixpath.normpath(folder), absolute) is not None:
        return None
    if absolute:
        return Refusal(
            "url",
            f"'{target.url}' is outside the storage roots for file:// ({', '.join(absolute)})",
            f"write under one of them, e.g. url: file://{absolute[0]}/<folder>; or {_ADD_ROOT}",
        )
    example = f"{_ADD_ROOT}, e.g. roots: [{', '.join([*roots, '/srv/exports'])}]"
    if not roots:
        message = "gitcron.yaml declares no storage roots"
    else:
        message = f"the storage roots ({', '.join(roots)}) are all in the repository"
    return Refusal("url", f"'{target.url}' is not a granted folder: {message}", example)


def _path_refusal(path: str, roots: list[str]) -> Refusal | None:
    if Path(path).is_absolute():
        return Refusal(
            "path",
            f"storage path '{path}' is absolute; path: is a folder in the repository",
            f"for a folder outside it write url: file://{Path(path).as_posix()}",
        )
    folder = posixpath.normpath(path.replace("\\", "/"))
    if folder == ".." or folder.startswith("../"):
        return Refusal(
            "path",
            f"storage path '{path}' leads outside the repository",
            "use a folder inside the repository, e.g. path: exports/acme",
        )
    example = f"e.g. path: {roots[0]}/<customer>" if roots else "e.g. roots: [exports]"
    reason = own_path(folder)
    if reason:
        return Refusal(
            "path",
            f"storage path '{path}' {reason}: no delivery may write there",
            f"write under a storage root of gitcron.yaml ({', '.join(roots)}), {example}"
            if roots
            else f"{_ADD_ROOT}, {example}",
        )
    if _under(folder, roots) is not None:
        return None
    if not roots:
        return Refusal(
            "path",
            f"storage path '{path}' is not a granted folder: gitcron.yaml declares no storage"
            " roots in the repository",
            f"{_ADD_ROOT}, {example}",
        )
    return Refusal(
        "path",
        f"storage path '{path}' is outside the storage roots ({', '.join(roots)})",
        f"write under one of them, {example}; or {_ADD_ROOT}",
    )


def _under(folder: str, roots: list[str]) -> str | None:
    """The most specific root holding `folder` (both normalised), compared part by part."""
    holding = [r for r in roots if folder == r or folder.startswith(r.rstrip("/") + "/")]
    return max(holding, key=len, default=None)


def granted(target: StorageTarget, settings: Settings, repo: Path) -> Granted:
    """The folder of a target that passed `grant_refusal`, with the root that grants it."""
    roots = settings.channels.storage.roots
    if target.path is not None:
        folder = posixpath.normpath(target.path.replace("\\", "/"))
        root = _under(folder, [r for r in roots if not r.startswith("/")])
        assert root is not None
        return Granted(repo / folder, repo / root, in_repo=True)
    assert target.url is not None
    folder = posixpath.normpath(unquote(urlsplit(target.url).path))
    root = _under(folder, [r for r in roots if r.startswith("/")])
    assert root is not None
    return Granted(Path(folder), Path(root), in_repo=False)


def confine(place: Granted, repo: Path) -> str | None:
    """Why the real folder on the runner may not be written (following every link that exists
    now), else None. Nothing is created here: this runs before the folder is made."""
    real_repo = Path(os.path.realpath(repo))
    real_root = Path(os.path.realpath(place.root))
    real = Path(os.path.realpath(place.folder))
    if place.in_repo and not real_root.is_relative_to(real_repo):
        root = _shown(place.root, repo)
        return f"the storage root '{root}' is a symbolic link out of the repository"
    if not real.is_relative_to(real_root):
        return (
            f"'{_shown(place.folder, repo)}' leads out of its storage root"
            f" '{_shown(place.root, repo)}' through a symbolic link"
        )
    for where in (real_root, real):
        if where.is_relative_to(real_repo):
            reason = own_path(where.relative_to(real_repo).as_posix())
            if reason:
                return f"'{_shown(place.folder, repo)}' leads to a folder that {reason}"
    return None


def _shown(path: Path, repo: Path) -> str:
    return path.relative_to(repo).as_posix() if path.is_relative_to(repo) else path.as_posix()
