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
  the CLI reads it; ``read_samples(path)``: a whole input file (JSON
  Lines, CSV, a JSON array) as the CLI reads it; ``from_pandas(df)``: the
  rows of a DataFrame as samples;
- ``read_panel(path)`` and ``write_panel(path, samples, name=...)``:
  reference panels (``.lineage.jsonl.gz``), as ``lineage panel`` reads
  and writes them;
- ``report_markdown(report)`` and ``report_html(report)``: the report as
  ``lineage analyze --format md`` and ``--format html`` write it (the HTML
  one self-contained file to hand on: no script, charts as SVG, a
  glossary, the inputs' SHA-256).

Errors are ``LineageError`` with a ``code``: the JS package's codes
(``BAD_ARGUMENT``, ``TOO_LARGE``, ...). ``lineage.spark`` holds the Spark
jobs (it needs ``pyspark``; nothing else here does).
"""

import warnings
from datetime import datetime, timezone
from os import PathLike
from typing import Any

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
    echoes_prompt,
    parse_record,
    passage_defaults,
    profile,
    read_panel,
    read_samples_file,
    report_html,
    report_markdown,
    schema_version,
    sketch,
    verify,
    version,
)
from ._lineage import write_panel as _write_panel

__version__ = version()


def read_samples(path: "str | PathLike[str]", default_source: "str | None" = None) -> list:
    """The samples of an input file, read as ``lineage analyze`` reads it.

    The format comes from the extension (``.csv``, ``.json``, otherwise
    JSON Lines); a record without a ``source`` takes ``default_source``,
    or the file's stem. Each record that cannot be read is a
    ``UserWarning`` naming the file and line; a file with no readable
    record raises ``LineageError`` (``BAD_JSONL``, ``BAD_CSV``,
    ``READ_FAILED``).
    """
    read = read_samples_file(path, default_source)
    for message in read["warnings"]:
        warnings.warn(message, UserWarning, stacklevel=2)
    return read["samples"]


# The sample fields a DataFrame may hold, with the snake_case spellings the
# CLI's files use.
_SAMPLE_COLUMNS = {
    "source": "source",
    "text": "text",
    "promptId": "promptId",
    "prompt_id": "promptId",
    "prompt": "prompt",
    "family": "family",
}


def from_pandas(df: Any, source: "str | None" = None) -> list:
    """The rows of a pandas DataFrame (or anything with ``to_dict("records")``)
    as samples for ``analyze``.

    Columns ``source``, ``text``, ``prompt_id`` (or ``promptId``), ``prompt``
    and ``family`` are taken; other columns are left out; a missing value
    (None, NaN) is left out. Without a ``source`` column, ``source`` names
    the one source of every row.
    """
    to_dict = getattr(df, "to_dict", None)
    if to_dict is None:
        raise _bad_argument(f"from_pandas: expected a DataFrame, got {type(df).__name__}")
    columns = [c for c in getattr(df, "columns", []) if c in _SAMPLE_COLUMNS]
    if "text" not in columns:
        raise _bad_argument("from_pandas: the DataFrame has no 'text' column")
    if "source" not in columns and source is None:
        raise _bad_argument("from_pandas: the DataFrame has no 'source' column; give source=")
    samples = []
    for row in to_dict("records"):
        sample = {} if source is None else {"source": source}
        for column in columns:
            value = row[column]
            if value is None or (isinstance(value, float) and value != value):
                continue
            sample[_SAMPLE_COLUMNS[column]] = value
        samples.append(sample)
    return samples


def write_panel(
    path: "str | PathLike[str]",
    samples: list,
    name: str,
    roles: "dict[str, str] | None" = None,
    families: "dict[str, str] | None" = None,
    created: "str | None" = None,
) -> "list[str]":
    """Writes ``samples`` as a reference panel (gzip JSON Lines), as
    ``lineage panel build`` does; returns its notices (answers dropped as
    repeated, sources that cannot be paired). ``roles`` suggests a role per
    source ("control", ...; the rest are candidates), ``families`` a vendor
    family per source; ``created`` (RFC 3339) defaults to now."""
    options = {
        "name": name,
        "created": created or datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "roles": roles or {},
        "families": families or {},
    }
    return _write_panel(path, samples, options)


def _bad_argument(message: str) -> LineageError:
    """A ``LineageError`` with code ``BAD_ARGUMENT``, as the core raises them."""
    error = LineageError(message)
    error.code = "BAD_ARGUMENT"
    error.message = message
    return error

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
    "echoes_prompt",
    "from_pandas",
    "parse_record",
    "passage_defaults",
    "profile",
    "read_panel",
    "read_samples",
    "report_html",
    "report_markdown",
    "schema_version",
    "sketch",
    "verify",
    "version",
    "write_panel",
]
