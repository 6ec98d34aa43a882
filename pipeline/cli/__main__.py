"""``python -m pipeline.cli``: the same command line as the ``zhpolicy`` script."""

from pipeline.cli import main

main()
