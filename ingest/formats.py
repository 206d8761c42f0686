"""The registry of document formats: every loader in :mod:`ingest.loaders` declares its
suffixes, content signature, upload permission and user-facing name here, and the suffix lists,
the upload check and the texts naming the supported types are derived from those declarations.

Adding a format is one new module in ``ingest/loaders/`` that defines ``LOADER`` (see
docs/adding-a-loader.md); nothing else names the formats.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingest.document import RawDocument

#: Why an upload is refused: an interface text key (``assistant.core.i18n``) and its values.
Refusal = tuple[str, dict[str, object]]

#: Signatures of binary content that is no document format of ours (images, old Office files):
#: a text file starting with one was renamed, not written.
_OTHER_BINARY = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")


class PageOcr(Protocol):
    """What a loader may ask of OCR (``ingest.ocr.Ocr``): kept abstract so the registry does not
    import the OCR machinery."""

    def missing(self) -> str: ...
    def read_pages(self, pdf: Path, numbers: list[int]) -> dict[int, str]: ...


Reader = Callable[[Path, "PageOcr | None"], RawDocument]


@dataclass(frozen=True)
class Loader:
    """One document format: what ingest, uploads and the interface need to know of it."""

    #: File name suffixes it reads, lower case with the dot (".docx").
    suffixes: tuple[str, ...]
    #: Its name for users, per interface language ({"nl": "tekst", "en": "text"}).
    names: Mapping[str, str]
    #: Reads a file (the size is checked > 0 before); raises an ``IngestError`` subclass.
    read: Reader
    #: The suffixes the Documents tab accepts for upload (a subset of ``suffixes``; empty: none).
    uploads: tuple[str, ...] = ()
    #: The content of an uploaded file starts with one of these; empty: a text format, whose
    #: content must not be binary.
    magic: tuple[bytes, ...] = ()
    #: The upload refusal when the content does not fit ``magic`` (or is binary).
    not_magic: Refusal = ("up_binary", {})
    #: How a failure reason names the format ("malformed ODT: ...").
    failure_name: str = "text file"
    #: Replaces the ``magic`` check when a signature alone cannot tell.
    sniff: Callable[[bytes], Refusal | None] | None = field(default=None, compare=False)
    #: Where it comes in the lists users see (lower first; then by module name).
    order: int = 50

    def check_content(self, head: bytes) -> Refusal | None:
        """Why the first bytes of an upload do not look like this format (None: they do)."""
        if self.sniff is not None:
            return self.sniff(head)
        if self.magic:
            return None if head.startswith(self.magic) else self.not_magic
        return self.not_magic if looks_binary(head) else None


_lock = threading.Lock()
_found: list[Loader] = []
_extra: list[Loader] = []
_discovered = False


def _discover() -> list[Loader]:
    """Every module of the ``ingest.loaders`` package that defines ``LOADER``, by name."""
    package = importlib.import_module("ingest.loaders")
    out: list[Loader] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        loader = getattr(module, "LOADER", None)
        if not isinstance(loader, Loader):
            raise TypeError(f"{module.__name__} is in ingest/loaders/ but defines no LOADER")
        out.append(loader)
    return out


def loaders() -> tuple[Loader, ...]:
    """The registered loaders: the package's (found on first use), then any :func:`register`ed."""
    global _discovered
    with _lock:
        if not _discovered:
            _found[:] = sorted(_discover(), key=lambda ld: ld.order)
            _discovered = True
        return (*_found, *_extra)


def register(loader: Loader) -> None:
    """Add a loader from outside the package (a plug-in); a suffix can have one loader only."""
    taken = {s for known in loaders() for s in known.suffixes}
    clash = taken.intersection(loader.suffixes)
    if clash:
        raise ValueError(f"a loader for {', '.join(sorted(clash))} is registered already")
    with _lock:
        _extra.append(loader)


def unregister(loader: Loader) -> None:
    """Remove a loader :func:`register` added (tests, a plug-in switched off)."""
    with _lock:
        _extra.remove(loader)


def rediscover() -> None:
    """Look for loader modules again on next use (a module added while running)."""
    global _discovered
    with _lock:
        _discovered = False


def loader_for(suffix: str) -> Loader | None:
    """The loader of files ending in ``suffix`` (any case), None for an unsupported type."""
    suffix = suffix.lower()
    return next((ld for ld in loaders() if suffix in ld.suffixes), None)


def supported_suffixes() -> tuple[str, ...]:
    """Every suffix ingest reads."""
    return tuple(s for ld in loaders() for s in ld.suffixes)


def upload_suffixes() -> tuple[str, ...]:
    """The suffixes the Documents tab accepts."""
    return tuple(s for ld in loaders() for s in ld.uploads)


def looks_binary(head: bytes) -> bool:
    """Whether a file's first bytes are not text: NUL bytes, or a binary format's signature."""
    signatures = (*(m for ld in loaders() for m in ld.magic), *_OTHER_BINARY)
    return b"\x00" in head or head.startswith(signatures)


def _join(names: list[str], last: str) -> str:
    """'a, b and c' (``last`` is the word before the last name)."""
    return names[0] if len(names) < 2 else f"{', '.join(names[:-1])} {last} {names[-1]}"


def _name(loader: Loader, lang: str) -> str:
    return loader.names.get(lang) or loader.names["en"]


def upload_names(lang: str) -> str:
    """The uploadable formats by name ("PDF, Word, OpenDocument, HTML, tekst")."""
    return ", ".join(_name(ld, lang) for ld in loaders() if ld.uploads)


def upload_types(lang: str) -> str:
    """The uploadable formats with their suffixes ("PDF (.pdf), ... en tekst (.txt, .md)")."""
    named = [f"{_name(ld, lang)} ({', '.join(ld.uploads)})" for ld in loaders() if ld.uploads]
    return _join(named, "en" if lang == "nl" else "and")


def supported_names(lang: str = "en") -> str:
    """Every format ingest reads, by name ("PDF, Word, OpenDocument, HTML or text")."""
    return _join([_name(ld, lang) for ld in loaders()], "of" if lang == "nl" else "or")
