"""What the CLI prints: user strings escaped for rich, settings errors in one line, plain
progress lines in logs (issue #13, items 4 and 7, and progress when not on a terminal)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import call_cli, run_cli, small_corpus


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The CLI with pipes for output, without the ensemble (one model loads faster)."""
    return run_cli(*args, **{"JEUGDAKKOORD_ENSEMBLE": "none", **env})


def test_file_names_with_rich_markup_print_as_themselves(tmp_path: Path) -> None:
    """``rich[/x].pdf`` raised rich.errors.MarkupError after the index was written."""
    corpus = small_corpus(tmp_path / "corpus")
    (corpus / "rich[").mkdir()
    (corpus / "rich[" / "x].pdf").write_bytes(b"%PDF-1.4\nbroken")
    (corpus / "[bold]vet[").mkdir()
    (corpus / "[bold]vet[" / "[red]c.txt").write_text(
        "Wij bouwen meer jongerenwerk op in de wijk.", encoding="utf-8"
    )
    out = _cli("ingest", "--corpus", str(corpus), "--index", str(tmp_path / "index"))
    assert "MarkupError" not in out.stderr and "Traceback" not in out.stderr, out.stderr
    assert out.returncode == 1  # the broken PDF failed; the others are in the index
    assert "FAILED rich[/x].pdf: corrupt file" in out.stdout
    assert "[bold]vet[/[red]c.txt: new" in out.stdout  # its progress line, verbatim


def test_ingest_prints_plain_progress_lines_when_not_on_a_terminal(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    index = str(tmp_path / "index")
    out = _cli("ingest", "--corpus", str(corpus), "--index", index)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[:3] == ["ingest: 2 files", "[1/2] a.txt: new", "[2/2] b.md: new"]
    assert any(ln.startswith("embedded ") and ln.endswith(" passages") for ln in lines)
    # With --json the summary alone is on stdout; the progress lines go to stderr.
    again = _cli("ingest", "--corpus", str(corpus), "--index", index, "--json")
    assert again.stdout.count("\n") == 1 and again.stdout.startswith("{")
    assert "[1/2] a.txt: unchanged" in again.stderr.splitlines()


@pytest.mark.parametrize(
    ("variable", "value", "accepts"),
    [
        ("JEUGDAKKOORD_TOP_K", "abc", "a whole number of at least 1"),
        ("JEUGDAKKOORD_LLM_TIMEOUT", "soon", "a number of at least 1"),
        ("JEUGDAKKOORD_SENTENCE_VECTORS", "some", "one of auto, all, none"),
    ],
)
def test_invalid_setting_is_one_line_and_exit_2_for_every_command(
    tmp_path: Path, variable: str, value: str, accepts: str
) -> None:
    index = str(tmp_path / "index")
    # ingest and chat in a real process, search and ask in this one (call_cli).
    for args, run in (
        (["ingest", "--corpus", str(tmp_path), "--index", index], _cli),
        (["search", "jeugdzorg", "--index", index], call_cli),
        (["ask", "Wat schrijven we op over marktwerking?", "--index", index], call_cli),
        (["chat", "--index", index, "--port", "1"], _cli),
    ):
        out = run(*args, **{"JEUGDAKKOORD_ENSEMBLE": "none", variable: value})
        assert out.returncode == 2, (args, out.stderr)
        assert out.stderr.strip().splitlines() == [
            f"error: {variable}={value!r} is not valid; use {accepts}"
        ], args
