"""zhpolicy: an NLP pipeline for Chinese local-government rule-of-law reports.

The package is imported as ``pipeline``. Heavy libraries (spaCy, scikit-learn, datasets) are imported
only by the modules that use them, so ``import pipeline`` stays cheap.
"""

__version__ = "0.1.0"
