"""Build the optional compiled token-array operations; everything else is configured in ``pyproject.toml``.

The extension is optional: without a C++ compiler (or if the build fails for any other reason) the install
still succeeds, with a warning, and :mod:`pipeline.components.align` works through Doc arrays in Python.
"""

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


class OptionalBuildExt(build_ext):
    """``build_ext`` that warns instead of failing: the compiled module is a speed-up, not a requirement.
    (setuptools' own ``optional=True`` skips the compile but then fails copying the missing module in an editable
    install.)"""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # noqa: BLE001 — any failure to compile leaves the pure-Python path
            self.warn(f"zhpolicy: the optional compiled module was not built ({error}); "
                      "token splitting runs in Python, with the same output and a slower entity stage")


setup(
    ext_modules=cythonize(
        [Extension("pipeline.components._token_array", ["pipeline/components/_token_array.pyx"],
                   include_dirs=[numpy.get_include()], language="c++")],
        language_level=3,
    ),
    cmdclass={"build_ext": OptionalBuildExt},
)
