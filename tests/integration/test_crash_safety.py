"""An ingest killed with SIGKILL at any point leaves the previous index answering as before,
and the next ingest completes; a second ingest, from another process, is locked out."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.settings import Settings
from assistant.retrieval.retriever import Retriever
from assistant.store.index import IngestLocked, read_current
from ingest.pipeline import ingest
from tests.conftest import ROOT, small_corpus

QUERY = "preventie in de wijk"
#: Characters per embedding batch: a few sentences, so the new document takes several.
BATCH = 200

#: Runs one ingest and SIGKILLs itself at the hook point ``argv[1]`` ("mid_embed": after the
#: first embedding batch). Prints how many passages it was about to embed, and how many the
#: first batch held.
KILLED_INGEST = """
import os, signal, sys
from pathlib import Path
from assistant.core.settings import Settings
from ingest.pipeline import Progress, ingest

point, corpus, index, batch = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])

def die(at: str) -> None:
    if at == point:
        os.kill(os.getpid(), signal.SIGKILL)

class Killer(Progress):
    def embedding(self, total: int) -> None:
        print(total, flush=True)

    def embedded(self, n: int) -> None:
        print(n, flush=True)
        die("mid_embed")

settings = Settings(corpus_dirs=(corpus,), index_dir=index, embed_batch_chars=batch)
ingest(settings, progress=Killer(), hook=die)
"""

HOLD_LOCK = """
import sys, time
from pathlib import Path
from assistant.store.index import ingest_lock

with ingest_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(120)
"""


def _python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def _results(settings: Settings) -> list[tuple[str, float]]:
    """Search results of a fresh reader: what a user would see now."""
    return [(h.chunk.chunk_id, round(h.score, 6)) for h in Retriever(settings).search(QUERY, k=5)]


def _change(corpus: Path) -> None:
    """A new document with enough sentences for several embedding batches, and an edit."""
    (corpus / "c.txt").write_text(
        "Jongerenwerk\n\nDe gemeente opent een jongerencentrum in Noord. Het centrum is elke "
        "avond open tot tien uur. Jongerenwerkers organiseren sport, muziek en "
        "huiswerkbegeleiding. Ouders kunnen er terecht met vragen over opvoeden. De wethouder "
        "evalueert het centrum na twee jaar samen met de jongeren zelf.\n",
        encoding="utf-8",
    )
    (corpus / "b.md").write_text(
        "# Onderwijs\n\nElke school krijgt een vaste contactpersoon van het wijkteam.\n", "utf-8"
    )


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedding cache holding the small corpus, so each case's first ingest is quick."""
    base = tmp_path_factory.mktemp("warm")
    settings = Settings(corpus_dirs=(small_corpus(base / "corpus"),), index_dir=base / "index")
    ingest(settings)
    return settings.index_dir / "embeddings.sqlite"


@pytest.mark.parametrize(
    "point", ["before_embed", "mid_embed", "after_embed", "after_store", "before_switch"]
)
def test_killed_ingest_leaves_the_previous_index_and_the_next_one_completes(
    point: str, tmp_path: Path, warm_cache: Path
) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(
        corpus_dirs=(corpus,), index_dir=tmp_path / "index", embed_batch_chars=BATCH
    )
    settings.index_dir.mkdir()
    shutil.copy(warm_cache, settings.index_dir / "embeddings.sqlite")
    assert ingest(settings).generation == 1
    reader = Retriever(settings)  # a long-lived reader, like the chat UI
    before = _results(settings)

    _change(corpus)
    killed = subprocess.run(
        _python(KILLED_INGEST, point, str(corpus), str(settings.index_dir), str(BATCH)),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]

    assert read_current(settings.index_dir).number == 1  # type: ignore[union-attr]
    assert _results(settings) == before
    assert [(h.chunk.chunk_id, round(h.score, 6)) for h in reader.search(QUERY, k=5)] == before

    after = ingest(settings)  # the lock of the killed process is gone with it
    assert after.ok and after.generation == 2
    assert (after.added, after.changed, after.unchanged) == (1, 1, 1)
    if point == "mid_embed":
        # The first batch was committed to the cache before the kill and is not redone.
        total, first_batch = (int(n) for n in killed.stdout.split()[:2])
        assert 0 < first_batch < total
        assert after.embedded == total - first_batch
    assert reader.search("jongerencentrum in Noord")[0].chunk.doc_id == "c"
    assert "vaste contactpersoon" in reader.search("contactpersoon school")[0].chunk.text
    gens = sorted(p.name for p in (settings.index_dir / "gens").iterdir())
    assert gens == ["g000001", "g000002"]  # the killed generation's leftovers are gone
    # Each generation has its own vector store; the killed one's half-written store is gone.
    stores = sorted(p.name for p in (settings.index_dir / "vectors").iterdir())
    assert stores == ["g000001", "g000002"]
    names = reader.snapshot().store.collections()  # the live one: its collection and view
    assert sorted(n.rsplit("-g", 1)[-1] for n in names) == ["000002", "000002-use"]


def test_ingest_killed_after_the_switch_serves_the_new_generation(
    tmp_path: Path, warm_cache: Path
) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    settings.index_dir.mkdir()
    shutil.copy(warm_cache, settings.index_dir / "embeddings.sqlite")
    ingest(settings)
    _change(corpus)
    killed = subprocess.run(
        _python(KILLED_INGEST, "after_switch", str(corpus), str(settings.index_dir), "16"),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert Retriever(settings).search("jongerencentrum in Noord")[0].chunk.doc_id == "c"
    again = ingest(settings)
    assert again.up_to_date and again.generation == 2


def test_a_second_ingest_in_another_process_is_locked_out(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    holder = subprocess.Popen(
        _python(HOLD_LOCK, str(settings.index_dir)), stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(IngestLocked, match=f"already running .*pid {holder.pid}"):
            ingest(settings)
        index = str(settings.index_dir)
        cli = subprocess.run(
            [
                sys.executable,
                "-m",
                "assistant.cli",
                "ingest",
                "--corpus",
                str(corpus),
                "--index",
                index,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert cli.returncode == 2
        assert cli.stderr.strip() == (
            f"error: another ingest is already running on {settings.index_dir} "
            f"(pid {holder.pid}); wait for it to finish"
        )
        assert "Traceback" not in cli.stderr
    finally:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(timeout=30)
    # The kernel released the lock with the process; the pid left in the file is harmless.
    assert ingest(settings).ok
