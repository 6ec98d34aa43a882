"""The batch's own error type."""


class BatchError(Exception):
    """A batch that cannot run (output folder in use, missing extra, pipeline that does not load); one
    line for the user."""
