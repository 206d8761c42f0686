"""Corpus discovery and provenance: which files to ingest, and their metadata."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from ingest.document import SUPPORTED_SUFFIXES

MANIFEST = "manifest.toml"
#: Key of the manifest's ``[defaults]`` table in :func:`read_manifest`'s entries.
DEFAULTS = "*"
#: Files in a corpus folder that are about the corpus, not part of it.
IGNORED_NAMES = {MANIFEST, "README.md", "README.txt", "LICENSE", "LICENSE.txt"}


@dataclass(frozen=True)
class CorpusFile:
    key: str  # stable name in the index state: path relative to its corpus folder
    path: Path
    entry: dict[str, str]  # manifest entry ({} when the file has none)


def slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:80] or "document"


def _value(value: object) -> str:
    """A manifest value as text; a list (``aliases``) becomes one item per line."""
    if isinstance(value, list):
        return "\n".join(str(v).strip() for v in value if str(v).strip())
    return str(value)


def read_manifest(folder: Path) -> tuple[dict[str, dict[str, str]], list[str]]:
    """Manifest entries by file name, and problems found in the manifest itself.

    A ``[defaults]`` table (e.g. ``type = "law"`` for a folder of laws) comes back under the
    key :data:`DEFAULTS`; its fields apply to every file whose own entry does not set them.
    """
    path = folder / MANIFEST
    if not path.exists():
        return {}, []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return {}, [f"{path}: not valid TOML ({exc}); metadata taken from the files"]
    entries: dict[str, dict[str, str]] = {}
    problems: list[str] = []
    defaults = data.get("defaults", {})
    if isinstance(defaults, dict) and defaults:
        entries[DEFAULTS] = {k: str(v) for k, v in defaults.items()}
    for entry in data.get("document", []):
        name = str(entry.get("file", "")).strip()
        if not name:
            problems.append(f"{path}: a [[document]] without 'file'")
            continue
        entries[name] = {k: _value(v) for k, v in entry.items()}
    return entries, problems


def discover(
    folders: tuple[Path, ...],
) -> tuple[list[CorpusFile], list[tuple[str, str]], list[str]]:
    """Supported files, skipped files with the reason, and manifest problems."""
    files: list[CorpusFile] = []
    skipped: list[tuple[str, str]] = []
    problems: list[str] = []
    multi = len(folders) > 1
    for folder in folders:
        entries, probs = read_manifest(folder)
        defaults = entries.pop(DEFAULTS, {})
        problems.extend(probs)
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if any(part.startswith(".") for part in rel.parts) or not path.is_file():
                continue
            if path.name in IGNORED_NAMES:
                continue
            key = f"{folder.name}/{rel.as_posix()}" if multi else rel.as_posix()
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                skipped.append((key, f"unsupported file type {path.suffix or '(none)'}"))
                continue
            entry = {**defaults, **(entries.get(rel.as_posix()) or entries.get(path.name) or {})}
            files.append(CorpusFile(key=key, path=path, entry=entry))
        for name in entries:
            if not (folder / name).exists():
                problems.append(f"{folder / MANIFEST}: lists {name}, which is not in the folder")
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
