"""The command line of the Spark jobs (``python/jobs/lineage_job.py``, which
spark-submit runs): the arguments of ``lineage passages`` and of the
profiles job, checked before Spark starts; the jobs' summaries and the
CLI's warnings on stderr; bad input and a failed Spark job said in one
line ``error: ...``, not as stack traces. The jobs are in ``lineage.spark``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from . import LineageError, passage_defaults, sketch
from . import spark as jobs
from .spark import (
    MALFORMED_SHOWN,
    _error,
    build_profiles,
    check_profiles_args,
    find_passages,
    local_files,
)


def _check_args(args: argparse.Namespace) -> dict:
    """What can be checked without Spark, before it starts (its JVM takes
    seconds): the options by the core, local inputs and outputs. Returns
    the passage options."""
    for given in args.inputs:
        if "://" not in given:
            local_files(given)
    if args.job == "profiles":
        check_profiles_args(args.out, args.suspect, args.candidate, args.control, args.max_prompts, args.options)
        return {}
    options = {"minWords": args.min_words, "maxBucket": args.max_bucket}
    sketch("", options)
    if args.partitions is not None and args.partitions < 1:
        raise _error("BAD_ARGUMENT", f"--partitions must be at least 1, got {args.partitions}")
    if "://" not in args.out and os.path.exists(args.out):
        raise _error("BAD_ARGUMENT", f"{args.out} exists: the hits go to a new directory")
    return options


def _spark_failure(e: BaseException) -> str:
    """One line for a failed Spark job: the root cause's class and message
    (a Python task's error: the last line of its traceback), not the JVM's
    stack traces, which Spark's log has already printed."""
    java = getattr(e, "java_exception", None)
    if java is None:
        return f"{type(e).__name__}: {e}".strip().splitlines()[-1]
    cause = java
    while cause.getCause() is not None:
        cause = cause.getCause()
    text = str(cause.toString())
    if "Traceback (most recent call last)" in text:
        lines = [line for line in text.splitlines() if line.strip()]
        return lines[-1].strip()
    return text.splitlines()[0]


def _json_object(text: str) -> dict:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("not a JSON object")
    return value


_json_object.__name__ = "JSON object"  # argparse: "invalid JSON object value: ..."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="lineage_job.py", description=(jobs.__doc__ or "").split("\n\n")[0])
    parser.add_argument("--master", help="Spark master (default: spark-submit's, or local[*])")
    parser.add_argument(
        "--log-level", default="WARN", choices=["ALL", "DEBUG", "INFO", "WARN", "ERROR", "FATAL", "OFF"],
        help="Spark's log level once the job starts (default WARN: Spark's INFO lines would bury the summary)",
    )
    sub = parser.add_subparsers(dest="job", required=True)
    p = sub.add_parser("passages", help="verbatim passages shared by two texts (lineage passages)")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--out", required=True, help="directory of JSONL hits to create")
    defaults = passage_defaults()
    p.add_argument("--min-words", type=int, default=defaults["minWords"])
    p.add_argument("--max-bucket", type=int, default=defaults["maxBucket"])
    p.add_argument("--same-source", action="store_true")
    p.add_argument("--partitions", type=int, help="shuffle partitions (default: 2 per core)")
    q = sub.add_parser("profiles", help="per-source profiles and the analysis of a sample of prompts")
    q.add_argument("inputs", nargs="+")
    q.add_argument("--out", required=True, help="local directory for profiles.jsonl, samples.jsonl, report.json")
    q.add_argument("--suspect", required=True)
    q.add_argument("--candidate", action="append", required=True)
    q.add_argument("--control")
    q.add_argument("--max-prompts", type=int, default=1000)
    q.add_argument("--options", type=_json_object, default={}, help="analysis parameters as a JSON object")
    return parser


def _run(spark, args: argparse.Namespace, options: dict) -> list[str]:
    """Runs the job; returns what it says on stderr: the CLI's warnings for
    malformed lines (the first five, then the count) and the summary."""
    if args.job == "passages":
        s = find_passages(spark, args.inputs, args.out, options, args.same_source, args.partitions)
        summary = (
            f"passages: {s['texts']} texts in {s['files']} files ({s['malformed']} malformed lines), "
            f"{s['entries']} sketch entries, {s['dropped']} buckets dropped as stock phrases "
            f"(> {args.max_bucket} texts), {s['candidate_pairs']} candidate pairs, "
            f"{s['verified_pairs']} verified pairs, {s['passages']} passages of >= {args.min_words} words; "
            f"sketch and buckets {s['seconds']['sketch_and_buckets']:.2f} s, all {s['seconds']['all']:.2f} s"
        )
    else:
        s = build_profiles(
            spark, args.inputs, args.out, args.suspect, args.candidate, args.control, args.max_prompts, args.options,
        )
        v = s["report"]["verdict"]
        summary = (
            f"profiles: {len(s['sources'])} sources in {s['files']} files ({s['malformed']} malformed lines), "
            f"profiles {s['seconds']['profiles']:.2f} s; analysis of {s['prompts']} prompts "
            f"({s['samples']} answers): {v.get('kind')} {v.get('top')}; all {s['seconds']['all']:.2f} s"
        )
    lines = [f"warning: {line}" for line in s["malformed_lines"]]
    if s["malformed"] > len(lines):
        lines.append(f"warning: {s['malformed']} malformed lines in all (first {MALFORMED_SHOWN} shown)")
    return lines + [summary]


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        options = _check_args(args)
    except LineageError as e:
        print(f"error: {e.code}: {e.message}", file=sys.stderr)
        return 2
    # Local mode's Python workers run this interpreter unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(f"lineage {args.job}")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel(args.log_level)
    try:
        lines, status = _run(spark, args, options), 0
    except LineageError as e:
        lines, status = [f"error: {e.code}: {e.message}"], 2
    except Exception as e:  # noqa: BLE001 - a failed Spark job, said in one line
        lines, status = [f"error: the Spark job failed: {_spark_failure(e)}"], 1
    finally:
        spark.stop()
    # After Spark's own shutdown lines, so that these come last.
    for line in lines:
        print(line, file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
