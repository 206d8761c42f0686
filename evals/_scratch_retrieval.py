import sys, time, json
from pathlib import Path
from assistant.settings import Settings
from ingest.pipeline import ingest
from assistant.retrieve import Retriever
from evals.dataset import load_questions, gold_chunk_ids
from evals.metrics import retrieval_metrics
distr = len(sys.argv) > 1 and sys.argv[1] == 'd'
dirs = (Path('corpus'),) + ((Path('evals/distractors'),) if distr else ())
s = Settings(corpus_dirs=dirs, index_dir=Path('/tmp/ix-d' if distr else '/tmp/ix'))
print(ingest(s).chunks)
R = Retriever(s)
snap = R.snapshot()
qs = [q for q in load_questions() if q.answerable]
runs = {'all': [], 'en': [], 'nl': []}
miss = []
for q in qs:
    gold = gold_chunk_ids(q, snap.chunks)
    if not gold: print('NO GOLD', q.id); continue
    ranked = [h.chunk.chunk_id for h in R.search(q.question, k=10)]
    runs['all'].append((ranked, gold)); runs[q.language].append((ranked, gold))
    if not any(r in gold for r in ranked[:5]): miss.append((q.id, q.question))
for k, v in runs.items(): print(k, {a: round(b, 3) for a, b in retrieval_metrics(v).items()})
for m in miss: print('MISS', m)
