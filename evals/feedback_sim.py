"""A simulated negotiating team (issue #28): what corrections do for the next answers.

Replays 30 dev-split questions (evals/datasets/questions.jsonl) against an empty feedback
database; where an answer cites no gold passage, the "team" corrects it as a user would in
the chat: the first gold passage (from the dataset) marked right, the first cited passage
marked wrong. Then the team asks each question again in other words (the paraphrases below,
written for this script, dev questions only) and the same question again. Reported: cited
gold before (learning off) and after (learning on), for the paraphrases and the repeats.

    python -m evals.feedback_sim [--index var/index]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from assistant.answering.answer import Assistant
from assistant.core.settings import Settings
from assistant.core.types import Answer
from evals.dataset import Question, is_gold, load_questions

#: Dev question id -> the same question in other words, as a negotiator asks it again.
PARAPHRASES = {
    "mf-en-1": "What do we put in the agreement about market forces in youth care?",
    "mf-nl-1": "Stoppen we met het aanbesteden van zorg?",
    "jn-zorglandschap-en-1": "How do we prevent gaps in intensive child-protection and "
    "treatment services, and do we do it with neighbouring councils?",
    "jn-zorglandschap-nl-1": "Hoe zorgen we dat er geen gaten vallen in het aanbod van zware "
    "hulp, en doen we dat alleen?",
    "jn-lokaleteams-en-1": "What should neighbourhood teams do before a child is referred to "
    "youth care?",
    "jn-expertise-nl-1": "Wie moeten er meedenken over de inrichting van de wijkteams?",
    "jn-onderwijs-en-1": "Which clause do we need about schools and child welfare services "
    "working together?",
    "jn-basisvoorz-nl-1": "Blijven we investeren in ontmoetingsplekken en sportaccommodaties "
    "voor jonge gezinnen?",
    "jn-verlengd-en-1": "Do we guarantee aftercare beyond 18 for young people leaving care?",
    "jn-aantal-nl-1": "Hoeveel minderjarigen krijgen volgens de branche nu hulp van een "
    "zorginstelling?",
    "jn-rolschool-en-1": "Why does the sector association say problems are first spotted in "
    "the classroom?",
    "jn-doel-nl-1": "Waarom schrijft de koepel van hulpaanbieders de formateurs aan?",
    "jn-uitgaven-en-1": "Does the providers' association want the municipality to spend less "
    "on children's care?",
    "jn-uithuis-nl-1": "Moeten leerlingen die uit huis geplaatst zijn hun lessen gewoon "
    "kunnen volgen?",
    "vng-college-en-1": "Is youth policy the job of one alderman or of the whole executive board?",
    "vng-college-nl-1": "Is alleen de jeugdwethouder verantwoordelijk voor wat kinderen nodig "
    "hebben?",
    "vng-preventie-en-1": "Should money be reserved for early help and neighbourhood services "
    "instead of individual treatment?",
    "vng-preventie-nl-2": "Wat vindt de gemeentekoepel van projecten die buurtbewoners zelf "
    "opzetten?",
    "vng-portefeuille-en-2": "Why would bundling these responsibilities make things easier "
    "for partners and civil servants?",
    "vng-doelen-en-1": "What are the two aims of the envoy's assignment?",
    "vng-groeipijn-nl-1": "Wanneer kwam de commissie van deskundigen met haar advies over de "
    "toekomst van het jeugdstelsel?",
    "vng-oorzaken-en-1": "Which root causes of children's difficulties does the letter of "
    "the municipal association name?",
    "vng-oorzaken-nl-1": "Waar komen volgens de aanjager de problemen van opgroeiende "
    "kinderen vaak vandaan?",
    "vng-gids-en-1": "When does the practical handbook for youth portfolio holders appear?",
    "vng-samenhang-nl-1": "Met welke andere dossiers hangt kinderbeleid volgens de "
    "gemeentekoepel samen?",
    "ca-afbakening-en-1": "Did the national coalition promise to limit what the state pays "
    "for under the Youth Act?",
    "ca-omgeving-nl-1": "Welke rol kreeg het netwerk rond een kind in het landelijke "
    "regeerakkoord om zwaardere hulp te voorkomen?",
    "ca-criminaliteit-en-1": "How did the national coalition plan to keep teenagers out of crime?",
    "ca-criminaliteit-nl-1": "Hoe wilde het kabinet voorkomen dat pubers in de criminaliteit "
    "belanden?",
    "ca-kinderarmoede-en-1": "Which target did the cabinet set for cutting child poverty?",
}


def _cites_gold(q: Question, answer: Answer, assistant: Assistant) -> bool:
    by_id = assistant.retriever.snapshot().by_id
    return any(
        is_gold(q, c.doc_id, c.page_start, c.page_end, c.text)
        for c in (by_id[x.chunk_id] for x in answer.citations if x.chunk_id in by_id)
    )


def simulate(settings: Settings) -> dict[str, Any]:
    questions = {q.id: q for q in load_questions() if q.split == "dev"}
    team = [questions[qid] for qid in PARAPHRASES]
    assert all(q.answerable and q.split == "dev" for q in team)
    with tempfile.TemporaryDirectory(prefix="jeugdakkoord-feedback-sim-") as work:
        assistant = Assistant(settings.with_(feedback_db=str(Path(work) / "feedback.sqlite")))
        chunks = assistant.retriever.snapshot().chunks
        first: dict[str, bool] = {}
        corrected: list[str] = []
        for q in team:
            answer = assistant.ask(q.question)
            first[q.id] = _cites_gold(q, answer, assistant)
            if first[q.id]:
                continue
            gold = [c for c in chunks if is_gold(q, c.doc_id, c.page_start, c.page_end, c.text)]
            if not gold:
                continue
            assistant.feedback.record(q.question, gold[0].chunk_id, "right")
            for citation in answer.citations[:1]:
                assistant.feedback.record(q.question, citation.chunk_id, "wrong", "wrong_passage")
            corrected.append(q.id)
        rows = []
        for q in team:
            text = PARAPHRASES[q.id]
            before = assistant.ask(text, learn=False)
            after = assistant.ask(text)
            repeat = assistant.ask(q.question)
            rows.append(
                {
                    "id": q.id,
                    "corrected": q.id in corrected,
                    "first": first[q.id],
                    "paraphrase_before": _cites_gold(q, before, assistant),
                    "paraphrase_after": _cites_gold(q, after, assistant),
                    "paraphrase_learned": bool(after.learned),
                    "repeat_after": _cites_gold(q, repeat, assistant),
                    "refused_after": after.refused,
                }
            )
    n = len(rows)

    def share(key: str, of: list[dict[str, Any]] = rows) -> float:
        return round(sum(bool(r[key]) for r in of) / max(len(of), 1), 3)

    fixed = [r for r in rows if r["corrected"]]
    return {
        "questions": n,
        "corrected": len(fixed),
        "cited gold, first answers": share("first"),
        "cited gold, paraphrases before (learning off)": share("paraphrase_before"),
        "cited gold, paraphrases after": share("paraphrase_after"),
        "cited gold, repeated questions after": share("repeat_after"),
        "corrected questions: paraphrase before": share("paraphrase_before", fixed),
        "corrected questions: paraphrase after": share("paraphrase_after", fixed),
        "corrected questions: paraphrase matched a verdict": share("paraphrase_learned", fixed),
        "corrected questions: repeat after": share("repeat_after", fixed),
        "rows": rows,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", default="var/index")
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--out", type=Path, help="write the report as JSON")
    args = parser.parse_args()
    settings = Settings(corpus_dirs=(Path(args.corpus),), index_dir=Path(args.index))
    report = simulate(settings)
    for key, value in report.items():
        if key != "rows":
            print(f"{key:<52}{value}")
    if args.out:
        args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
