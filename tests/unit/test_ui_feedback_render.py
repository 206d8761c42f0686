"""The feedback controls' HTML (#28): escaped wherever a document, a user or the store speaks,
the buttons only while feedback is available, a mark with its undo, the learned note."""

from __future__ import annotations

from assistant.core.types import Answer, Citation, SearchHit
from assistant.ui import render
from assistant.ui.feedback import learned_notes
from assistant.ui.render_feedback import CardFeedback, notice_html, picker_html
from tests.unit.test_ui_render import assert_inert, chunk, tags

#: The renderer's own markup for the controls, besides the card's.
FB_TAGS = {"button", "select", "option"}
EVIL_ID = '"><img src=x onerror=alert(1)>'


def assert_inert_controls(markup: str) -> None:
    assert_inert("".join(f"<{t}>" for t, _ in tags(markup) if t not in FB_TAGS))
    for _, attrs in tags(markup):
        assert not any(name.startswith("on") for name, _ in attrs), attrs


def test_buttons_name_the_passage_escaped_and_offer_the_reasons() -> None:
    note, html = CardFeedback(lang="nl", enabled=True)(EVIL_ID)
    assert note == ""
    assert_inert_controls(html)
    boxes = [dict(a) for t, a in tags(html) if t == "div"]
    assert boxes == [{"class": "ja-fb", "data-chunk": EVIL_ID}]  # the id, as data
    actions = [dict(a)["data-fb"] for t, a in tags(html) if t == "button"]
    assert actions == ["right", "wrong"]
    options = [dict(a)["value"] for t, a in tags(html) if t == "option"]
    assert options == ["", "wrong_passage", "wrong_page", "should_refuse", "clause_wrong"]
    assert ">juist<" in html and ">onjuist<" in html and "verkeerde pagina" in html
    english = CardFeedback(lang="en", enabled=True)("c1")[1]
    assert ">right<" in english and ">wrong<" in english and "should have refused" in english


def test_unavailable_feedback_draws_no_buttons_but_keeps_the_learned_note() -> None:
    cards = CardFeedback(lang="nl", enabled=False, learned={"c1": "eerder <b>juist</b>"})
    assert cards("c2") == ("", "")
    assert cards("c1") == ('<p class="ja-learned">✓ eerder &lt;b&gt;juist&lt;/b&gt;</p>', "")


def test_a_mark_shows_the_verdict_and_reason_with_undo_for_its_id() -> None:
    marks = {"c1": {"id": 7, "verdict": "wrong", "reason": "wrong_page"}}
    html = CardFeedback(lang="nl", enabled=True, marks=marks)("c1")[1]  # type: ignore[arg-type]
    assert "✓ Gemarkeerd als onjuist (verkeerde pagina)" in html
    [undo] = [dict(a) for t, a in tags(html) if t == "button"]
    assert (undo["data-fb"], undo["data-id"]) == ("undo", "7")
    picked = {"c1": {"id": 8, "verdict": "right", "reason": ""}}
    cards = CardFeedback(lang="en", enabled=True, marks=picked, picker=True)  # type: ignore[arg-type]
    assert "✓ Picked as the right passage" in cards("c1")[1]
    assert 'data-fb="pick"' in cards("c2")[1]


def test_sources_and_picker_cards_carry_the_controls_and_stay_inert() -> None:
    c = chunk()
    answer = Answer(
        question="q",
        answer="Zie [1].",
        citations=[Citation(1, "c1", "evil", c.title, 3, "", "marktwerking")],
        hits=[SearchHit(c, 1.0, 1)],
        learned=[{"chunk_id": "c1", "verdict": "right", "date": "2026-12-07T10:00:00+00:00"}],
    )
    cards = CardFeedback(lang="nl", enabled=True, learned=learned_notes(answer, "nl"))
    html = render.sources_html(answer, 0, "nl", cards)
    assert_inert_controls(html)
    assert "eerder als juist gemarkeerd op 7 december 2026" in html
    assert html.index("ja-learned") < html.index("ja-text") < html.index('class="ja-fb"')
    assert html.count('class="ja-fb"') == 1
    refused = Answer(question="q", answer="Niet gevonden.", refused=True, hits=[SearchHit(c, 1, 1)])
    assert render.sources_html(refused, 0, "nl", cards).count('data-fb="wrong"') == 1
    picker = picker_html([c], "nl", CardFeedback(lang="nl", enabled=True, picker=True))
    assert_inert_controls(picker)
    assert 'data-fb="pick"' in picker and "Dit is de juiste passage" in picker
    assert "Geen passages gevonden." in picker_html([], "nl", None)


def test_notices_are_escaped() -> None:
    assert notice_html("") == ""
    assert notice_html("<b>x</b>") == '<p class="ja-fb-notice">&lt;b&gt;x&lt;/b&gt;</p>'
