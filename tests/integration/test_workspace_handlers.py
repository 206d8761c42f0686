"""The Standpunten and Concepthoofdstuk tabs' handlers on the real corpus, in Dutch and
English, without a browser (tests/browser/test_workspace_ui.py drives the same handlers in
Chromium): the messages a user gets for bad input, a clause whose source vanished, a stale
tab and an empty chapter."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.ui.workspace import Workspace
from assistant.workspace import chapter as ch

VNG = "vng-aanjager-brede-aanpak-jeugd-2026-03-24"


@pytest.fixture(scope="module")
def assistant(real_index: Settings) -> Iterator[Assistant]:
    yield Assistant(real_index)


@pytest.fixture
def workspace(assistant: Assistant, real_index: Settings, tmp_path: Path) -> Workspace:
    """Handlers over the real index; chapters in a folder of this test's own."""
    ws = Workspace(assistant, real_index.index_dir, tmp_path)
    ws.store = ch.ChapterStore(tmp_path / "index")
    return ws


@pytest.mark.parametrize(
    ("lang", "silent", "empty"),
    [
        ("nl", "gaat hier niet op in", "Geef een onderwerp op"),
        ("en", "does not address this", "Give a topic"),
    ],
)
def test_positions_speak_the_ui_language_and_turn_bad_topics_away_politely(
    workspace: Workspace, lang: str, silent: str, empty: str
) -> None:
    html, comparison, _ = workspace.compare("xqzv blorp wibble", None, lang)  # gibberish
    assert comparison is not None and html.count(silent) == 3
    assert not any(p.addressed for p in comparison.positions)
    warning, state, _ = workspace.compare("  ?! ", None, lang)
    assert state is None and 'class="ja-warning"' in warning
    assert empty in warning
    too_long, state, _ = workspace.compare("jeugdzorg " * 100, None, lang)
    assert state is None and "200" in too_long


def test_a_clause_whose_source_left_the_corpus_is_flagged_in_the_chapter_view(
    workspace: Workspace,
) -> None:
    kept = workspace.positions.compare("onderwijs en jeugd", doc_ids=[VNG]).positions[0]
    workspace.store.add("h", ch.clause_from_position(kept, "onderwijs en jeugd"))
    gone = ch.ClauseSource("gone", VNG, "Brief", "VNG", "2026-03-24", "body", 3, "", "", "zzz")
    workspace.store.add("h", ch.new_clause("Wij doen iets anders.", [gone], "cli"))
    for lang, flag in (("nl", "bron niet meer in het corpus"), ("en", "source no longer in")):
        _, html, version, _ = workspace.show("h", lang)
        assert version == 2
        first, second = html.split('data-clause="2"')
        assert flag not in first and flag in second and "Brief" in second


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_stale_tab_is_warned_and_an_empty_chapter_is_not_exported(
    workspace: Workspace, lang: str
) -> None:
    status, download = workspace.export("leeg", lang)
    assert 'class="ja-warning"' in status and download.visible is False
    assert ("niets te exporteren" if lang == "nl" else "nothing to export") in status

    workspace.store.add("h", ch.new_clause("Wij doen het samen.", [], "cli"))
    workspace.store.add("h", ch.new_clause("Wij doen het zelf.", [], "cli"))
    status, _, version, _, text = workspace.change("edit", "h", 1, "Wij doen het anders.", 1, lang)
    assert 'class="ja-warning"' in status and version == 2  # made on version 1: refused
    assert text == "Wij doen het anders."  # what the user typed stays in the box
    assert [c.text for c in workspace.store.get("h").clauses] == [
        "Wij doen het samen.",
        "Wij doen het zelf.",
    ]
    status, html, version, _, _ = workspace.change("edit", "h", 1, "Wij doen het anders.", 2, lang)
    assert status == "" and version == 3 and "Wij doen het anders." in html
    # A move answers with the moved clause's place and its text in the same response.
    _, _, version, pos, text = workspace.change("down", "h", 1, "", 3, lang)
    assert pos.value == 2 and text == "Wij doen het anders." and version == 4
    status, download = workspace.export("h", lang)
    assert download.visible is True and Path(download.value["path"]).stat().st_size > 0
