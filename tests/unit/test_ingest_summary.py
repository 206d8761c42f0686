"""The ingest summary says in one plain sentence what "truncated" means for the files it
lists: what was cut, and whether that matters."""

from __future__ import annotations

import pytest

from ingest.console import print_summary, truncation_sentence
from ingest.limits import cap_chunks, shorten_long_words
from ingest.pipeline import IngestSummary

#: The note ingest writes for a passage longer than a model's window (ingest.pipeline).
WINDOW_NOTE = (
    "6 passages longer than the window of e5-small:bf16 (512 tokens): only the beginning "
    "is in its vector"
)


def test_nothing_cut_says_nothing() -> None:
    assert truncation_sentence([]) == ""


def test_a_window_cut_is_explained_as_harmless() -> None:
    sentence = truncation_sentence([("coalitieakkoord-2021-2025.pdf", WINDOW_NOTE)])
    assert sentence.startswith("Truncated (1 file, listed below): ")
    assert "only its beginning in that model's vector" in sentence
    assert "harmless: keyword search and quotes still use the whole passage" in sentence
    assert sentence.count(".") == 1 and sentence.endswith(".")  # one sentence


def test_inline_data_and_the_passage_limit_each_say_whether_they_matter() -> None:
    _, inline = shorten_long_words([(1, "tekst " + "A" * 5000)])
    over_limit = cap_chunks(20_000)
    sentence = truncation_sentence([("a.md", inline), ("b.md", over_limit), ("b.md", inline)])
    assert sentence.startswith("Truncated (2 files, listed below): ")
    assert "inline data" in sentence and "harmless: it is no text anyone searches for" in sentence
    assert "the rest is not indexed" in sentence and "this matters" in sentence


def test_an_unknown_note_still_gets_a_plain_sentence() -> None:
    sentence = truncation_sentence([("x.txt", "something new was cut")])
    assert sentence == (
        "Truncated (1 file, listed below): part of the text is not indexed; see each line for what."
    )


def test_the_summary_prints_the_sentence_once_before_the_files(
    capsys: pytest.CaptureFixture[str],
) -> None:
    print_summary(IngestSummary(files=1, truncated=[("lang.md", WINDOW_NOTE)]))
    out = capsys.readouterr().out
    lines = [" ".join(line.split()) for line in out.splitlines()]
    explained = [i for i, line in enumerate(lines) if line.startswith("Truncated (1 file")]
    listed = [i for i, line in enumerate(lines) if line.startswith("truncated lang.md:")]
    assert len(explained) == 1 and len(listed) == 1 and explained[0] < listed[0]
