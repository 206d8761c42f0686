"""Read documents into pages of raw text or structured parts, with specific errors for bad
files. One module per format in this package, each declaring a ``LOADER``
(:class:`ingest.formats.Loader`); :func:`load` picks the loader by the file's suffix."""

from __future__ import annotations

import logging
from pathlib import Path

from ingest.document import Part, RawDocument
from ingest.errors import CorruptFile, EmptyFile, IngestError, TooLarge, UnsupportedType
from ingest.formats import PageOcr, loader_for, supported_suffixes

__all__ = ["Part", "RawDocument", "load"]

log = logging.getLogger(__name__)


def load(path: Path, ocr: PageOcr | None = None) -> RawDocument:
    """Load one file; raise an :class:`IngestError` subclass that says what is wrong with it.

    ``ocr`` reads PDF pages that have no text layer; without it they stay empty (reported).
    Whatever else a parser raises on a malformed file (ValueError, KeyError, XML errors,
    RecursionError, MemoryError, ...) becomes that file's failure too, never the ingest's.
    """
    suffix = path.suffix.lower()
    loader = loader_for(suffix)
    if loader is None:
        raise UnsupportedType(
            f"{suffix or 'no extension'}; supported: {', '.join(supported_suffixes())}"
        )
    kind = loader.failure_name
    try:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise IngestError(str(exc)) from exc
        if size == 0:
            raise EmptyFile("0 bytes")
        return loader.read(path, ocr)
    except IngestError:
        raise
    except MemoryError:
        raise TooLarge(f"ran out of memory reading the {kind}") from None
    except RecursionError:
        raise CorruptFile(f"malformed {kind}: nested too deeply") from None
    except Exception as exc:  # a parser's error on a malformed file
        log.debug("loading %s failed", path, exc_info=True)
        raise CorruptFile(f"malformed {kind}: {type(exc).__name__}: {exc}"[:300]) from exc
