"""Every message code the code looks up exists in every language of its table.

``assistant/answering/answer.py`` once looked up ``MESSAGES[lang]["llm_failed"]``, a code the
table did not have: a generator failing with an empty message crashed the answer (KeyError).
"""

from __future__ import annotations

import inspect
import re
from types import ModuleType

import pytest

from assistant.answering import answer, llm

#: (module, table name, the names the code indexes the table's language entry with)
TABLES = [(answer, "MESSAGES", ("msg",)), (llm, "NOTICES", ())]


def used_codes(module: ModuleType, table: str, aliases: tuple[str, ...]) -> set[str]:
    """The string codes looked up as ``TABLE[lang]["code"]`` or ``alias["code"]``."""
    source = inspect.getsource(module)
    heads = [rf"\b{table}\[[^\]]+\]", *(rf"\b{a}" for a in aliases)]
    return {m.group(1) for head in heads for m in re.finditer(head + r'\["(\w+)"\]', source)}


@pytest.mark.parametrize(("module", "table", "aliases"), TABLES)
def test_every_used_message_code_exists_in_both_languages(
    module: ModuleType, table: str, aliases: tuple[str, ...]
) -> None:
    messages: dict[str, dict[str, str]] = getattr(module, table)
    used = used_codes(module, table, aliases)
    assert used, "the pattern found no lookups: the test would prove nothing"
    assert set(messages) == {"nl", "en"}
    for lang, entries in messages.items():
        assert not used - set(entries), f"{table}[{lang!r}] lacks {sorted(used - set(entries))}"
        assert all(text.strip() for text in entries.values())
    assert set(messages["nl"]) == set(messages["en"])


def test_the_code_a_generator_failure_uses_is_found() -> None:
    assert "llm_failed" in used_codes(answer, "MESSAGES", ("msg",))
