"""What ``jeugdakkoord models`` shows: every registered provider of every kind, and for what
cannot run here the extra or model it needs."""

from __future__ import annotations

from dataclasses import dataclass

from assistant.providers.registry import KINDS, REGISTRY


@dataclass(frozen=True)
class Entry:
    kind: str
    name: str
    description: str
    available: bool
    #: What to do to run it: the pip command, and/or the model or service it needs.
    needs: str


def catalog() -> list[Entry]:
    """All providers, built-in and from entry points, by kind."""
    # Importing each kind's package registers its built-in providers.
    import assistant.providers.embeddings
    import assistant.providers.generators
    import assistant.providers.rerankers
    import assistant.providers.stores  # noqa: F401

    out = []
    for kind in KINDS:
        for p in REGISTRY.of_kind(kind):
            missing = p.missing()
            needs = "; ".join(x for x in (missing or "", p.needs) if x)
            out.append(Entry(kind, p.usage, p.description, missing is None, needs))
    return out
