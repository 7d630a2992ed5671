"""The floor plan in docs/architecture.md holds in the code: every import points down."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "architecture.md"
PACKAGES = ("core", "crawlers", "matcher", "alerts", "ipwatch")


def allowed_imports() -> dict[str, set[str]]:
    """The 'Allowed imports' table of the architecture page."""
    text = DOC.read_text(encoding="utf-8").split("## Allowed imports", 1)[1]
    table = {}
    for package, targets in re.findall(r"^\| (\w+) \| ([\w, ]+) \|$", text, re.M):
        if package in PACKAGES:
            table[package] = {t.strip() for t in targets.split(",")}
    return table


def first_party_imports(path: Path) -> list[tuple[int, str]]:
    """(line, top-level package) of every first-party import in a module, lazy ones included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found += [(node.lineno, n.split(".")[0]) for n in names if n.split(".")[0] in PACKAGES]
    return found


def test_the_table_covers_every_package() -> None:
    assert set(allowed_imports()) == set(PACKAGES)
    assert allowed_imports()["core"] == {"core"}


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_point_down(package: str) -> None:
    allowed = allowed_imports()[package]
    upward = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for path in sorted((ROOT / package).rglob("*.py"))
        for line, target in first_party_imports(path)
        if target not in allowed
    ]
    assert upward == [], f"{package} may import only {sorted(allowed)}"


def test_an_upward_import_is_caught(tmp_path: Path) -> None:
    module = tmp_path / "bad.py"
    module.write_text("def f():\n    from ipwatch.cycle import run\n", encoding="utf-8")
    assert first_party_imports(module) == [(2, "ipwatch")]
