"""The layers hold (issue 13): import-linter's contracts from pyproject.toml, and no module of
`app` takes part in an import cycle (lazy imports inside functions count too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def strongly_connected(graph: grimp.ImportGraph) -> list[set[str]]:
    """Tarjan's algorithm over the module graph: every group of modules that import each
    other, directly or through others."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(module: str) -> None:  # recursion depth is bounded by the ~120 modules
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == module:
                    break
            groups.append(group)

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return groups


def test_no_module_is_part_of_an_import_cycle():
    graph = grimp.build_graph("app", include_external_packages=False)
    cycles = [sorted(g) for g in strongly_connected(graph) if len(g) > 1]
    assert cycles == []


def test_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for name in ("pkg", "pkg.a", "pkg.b", "pkg.c"):
        graph.add_module(name)
    graph.add_import(importer="pkg.a", imported="pkg.b")
    graph.add_import(importer="pkg.b", imported="pkg.a")
    graph.add_import(importer="pkg.c", imported="pkg.a")
    assert [sorted(g) for g in strongly_connected(graph) if len(g) > 1] == [["pkg.a", "pkg.b"]]


def test_import_contracts_are_kept():
    # its own process: import-linter configures logging for the whole interpreter
    checked = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports_command; "
         "lint_imports_command()", "--no-cache"],
        cwd=ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout[-3000:]
