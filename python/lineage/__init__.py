"""Lineage's core from Python.

The functions are the Rust core's own (PyO3, `lineage._lineage`), with the
GIL released while they work:

- ``sketch(text, options)`` and ``verify(text_a, text_b, options)``: the
  passage search of ``lineage passages`` (local MinHash sketches, exact
  verification); ``candidate_pairs(entries, max_bucket)``: its buckets;
- ``profile(text, options)`` and ``Profile``: stylometric profiles that
  merge (counts summed) and pickle;
- ``analyze(samples, options)``: the report of ``lineage analyze`` (the
  same camelCase document, ``schemaVersion`` 2);
- ``parse_record(line, default_source)``: one JSON Lines record read as
  the CLI reads it.

Errors are ``LineageError`` with a ``code``: the JS package's codes
(``BAD_ARGUMENT``, ``TOO_LARGE``, ...). ``lineage.spark`` holds the Spark
jobs (it needs ``pyspark``; nothing else here does).
"""

from ._lineage import (
    ERROR_CODES,
    MAX_SOURCE_BYTES,
    MAX_TEXT_BYTES,
    MAX_TOTAL_BYTES,
    LineageError,
    Profile,
    analysis_defaults,
    analyze,
    candidate_pairs,
    parse_record,
    passage_defaults,
    profile,
    schema_version,
    sketch,
    verify,
    version,
)

__version__ = version()

__all__ = [
    "ERROR_CODES",
    "MAX_SOURCE_BYTES",
    "MAX_TEXT_BYTES",
    "MAX_TOTAL_BYTES",
    "LineageError",
    "Profile",
    "analysis_defaults",
    "analyze",
    "candidate_pairs",
    "parse_record",
    "passage_defaults",
    "profile",
    "schema_version",
    "sketch",
    "verify",
    "version",
]
