"""The two-document corpus of :func:`tests.conftest.small_corpus`, ingested once per test
run (its tests only read it), and the chat server's login as a browser does it."""

from __future__ import annotations

import re

import httpx
import pytest

from assistant.core.settings import Settings
from tests.conftest import small_corpus

_INGESTED: list[Settings] = []


def small_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The small corpus and its index (ingested on first use)."""
    if not _INGESTED:
        from ingest.pipeline import ingest

        base = tmp_path_factory.mktemp("small-index")
        settings = Settings(corpus_dirs=(small_corpus(base / "corpus"),), index_dir=base / "index")
        assert ingest(settings).ok
        _INGESTED.append(settings)
    return _INGESTED[0]


def form_token(client: httpx.Client, url: str) -> str:
    """The CSRF token of the login page at ``url``."""
    page = client.get(url)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def log_in(
    client: httpx.Client,
    url: str,
    user: str,
    password: str,
    token: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """POST the login form as the page does (its token fetched unless given)."""
    headers = headers or {}
    if token is None:  # from a page without this client's cookies (a session skips it)
        with httpx.Client(timeout=30) as fresh:
            token = form_token(fresh, url)
    form = {"username": user, "password": password, "csrf_token": token}
    return client.post(url + "login", data=form, headers=headers)
