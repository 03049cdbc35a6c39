"""One ``git log`` per repository names the same last commits as one ``git log -1`` per file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from execbrief.sources import files, gitlog

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

NAMES = ["a.csv", "notes/b.md", "notes/deep/c.txt", "with space.csv", 'odd"quote.txt', "é.csv"]


def git(repo: Path, *args: str, day: str = "2026-09-01T12:00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.com",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.com",
        "GIT_AUTHOR_DATE": day,
        "GIT_COMMITTER_DATE": day,
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def write(repo: Path, name: str, text: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def history_of_edits(repo: Path) -> None:
    """Commits on several days: edits, a rename, a deletion, an empty commit, a file never added."""
    git(repo, "init", "-q")
    for name in NAMES:
        write(repo, name, "1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first", day="2026-01-01T12:00:00")
    write(repo, "notes/b.md", "2\n")
    git(repo, "commit", "-qam", "b", day="2026-02-01T12:00:00")
    git(repo, "mv", "a.csv", "moved.csv")
    git(repo, "commit", "-qm", "rename", day="2026-03-01T12:00:00")
    git(repo, "rm", "-q", "with space.csv")
    git(repo, "commit", "-qm", "drop", day="2026-05-01T12:00:00")
    git(repo, "commit", "-q", "--allow-empty", "-m", "empty", day="2026-06-01T12:00:00")
    write(repo, "notes/deep/c.txt", "3\n")
    git(repo, "commit", "-qam", "c", day="2026-07-01T12:00:00")
    write(repo, "untracked.csv", "x\n")
    write(repo, "a.csv", "back, not committed: its last commit is the rename\n")


def cited(repo: Path) -> list[Path]:
    return sorted(p for p in repo.rglob("*") if p.is_file() and ".git" not in p.parts)


def fresh() -> None:
    files._GIT_CACHE.clear()
    files._HISTORIES.clear()
    files._REPO_ROOTS.clear()


def per_file(paths: list[Path]) -> list[files.Commit | None]:
    return [files._ask_git(path.resolve()) for path in paths]


@pytest.mark.parametrize("window", [gitlog.WINDOW, 3])  # the whole history, or only its newest
def test_one_log_per_repository_gives_each_files_own_last_commit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    whole = window == gitlog.WINDOW
    history_of_edits(tmp_path)
    monkeypatch.setattr(gitlog, "WINDOW", window)
    fresh()
    paths = cited(tmp_path)
    expected = per_file(paths)
    assert expected.count(None) == 1  # the untracked file; every other has a commit
    assert len({c.sha for c in expected if c}) >= 4  # and they are not all the same one
    asked: list[Path] = []
    ask = files._ask_git
    monkeypatch.setattr(files, "_ask_git", lambda path: asked.append(path) or ask(path))
    assert [files.last_commit(p) for p in paths] == expected
    history = files._HISTORIES[next(iter(files._HISTORIES))]
    assert history is not None and history.complete == whole
    # with the whole history read nothing is asked per file; with a window, only what it missed
    missed = [p for p in paths if p.relative_to(tmp_path).as_posix() not in history.newest]
    assert asked == ([] if whole else [p.resolve() for p in missed])
    assert whole or len(missed) >= 2


def test_a_merge_in_the_history_asks_per_file(tmp_path: Path) -> None:
    history_of_edits(tmp_path)
    base = git(tmp_path, "rev-parse", "--abbrev-ref", "HEAD")
    git(tmp_path, "checkout", "-qb", "side")
    write(tmp_path, "notes/b.md", "side\n")
    git(tmp_path, "commit", "-qam", "side", day="2026-08-01T12:00:00")
    git(tmp_path, "checkout", "-q", base)
    write(tmp_path, "notes/deep/c.txt", "main\n")
    git(tmp_path, "commit", "-qam", "main", day="2026-08-02T12:00:00")
    git(tmp_path, "merge", "-q", "-s", "ours", "--no-edit", "side", day="2026-08-03T12:00:00")
    fresh()
    paths = cited(tmp_path)
    assert gitlog.recent_history(tmp_path) is None
    assert [files.last_commit(p) for p in paths] == per_file(paths)


def test_parse_log_reads_names_and_headers() -> None:
    out = (
        "\x01aaa 2026-02-01 bbb\0\nx.csv\0dir/y z.csv\0"
        "\x01ccc 2026-01-15 ddd\0"  # an empty commit: no names
        "\x01bbb 2026-01-01 \0\nx.csv\0q\0"
    )
    history = gitlog.parse_log(out, window=10)
    assert history is not None and history.complete
    assert history.newest == {
        "x.csv": gitlog.Commit("aaa", files.date(2026, 2, 1)),
        "dir/y z.csv": gitlog.Commit("aaa", files.date(2026, 2, 1)),
        "q": gitlog.Commit("bbb", files.date(2026, 1, 1)),
    }
    assert gitlog.parse_log("\x01aaa 2026-02-01 b c\0\nx\0", window=10) is None  # a merge
    assert not gitlog.parse_log(out, window=3).complete  # type: ignore[union-attr]


def test_repository_roots_remembered_on_the_way_up_are_the_nearest(tmp_path: Path) -> None:
    for folder in ("outer/.git", "outer/a/b/c", "outer/a/inner/.git", "outer/a/inner/d", "none/x"):
        (tmp_path / folder).mkdir(parents=True)
    files._REPO_ROOTS.clear()
    outer, inner = tmp_path / "outer", tmp_path / "outer" / "a" / "inner"
    expected = {
        "outer/a/b/c/f": outer,
        "outer/a/inner/d/f": inner,
        "outer/a/b/f": outer,
        "outer/a/inner/f": inner,
        "outer/f": outer,
        "none/x/f": None,
    }
    for _ in range(2):  # looked up fresh, then from what the first round remembered
        for name, root in expected.items():
            found = files._repo_root(tmp_path / name)
            if root is None:  # none in the tree (whatever holds the test's folder aside)
                assert found is None or tmp_path not in found.parents
            else:
                assert found == root
