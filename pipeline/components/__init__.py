"""spaCy components of the pipeline, one registered factory per stage.

Components never import each other; they communicate only through the ``Doc``: units in the span
group ``doc.spans["units"]`` (span label = unit kind), their attributes as ``Span._`` extensions,
entities in ``doc.ents``. :mod:`pipeline.components.attrs` declares those extensions.
"""
