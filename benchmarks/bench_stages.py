"""Time each stage of the pipeline over the same texts, and the entity layer against the foundation.

The foundation pipeline is segmentation + structure (what the foundation issue built); the entity
overhead is the entity stage's time as a share of the foundation's. Usage:

    python benchmarks/bench_stages.py [--repeat 5] [--model models/zhpolicy]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="How many times the corpus texts are repeated.")
    parser.add_argument("--rounds", type=int, default=3, help="Timed rounds; the fastest counts.")
    parser.add_argument("--model", type=Path, default=None)
    args = parser.parse_args()

    from pipeline.io import read_path
    from pipeline.nlp import load

    nlp = load(args.model)
    texts = [read_path(p).text for p in sorted((REPO / "corpora" / "src").glob("*.txt"))] * args.repeat
    chars = sum(map(len, texts))
    list(nlp.pipe(texts[:3]))  # warm up
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        started = time.perf_counter()
        docs = [nlp.make_doc(text) for text in texts]
        timings = {"tokenizer": time.perf_counter() - started}
        for name, component in nlp.pipeline:
            started = time.perf_counter()
            docs = list(component.pipe(docs))
            timings[name] = time.perf_counter() - started
        for name, seconds in timings.items():
            best[name] = min(best.get(name, seconds), seconds)
    foundation = best["tokenizer"] + best["structure"]
    print(f"{len(texts)} texts, {chars:,} characters; fastest of {args.rounds} rounds")
    print(f"{'stage':<14}{'seconds':>10}{'chars/s':>14}{'share of foundation':>22}")
    for name, seconds in best.items():
        print(f"{name:<14}{seconds:>10.3f}{chars / seconds:>14,.0f}{seconds / foundation:>21.0%}")
    total = sum(best.values())
    print(f"{'foundation':<14}{foundation:>10.3f}{chars / foundation:>14,.0f}")
    print(f"{'all stages':<14}{total:>10.3f}{chars / total:>14,.0f}")
    if "entities" in best:
        print(f"entity extraction adds {best['entities'] / foundation:.0%} to the foundation pipeline")
        rest = stage_without_search(nlp, texts, args.rounds)
        print(f"the entity stage without its pattern search (spans given): {rest:.3f} s, {rest / foundation:.0%} of "
              "the foundation (splitting tokens at the entities' edges and setting doc.ents)")


def stage_without_search(nlp, texts: list[str], rounds: int) -> float:
    """Fastest time of the entity stage over ``texts`` when its spans are already known: what remains of the
    stage however fast the pattern search became."""
    docs = [nlp.make_doc(text) for text in texts]
    for name, component in nlp.pipeline:
        if name == "entities":
            break
        docs = list(component.pipe(docs))
    entities = nlp.get_pipe("entities")
    spans = {id(doc): found for doc, found in zip(docs, entities.find_many(docs))}
    best = float("inf")
    for _ in range(rounds):
        copies = [doc.copy() for doc in docs]
        spans_of_copy = {id(copy): spans[id(doc)] for copy, doc in zip(copies, docs)}
        entities.find_many = lambda batch: [spans_of_copy[id(doc)] for doc in batch]  # shadows the method
        try:
            started = time.perf_counter()
            list(entities.pipe(copies))
            best = min(best, time.perf_counter() - started)
        finally:
            del entities.find_many
    return best


if __name__ == "__main__":
    main()
