"""The Documents tab's upload event, called through Gradio's real queue API on a running
``jeugdakkoord chat``: a ``FileData`` may only name a file Gradio's upload route stored.

Before the fix, a forged path to any server file was copied into the corpus, indexed and
returned by ``/api/search`` (the app is mounted with ``gr.mount_gradio_app``, so Gradio's own
upload-folder check never ran).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from assistant.core.settings import Settings
from tests.conftest import small_corpus
from tests.gradio_queue import event_of, file_data, run_event, upload
from tests.servers import chat_server

SECRET = "Het kluiswachtwoord van de griffie is Zeppelin-Koolmees-4471."
MARK = "Zeppelin-Koolmees"


@dataclass(frozen=True)
class Server:
    url: str
    settings: Settings
    upload_folder: Path
    secret: Path


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("upload-security")
    settings = Settings(corpus_dirs=(small_corpus(base / "corpus"),), index_dir=base / "index")
    assert ingest(settings).ok
    secret = base / "elsewhere" / "wachtwoorden.txt"  # outside every project folder
    secret.parent.mkdir()
    secret.write_text(f"Vertrouwelijk\n\n{SECRET}\n", encoding="utf-8")
    secret.chmod(0o600)
    folder = base / "gradio-uploads"
    with chat_server(settings, GRADIO_TEMP_DIR=str(folder)) as url:
        yield Server(url, settings, folder, secret)


def files_with(folder: Path, text: str) -> list[Path]:
    """Regular files (no symlinks) below ``folder`` whose bytes contain ``text``."""
    found = []
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root) / name
            if not path.is_symlink() and text.encode() in path.read_bytes():
                found.append(path)
    return found


def search_texts(server: Server, query: str) -> list[str]:
    response = httpx.post(server.url + "api/search", json={"query": query, "k": 10}, timeout=60)
    return [r["text"] for r in response.raise_for_status().json()["results"]]


def upload_event(server: Server, path: str, name: str) -> dict[str, object]:
    fn_index, trigger_id = event_of(server.url, "ja-upload", "upload")
    return run_event(server.url, fn_index, trigger_id, [[file_data(path, name)], "nl", []])


def test_a_file_sent_through_the_upload_route_is_added(server: Server, tmp_path: Path) -> None:
    """The control: the same queue call with a path the upload route returned works."""
    doc = tmp_path / "speeltuin.txt"
    doc.write_text(
        "Speeltuinen\n\nDe gemeente Tholen vernieuwt in 2027 alle speeltuinen in de kernen "
        "met natuurlijke speelplekken voor kinderen tot twaalf jaar.\n",
        encoding="utf-8",
    )
    [stored] = upload(server.url, doc)
    done = upload_event(server, stored, doc.name)
    assert done["success"], done
    result = done["output"]["data"][0]  # type: ignore[index]
    assert "speeltuin.txt: toegevoegd" in result, result
    assert any("Tholen" in t for t in search_texts(server, "speeltuinen in Tholen"))


@pytest.mark.parametrize("how", ["absolute", "traversal", "symlink"])
def test_a_forged_path_to_a_server_file_is_refused(server: Server, how: str) -> None:
    forged = {
        "absolute": str(server.secret),
        # Starts with the upload folder, resolves outside it.
        "traversal": f"{server.upload_folder}/../elsewhere/{server.secret.name}",
        "symlink": str(server.upload_folder / "link" / "notities.txt"),
    }[how]
    if how == "symlink":  # a link inside the upload folder that points outside it
        link = Path(forged)
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(server.secret)

    done = upload_event(server, forged, "wachtwoorden.txt")

    output = str(done.get("output"))
    assert not done["success"] and "toegevoegd" not in output and MARK not in output, done
    # Not copied anywhere: not into the corpus, not into Gradio's upload folder or cache ...
    assert files_with(server.settings.corpus_dirs[0], MARK) == []
    assert files_with(server.upload_folder, MARK) == []
    # ... and not indexed: the API cannot return its text.
    assert not any(MARK in t for t in search_texts(server, SECRET))
    assert not any(MARK in t for t in search_texts(server, "kluiswachtwoord griffie"))
    assert server.secret.read_text(encoding="utf-8").count(MARK) == 1  # left alone
