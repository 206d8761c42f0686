"""The package layering of ``assistant/__init__.py``: no module imports a layer above its own,
and no import cycles between modules (imports inside functions count too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Layers in the order of the data path; a module may import its own package and the layers
#: before it. Packages in one tier are siblings: neither imports the other (positions and the
#: chapter workspace are products on top of the answer path, each on its own).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("assistant.core",),
    ("assistant.providers",),
    ("assistant.store",),
    ("ingest",),
    ("assistant.retrieval",),
    ("assistant.answering",),
    ("assistant.positions", "assistant.workspace"),
    ("assistant.serve",),
    ("assistant.ui",),
    ("assistant.server",),
    ("assistant.cli",),
    ("evals",),
)

#: Known exceptions, each with the work that removes it (none today).
ALLOWED_UPWARD: set[tuple[str, str]] = set()
ALLOWED_CYCLES: set[frozenset[str]] = set()


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for top in ("assistant", "ingest", "evals"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """Project modules ``path`` imports (``from pkg import mod`` resolved to ``pkg.mod``)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            if node.level:
                pkg = name.split(".")[: -node.level] if path.stem != "__init__" else name.split(".")
                base = ".".join([*pkg, node.module])
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                out.add(sub if sub in known else base)
    return {m for m in out if m in known and m != name}


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(path, name, set(mods)) for name, path in mods.items()}


def _package(module: str) -> tuple[int, str] | None:
    """The tier and package of ``module``; None for the ``assistant`` package itself."""
    for i, tier in enumerate(LAYERS):
        for prefix in tier:
            if module == prefix or module.startswith(prefix + "."):
                return i, prefix
    return None  # the ``assistant`` package itself: it imports only core


def _layer(module: str) -> int | None:
    found = _package(module)
    return None if found is None else found[0]


def test_no_module_imports_a_layer_above_its_own() -> None:
    upward = []
    for module, deps in _graph().items():
        mine = _layer(module)
        for dep in deps:
            theirs = _layer(dep)
            if mine is None:
                assert dep.startswith("assistant.core"), (module, dep)
            elif (
                theirs is not None
                and (module, dep) not in ALLOWED_UPWARD
                and (theirs > mine or (theirs == mine and _package(dep) != _package(module)))
            ):
                upward.append(f"{module} -> {dep}")
    assert upward == []


def test_no_import_cycles() -> None:
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep) :]
                if frozenset(cycle) not in ALLOWED_CYCLES:
                    cycles.append([*cycle, dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == []


def test_the_checks_see_imports() -> None:
    """The graph is not empty by accident: known edges are found."""
    graph = _graph()
    assert "assistant.store.index" in graph["ingest.pipeline"]
    assert "assistant.core.types" in graph["assistant.store.index"]


#: The interface's one door into ``ingest`` (uploads, deletes, metadata edits, and the few
#: ingest names the interface shows are all imported from there).
UI_DOOR = "ingest.library"


def test_the_ui_reaches_ingest_only_through_the_library() -> None:
    graph = _graph()
    ui = {m: deps for m, deps in graph.items() if m.startswith("assistant.ui")}
    around = sorted(
        f"{m} -> {d}"
        for m, deps in ui.items()
        for d in deps
        if d.startswith("ingest.")
        if d != UI_DOOR
    )
    assert around == []
    assert any(UI_DOOR in deps for deps in ui.values()), "the check saw no UI import of ingest"


#: What ``ingest`` may take from ``assistant.store``: reading the current generation and its
#: records, the ingest lock, the representation's version, plan and redaction mark, and the
#: writer. Writing the generation format (chunk list, BM25, IDF, state, vectors, the switch)
#: is the writer's alone.
INGEST_FROM_STORE = {
    "assistant.store.index": {
        "FileRecord",
        "Generation",
        "IndexError_",
        "IngestLocked",
        "ingest_lock",
        "load_chunks",
        "read_current",
    },
    "assistant.store.representation": {"REPRESENTATION_VERSION", "vector_plan"},
    "assistant.store.writer": {"GenerationWriter", "Skipped", "WindowCut"},
}


def test_ingest_writes_the_index_only_through_the_generation_writer() -> None:
    taken: set[tuple[str, str, str]] = set()
    for path in sorted((ROOT / "ingest").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert not [a.name for a in node.names if a.name.startswith("assistant.store")]
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "assistant.store"
            ):
                module = node.module or ""
                taken.update((path.name, module, a.name) for a in node.names)
    outside = sorted(t for t in taken if t[2] not in INGEST_FROM_STORE.get(t[1], set()))
    assert outside == []
    assert ("pipeline.py", "assistant.store.writer", "GenerationWriter") in taken


def test_the_answer_products_never_import_ingest() -> None:
    """Retrieval, answers, positions and the workspace read the index through ``store`` only:
    they run where no document is ever loaded (a query-only server on a shared index)."""
    readers = ("assistant.retrieval", "assistant.answering", "assistant.positions",
               "assistant.workspace")  # fmt: skip
    offending = [
        f"{module} -> {dep}"
        for module, deps in _graph().items()
        if module.startswith(readers)
        for dep in deps
        if dep == "ingest" or dep.startswith("ingest.")
    ]
    assert offending == []


def test_the_answer_path_reads_words_below_the_index() -> None:
    """Tokenizing, folding, stemming, morphology and how a passage reads live in core, so the
    answer path reads a question and a passage with the index's own functions without
    importing the index (#27): answering imports nothing from ``store``."""
    offending = [
        f"{module} -> {dep}"
        for module, deps in _graph().items()
        if module.startswith("assistant.answering")
        for dep in deps
        if dep.startswith("assistant.store")
    ]
    assert offending == []
