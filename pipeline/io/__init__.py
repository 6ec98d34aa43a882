"""Reading input files into decoded text: the coordinate system of every offset.

Knows nothing of spaCy. Each reader returns a :class:`SourceText`; any input that cannot be turned
into text raises :class:`InputError` with a one-line reason.
"""

from .discover import Input, expand_inputs
from .readers import SUPPORTED_SUFFIXES, InputError, SourceText, decode_bytes, read_path, read_stdin

__all__ = ["Input", "expand_inputs", "SUPPORTED_SUFFIXES", "InputError", "SourceText", "decode_bytes", "read_path", "read_stdin"]
