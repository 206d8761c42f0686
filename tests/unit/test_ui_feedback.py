"""What the chat's feedback handler does with a button's event (#28): which question and
history a judgement belongs to, that a session undoes only its own judgements, and that a
tampered event (unknown action, made-up reason) records nothing it should not. The store is
a recording fake here: these are the handler's rules, the real store is in the browser test
and tests/integration/test_feedback.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from assistant.answering.answer import Assistant
from assistant.answering.feedback import FeedbackError
from assistant.core.feedback import Judgement
from assistant.core.types import Answer, Citation, SearchHit
from assistant.serve.logins import FailedLogins
from assistant.ui.feedback import FeedbackView
from tests.unit.test_ui_render import chunk


@dataclass
class FakeFeedback:
    available: bool = True
    off_kind: str = ""
    recorded: list[tuple[Any, ...]] = field(default_factory=list)
    deleted: list[int] = field(default_factory=list)

    def record(self, question: str, chunk_id: str, verdict: str, reason: str = "", *,
               history: Any = (), user: str = "") -> Judgement:  # fmt: skip
        if chunk_id == "unknown":
            raise FeedbackError("feedback_chunk", "chunk_id", chunk="'unknown'")
        self.recorded.append((question, chunk_id, verdict, reason, list(history), user))
        return Judgement(len(self.recorded), question, question, chunk_id, "h", verdict, reason,
                         "2026-12-07T10:00:00+00:00", user)  # fmt: skip

    def delete(self, judgement_id: int) -> bool:
        self.deleted.append(judgement_id)
        return True


@dataclass
class FakeAssistant:
    feedback: FakeFeedback = field(default_factory=FakeFeedback)


TURNS = [
    ("Wat schrijven we op over marktwerking?", Answer(question="q1", answer="a1")),
    ("En wat zegt de VNG daarover?", Answer(question="q2", answer="a2")),
]


def view() -> tuple[FeedbackView, FakeFeedback]:
    fake = FakeAssistant()
    return FeedbackView(cast(Assistant, fake)), fake.feedback


def test_a_verdict_belongs_to_the_latest_question_asked_after_the_earlier_ones() -> None:
    fv, store = view()
    event = {"action": "wrong", "chunk": "c1", "reason": "wrong_page"}
    marks, error = fv.judge(event, TURNS, {}, "nl", "anna")
    assert error == ""
    assert store.recorded == [
        ("En wat zegt de VNG daarover?", "c1", "wrong", "wrong_page",
         ["Wat schrijven we op over marktwerking?"], "anna"),
    ]  # fmt: skip
    assert marks == {"c1": {"id": 1, "verdict": "wrong", "reason": "wrong_page"}}
    marks, _ = fv.judge({"action": "pick", "chunk": "c2", "reason": "wrong_page"}, TURNS, marks,
                        "nl", "")  # fmt: skip
    assert store.recorded[-1][2:4] == ("right", "")  # a reason belongs to "wrong" only
    assert set(marks) == {"c1", "c2"}


def test_a_new_verdict_on_a_marked_passage_replaces_the_session_s_own() -> None:
    fv, store = view()
    marks, _ = fv.judge({"action": "wrong", "chunk": "c1"}, TURNS, {}, "nl", "")
    marks, _ = fv.judge({"action": "pick", "chunk": "c1"}, TURNS, marks, "nl", "")
    assert store.deleted == [1] and marks["c1"]["verdict"] == "right"


def test_undo_deletes_only_this_session_s_judgements() -> None:
    fv, store = view()
    marks = {"c1": {"id": 41, "verdict": "right", "reason": ""}}
    forged = {"action": "undo", "chunk": "c9", "id": "7"}  # someone else's judgement id
    assert fv.judge(forged, TURNS, marks, "nl", "") == (marks, "")  # type: ignore[arg-type]
    assert store.deleted == []
    left, _ = fv.judge({"action": "undo", "chunk": "c1", "id": "7"}, TURNS, marks, "nl", "")  # type: ignore[arg-type]
    assert store.deleted == [41] and left == {}  # the session's id, not the event's


def test_tampered_or_early_events_record_nothing_and_errors_show() -> None:
    fv, store = view()
    assert fv.judge({"action": "delete-all", "chunk": "c1"}, TURNS, {}, "nl", "") == ({}, "")
    assert fv.judge({"action": "right"}, TURNS, {}, "nl", "") == ({}, "")
    _, early = fv.judge({"action": "right", "chunk": "c1"}, [], {}, "en", "")
    assert "Ask a question first" in early
    odd = {"action": "wrong", "chunk": "c1", "reason": "<script>"}
    marks, _ = fv.judge(odd, TURNS, {}, "nl", "")
    assert store.recorded[-1][3] == "" and marks["c1"]["reason"] == ""
    marks, error = fv.judge({"action": "right", "chunk": "unknown"}, TURNS, {}, "nl", "")
    assert marks == {} and "Niet vastgelegd" in error and "chunk_id" in error


def test_unavailable_feedback_says_why_and_draws_no_buttons() -> None:
    fv, store = view()
    store.available, store.off_kind = False, "damaged"
    assert "de feedbackdatabase is beschadigd" in fv.notice("nl")
    assert "the feedback database is damaged" in fv.notice("en")
    c = chunk()
    cited = Answer(
        question="q",
        answer="Zie [1].",
        citations=[Citation(1, "c1", "evil", c.title, 3, "", "marktwerking")],
        hits=[SearchHit(c, 1.0, 1)],
    )
    turns = [("Wat schrijven we op over marktwerking?", cited)]
    assert 'class="ja-fb"' not in fv.sources(turns, "nl", {})
    assert fv.notice("nl").startswith('<p class="ja-fb-notice">')
    store.available = True
    assert fv.notice("nl") == ""
    assert 'class="ja-fb"' in fv.sources(turns, "nl", {})


def test_a_flood_from_one_client_is_refused_like_logins_and_others_go_on() -> None:
    fake = FakeAssistant()
    fv = FeedbackView(cast(Assistant, fake), FailedLogins(limit=2))
    for chunk_id in ("c1", "c2"):
        _, error = fv.judge({"action": "right", "chunk": chunk_id}, TURNS, {}, "nl", "", "1.2.3.4")
        assert error == ""
    marks, error = fv.judge({"action": "right", "chunk": "c3"}, TURNS, {}, "en", "", "1.2.3.4")
    assert marks == {} and "too much feedback in a short time; try again in" in error
    assert len(fake.feedback.recorded) == 2
    _, error = fv.judge({"action": "right", "chunk": "c3"}, TURNS, {}, "nl", "", "5.6.7.8")
    assert error == "" and len(fake.feedback.recorded) == 3
