"""``zhpolicy batch``: many real files, worker processes, error isolation, kill and resume, dask."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from pipeline.batch import BatchError, run_batch
from pipeline.batch import engines
from pipeline.batch.worker import DOCUMENTS, ERRORS, Task, process_file
from pipeline.cli.batch import batch_command
from pipeline.io import read_path
from pipeline.nlp import default_model_path

REPO = Path(__file__).resolve().parent.parent
SOURCES = sorted((REPO / "corpora" / "src").glob("*.txt"))

# The batch command in an app of its own, so these tests do not depend on its registration in pipeline.cli.
APP_SOURCE = (
    "import typer; from pipeline.cli.batch import batch_command; "
    "app = typer.Typer(add_completion=False, pretty_exceptions_enable=False); app.command()(batch_command); app()"
)
app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
app.command()(batch_command)
runner = CliRunner()


def write_pieces(folder: Path, count: int, paragraphs_per_piece: int = 4) -> list[Path]:
    """At least ``count`` small documents cut from the corpus texts, in nested folders."""
    paragraphs = []
    for source in SOURCES:
        paragraphs.extend(p for p in read_path(source).text.splitlines() if p.strip())
    paths: list[Path] = []
    start = 0
    while len(paths) < count:
        piece = paragraphs[start : start + paragraphs_per_piece]
        start = (start + paragraphs_per_piece) % max(1, len(paragraphs) - paragraphs_per_piece)
        path = folder / f"part{len(paths) % 7}" / f"doc{len(paths):04d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(piece) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def read_lines(path: Path) -> list[str]:
    data = path.read_text(encoding="utf-8")
    assert data == "" or data.endswith("\n"), f"{path} ends with a partial line"
    return data.splitlines()


def by_doc_id(path: Path) -> dict[str, dict]:
    return {record["doc_id"]: record for record in map(json.loads, read_lines(path))}


@pytest.fixture(scope="module")
def model(tmp_path_factory) -> str:
    """A private copy of the shipped pipeline: every run of this module uses the same models."""
    target = tmp_path_factory.mktemp("model") / "zhpolicy"
    shutil.copytree(default_model_path(), target)
    return str(target)


@pytest.fixture(scope="module")
def pieces(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pieces")
    write_pieces(folder, 240)
    return folder


@pytest.fixture(scope="module")
def reference_run(pieces, model, tmp_path_factory) -> Path:
    """An uninterrupted in-process run over the pieces: what every other run must reproduce."""
    out = tmp_path_factory.mktemp("reference") / "out"
    result = run_batch([str(pieces)], out, workers=1, model=model)
    assert result.documents == 240 and result.errors == 0
    return out


# -- determinism and outputs -----------------------------------------------------------------------


def test_two_workers_write_the_same_lines_in_the_same_order(pieces, model, reference_run, tmp_path):
    out = tmp_path / "out"
    result = run_batch([str(pieces)], out, workers=2, model=model)
    assert result.documents == 240 and result.workers == 2
    assert (out / "documents.jsonl").read_bytes() == (reference_run / "documents.jsonl").read_bytes()
    records = by_doc_id(out / "documents.jsonl")
    assert "part3/doc0003.txt" in records  # doc_id: the path relative to the folder given
    assert records["part3/doc0003.txt"]["source"] == str(pieces / "part3" / "doc0003.txt")


def test_lines_are_the_contract_objects_of_analyze(reference_run, pieces, model):
    from pipeline.document import analyze_source
    from pipeline.nlp import load

    nlp = load(model)
    line = read_lines(reference_run / "documents.jsonl")[5]
    record = json.loads(line)
    path = pieces / record["doc_id"]
    expected = analyze_source(nlp, read_path(path), record["doc_id"])
    assert line == json.dumps(expected, ensure_ascii=False)
    assert list(record)[:6] == ["schema_version", "doc_id", "source", "title", "text_length", "units"]


def test_run_json_and_tables_are_written(reference_run, model):
    run = json.loads((reference_run / "run.json").read_text(encoding="utf-8"))
    assert run["documents"] == 240 and run["errors"] == 0 and run["engine"] == "local" and run["workers"] == 1
    assert run["model"] == model and 0 < run["startup_seconds"] <= run["seconds"]
    assert run["totals"]["documents"] == 240 and run["totals"]["units"] > 240
    for name in ("units.parquet", "entities.parquet", "summary.csv", "report.html", "errors.jsonl"):
        assert (reference_run / name).is_file(), name


# -- kill at any moment, resume --------------------------------------------------------------------


@pytest.mark.slow
def test_killed_run_resumes_to_exactly_the_uninterrupted_lines(pieces, model, reference_run, tmp_path):
    out = tmp_path / "out"
    documents = out / "documents.jsonl"
    kill_after = random.Random().randint(1, 200)  # lines written before the kill: a random moment of the run
    process = subprocess.Popen(
        [sys.executable, "-c", APP_SOURCE, str(pieces), "--out", str(out), "--workers", "2", "--model", model],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and process.poll() is None:
            if documents.exists() and documents.read_bytes().count(b"\n") >= kill_after:
                break
            time.sleep(0.005)
        assert process.poll() is None, f"the run ended before the kill: {process.stderr.read().decode()}"
        os.killpg(process.pid, signal.SIGKILL)  # the command and its worker processes, mid-run
    finally:
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    written = documents.read_bytes().count(b"\n")
    assert kill_after <= written < 240

    refused = subprocess.run([sys.executable, "-c", APP_SOURCE, str(pieces), "--out", str(out), "--model", model],
                             cwd=REPO, capture_output=True, text=True)
    assert refused.returncode == 2 and "--resume" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1

    resumed = subprocess.run([sys.executable, "-c", APP_SOURCE, str(pieces), "--out", str(out), "--workers", "2", "--resume",
                              "--model", model],
                             cwd=REPO, capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    lines = read_lines(documents)
    assert len(lines) == len(set(lines)) == 240, f"killed after {written} lines"
    assert set(lines) == set(read_lines(reference_run / "documents.jsonl")), f"killed after {written} lines"
    assert read_lines(out / "errors.jsonl") == []
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run["skipped"] >= written and run["documents"] == 240 - run["skipped"]
    assert run["totals"]["documents"] == 240


def test_resume_drops_a_torn_last_line_and_skips_done_documents(pieces, model, reference_run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    reference = read_lines(reference_run / "documents.jsonl")
    torn = reference[30][: len(reference[30]) // 2]  # a line cut mid-way, as if written by a killed run
    (out / "documents.jsonl").write_text("\n".join(reference[:30]) + "\n" + torn, encoding="utf-8")
    result = run_batch([str(pieces)], out, workers=1, resume=True, model=model)
    assert result.skipped == 30 and result.documents == 210
    lines = read_lines(out / "documents.jsonl")
    assert lines[:30] == reference[:30] and sorted(lines) == sorted(reference)


def test_resumed_run_tables_hold_the_earlier_documents_too(pieces, model, reference_run, tmp_path):
    import pyarrow.parquet as pq

    from pipeline.batch.tables import write_tables

    out = tmp_path / "out"
    out.mkdir()
    reference = read_lines(reference_run / "documents.jsonl")
    (out / "documents.jsonl").write_text("\n".join(reference[:30]) + "\n", encoding="utf-8")
    run_batch([str(pieces)], out, workers=1, resume=True, model=model)
    rebuilt = tmp_path / "rebuilt"
    rebuilt.mkdir()
    shutil.copy(out / "documents.jsonl", rebuilt)
    write_tables(rebuilt)  # the tables of the whole file, built in one pass after the run
    for name in ("units.parquet", "entities.parquet"):
        assert pq.read_table(out / name).equals(pq.read_table(rebuilt / name))
    assert (out / "summary.csv").read_text(encoding="utf-8") == (rebuilt / "summary.csv").read_text(encoding="utf-8")
    assert pq.read_table(out / "units.parquet").num_rows == pq.read_table(reference_run / "units.parquet").num_rows
    assert not list(out.glob("*.tmp"))


def test_without_resume_an_existing_output_is_refused(reference_run):
    result = runner.invoke(app, [str(SOURCES[0]), "--out", str(reference_run)])
    assert result.exit_code == 2
    assert "already exists" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- bad and mixed inputs ---------------------------------------------------------------------------


@pytest.mark.slow
def test_mixed_folder_every_input_processed_or_recorded(seed_variants, seed_text, model, tmp_path):
    folder = tmp_path / "in"
    (folder / "formats").mkdir(parents=True)
    for key in ("gbk", "html", "docx", "pdf"):
        target = folder / "formats" / seed_variants[key].name
        target.write_bytes(seed_variants[key].read_bytes())
    (folder / "utf8.txt").write_text(seed_text, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "locked.txt").write_text(seed_text, encoding="utf-8")
    (folder / "locked.txt").chmod(0)
    (folder / "broken.txt").symlink_to(folder / "gone.txt")
    big = folder / "big.txt"
    with big.open("w", encoding="utf-8") as handle:
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(seed_text)
    out = tmp_path / "out"
    result = runner.invoke(app, [str(folder), str(tmp_path / "nothing-*.txt"), "--out", str(out), "--workers", "2", "--model", model])
    assert result.exit_code == 0, result.output

    documents, errors = by_doc_id(out / "documents.jsonl"), by_doc_id(out / "errors.jsonl")
    expected = {"formats/seed-gbk.txt", "formats/seed.html", "formats/seed.docx", "formats/seed.pdf", "utf8.txt",
                "empty.txt", "binary.txt", "locked.txt", "broken.txt", "big.txt"}
    assert set(documents) | set(errors) == expected | {str(tmp_path / "nothing-*.txt")}
    assert not set(documents) & set(errors)
    for doc_id in ("formats/seed-gbk.txt", "formats/seed.html", "formats/seed.docx", "formats/seed.pdf", "utf8.txt"):
        assert doc_id in documents and documents[doc_id]["units"], doc_id
    assert documents["utf8.txt"]["text_length"] == len(seed_text)
    assert documents["formats/seed-gbk.txt"]["units"] == documents["utf8.txt"]["units"]
    assert "empty file" in errors["empty.txt"]["error"]
    assert "binary" in errors["binary.txt"]["error"]
    assert "broken symbolic link" in errors["broken.txt"]["error"]
    assert "matches no file" in errors[str(tmp_path / "nothing-*.txt")]["error"]
    if "locked.txt" in errors:  # root reads it anyway
        assert "permission denied" in errors["locked.txt"]["error"]
    assert "document too long" in errors["big.txt"]["error"]
    for error in errors.values():
        assert set(error) == {"doc_id", "source", "error"} and "\n" not in error["error"]
    assert "errors" in result.stderr


def _crash_on_marked_files(task: Task, model: str | None):
    """A worker function that dies like an out-of-memory kill on files named crash*."""
    if Path(task.doc_id).name.startswith("crash"):
        os._exit(9)
    return process_file(task, model)


@pytest.mark.slow
def test_a_file_that_kills_its_worker_is_recorded_and_the_run_goes_on(pieces, model):
    files = sorted(pieces.rglob("*.txt"))[:12]
    tasks = [Task(str(path), str(path), path.name) for path in files]
    tasks.insert(5, Task(str(files[0]), str(files[0]), "crash-me.txt"))
    results = list(engines.local_processes(tasks, model, workers=2, window=4, work=_crash_on_marked_files))
    assert [json.loads(r.line)["doc_id"] for r in results] == [t.doc_id for t in tasks]
    assert [r.stream for r in results] == [DOCUMENTS] * 5 + [ERRORS] + [DOCUMENTS] * 7
    assert "worker process died" in json.loads(results[5].line)["error"]


def test_bad_options_are_one_line_errors(tmp_path):
    for args, message in [
        (["--engine", "dask"], "--scheduler"),
        (["--model", str(tmp_path / "no-model")], "no saved pipeline"),
    ]:
        result = runner.invoke(app, [str(SOURCES[0]), "--out", str(tmp_path / "out"), *args])
        assert result.exit_code == 2, result.output
        assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    with pytest.raises(BatchError):
        run_batch([str(SOURCES[0])], tmp_path / "out2", engine="spark")


def test_a_pipeline_that_does_not_load_stops_the_run_before_any_output(tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "config.cfg").write_text("[nlp]\nlang = \"zh\"\npipeline = [\"nothing\"]\n", encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, [str(SOURCES[0]), "--out", str(out), "--workers", "1", "--model", str(broken)])
    assert result.exit_code == 2
    assert "cannot load the pipeline" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (out / "documents.jsonl").exists() and not (out / "errors.jsonl").exists()


# -- dask --------------------------------------------------------------------------------------------


def test_dask_engine_on_a_local_cluster_writes_the_same_lines(pieces, model, reference_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    from pipeline.batch import worker

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        out = tmp_path / "out"
        result = runner.invoke(app, [str(pieces), "--out", str(out), "--engine", "dask", "--scheduler", cluster.scheduler_address,
                                     "--model", model])
        assert result.exit_code == 0, result.output
    assert (out / "documents.jsonl").read_bytes() == (reference_run / "documents.jsonl").read_bytes()
    assert json.loads((out / "run.json").read_text(encoding="utf-8"))["engine"] == "dask"
    assert model in worker._PIPELINES  # the worker's cached pipeline


def test_dask_engine_without_dask_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now raises ImportError
    result = runner.invoke(app, [str(SOURCES[0]), "--out", str(tmp_path / "out"), "--engine", "dask",
                                 "--scheduler", "tcp://127.0.0.1:1"])
    assert result.exit_code == 2
    assert "pip install 'zhpolicy[dask]'" in result.stderr and len(result.stderr.strip().splitlines()) == 1
