"""A repository's recent history read once: the newest commit that touched each path.

``files.last_commit`` cites the last commit of every file a source reads; asking git once per file
(``git log -1 -- file``) costs a process per file, thousands in a portfolio kept in git. Instead
``recent_history(root)`` runs one ``git log --name-only`` over the newest ``WINDOW`` commits and
keeps, per path (relative to the repository's top), the first commit that names it.

That is what ``git log -1 -- file`` answers only while the history read is a straight line: a merge
makes git simplify a path's history (a side branch whose change the merge dropped is not shown)
and ``--name-only`` lists no files for a merge, so with a merge among the commits read the history
is None and the caller asks per file. A path not named in a ``complete`` history has no commit; one
not named in a window that did not reach the first commit has to be asked for.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

#: How many of the newest commits one read covers: enough for most repositories' whole history,
#: bounded for a huge one (its older files are then asked for one by one).
WINDOW = 2000

_HEADER = "\x01"  # starts each commit's line in the log (no path starts with it)


@dataclass(frozen=True)
class Commit:
    """The last commit that touched a file."""

    sha: str
    day: date


@dataclass(frozen=True)
class History:
    """The newest commit naming each path (relative to the top, ``/``-separated); ``complete``
    when the window reached the repository's first commit."""

    newest: dict[str, Commit]
    complete: bool


def recent_history(root: Path) -> History | None:
    """The newest ``WINDOW`` commits of the repository at ``root`` (its top folder), or None
    when git fails or a merge is among them (the caller then asks per file)."""
    window = WINDOW
    try:
        done = subprocess.run(
            [
                "git",
                "log",
                f"-n{window}",
                "-z",
                "--no-renames",  # a rename names both paths, as a path-limited log sees it
                "--name-only",
                f"--format={_HEADER}%H %cs %P",
            ],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    try:
        return parse_log(done.stdout, window)
    except ValueError:  # not a date where git puts one: ask per file
        return None


def parse_log(out: str, window: int) -> History | None:
    """``recent_history``'s reading of ``git log -z --name-only --format=<HEADER>%H %cs %P``."""
    newest: dict[str, Commit] = {}
    commit: Commit | None = None
    count = 0
    for token in out.split("\0"):
        token = token.removeprefix("\n")  # git puts a newline between a commit and its files
        if token.startswith(_HEADER):
            sha, day, *parents = token[1:].split(" ")
            if len([p for p in parents if p]) > 1:
                return None  # a merge: a path's own history may skip some of these commits
            commit = Commit(sha, date.fromisoformat(day))
            count += 1
        elif token and commit is not None:
            newest.setdefault(token, commit)
    return History(newest, complete=count < window)
