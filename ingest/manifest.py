"""Corpus discovery and provenance: which files to ingest, and their metadata."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.formats import supported_suffixes

MANIFEST = "manifest.toml"
#: Key of the manifest's ``[defaults]`` table in :func:`read_manifest`'s entries.
DEFAULTS = "*"
#: Files in a corpus folder that are about the corpus, not part of it.
IGNORED_NAMES = {MANIFEST, "README.md", "README.txt", "LICENSE", "LICENSE.txt"}
#: Fields that describe a document without shaping its passages: editing them updates the
#: index without reading the file again (``ingest.pipeline``).
METADATA_FIELDS = (
    "title",
    "publisher",
    "place",
    "date",
    "type",
    "author",
    "aliases",
    "source",
    "licence",
)


@dataclass(frozen=True)
class CorpusFile:
    key: str  # stable name in the index state: path relative to its corpus folder
    path: Path
    entry: dict[str, str]  # manifest entry ({} when the file has none)
    #: A manifest that applies to the file could not be read: keep its indexed metadata.
    manifest_broken: bool = False


class ManifestError(ValueError):
    """A manifest that cannot be read or written, with its file and line."""

    kind = "invalid"  # how the faces report it (core.errors.KINDS)
    code = "manifest_error"  # its message: ``assistant.core.errors.MESSAGES``


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:80] or "document"


def _value(value: object) -> str:
    """A manifest value as text; a list (``aliases``) becomes one item per line."""
    if isinstance(value, list):
        return "\n".join(str(v).strip() for v in value if str(v).strip())
    return str(value)


def toml_problem(path: Path, exc: Exception) -> str:
    """ "corpus/manifest.toml, line 7: invalid value" from a TOML parser's error."""
    text = str(exc)
    m = re.search(r"\(at line (\d+), column (\d+)\)|line (\d+) col(?:umn)? (\d+)", text)
    what = re.sub(r"\s*\(at line \d+, column \d+\)|\s*at line \d+ col(?:umn)? \d+", "", text)
    line = (m.group(1) or m.group(3)) if m else ""
    where = f"{path}, line {line}" if line else str(path)
    return f"{where}: not valid TOML ({what.strip() or type(exc).__name__})"


def read_manifest(folder: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Manifest entries by file name, and problems found in the manifest itself.

    A ``[defaults]`` table (e.g. ``type = "law"`` for a folder of laws) comes back under the
    key :data:`DEFAULTS`; its fields apply to every file whose own entry does not set them.
    A manifest that cannot be read raises :class:`ManifestError` (file, line, what).
    """
    path = folder / MANIFEST
    if not path.exists():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(toml_problem(path, exc)) from exc
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    entries: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    defaults = data.get("defaults", {})
    if isinstance(defaults, dict) and defaults:
        entries[DEFAULTS] = {k: str(v) for k, v in defaults.items()}
    documents = data.get("document", [])
    if not isinstance(documents, list):
        raise ManifestError(f"{path}: 'document' must be [[document]] tables")
    for entry in documents:
        name = str(entry.get("file", "")).strip() if isinstance(entry, dict) else ""
        if not name:
            problems.append(f"{path}: a [[document]] without 'file'")
            continue
        entries[name] = {k: _value(v) for k, v in entry.items()}
    return entries, problems


@dataclass
class _Manifest:
    folder: Path
    entries: dict[str, dict[str, str]]
    defaults: dict[str, str]
    broken: bool
    used: set[str]


def _manifests(folder: Path, problems: list[str]) -> dict[Path, _Manifest]:
    """Every manifest in ``folder`` and its subfolders (not hidden ones), by its folder."""
    found: dict[Path, _Manifest] = {}
    for path in sorted(folder.rglob(MANIFEST)):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        try:
            entries, probs = read_manifest(path.parent)
            broken = False
        except ManifestError as exc:
            entries, probs, broken = {}, [f"{exc}; the metadata indexed before is kept"], True
        problems.extend(probs)
        defaults = entries.pop(DEFAULTS, {})
        found[path.parent] = _Manifest(path.parent, entries, defaults, broken, set())
    return found


def _entry_for(
    path: Path, folder: Path, manifests: dict[Path, _Manifest]
) -> tuple[dict[str, str], bool]:
    """The merged manifest entry of ``path``: manifests from the corpus folder down to the
    file's own folder, a nearer one winning; each names files relative to its own folder
    (or by bare name)."""
    chain = [
        d
        for d in (path.parent, *path.parent.parents)
        if d in manifests and d.is_relative_to(folder)
    ]
    defaults: dict[str, str] = {}
    entry: dict[str, str] = {}
    broken = False
    for d in reversed(chain):
        m = manifests[d]
        broken = broken or m.broken
        defaults.update(m.defaults)
        rel = path.relative_to(d).as_posix()
        name = rel if rel in m.entries else path.name if path.name in m.entries else ""
        if name:
            m.used.add(name)
            entry.update(m.entries[name])
    return {**defaults, **entry}, broken


def discover(
    folders: tuple[Path, ...],
) -> tuple[list[CorpusFile], list[tuple[str, str]], list[str]]:
    """Supported files, skipped files with the reason, and manifest problems.

    A ``manifest.toml`` in a subfolder applies to the files below it, named relative to it.
    """
    files: list[CorpusFile] = []
    skipped: list[tuple[str, str]] = []
    problems: list[str] = []
    multi = len(folders) > 1
    suffixes = supported_suffixes()
    for folder in folders:
        manifests = _manifests(folder, problems)
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            if path.name in IGNORED_NAMES:
                continue
            key = f"{folder.name}/{rel.as_posix()}" if multi else rel.as_posix()
            if path.suffix.lower() not in suffixes:
                skipped.append((key, f"unsupported file type {path.suffix or '(none)'}"))
                continue
            entry, broken = _entry_for(path, folder, manifests)
            files.append(CorpusFile(key=key, path=path, entry=entry, manifest_broken=broken))
        for m in manifests.values():
            for name in m.entries:
                if name not in m.used:
                    problems.append(
                        f"{m.folder / MANIFEST}: lists {name}, which is not in the folder"
                    )
    return files, skipped, problems


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def title_from_name(path: Path) -> str:
    name = re.sub(r"[-_]+", " ", path.stem).strip()
    return name[:1].upper() + name[1:] if name else path.name
