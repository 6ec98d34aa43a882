"""Where documents are processed: in this process, in local worker processes, or on a dask cluster.

Each engine turns an iterable of :class:`Task` into results in the same order, with a bounded number
of tasks in flight, so memory does not grow with the number of documents and the output files list
documents in input order whatever the number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable, Iterable, Iterator

from .errors import BatchError
from .worker import Result, Task, error_result, process_file, warm_up

WORKER_DIED = "worker process died while processing this file (killed, or out of memory)"

# Imported once in the fork server, before it forks the workers: each worker then only loads the
# pipeline's data instead of importing spaCy and scikit-learn again (seconds on a small machine).
PRELOAD = ("spacy", "sklearn.calibration", "sklearn.linear_model", "sklearn.pipeline", "skops.io", "pipeline.nlp",
           "pipeline.document", "pipeline.batch.worker")

Work = Callable[[Task, "str | None"], Result]


def in_process(tasks: Iterable[Task], model: str | None, work: Work = process_file) -> Iterator[Result]:
    """One document after the other in this process (``--workers 1``)."""
    for task in tasks:
        yield work(task, model)


def local_processes(
    tasks: Iterable[Task], model: str | None, workers: int, window: int, work: Work = process_file
) -> Iterator[Result]:
    """Worker processes that each load the pipeline once and receive whole files.

    Workers come from a fork server (not from forking this process, whose threads and state a fork
    would copy), which imports the heavy modules once for all of them.

    A worker that dies (killed, out of memory) takes the pool down with it and makes every task in
    flight fail. The pool is then restarted and those tasks are retried one at a time, so only the
    file that kills a worker is recorded as an error and the run goes on. Each new pool first loads
    the pipeline in its workers, so that workers that cannot start at all stop the run instead of
    being blamed on files.
    """
    tasks = iter(tasks)
    suspects: deque[Task] = deque()
    while True:
        pending: deque[tuple[Task, object]] = deque()
        pool = ProcessPoolExecutor(workers, mp_context=_fork_server())
        try:
            try:  # start every worker now, loading pipelines in parallel
                for started in [pool.submit(warm_up, model) for _ in range(workers)]:
                    started.result()
            except BrokenProcessPool:
                raise BatchError("worker processes cannot start (see the messages above); try --workers 1") from None
            while suspects:
                yield pool.submit(work, suspects[0], model).result()
                suspects.popleft()
            for task in tasks:
                try:
                    future = pool.submit(work, task, model)
                except BrokenProcessPool:
                    pending.append((task, None))  # the pool broke before taking it: retried with the others
                    raise
                pending.append((task, future))
                if len(pending) >= window:
                    yield pending[0][1].result()
                    pending.popleft()
            while pending:
                yield pending[0][1].result()
                pending.popleft()
            return
        except BrokenProcessPool:
            if suspects:
                task = suspects.popleft()
                yield error_result(task.doc_id, task.source, WORKER_DIED)
            suspects.extend(task for task, _ in pending)
        finally:
            pool.shutdown(wait=not pending and not suspects, cancel_futures=True)


def _fork_server():
    """Workers forked from a clean single-threaded server process that has the heavy modules imported."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


def dask_client(scheduler: str):
    """A client of an existing dask.distributed cluster, connected before any output is written."""
    try:
        from distributed import Client
    except ImportError:
        raise BatchError("the dask engine needs dask.distributed: pip install 'zhpolicy[dask]'") from None
    try:
        return Client(scheduler, set_as_default=False, timeout="20s")
    except (OSError, TimeoutError, ValueError) as err:
        raise BatchError(f"cannot connect to the dask scheduler at {scheduler}: {err}") from None


def dask_cluster(client, tasks: Iterable[Task], model: str | None, window: int) -> Iterator[Result]:
    """Tasks per file on a dask cluster; each dask worker caches its pipeline (see ``worker.get_pipeline``).

    Workers read the files themselves, so the paths must be visible to them (a shared filesystem).
    """
    pending: deque = deque()
    for task in tasks:
        pending.append(client.submit(process_file, task, model, pure=False))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()
