"""consult.analysis stays pure: plain data in and out, no Flask, no database, no app code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import consult.analysis

PACKAGE = Path(consult.analysis.__file__).parent
FORBIDDEN = ("flask", "sqlalchemy", "celery", "consult")


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda path: path.name)
def test_a_module_imports_nothing_from_the_app(path: Path) -> None:
    for name in imported_modules(path):
        if name == "consult.analysis" or name.startswith("consult.analysis."):
            continue
        assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"
