"""The package is laid out by the way data flows, and imports only go down.

files -> model -> io -> analysis -> plots -> cycle -> reporting -> workflow -> forms -> sample -> commands
(CONTRIBUTING.md, "Module map").  A module may import from its own layer and from the layers
below it, never from a layer above: that is what keeps one home per question.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "plgdata"

#: lowest first; top-level modules not listed here (cli, demo, __init__, __main__) are commands
LAYERS = ["model", "io", "analysis", "plots", "cycle", "reporting", "workflow", "forms", "sample"]
COMMANDS = len(LAYERS)


def _layer_of(module: str) -> int:
    """Layer index of a dotted module name inside plgdata (``plgdata.io.scores.core`` -> 1)."""
    parts = module.split(".")
    if parts[0] != "plgdata":
        raise ValueError(module)
    if len(parts) == 1:
        return COMMANDS
    return LAYERS.index(parts[1]) if parts[1] in LAYERS else COMMANDS


def _module_name(path: Path, root: Path = PACKAGE.parent) -> str:
    rel = path.relative_to(root).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, root: Path = PACKAGE.parent) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = _module_name(path, root).split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "plgdata":  # "from plgdata import x": x may be a layer package
                found += [(node.lineno, f"plgdata.{a.name}") for a in node.names]
            elif target.startswith("plgdata."):
                found.append((node.lineno, target))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("plgdata.")]
    return found


def _all_modules():
    return sorted(p for p in PACKAGE.rglob("*.py") if "notebooks" not in p.parts)


def test_every_layer_exists():
    for layer in LAYERS:
        assert (PACKAGE / layer).exists() or (PACKAGE / f"{layer}.py").exists(), layer


@pytest.mark.parametrize("path", _all_modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down(path):
    own = _layer_of(_module_name(path))
    upward = [
        f"line {line}: {target} ({LAYERS[_layer_of(target)] if _layer_of(target) < COMMANDS else 'commands'})"
        for line, target in _imports(path)
        if _layer_of(target) > own
    ]
    assert not upward, (
        f"{path.relative_to(PACKAGE)} ({LAYERS[own] if own < COMMANDS else 'commands'}) imports from above: {upward}"
    )


def test_the_layer_rule_can_fail(tmp_path):
    """The checker itself sees an upward import (so the test above can fail)."""
    bad = tmp_path / "plgdata" / "model" / "probe.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("from ..reporting import html\nfrom plgdata import workflow\n", encoding="utf-8")
    found = [t for _, t in _imports(bad, tmp_path)]
    assert found == ["plgdata.reporting", "plgdata.workflow"]
    own = _layer_of(_module_name(bad, tmp_path))
    assert all(_layer_of(t) > own for t in found)


def test_no_function_longer_than_80_lines():
    long = []
    for path in _all_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                n = node.end_lineno - node.lineno + 1
                if n > 80:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, "functions longer than 80 lines:\n" + "\n".join(long)
