"""Walk a code folder the way a reviewer would read it.

Honours every ``.gitignore`` in the tree (nested ones apply below their folder, deeper rules win,
``!negations`` work), skips vendored trees (``node_modules``, ``.venv``, ``dist``, any folder with a ``pyvenv.cfg``, ...), never
follows a symbolic link (a link to a file or folder inside the tree is read at its real place, so
nothing is lost; a link out of the tree is never read; a link loop cannot trap the walk), skips
files over a size limit and binary files (a NUL byte in the first 8 KiB, or a known binary suffix).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from execbrief import localfiles

#: Folders never descended into: dependencies, build output, caches, VCS metadata.
SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        ".venv",
        "venv",
        "virtualenv",
        "site-packages",
        "dist",
        "build",
        "vendor",
        "vendored",
        "third_party",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".terraform",
        ".aws-sam",
        ".serverless",
        ".next",
        ".nuxt",
        ".cache",
        "coverage",
    }
)
#: ``.vscode``, ``.idea`` and folders named ``env`` are read: deploy passwords and
#: ``config/env/production.env`` live there. A virtualenv of any name is known by its
#: ``pyvenv.cfg`` and skipped.
VENV_MARKER = "pyvenv.cfg"

#: Suffixes that are binary whatever their first bytes say.
BINARY_SUFFIXES = frozenset(
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".ico", ".bmp", ".tif", ".tiff", ".psd",
        ".pdf", ".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".jar", ".war", ".whl",
        ".egg", ".pyc", ".pyo", ".so", ".dll", ".dylib", ".exe", ".bin", ".o", ".a", ".class",
        ".woff", ".woff2", ".ttf", ".otf", ".eot", ".mp3", ".mp4", ".mov", ".avi", ".wav",
        ".ogg", ".webm", ".sqlite", ".db", ".parquet", ".pkl", ".npy", ".xlsx", ".xls", ".docx",
    }
)  # fmt: skip

SNIFF_BYTES = 8192


@dataclass(frozen=True)
class WalkedFile:
    """A text file to read: its absolute path and its path relative to the walked root."""

    path: Path
    relative: str
    size: int
    #: The file's bytes when the binary check read it whole (a file of ``SNIFF_BYTES`` or
    #: less: most source files), so the reader does not open it again; None for a longer one.
    data: bytes | None = None


@dataclass
class WalkStats:
    """What the walk left out, and why (counts by reason, for the report's coverage note)."""

    files: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    #: Files and folders that could not be read (relative paths, folders ending in ``/``): their
    #: endpoints and secrets are missing from the audit, so the report names them.
    unreadable: list[str] = field(default_factory=list)
    #: FIFOs, sockets, devices and link loops (or links to one) met, never opened: (relative
    #: path, what it is), for the source to name each.
    special: list[tuple[str, str]] = field(default_factory=list)

    def skip(self, reason: str) -> None:
        """Count one skipped file or folder."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1

    def cannot_read(self, relative: str, *, folder: bool = False) -> None:
        """Count and name a file or folder the walk could not open."""
        self.skip("unreadable folder" if folder else "unreadable file")
        self.unreadable.append(relative.rstrip("/") + "/" if folder else relative)


def is_binary(path: Path) -> bool:
    """True for a known binary suffix or a NUL byte in the first 8 KiB (OSError if unreadable)."""
    return _sniff(path)[0]


def _sniff(path: Path) -> tuple[bool, bytes | None]:
    """``is_binary``, and the file's bytes when they are ``SNIFF_BYTES`` or fewer (read whole)."""
    if path.suffix.lower() in BINARY_SUFFIXES:
        return True, None
    with localfiles.open_regular(path) as handle:  # a file swapped for a FIFO cannot block
        head = handle.read(SNIFF_BYTES + 1)
    return b"\0" in head[:SNIFF_BYTES], head if len(head) <= SNIFF_BYTES else None


def _binary(path: Path, relative: str, stats: WalkStats) -> tuple[bool, bytes | None] | None:
    """``_sniff``, or None (counted and named) when the file cannot be opened."""
    try:
        return _sniff(path)
    except OSError:
        stats.cannot_read(relative)
        return None


def _load_ignore(folder: Path) -> pathspec.PathSpec | None:
    ignore = folder / ".gitignore"
    try:
        info = ignore.lstat()
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        lines = ignore.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ignored(specs: list[tuple[str, pathspec.PathSpec]], relative: str, is_dir: bool) -> bool:
    decision: bool | None = None
    for base, spec in specs:
        if base and not relative.startswith(base + "/"):
            continue
        local = relative[len(base) + 1 :] if base else relative
        if is_dir:
            local += "/"
        result = spec.check_file(local)
        if result.include is not None:
            decision = result.include
    return bool(decision)


def walk(
    root: Path,
    *,
    max_bytes: int = 1_000_000,
    skip_dirs: frozenset[str] = SKIP_DIRS,
    honour_gitignore: bool = True,
    stats: WalkStats | None = None,
) -> Iterator[WalkedFile]:
    """Text files under ``root`` in a stable (sorted) order, with the rules of the module docstring.

    A ``root`` that is itself a file is read alone (with the size and binary checks)."""
    stats = stats if stats is not None else WalkStats()
    if root.is_file() and not root.is_symlink():
        size = root.stat().st_size
        sniffed = None if size > max_bytes else _binary(root, root.name, stats)
        if size > max_bytes:
            stats.skip("over the size limit")
        elif sniffed is None:
            pass
        elif sniffed[0]:
            stats.skip("binary")
        else:
            stats.files += 1
            yield WalkedFile(root, root.name, size, sniffed[1])
        return
    real_root = root.resolve()
    stack: list[tuple[Path, str, list[tuple[str, pathspec.PathSpec]]]] = [(real_root, "", [])]
    while stack:
        folder, relative, specs = stack.pop()
        if honour_gitignore:
            spec = _load_ignore(folder)
            if spec is not None:
                specs = [*specs, (relative, spec)]
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            stats.cannot_read(relative or ".", folder=True)
            continue
        subfolders: list[tuple[Path, str, list[tuple[str, pathspec.PathSpec]]]] = []
        for entry in entries:
            child = f"{relative}/{entry.name}" if relative else entry.name
            if entry.is_symlink():
                stats.skip("symbolic link")
                target = localfiles.kind(Path(entry.path))
                if target not in ("file", "folder", "missing"):
                    stats.special.append((child, target))
                continue
            if entry.is_dir(follow_symlinks=False):
                if entry.name in skip_dirs or os.path.isfile(os.path.join(entry.path, VENV_MARKER)):
                    stats.skip("vendored or generated folder")
                    continue
                if honour_gitignore and _ignored(specs, child, is_dir=True):
                    stats.skip("ignored by .gitignore")
                    continue
                subfolders.append((Path(entry.path), child, specs))
                continue
            if not entry.is_file(follow_symlinks=False):
                stats.skip("not a regular file")
                stats.special.append((child, localfiles.kind(Path(entry.path))))
                continue
            if honour_gitignore and _ignored(specs, child, is_dir=False):
                stats.skip("ignored by .gitignore")
                continue
            size = entry.stat(follow_symlinks=False).st_size
            if size > max_bytes:
                stats.skip("over the size limit")
                continue
            path = Path(entry.path)
            sniffed = _binary(path, child, stats)
            if sniffed is None:
                continue
            if sniffed[0]:
                stats.skip("binary")
                continue
            stats.files += 1
            yield WalkedFile(path, child, size, sniffed[1])
        stack.extend(reversed(subfolders))
