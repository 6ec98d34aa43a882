"""Build the optional compiled token-array operations; everything else is configured in ``pyproject.toml``.

The extension is optional: without a C++ compiler the install still succeeds and
:mod:`pipeline.components.align` works through Doc arrays in Python instead.
"""

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup

setup(
    ext_modules=cythonize(
        [Extension("pipeline.components._token_array", ["pipeline/components/_token_array.pyx"],
                    include_dirs=[numpy.get_include()], language="c++", optional=True)],
        language_level=3,
    ),
)
