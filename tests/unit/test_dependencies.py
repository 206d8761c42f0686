"""Declared dependencies equal imported ones: every third-party module the product imports
comes from a distribution pyproject.toml declares, and every declared one is used."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("assistant", "ingest")
#: Declared but never imported, each for a reason.
NOT_IMPORTED = {
    "cryptography": "pypdf needs it to open AES-encrypted PDFs (and to report them clearly)",
    "transformers": "sentence-transformers runs the st: models on it (version floor kept); "
    "e5-small runs its encoder in plain torch and no longer imports it",
}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra, deps in project["optional-dependencies"].items():
        if extra != "dev":
            specs += deps
    return {_normal(re.split(r"[<>=!~\[;\s]", spec, maxsplit=1)[0]) for spec in specs}


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for top in PRODUCT:
        for path in (ROOT / top).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    found.add(node.module.split(".")[0])
    return {m for m in found if m not in PRODUCT and m not in sys.stdlib_module_names}


def _imported_distributions() -> dict[str, set[str]]:
    owners = packages_distributions()
    return {m: {_normal(d) for d in owners.get(m, [])} for m in _imported_modules()}


def test_every_imported_module_is_declared() -> None:
    declared = _declared()
    undeclared = {m: d for m, d in _imported_distributions().items() if not d & declared}
    assert undeclared == {}


def test_every_declared_distribution_is_imported() -> None:
    used = set().union(*_imported_distributions().values())
    unused = _declared() - used - set(NOT_IMPORTED)
    assert unused == set()
