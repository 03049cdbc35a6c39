"""House rules that hold over the source tree: no function longer than ``MAX_LINES`` lines.

A function is measured from its ``def`` line to its last line (docstring and comments included,
decorators not), nested functions on their own as well as inside their parent. ``CHECKED`` lists
the folders of ``src/execbrief`` the rule covers: all of it (the demo's sample code is data).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

import execbrief

MAX_LINES = 120
SRC = Path(execbrief.__file__).resolve().parent
#: Folders of src/execbrief held to the rule (relative to it).
CHECKED = (".",)
#: Known offenders, each with the issue that splits it. Empty: every function in CHECKED fits.
PENDING: frozenset[str] = frozenset()


def long_functions(root: Path, limit: int = MAX_LINES) -> Iterator[tuple[str, int]]:
    """``("folder/file.py:name", lines)`` for every function under ``root`` over ``limit`` lines.
    Paths are relative to ``root.parent`` so that they read ``analysis/finance/cash.py``."""
    files = [root] if root.is_file() else sorted(root.rglob("*.py"))
    files = [path for path in files if "examples" not in path.relative_to(root).parts]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > limit:
                    yield f"{path.relative_to(root.parent).as_posix()}:{node.name}", lines


@pytest.mark.parametrize("folder", CHECKED)
def test_no_function_over_the_limit(folder: str) -> None:
    found = [
        f"{where} is {lines} lines"
        for where, lines in long_functions(SRC / folder)
        if where not in PENDING
    ]
    assert not found, (
        f"functions over {MAX_LINES} lines (split them into short named steps, or rules run "
        f"from a table): " + "; ".join(found)
    )


def _function(name: str, body_lines: int) -> str:
    return f"def {name}():\n" + "".join(f"    x{i} = {i}\n" for i in range(body_lines))


def test_the_walk_finds_a_long_function_and_passes_one_at_the_limit(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "ok.py").write_text(_function("at_limit", MAX_LINES - 1))
    (package / "sub" / "long.py").write_text(
        "class Holder:\n"
        + "".join(f"    {line}\n" for line in _function("method", MAX_LINES).splitlines())
        + "\n\nasync "
        + _function("coro", MAX_LINES + 5)
    )
    assert sorted(long_functions(package)) == [
        ("pkg/sub/long.py:coro", MAX_LINES + 6),
        ("pkg/sub/long.py:method", MAX_LINES + 1),
    ]


#: What each layer may import from execbrief (besides itself): imports run downward only.
BOTTOM = {
    "atomicfile",
    "cyclegc",
    "forking",
    "localfiles",
    "values",
    "precision",
    "sentences",
    "serialization",
    "snapshot",
    "findings",
    "document",
    "errors",
}
MAY_IMPORT: dict[str, set[str]] = {
    "values": set(),
    "atomicfile": set(),
    "cyclegc": set(),
    "forking": set(),
    "localfiles": set(),
    "errors": set(),
    "serialization": set(),
    "precision": {"values"},
    "sentences": set(),
    "snapshot": {"serialization"},
    "findings": {"snapshot", "values"},
    "document": {"findings", "precision", "sentences", "serialization", "snapshot", "values"},
    "records": BOTTOM,
    "config": {"errors", "localfiles", "values"},
    "secrets": BOTTOM | {"records"},
    "sources": BOTTOM | {"records", "secrets", "config", "hookspecs"},
    "analysis": BOTTOM | {"records", "secrets", "sources", "config", "hookspecs"},
    "reports": BOTTOM | {"records", "secrets", "analysis", "config", "hookspecs"},
    "renderers": BOTTOM | {"hookspecs"},
    "store": BOTTOM,
    "transports": BOTTOM | {"config", "hookspecs", "delivery"},
    "delivery": BOTTOM | {"config", "plugins", "store", "transports"},
    "history": BOTTOM | {"renderers", "store"},
    "examples": BOTTOM,
    "scaffold": BOTTOM | {"records", "sources", "config"},
}


def _imports(path: Path) -> set[str]:
    """The execbrief layers a module imports, by their first name under ``execbrief``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = (
            [node.module]
            if isinstance(node, ast.ImportFrom) and node.module
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        found |= {n.split(".")[1] for n in names if n.startswith("execbrief.")}
    return found


def test_imports_run_downward() -> None:
    wrong = []
    for path in sorted(SRC.rglob("*.py")):
        rel = path.relative_to(SRC)
        if rel.parts[0] == "examples" and len(rel.parts) > 2:
            continue  # the demo's sample code
        layer = rel.parts[0].removesuffix(".py")
        allowed = MAY_IMPORT.get(layer)
        if allowed is None:
            continue  # the top: pipeline, cli, plugins, hookspecs, the public API
        bad = _imports(path) - allowed - {layer}
        if bad:
            wrong.append(f"{rel} imports {', '.join(sorted(bad))}")
    assert wrong == [], "; ".join(wrong)
