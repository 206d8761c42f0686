"""How long one training step of a cross-encoder on the converted e5-small folder takes
(issue #18: measure only, to plan fine-tuning a relevance model of our own).

A cross-encoder = e5-small's encoder + a new one-logit head, reading question and passage
together; one step = forward, binary cross-entropy, backward and AdamW update on a batch of
(question, passage) pairs from the eval set and the corpus.

    python -m evals.experiments.ce_train_step --batch 16 --threads 2
"""

from __future__ import annotations

import argparse
import os
import time

from assistant.core.settings import apply_privacy_defaults


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--max-length", type=int, default=256)
    args = parser.parse_args()
    apply_privacy_defaults()

    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from assistant.core.settings import Settings
    from assistant.providers.embeddings.e5_convert import default_cache_dir, ensure_model
    from evals.bench_engines import throughput_passages
    from evals.dataset import load_questions

    torch.set_num_threads(args.threads)
    folder = ensure_model(Settings.from_env().model_dir or default_cache_dir())
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    model = AutoModelForSequenceClassification.from_pretrained(str(folder), num_labels=1)
    model.train()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-5)
    questions = [q.question for q in load_questions()]
    passages = throughput_passages()
    pairs = [(questions[i % len(questions)], passages[i % len(passages)]) for i in range(64)]
    labels = torch.tensor([float(i % 2) for i in range(args.batch)])
    times = []
    for step in range(args.steps + 1):
        batch = pairs[step * args.batch % 48 :][: args.batch]
        enc = tokenizer(
            [q for q, _ in batch],
            [p for _, p in batch],
            truncation=True,
            max_length=args.max_length,
            padding=True,
            return_tensors="pt",
        )
        t0 = time.perf_counter()
        logits = model(**enc).logits.squeeze(-1)
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, labels[: len(batch)])
        loss.backward()  # type: ignore[no-untyped-call]
        optimizer.step()
        optimizer.zero_grad()
        if step:  # the first step allocates the optimizer state
            times.append(time.perf_counter() - t0)
    tokens = int(enc["attention_mask"].sum())
    print(
        f"cross-encoder step: batch {args.batch} x {enc['input_ids'].shape[1]} tokens "
        f"({tokens} real), {args.threads} threads: "
        f"{min(times):.2f}-{max(times):.2f} s per step (load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
