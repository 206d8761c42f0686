"""Settings are declared once (pydantic-settings): every field has its variable, default,
description and allowed values; a bad value is one line naming the variable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.settings import SETTINGS_DOC, Settings, SettingsError, accepts, env_name

ROOT = Path(__file__).resolve().parents[2]


def test_every_setting_is_documented_by_its_declaration() -> None:
    documented = {s.env: s for s in SETTINGS_DOC}
    for name, info in Settings.model_fields.items():
        assert info.description, name
        assert env_name(name) in documented, name
    assert env_name("corpus_dirs") == "JEUGDAKKOORD_CORPUS"
    assert env_name("collection_prefix") == "JEUGDAKKOORD_COLLECTION"
    assert env_name("top_k") == "JEUGDAKKOORD_TOP_K"


def test_allowed_values_come_from_the_declarations() -> None:
    assert accepts("port") == "a whole number of at least 0 and at most 65535"
    assert accepts("sentence_vectors") == "one of auto, all, none"
    assert accepts("llm_timeout") == "a number of at least 1"


def test_only_from_env_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEUGDAKKOORD_TOP_K", "9")
    monkeypatch.setenv("JEUGDAKKOORD_GENERATOR", " OLLAMA ")
    monkeypatch.setenv("JEUGDAKKOORD_RERANKER", "   ")  # blank: the default
    assert Settings().top_k == 5
    s = Settings.from_env()
    assert (s.top_k, s.generator, s.reranker) == (9, "ollama", "none")
    assert s.with_(top_k=2).top_k == 2 and s.top_k == 9
    assert "not-needed" not in repr(s)


def test_a_value_outside_the_choices_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JEUGDAKKOORD_SENTENCE_VECTORS", "most")
    with pytest.raises(SettingsError) as info:
        Settings.from_env()
    assert str(info.value) == (
        "JEUGDAKKOORD_SENTENCE_VECTORS='most' is not valid; use one of auto, all, none"
    )


def test_the_cli_prints_one_line_and_exits_2() -> None:
    env = {"JEUGDAKKOORD_WORKERS": "many", "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "search", "jeugdzorg"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "error: JEUGDAKKOORD_WORKERS='many' is not valid; use a whole number of at least 1"
    ]
