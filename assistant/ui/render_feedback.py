"""HTML of the feedback controls (#28): "juist / onjuist" with a reason on each source card,
what this session recorded (with undo), the note on a passage confirmed earlier, and the
passage picker's results. Pure functions: every value from a document, a user or the store
is escaped here, and only the fixed button markup around it is not (document text is data).

The buttons carry ``data-fb`` (the action) inside a ``.ja-fb`` box that names its chunk;
:data:`JS` turns a click on one into the HTML component's ``feedback`` event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from assistant.core.i18n import t
from assistant.core.types import Chunk
from assistant.ui.render import card_html, escape

#: The optional reasons a passage is wrong (the store's codes, in the order offered).
REASONS = ("wrong_passage", "wrong_page", "should_refuse", "clause_wrong")
#: What a button can ask for; anything else in an event is ignored.
ACTIONS = ("right", "wrong", "pick", "undo")


class Mark(TypedDict):
    """A judgement this session recorded on a passage (its id is what undo deletes)."""

    id: int
    verdict: str
    reason: str


#: chunk id -> this session's judgement on it, for the latest answer (kept in a ``gr.State``).
Marks = dict[str, Mark]

#: One delegated listener on the component (its content is re-rendered, the element stays):
#: a click on a feedback button triggers ``feedback`` with the action, chunk, reason and id.
JS = """
element.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-fb]');
  if (!button || !element.contains(button)) return;
  const box = button.closest('.ja-fb');
  const reason = box ? box.querySelector('select.ja-fb-reason') : null;
  trigger('feedback', {
    action: button.dataset.fb || '',
    chunk: box ? box.dataset.chunk || '' : '',
    reason: reason ? reason.value : '',
    id: button.dataset.id || '',
  });
});
"""


@dataclass(frozen=True)
class CardFeedback:
    """What each card shows below its passage: the buttons (when feedback is available), the
    session's mark on it, and the note that it was confirmed earlier. Called with a chunk id
    (it is a :data:`assistant.ui.render.CardExtra`)."""

    lang: str
    enabled: bool
    marks: Mapping[str, Mark] = field(default_factory=dict)
    #: chunk id -> the note ("eerder als juist gemarkeerd op 7 december 2026")
    learned: Mapping[str, str] = field(default_factory=dict)
    #: picker results: one "this is the right passage" button instead of right / wrong
    picker: bool = False

    def __call__(self, chunk_id: str) -> tuple[str, str]:
        """(the note above the passage, the controls below it)."""
        note = self.learned.get(chunk_id, "")
        above = f'<p class="ja-learned">✓ {escape(note)}</p>' if note else ""
        return above, self._controls(chunk_id) if self.enabled else ""

    def _controls(self, chunk_id: str) -> str:
        lang, mark = self.lang, self.marks.get(chunk_id)
        box = f'<div class="ja-fb" data-chunk="{escape(chunk_id)}">'
        if mark is not None:
            return box + _mark_html(mark, lang, self.picker) + "</div>"
        if self.picker:
            return box + _button("pick", t(lang, "fb_pick_this"), "", "ja-fb-pick") + "</div>"
        options = "".join(
            f'<option value="{r}">{escape(t(lang, f"fb_reason_{r}"))}</option>' for r in REASONS
        )
        return (
            box
            + _button("right", t(lang, "fb_right"), t(lang, "fb_right_title"))
            + _button("wrong", t(lang, "fb_wrong"), t(lang, "fb_wrong_title"))
            + f'<select class="ja-fb-reason" aria-label="{escape(t(lang, "fb_reason"))}">'
            + f'<option value="">{escape(t(lang, "fb_reason"))}</option>{options}</select>'
            + "</div>"
        )


def _button(action: str, label: str, title: str = "", cls: str = "", data_id: str = "") -> str:
    """A small feedback button; ``action`` is one of :data:`ACTIONS` (fixed markup)."""
    classes = " ".join(c for c in ("ja-fb-btn", cls) if c)
    attrs = f' title="{escape(title)}"' if title else ""
    attrs += f' data-id="{escape(data_id)}"' if data_id else ""
    return (
        f'<button type="button" class="{classes}" data-fb="{action}"{attrs}>'
        f"{escape(label)}</button>"
    )


def _mark_html(mark: Mark, lang: str, picker: bool) -> str:
    """'✓ Gemarkeerd als onjuist (verkeerde pagina)' and an undo button."""
    if mark["verdict"] == "right":
        text = t(lang, "fb_picked" if picker else "fb_marked_right")
    else:
        text = t(lang, "fb_marked_wrong")
    if mark["reason"] in REASONS:
        text += f" ({t(lang, 'fb_reason_' + mark['reason'])})"
    undo = _button("undo", t(lang, "fb_undo"), "", "ja-fb-undo", str(mark["id"]))
    return f'<span class="ja-fb-mark">✓ {escape(text)}</span> {undo}'


def picker_html(chunks: Sequence[Chunk], lang: str, cards: CardFeedback | None) -> str:
    """The picker's search results as cards, each with its "this is the right passage"
    button (none when feedback is unavailable)."""
    if not chunks:
        return f'<p class="ja-empty">{escape(t(lang, "fb_pick_none"))}</p>'
    return "".join(
        card_html(f"kies-{i}", f"{i}.", chunk, extra=cards(chunk.chunk_id) if cards else ("", ""))
        for i, chunk in enumerate(chunks, 1)
    )


def notice_html(text: str) -> str:
    """A line above the sources: feedback is off and why, or a judgement was not recorded."""
    return f'<p class="ja-fb-notice">{escape(text)}</p>' if text else ""


CSS = """
.ja-fb { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem; margin-top: .35rem;
  font-size: .8em; }
.ja-fb-btn { border: 1px solid var(--border-color-primary); border-radius: 4px;
  padding: 0 .45rem; background: var(--background-fill-primary); cursor: pointer;
  line-height: 1.6; font-weight: 400; font-size: 1em; }
.ja-fb-btn:hover { border-color: var(--color-accent); }
.ja-fb-reason { font-size: 1em; padding: 0 .2rem; max-width: 12rem;
  border: 1px solid var(--border-color-primary); border-radius: 4px;
  background: var(--background-fill-primary); }
.ja-fb-mark { color: var(--body-text-color-subdued); }
.ja-fb-undo { border: none; background: none; text-decoration: underline; padding: 0; }
.ja-learned { font-size: .85em; color: #166534; margin: 0 0 .3rem; }
.ja-fb-notice { font-size: .85em; color: #92400e; margin: 0 0 .4rem; }
/* The picker lists whole passages: each scrolls within a few lines, the list within the page. */
#ja-pick-results { max-height: 60vh; overflow-y: auto !important; }
#ja-pick-results .ja-text { max-height: 8.5em; overflow-y: auto; }
"""
