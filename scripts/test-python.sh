#!/usr/bin/env bash
# The Python package's tests (python/tests, pytest, in target/py-venv):
# each function and error code, the GIL released, the report equal to the
# CLI's (test_package.py), then the Spark jobs in local mode, whose hits
# must equal `lineage passages`' line for line and whose profiles and
# report must equal the core's (test_spark.py). Builds the wheel and the
# release CLI first; run scripts/setup.sh before (scripts/test.sh does).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

"$ROOT/scripts/build-python.sh"
say "cargo build --release --bin lineage (the CLI the tests compare with)"
cargo build --release --quiet --bin lineage
export LINEAGE_BIN="$ROOT/target/release/lineage"
# Spark's Python workers run the virtualenv's interpreter, as the driver
# does; local mode binds to the loopback address, nothing else.
export PYSPARK_PYTHON="$ROOT/target/py-venv/bin/python"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec "$ROOT/target/py-venv/bin/python" -m pytest python/tests -q -p no:cacheprovider "$@"
