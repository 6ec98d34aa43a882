"""Speed and memory of the zhpolicy pipeline against plain jieba segmentation.

Runs over the texts of ``corpora/src/*.txt`` (decoded with ``pipeline.io.read_path``) repeated until
the corpus is at least 5 MB of UTF-8 (1 MB with ``--quick``) and prints one table:

- characters per second of the full pipeline (``nlp.pipe``), of the pipeline's tokenizer alone, of
  python ``jieba.cut`` and of ``rjieba.cut`` (the compiled jieba the tokenizer uses), and the ratio of
  the full pipeline's time to each segmenter's;
- peak resident memory (``ru_maxrss``) of a child process streaming the corpus ×1 and ×10 through
  ``nlp.pipe``: it should not grow with the amount of text;
- the batch runner (``run_batch``, in a fresh process as from the command line) over the corpus
  written as files, with 1 and 2 workers, and the speed-up: wall-clock, and after start-up (from
  the first document back to the last, as ``run.json`` records it).

Usage: ``python benchmarks/bench_pipeline.py [--quick] [--batch-mb MB] [--model PATH]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

MB = 1024 * 1024


def source_texts() -> list[str]:
    """The decoded texts of the corpus sources."""
    from pipeline.io import read_path

    return [read_path(path).text for path in sorted((REPO / "corpora" / "src").glob("*.txt"))]


def corpus(min_bytes: int) -> list[str]:
    """The source texts repeated in order until they hold at least ``min_bytes`` of UTF-8."""
    texts, size = [], 0
    for text in itertools.cycle(source_texts()):
        texts.append(text)
        size += len(text.encode("utf-8"))
        if size >= min_bytes:
            return texts


def chars_per_second(run, texts: list[str]) -> tuple[float, float]:
    """Seconds to run ``run`` over every text, and characters per second."""
    started = time.perf_counter()
    for text in texts:
        run(text)
    seconds = time.perf_counter() - started
    return seconds, sum(map(len, texts)) / seconds


def peak_rss_of_child(min_bytes: int, repeat: int, model: str | None) -> dict:
    """Peak RSS in MB (and start-up seconds) of a fresh process streaming the corpus ``repeat`` times
    through ``nlp.pipe``."""
    command = [sys.executable, __file__, "--child-rss", str(repeat), "--bytes", str(min_bytes)]
    if model:
        command += ["--model", model]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def child_rss(min_bytes: int, repeat: int, model: str | None) -> None:
    """In the child: stream the corpus ``repeat`` times, keeping nothing, then print peak RSS."""
    started = time.perf_counter()
    from pipeline.nlp import load

    nlp = load(model)
    nlp("预热")
    startup = time.perf_counter() - started
    texts = corpus(min_bytes)

    def stream() -> Iterator[str]:
        for _ in range(repeat):
            yield from texts

    units = sum(len(doc.spans["units"]) for doc in nlp.pipe(stream()))
    max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    print(json.dumps({"units": units, "max_rss_mb": round(max_rss_kb / 1024, 1), "startup_s": round(startup, 2)}))


def batch_run(texts: list[str], workers: int, model: str | None) -> dict:
    """A fresh process running the batch runner over the texts written as files, as the command line
    does: start-up (imports, a pipeline loaded in every worker) counts, and neither run profits from
    modules the other imported. Returns the wall-clock seconds and the run's ``run.json``."""
    with tempfile.TemporaryDirectory() as tmp:
        folder, out = Path(tmp) / "in", Path(tmp) / "out"
        folder.mkdir()
        for i, text in enumerate(texts):
            (folder / f"doc{i:05d}.txt").write_text(text, encoding="utf-8")
        code = (
            "import sys; from pipeline.batch import run_batch; "
            "r = run_batch([sys.argv[1]], sys.argv[2], workers=int(sys.argv[3]), model=sys.argv[4] or None, report=False); "
            "assert r.errors == 0, r"
        )
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", code, str(folder), str(out), str(workers), model or ""], check=True, cwd=REPO)
        wall = time.perf_counter() - started
        return {"wall": wall, **json.loads((out / "run.json").read_text(encoding="utf-8"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1 MB corpus instead of 5 MB.")
    parser.add_argument("--batch-mb", type=float, help="Size of the batch runner's collection in MB (default: the corpus's); "
                        "start-up is a fixed cost, so the speed-up grows with the collection.")
    parser.add_argument("--model", help="Saved pipeline (default: models/zhpolicy or $ZHPOLICY_MODEL).")
    parser.add_argument("--child-rss", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--bytes", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss:
        child_rss(args.bytes, args.child_rss, args.model)
        return

    import jieba
    import rjieba

    from pipeline.nlp import load

    min_bytes = (1 if args.quick else 5) * MB
    texts = corpus(min_bytes)
    chars = sum(map(len, texts))
    size = sum(len(t.encode("utf-8")) for t in texts) / MB
    print(f"corpus: {len(texts)} documents, {chars:,} characters, {size:.1f} MB UTF-8", file=sys.stderr)

    nlp = load(args.model)
    jieba.setLogLevel(60)
    jieba.initialize()
    rjieba.cut("预热")
    nlp(texts[0])  # warm-up: lazy dictionary loading is not what is measured

    started = time.perf_counter()
    for _ in nlp.pipe(texts):
        pass
    full_s = time.perf_counter() - started
    full_cps = chars / full_s
    tok_s, tok_cps = chars_per_second(nlp.tokenizer, texts)
    jieba_s, jieba_cps = chars_per_second(lambda t: list(jieba.cut(t)), texts)
    rjieba_s, rjieba_cps = chars_per_second(rjieba.cut, texts)

    print("peak RSS: streaming ×1 and ×10 in child processes …", file=sys.stderr)
    rss1 = peak_rss_of_child(min_bytes, 1, args.model)
    rss10 = peak_rss_of_child(min_bytes, 10, args.model)

    collection = corpus(int(args.batch_mb * MB)) if args.batch_mb else texts
    collection_chars = sum(map(len, collection))
    print(f"batch runner: 1 and 2 workers over {len(collection)} files …", file=sys.stderr)
    batch1 = batch_run(collection, 1, args.model)
    batch2 = batch_run(collection, 2, args.model)
    steady1 = collection_chars / (batch1["seconds"] - batch1["startup_seconds"])
    steady2 = collection_chars / (batch2["seconds"] - batch2["startup_seconds"])
    collection_mb = sum(len(t.encode("utf-8")) for t in collection) / MB

    rows = [
        ("full pipeline (nlp.pipe)", f"{full_cps:,.0f} chars/s", f"{full_s:.2f} s"),
        ("pipeline tokenizer only", f"{tok_cps:,.0f} chars/s", f"{tok_s:.2f} s"),
        ("jieba.cut (python)", f"{jieba_cps:,.0f} chars/s", f"{jieba_s:.2f} s"),
        ("rjieba.cut", f"{rjieba_cps:,.0f} chars/s", f"{rjieba_s:.2f} s"),
        ("ratio full / jieba.cut", f"{full_s / jieba_s:.2f}× the time", ""),
        ("ratio full / rjieba.cut", f"{full_s / rjieba_s:.2f}× the time", ""),
        ("peak RSS, corpus ×1", f"{rss1['max_rss_mb']:,.0f} MB", f"{size:.1f} MB text"),
        ("peak RSS, corpus ×10", f"{rss10['max_rss_mb']:,.0f} MB", f"{10 * size:.1f} MB text"),
        ("start-up: imports + load", f"{rss1['startup_s']:.1f} s", "fresh process"),
        ("batch collection", f"{len(collection)} files", f"{collection_mb:.1f} MB text"),
        ("batch, 1 worker (wall)", f"{collection_chars / batch1['wall']:,.0f} chars/s", f"{batch1['wall']:.2f} s"),
        ("batch, 2 workers (wall)", f"{collection_chars / batch2['wall']:,.0f} chars/s", f"{batch2['wall']:.2f} s"),
        ("batch speed-up 1 → 2 workers (wall)", f"{batch1['wall'] / batch2['wall']:.2f}×", ""),
        ("batch, 1 worker, after start-up", f"{steady1:,.0f} chars/s", f"start-up {batch1['startup_seconds']:.1f} s"),
        ("batch, 2 workers, after start-up", f"{steady2:,.0f} chars/s", f"start-up {batch2['startup_seconds']:.1f} s"),
        ("batch speed-up 1 → 2 workers, after start-up", f"{steady2 / steady1:.2f}×", ""),
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    print(f"{'measure'.ljust(widths[0])}  {'value'.rjust(widths[1])}  {'time / size'.rjust(widths[2])}")
    print("-" * (sum(widths) + 4))
    for name, value, extra in rows:
        print(f"{name.ljust(widths[0])}  {value.rjust(widths[1])}  {extra.rjust(widths[2])}")


if __name__ == "__main__":
    main()
