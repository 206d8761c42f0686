"""Issue 28 in a real browser: "juist / onjuist" on the source cards, the passage picker, the
next answer that learned from it (with its note), and the Settings tab's switch.

Each test runs ``jeugdakkoord chat`` with a feedback database of its own (the index is a
shared fresh copy the servers only read), so no test sees another's judgements.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page

from assistant.answering.feedback import long_date
from assistant.core.feedback import Judgement
from assistant.core.settings import Settings
from assistant.store.feedback import FeedbackStore
from tests.browser.test_chat_ui import MARKET, ask, browser, open_page  # noqa: F401
from tests.conftest import ingested_copy
from tests.servers import chat_server

#: The passage the answer to MARKET cites first (Jeugdzorg Nederland's text suggestion 2) ...
CITED = "We stoppen met marktwerking"
#: ... and the one the test picks instead: the same letter's plea, in its own words.
PICKED = "afschaffen van marktwerking"
MARKET_EN = "What should we write about market forces?"
PARKING_EN = "How many parking spaces will there be at the station?"


@pytest.fixture(scope="module")
def fb_settings(tmp_path_factory: pytest.TempPathFactory, real_index: Settings) -> Settings:
    return ingested_copy(tmp_path_factory.mktemp("feedback-ui"), real_index)


def judgements(db: Path) -> list[Judgement]:
    """What the server stored, read from its database as the CLI would."""
    store = FeedbackStore(db)
    store.open()
    return store.list()


@pytest.fixture
def fb_page(
    browser: Browser,  # noqa: F811
    fb_settings: Settings,
    tmp_path: Path,
) -> Iterator[tuple[Page, Path]]:
    """A page on a server with an empty feedback database of its own."""
    db = tmp_path / "feedback.sqlite"
    with (
        chat_server(fb_settings, JEUGDAKKOORD_FEEDBACK_DB=str(db)) as url,
        open_page(browser, url) as page,
    ):
        yield page, db


def card(page: Page, turn: int, n: int) -> Locator:
    return page.locator(f"#bron-{turn}-{n}")


def learn(page: Page, on: bool) -> None:
    """Flip the Settings tab's "Leren van correcties" switch and go back to the chat."""
    page.click("#ja-tab-settings-button")
    box = page.locator("#ja-learn input[type=checkbox]")
    box.set_checked(on)
    page.click("#ja-tab-chat-button")


def test_a_correction_leads_the_next_answer_and_switching_learning_off_undoes_it(
    fb_page: tuple[Page, Path],
) -> None:
    page, db = fb_page
    turn = ask(page, MARKET)
    first = card(page, turn, 1)
    assert CITED in first.inner_text()
    assert first.locator("button[data-fb=right]").inner_text() == "juist"

    first.locator("select.ja-fb-reason").select_option("wrong_passage")
    first.locator("button[data-fb=wrong]").click()
    first.locator(".ja-fb-mark").wait_for()
    assert "Gemarkeerd als onjuist (verkeerde passage)" in first.inner_text()
    assert first.locator("button[data-fb=wrong]").count() == 0  # marked: undo instead

    # Marking it wrong opened the picker: search the documents and choose the right passage.
    page.locator("#ja-pick-query textarea, #ja-pick-query input").first.fill(PICKED)
    page.click("#ja-pick-search")
    result = page.locator("#ja-pick-results .ja-card", has_text=PICKED).first
    result.locator("button[data-fb=pick]").click()
    result.locator(".ja-fb-mark").wait_for()
    assert "Gekozen als juiste passage" in result.inner_text()

    stored = judgements(db)
    assert [(j.verdict, j.reason, j.question) for j in stored] == [
        ("wrong", "wrong_passage", MARKET),
        ("right", "", MARKET),
    ]

    turn = ask(page, MARKET)
    first = card(page, turn, 1)
    today = long_date(datetime.now(UTC).isoformat(), "nl")
    assert PICKED in first.inner_text()
    assert f"eerder als juist gemarkeerd op {today}" in first.locator(".ja-learned").inner_text()
    assert CITED not in page.inner_text("#ja-sources")  # the rejected passage is left out
    assert (
        "(eerder als juist gemarkeerd op"
        in page.locator("#ja-chat [data-testid=bot]").last.inner_text()
    )

    learn(page, False)
    turn = ask(page, MARKET)
    assert CITED in card(page, turn, 1).inner_text()
    assert page.locator("#ja-sources .ja-learned").count() == 0
    assert len(judgements(db)) == 2  # switching off keeps every judgement

    learn(page, True)
    turn = ask(page, MARKET)
    assert PICKED in card(page, turn, 1).inner_text()


def test_the_buttons_work_in_english_undo_deletes_and_a_refusal_offers_the_picker(
    fb_page: tuple[Page, Path],
) -> None:
    page, db = fb_page
    page.click("#ja-lang label:has-text('English')")
    page.wait_for_function("document.querySelector('#ja-ask').innerText.trim() === 'Ask'")
    turn = ask(page, MARKET_EN)
    first = card(page, turn, 1)
    assert first.locator("button[data-fb=wrong]").inner_text() == "wrong"
    first.locator("select.ja-fb-reason").select_option("wrong_page")
    first.locator("button[data-fb=wrong]").click()
    first.locator(".ja-fb-mark").wait_for()
    assert "Marked wrong (wrong page)" in first.inner_text()
    [judgement] = judgements(db)
    assert (judgement.verdict, judgement.reason, judgement.question) == (
        "wrong",
        "wrong_page",
        MARKET_EN,
    )

    # Back to Dutch: the mark keeps, in Dutch words.
    page.click("#ja-lang label:has-text('Nederlands')")
    page.wait_for_function("document.querySelector('#ja-ask').innerText.trim() === 'Vraag'")
    assert "Gemarkeerd als onjuist (verkeerde pagina)" in first.inner_text()

    first.locator("button[data-fb=undo]").click()
    first.locator("button[data-fb=right]").wait_for()
    assert judgements(db) == []

    # A refusal opens the picker, and a "possibly related" card can be marked right.
    page.click("#ja-lang label:has-text('English')")
    page.wait_for_function("document.querySelector('#ja-ask').innerText.trim() === 'Ask'")
    turn = ask(page, PARKING_EN)
    assert page.is_visible("#ja-pick-query")
    related = page.locator(f"#verwant-{turn}-1")
    related.locator("button[data-fb=right]").click()
    related.locator(".ja-fb-mark").wait_for()
    assert "Marked right" in related.inner_text()
    [judgement] = judgements(db)
    assert (judgement.verdict, judgement.question) == ("right", PARKING_EN)


def test_an_unusable_feedback_database_shows_the_notice_and_answers_still_come(
    browser: Browser,  # noqa: F811
    fb_settings: Settings,
    tmp_path: Path,
) -> None:
    db = tmp_path / "feedback.sqlite"
    db.write_bytes(b"this is not a database" * 100)
    with (
        chat_server(fb_settings, JEUGDAKKOORD_FEEDBACK_DB=str(db)) as url,
        open_page(browser, url) as page,
    ):
        notice = page.locator("#ja-fb-notice .ja-fb-notice")
        notice.wait_for()
        assert "Leren van feedback staat uit" in notice.inner_text()
        turn = ask(page, MARKET)
        assert CITED in card(page, turn, 1).inner_text()
        assert page.locator("#ja-sources .ja-fb").count() == 0  # no buttons
        assert not page.is_visible("#ja-pick")
        page.click("#ja-tab-settings-button")
        assert "Leren van feedback staat uit" in page.inner_text("#ja-settings-fb-notice")
        assert page.locator("#ja-learn input[type=checkbox]").is_disabled()


def test_behind_a_login_the_judgement_carries_the_user_name(
    browser: Browser,  # noqa: F811
    fb_settings: Settings,
    tmp_path: Path,
) -> None:
    db = tmp_path / "feedback.sqlite"
    env = {"JEUGDAKKOORD_AUTH": "onderhandelaar:ge:heim", "JEUGDAKKOORD_FEEDBACK_DB": str(db)}
    with chat_server(fb_settings, **env) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(url)
        page.fill("#ja-login input[name=username]", "onderhandelaar")
        page.fill("#ja-login input[name=password]", "ge:heim")
        page.click("#ja-login button")
        page.wait_for_selector("#ja-ask")
        turn = ask(page, MARKET)
        first = card(page, turn, 1)
        first.locator("button[data-fb=right]").click()
        first.locator(".ja-fb-mark").wait_for()
        context.close()
    [judgement] = judgements(db)
    assert (judgement.verdict, judgement.user) == ("right", "onderhandelaar")
