"""Shared by the package and Spark tests: the CLI to compare with, and the
small deterministic corpora of corpora.py (the tests need no dev data)."""

import os
from pathlib import Path

from corpora import PLANTED, SOURCES, STOCK, corpus_records, write_passage_corpus  # noqa: F401

ROOT = Path(__file__).resolve().parents[2]
LINEAGE_BIN = os.environ.get("LINEAGE_BIN", str(ROOT / "target" / "release" / "lineage"))

if not os.access(LINEAGE_BIN, os.X_OK):
    raise SystemExit(f"{LINEAGE_BIN} not found: cargo build --release --bin lineage (or set LINEAGE_BIN)")
