"""What is at a local path, and opening it only when it is a regular file; bottom layer.

This is the one place a local input file is examined and opened: ``sources/files.py`` (every
source's reading), the store's source cache (hashing a source's files for its key), the code
walker and the mail's file attachments all go through it, so none of them can be made to block on
a named pipe, read a device without end, or follow a link out of the portfolio.

- ``kind(path)``: ``file``, ``folder``, ``missing``, or what else is there (a FIFO, socket,
  device, a symbolic link loop), following links; the path is never opened.
- ``open_regular(path)``: opened non-blocking (a FIFO then opens at once instead of waiting for a
  writer), checked with ``fstat`` to be a regular file, and only then set blocking; anything else
  raises ``NotRegular`` and is closed unread.
- ``read_at_most(path, limit)``: at most ``limit + 1`` bytes of a regular file, so an unbounded
  file costs one byte more than the limit, never its whole length.
- ``walk(folder)``: every non-folder entry under ``folder`` with its ``kind``, in name order,
  symbolic links to folders not followed (so a link loop cannot trap it); a FIFO, device or loop
  is listed with its kind for the caller to name, never opened.
- ``resolves_inside(path, folder)``: whether ``path``, links resolved, lies inside ``folder``
  (a loop or an unresolvable path does not).
- ``lexically_inside(path, folder)``: the same for the path as written (``..`` folded, no link
  followed): how a path the config names is told from one a link leads to.
- ``steady_links()``: while it is open, each path's real location (``real_path``, ``resolved``)
  is found once: one source cites a file several times (its display path, its git commit, the
  check that it stays inside the portfolio) and each lookup costs a system call per folder above.
  A path's location is found from its folder's (remembered too): a file beside others costs one
  ``lstat``; ``located_inside`` tells a path's place under a folder from those, as text.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

#: O_NONBLOCK (a FIFO opens at once) and O_NOCTTY (a terminal never becomes ours) where the
#: platform has them.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_BINARY", 0)
)

LOOP = "a symbolic link loop"

_SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


class NotRegular(OSError):
    """A path that is not a regular file; ``kind`` says what it is (``a named pipe (FIFO)``,
    ``folder``, ``a symbolic link loop``)."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(f"{path} is {kind}, not a regular file")
        self.kind = kind


def mode_kind(mode: int) -> str:
    """``file``, ``folder`` or the kind of special file a ``st_mode`` stands for."""
    if stat.S_ISREG(mode):
        return "file"
    if stat.S_ISDIR(mode):
        return "folder"
    return next((label for test, label in _SPECIAL_KINDS if test(mode)), "not a regular file")


def kind(path: Path) -> str:
    """``file``, ``folder``, ``missing``, ``a symbolic link loop`` or the kind of special file at
    ``path`` (links followed). Never opens the path.

    A path that cannot be examined for another reason (permission denied on a parent) counts as a
    ``file``: opening it then gives the real error.
    """
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return "missing"
    except OSError as exc:
        return LOOP if exc.errno == errno.ELOOP else "file"
    except ValueError:  # a NUL byte in the path
        return "missing"
    return mode_kind(mode)


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes, only if it is a regular file (``NotRegular`` if not).

    Opened non-blocking and checked on the descriptor, so a FIFO or device (or a path swapped for
    one after an earlier check) is closed unread; OSError as ``os.open`` raises it otherwise.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotRegular(path, LOOP) from None
        raise
    try:
        found = mode_kind(os.fstat(fd).st_mode)
        if found != "file":
            raise NotRegular(path, found)
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "rb")


def read_at_most(path: Path, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of the regular file at ``path`` (more than ``limit`` means the
    file is larger than the limit); ``NotRegular`` or OSError as ``open_regular``."""
    with open_regular(path) as handle:
        return handle.read(limit + 1)


def walk(
    folder: Path, *, skip_folder: Callable[[str], bool] = lambda name: False
) -> Iterator[tuple[Path, str]]:
    """``(path, kind)`` of every entry under ``folder`` that is not a folder, in name order.

    Folders named by ``skip_folder`` are not entered; a symbolic link to a folder is neither
    entered nor listed (a link loop cannot trap the walk); a link to anything else is listed
    with the kind of what it points to (``a character device`` for a link to /dev/zero, ``a
    symbolic link loop``, ``missing`` for a broken link). Nothing is opened.
    """
    for directory, subdirs, names in os.walk(folder, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if not skip_folder(d))
        for name in sorted(names):
            path = Path(directory) / name
            yield path, kind(path)


@dataclass
class _Remembered:
    """Real locations found while ``steady_links`` is open, by the path as given."""

    real: dict[str, str] = field(default_factory=dict)
    resolved: dict[str, Path] = field(default_factory=dict)
    #: Absolute paths whose real location was found without meeting a link loop.
    located: dict[str, str] = field(default_factory=dict)


_remembered: _Remembered | None = None


@contextlib.contextmanager
def steady_links() -> Iterator[None]:
    """While open, ``real_path`` and ``resolved`` remember what each path resolves to: the links
    are taken to stay put until it closes (a link changed meanwhile is seen by the next one).
    Nested uses share the outer one's memory."""
    global _remembered
    if _remembered is not None:
        yield
        return
    _remembered = _Remembered()
    try:
        yield
    finally:
        _remembered = None


def _located(key: str, memory: _Remembered) -> str:
    """The real location of the absolute path ``key`` as ``Path.resolve`` finds it, through its
    folder's remembered one: a file beside others costs one ``lstat``, not one per folder above
    it. RuntimeError when a link loop is met on the way (``Path.resolve`` leaves some unraised:
    ``loop/..``), so a location found is one the system reaches."""
    found = memory.located.get(key)
    if found is not None:
        return found
    parent, _, name = key.rpartition("/")
    if name in ("", ".", "..") or not key.startswith("/"):
        found = _located_whole(key)
    else:
        folder = _located(parent, memory) if parent else "/"
        # the name looked up in the real folder, as realpath does (``a/missing/../b`` is ``a/b``)
        found = folder + name if folder.endswith("/") else f"{folder}/{name}"
        try:
            is_link = stat.S_ISLNK(os.lstat(found).st_mode)
        except OSError:  # missing (or not examinable): kept as written, as realpath does
            is_link = False
        if is_link:
            found = _located_whole(key)
    memory.located[key] = found
    return found


def _located_whole(key: str) -> str:
    """``_located`` of a path that ends in a link, ``.`` or ``..``: resolved all at once."""
    path = Path(key)
    found = str(path.resolve())
    if kind(path) == LOOP:
        raise RuntimeError(f"Symlink loop from {key!r}")
    return found


def real_path(path: Path | str) -> str:
    """``os.path.realpath(path)`` (links resolved, a loop left as written), remembered while
    ``steady_links`` is open."""
    memory = _remembered
    if memory is None:
        return os.path.realpath(path)
    key = os.fspath(path)
    found = memory.real.get(key)
    if found is None:
        known = memory.resolved.get(key)  # resolved without a loop: the same location
        if known is not None:
            found = str(known)
        elif key.startswith("/"):
            try:
                found = _located(key, memory)
            except RuntimeError:  # a loop: realpath leaves it as written
                found = os.path.realpath(key)
        else:
            found = os.path.realpath(key)
        memory.real[key] = found
    return found


def resolved(path: Path) -> Path:
    """``path.resolve()`` (RuntimeError on a link loop), remembered while ``steady_links`` is
    open; an error is not remembered."""
    memory = _remembered
    if memory is None:
        return path.resolve()
    key = os.fspath(path)
    found = memory.resolved.get(key)
    if found is None:
        try:
            located = _located(key, memory) if key.startswith("/") else None
        except RuntimeError:  # a loop: as ``resolve`` tells it (it raises for most)
            located = None
        found = memory.resolved[key] = path.resolve() if located is None else Path(located)
    return found


def located_inside(path: Path | str, folder: Path | str) -> str | None:
    """While ``steady_links`` is open: the real location of ``path`` relative to ``folder``'s
    (``.`` for the folder itself), or None when it lies elsewhere or cannot be told without a
    slower look (no memory open, a relative path, a link loop)."""
    memory = _remembered
    key, top = os.fspath(path), os.fspath(folder)
    if memory is None or not key.startswith("/") or not top.startswith("/"):
        return None
    try:
        real, real_top = _located(key, memory), _located(top, memory)
    except (RuntimeError, OSError, ValueError):
        return None
    if real == real_top:
        return "."
    prefix = real_top if real_top.endswith("/") else real_top + "/"
    return real[len(prefix) :] if real.startswith(prefix) else None


def resolves_inside(path: Path, folder: Path) -> bool:
    """True when ``path``, symbolic links resolved, is ``folder`` or inside it (resolved too)."""
    if located_inside(path, folder) is not None:
        return True  # found without a loop: inside, and no loop to stat for
    try:
        real = Path(real_path(path))
        top = Path(real_path(folder))
    except (OSError, ValueError):
        return False
    if real != top and top not in real.parents:
        return False
    return kind(path) != LOOP


def lexically_inside(path: Path, folder: Path) -> bool:
    """True when ``path`` as written (``..`` folded, no link followed) is inside ``folder``."""
    here = Path(os.path.normpath(os.path.abspath(path)))
    top = Path(os.path.normpath(os.path.abspath(folder)))
    return here == top or top in here.parents
