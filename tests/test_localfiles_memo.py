"""``localfiles.steady_links``: a remembered real location is the one the system gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execbrief import localfiles

NAMES = ("a", "b", "c", "..", ".", "missing")


def _tree(root: Path) -> list[Path]:
    """Folders, files and links of every kind: into a folder, to a file, dangling, out of the
    tree, a loop and a link through a link."""
    (root / "a" / "b").mkdir(parents=True)
    (root / "a" / "b" / "c").write_text("x")
    (root / "c").mkdir()
    (root / "out").mkdir()
    links = {
        "a/link-b": "b",
        "a/b/link-c": "c",
        "c/link-a": "../a",
        "c/b": "../a/b",
        "dangling": "nowhere/at/all",
        "loop-1": "loop-2",
        "loop-2": "loop-1",
        "a/out": "../out",
        "a/c": "link-b",
    }
    for name, target in links.items():
        (root / name).symlink_to(target)
    return [root, *(root / name for name in links)]


def _resolve_or_error(path: Path) -> Path | str:
    try:
        return path.resolve()
    except RuntimeError:
        return "loop"


def _resolved_or_error(path: Path) -> Path | str:
    try:
        return localfiles.resolved(path)
    except RuntimeError:
        return "loop"


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(range(10)), st.lists(st.sampled_from(NAMES), min_size=0, max_size=4)
        ),
        min_size=1,
        max_size=12,
    )
)
def test_remembered_locations_are_the_systems(tmp_path_factory, picks) -> None:
    root = tmp_path_factory.mktemp("tree")
    starts = _tree(root)
    paths = [starts[index % len(starts)].joinpath(*tail) for index, tail in picks]
    # each path asked twice and in both ways, so a remembered answer is compared too
    with localfiles.steady_links():
        for path in paths + paths:
            assert localfiles.real_path(path) == os.path.realpath(path)
            assert _resolved_or_error(path) == _resolve_or_error(path)
            assert localfiles.real_path(path) == os.path.realpath(path)
            assert localfiles.resolves_inside(path, root / "a") == _inside(path, root / "a")
            _check_located_inside(path, root / "a")
            _check_located_inside(path, root)


def _check_located_inside(path: Path, folder: Path) -> None:
    """``located_inside`` says nothing, or what the system's real locations say."""
    found = localfiles.located_inside(path, folder)
    if found is None:
        return
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    assert real == top or top in real.parents
    assert found == real.relative_to(top).as_posix()
    assert localfiles.kind(path) != localfiles.LOOP


def _inside(path: Path, folder: Path) -> bool:
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(folder))
    return (real == top or top in real.parents) and localfiles.kind(path) != localfiles.LOOP


def test_a_link_changed_after_the_scope_is_seen(tmp_path: Path) -> None:
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "f").write_text("x")
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "f").write_text("x")
    link = tmp_path / "inside" / "link"
    link.symlink_to("f")
    with localfiles.steady_links():
        assert localfiles.resolves_inside(link, tmp_path / "inside")
        with localfiles.steady_links():  # nested: the same memory
            assert localfiles.resolved(link) == tmp_path.resolve() / "inside" / "f"
    link.unlink()
    link.symlink_to(tmp_path / "outside" / "f")
    with localfiles.steady_links():
        assert not localfiles.resolves_inside(link, tmp_path / "inside")
    assert not localfiles.resolves_inside(link, tmp_path / "inside")


def test_a_loop_raises_every_time(tmp_path: Path) -> None:
    (tmp_path / "x").symlink_to("y")
    (tmp_path / "y").symlink_to("x")
    with localfiles.steady_links():
        for _ in range(2):
            with pytest.raises(RuntimeError):
                localfiles.resolved(tmp_path / "x")
