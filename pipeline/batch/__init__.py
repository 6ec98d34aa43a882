"""Many reports at once: parallel, resumable, streaming, with analysis tables and a report page.

``run_batch`` writes one contract object per line to ``documents.jsonl`` (unreadable inputs to
``errors.jsonl``), then ``units.parquet``, ``entities.parquet``, ``summary.csv``, ``report.html`` and
``run.json``; ``to_dataset`` loads the units as a ``datasets.Dataset``.
"""

from .errors import BatchError
from .runner import BatchResult, run_batch
from .tables import to_dataset

__all__ = ["BatchError", "BatchResult", "run_batch", "to_dataset"]
