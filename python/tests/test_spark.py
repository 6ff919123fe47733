"""The Spark jobs in local mode (local[2]) against the single-machine core:
the passage search's hits equal `lineage passages`' line for line after
sorting, and the profiles job's profiles and report equal the core's."""

import hashlib
import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lineage
from lineage import spark as jobs
from lineage import spark_cli

from conftest import LINEAGE_BIN, PLANTED, corpus_records, write_passage_corpus


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("lineage-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_passage_corpus(tmp_path_factory.mktemp("corpus"))[0].parent


def _cli_passages(inputs, args, warnings=None):
    """The CLI's hits and summary counts; its warnings appended to ``warnings``."""
    run = subprocess.run([LINEAGE_BIN, "passages", *inputs, *args], check=True, capture_output=True, text=True)
    summary = re.search(r"(\d+) buckets dropped .* (\d+) candidate pairs, (\d+) verified pairs", run.stderr)
    if warnings is not None:
        warnings.extend(line for line in run.stderr.splitlines() if line.startswith("warning: "))
    return run.stdout.splitlines(), tuple(int(g) for g in summary.groups())


def _spark_lines(out: Path):
    return [line for part in sorted(out.glob("part-*")) for line in part.read_text(encoding="utf-8").splitlines()]


# (name, CLI arguments, job options, same source, at least this many hits)
PASSAGE_CASES = [
    ("defaults: the stock phrase's 60 texts fit one bucket", [], {}, False, 100),
    ("stock phrase dropped", ["--max-bucket", "16"], {"maxBucket": 16}, False, 3),
    ("same source too", ["--max-bucket", "16", "--same-source"], {"maxBucket": 16}, True, 4),
    ("shorter passages", ["--min-words", "8", "--max-bucket", "16"], {"minWords": 8, "maxBucket": 16}, False, 3),
]


@pytest.mark.parametrize("name,cli_args,options,same_source,least", PASSAGE_CASES, ids=[c[0] for c in PASSAGE_CASES])
def test_passages_equal_the_clis(spark, corpus, tmp_path, name, cli_args, options, same_source, least):
    inputs = [str(corpus)]
    warnings = []
    cli, (dropped, candidates, verified) = _cli_passages(inputs, cli_args, warnings)
    stats = jobs.find_passages(spark, inputs, str(tmp_path / "hits"), options, same_source, partitions=3)
    mine = _spark_lines(tmp_path / "hits")
    assert len(cli) >= least, f"{name}: the CLI found only {len(cli)} passages"
    # Line for line, and in the CLI's order even before sorting.
    assert mine == cli
    assert sorted(mine) == sorted(cli)
    assert (stats["dropped"], stats["candidate_pairs"], stats["verified_pairs"]) == (dropped, candidates, verified)
    assert stats["passages"] == len(cli) and stats["malformed"] == 8
    # The malformed lines named as the CLI names them (the first five).
    shown = [f"warning: {line}" for line in stats["malformed_lines"]]
    assert shown == warnings[:5] and len(shown) == 5
    # Every planted passage is found (the first one's two records share a
    # source, so it counts only with same_source).
    found = " ".join(json.loads(line)["text"] for line in mine)
    planted = PLANTED if same_source else PLANTED[1:]
    assert [p for p in planted if p[:60] not in found] == []


def test_passages_from_a_uri_and_a_file_list(spark, corpus, tmp_path):
    """A file:// URI goes through Hadoop's file system listing; files named
    one by one come in the order given. Same hits as the CLI (file names
    aside, which print as given)."""
    files = sorted(str(p) for p in corpus.glob("*.jsonl"))[::-1]
    cli, _ = _cli_passages(files, ["--max-bucket", "16"])
    jobs.find_passages(spark, files, str(tmp_path / "files"), {"maxBucket": 16})
    assert _spark_lines(tmp_path / "files") == cli

    cli, _ = _cli_passages([str(corpus)], ["--max-bucket", "16"])
    jobs.find_passages(spark, ["file://" + str(corpus)], str(tmp_path / "uri"), {"maxBucket": 16})
    uri = _spark_lines(tmp_path / "uri")
    assert json.loads(uri[0])["a"]["file"].startswith("file:/")

    def without_files(lines):
        return [re.sub(r'"file":"[^"]*"', "", line) for line in lines]

    assert without_files(uri) == without_files(cli)


# (name, call, code): bad input to a job is a LineageError with a code.
JOB_ERRORS = [
    ("missing input", lambda s, d: jobs.find_passages(s, [str(d / "absent")], str(d / "o1")), "READ_FAILED"),
    ("no .jsonl inside", lambda s, d: jobs.find_passages(s, [str(d)], str(d / "o2")), "EMPTY_INPUT"),
    ("bad option", lambda s, d: jobs.find_passages(s, [str(d)], str(d / "o3"), {"minWords": 0}), "BAD_ARGUMENT"),
    ("output exists", lambda s, d: jobs.find_passages(s, [str(d)], str(d)), "BAD_ARGUMENT"),
    ("bad partitions", lambda s, d: jobs.find_passages(s, [str(d)], str(d / "o5"), partitions=0), "BAD_ARGUMENT"),
    ("a shard that is a dangling link", lambda s, d: (os.symlink(d / "absent", d / "gone.jsonl"),
                                                      jobs.find_passages(s, [str(d)], str(d / "o6"))), "READ_FAILED"),
    ("missing URI", lambda s, d: jobs.find_passages(s, [f"file://{d}/absent.jsonl"], str(d / "o7")), "READ_FAILED"),
    ("bad max_prompts", lambda s, d: jobs.build_profiles(s, [str(d)], str(d / "o4"), "a", ["b", "c"], max_prompts=0),
     "BAD_ARGUMENT"),
    ("profiles output exists", lambda s, d: jobs.build_profiles(s, [str(d)], str(d), "a", ["b", "c"]), "BAD_ARGUMENT"),
    ("profiles output not local", lambda s, d: jobs.build_profiles(s, [str(d)], "s3a://b/out", "a", ["b", "c"]),
     "BAD_ARGUMENT"),
    ("bad analysis option", lambda s, d: jobs.build_profiles(s, [str(d)], str(d / "o8"), "a", ["b", "c"],
                                                             analysis_options={"alpha": 2.0}), "BAD_ARGUMENT"),
]


@pytest.mark.parametrize("name,call,code", JOB_ERRORS, ids=[c[0] for c in JOB_ERRORS])
def test_job_errors(spark, tmp_path, name, call, code):
    with pytest.raises(lineage.LineageError) as caught:
        call(spark, tmp_path)
    assert caught.value.code == code, f"{name}: {caught.value.code}: {caught.value.message}"


# (arguments, exit status, what stderr says): refused before Spark starts.
MAIN_ERRORS = [
    (["passages", "{d}/absent", "--out", "{d}/o"], 2, "error: READ_FAILED: cannot read {d}/absent"),
    (["passages", "{d}", "--out", "{d}"], 2, "error: BAD_ARGUMENT: {d} exists"),
    (["passages", "{d}", "--out", "{d}/o", "--min-words", "0"], 2, "error: BAD_ARGUMENT: sketch: options: minWords"),
    (["passages", "{d}", "--out", "{d}/o", "--partitions", "-1"], 2, "error: BAD_ARGUMENT: --partitions"),
    (["passages", "{d}", "--out", "{d}/o", "--min-wrds", "3"], 2, "unrecognized arguments: --min-wrds"),
    (["profiles", "{d}", "--out", "{d}/p", "--suspect", "a", "--candidate", "b", "--options", '{{"sed": 1}}'], 2,
     "error: BAD_ARGUMENT: analyze: options.sed: unknown field"),
    (["profiles", "{d}", "--out", "{d}/p", "--suspect", "a", "--candidate", "b", "--options", "[1]"], 2,
     "invalid JSON object value"),
]


@pytest.mark.parametrize("argv,status,says", MAIN_ERRORS, ids=[" ".join(c[0][:1] + c[0][4:]) for c in MAIN_ERRORS])
def test_job_command_refuses_bad_input_in_one_line(tmp_path, capsys, argv, status, says):
    (tmp_path / "a.jsonl").write_text('{"source": "a", "text": "one"}\n')
    argv = [a.format(d=tmp_path) for a in argv]
    try:
        got = spark_cli.main(argv)
    except SystemExit as e:  # argparse's own errors
        got = e.code
    err = capsys.readouterr().err
    assert got == status and says.format(d=tmp_path) in err, err
    assert "Traceback" not in err and "\tat " not in err


def test_a_failed_spark_job_is_one_line(spark, tmp_path):
    """A task's Python error and a JVM error come out as their last cause,
    not as Spark's stack traces."""
    sc = spark.sparkContext
    with pytest.raises(Exception) as caught:
        sc.parallelize([1], 1).map(lambda x: x // 0).collect()
    assert spark_cli._spark_failure(caught.value) == "ZeroDivisionError: integer division or modulo by zero"
    with pytest.raises(Exception) as caught:
        sc.binaryFiles(f"file://{tmp_path}/absent.jsonl").count()
    line = spark_cli._spark_failure(caught.value)
    assert "absent.jsonl" in line and "\n" not in line, line


def _close(a, b, path=""):
    """Equal, floats within 1e-9 relative (a merged MATTR is a weighted
    mean summed in another order)."""
    if isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {a} != {b}"
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _close(x, y, f"{path}[{i}]")
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def test_profiles_and_the_analysis(spark, tmp_path):
    records = corpus_records(40, 4) + [
        {"source": "bystander", "text": f"Unrelated answer number {i}.", "promptId": f"p{i:03}"} for i in range(30)
    ]
    data = tmp_path / "data"
    data.mkdir()
    # Three shards, records of every source in each.
    for s in range(3):
        with open(data / f"part-{s}.jsonl", "w", encoding="utf-8") as f:
            for r in records[s::3]:
                f.write(json.dumps({"source": r["source"], "prompt_id": r["promptId"], "text": r["text"]}) + "\n")
            if s == 1:
                f.write("{not json\n")
    out = tmp_path / "out"
    stats = jobs.build_profiles(
        spark, [str(data)], str(out), "student", ["teacher", "other"], "base",
        max_prompts=25, analysis_options={"permutationReps": 199},
    )

    # Each source's profile is the core's profile of all its texts.
    got = {}
    for line in (out / "profiles.jsonl").read_text().splitlines():
        row = json.loads(line)
        got[row["source"]] = row["profile"]
    assert sorted(got) == ["base", "bystander", "other", "student", "teacher"]
    for source, profile in got.items():
        texts = [r["text"] for r in records if r["source"] == source]
        _close(profile, lineage.Profile.of_texts(texts).to_dict(), source)

    # The sample: the 25 prompts of the suspect with the smallest SHA-256.
    prompts = sorted({r["promptId"] for r in records if r["source"] == "student"},
                     key=lambda p: hashlib.sha256(p.encode()).hexdigest())[:25]
    samples = [json.loads(line) for line in (out / "samples.jsonl").read_text().splitlines()]
    assert sorted((s["source"], s["prompt_id"]) for s in samples) == sorted(
        (source, p) for p in prompts for source in ["student", "teacher", "other", "base"])
    assert (stats["prompts"], stats["samples"]) == (25, 100)
    # The corpus is read three times; its one malformed line counts once.
    assert stats["malformed"] == 1 and stats["malformed_lines"][0].startswith(f"{data / 'part-1.jsonl'}:")

    # The report is the CLI's on the samples the job wrote.
    cli = subprocess.run(
        [LINEAGE_BIN, "analyze", str(out / "samples.jsonl"), "--suspect", "student", "--candidate", "teacher",
         "--candidate", "other", "--control", "base", "--format", "json", "--permutation-reps", "199",
         # The job's sample of prompts is small; the package has no such refusal.
         "--unpaired"],
        check=True, capture_output=True, text=True).stdout
    theirs = json.loads(cli)
    mine = json.loads((out / "report.json").read_text())
    theirs.pop("inputs"), mine.pop("inputs")
    assert mine == theirs
    assert mine["verdict"]["top"] == "teacher"
