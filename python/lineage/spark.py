"""Lineage's passage search and per-source profiles as Spark jobs.

    spark-submit python/jobs/lineage_job.py passages INPUTS... --out DIR \\
        [--min-words 20] [--max-bucket 64] [--same-source] [--partitions N]
    spark-submit python/jobs/lineage_job.py profiles INPUTS... --out DIR \\
        --suspect S --candidate A --candidate B [--control C] [--max-prompts 1000]

INPUTS are JSON Lines files or directories of ``.jsonl`` files, local paths
or any Hadoop file system URI (``hdfs://``, ``s3a://``). Each shard is read
whole by one task (``binaryFiles``), so keep shards to a few hundred MB.

**passages** is ``lineage passages`` as three Spark stages, with the core's
own functions at every step and the same output, line for line:

1. map: each record of each shard (read as the CLI reads it,
   ``parse_record``) is sketched (``sketch``) into ``(bucket, doc)``
   entries, where ``doc`` is the shard's index and the record's byte offset
   (the CLI's doc ref); only these entries leave the task, never the texts;
2. shuffle by bucket: each partition's entries go through the core's
   ``candidate_pairs`` (stock-phrase buckets of more than ``max_bucket``
   texts dropped and counted), pairs of one source are dropped unless
   ``same_source``, and ``distinct`` removes pairs found in two partitions;
3. verify: the shards holding a candidate's record are read again, only
   those records are kept (their doc ids are broadcast), joined to both
   sides of each pair, and ``verify`` runs where the two texts meet. Hits
   are written sorted as the CLI prints them, with its schema
   (``{"a": {file, line, source, prompt_id, start, end}, "b": ..., words,
   text}``, byte offsets) into ``DIR/part-*``.

**profiles** builds the stylometric profile of every source over the whole
corpus (each partition profiles its texts, ``Profile.merge`` sums the
partitions' counts by source) into ``DIR/profiles.jsonl``, and feeds the
analysis: ``analyze`` compares texts answer by answer, so it runs on the
answers to a sample of prompts, the ``max_prompts`` prompts the suspect
answered with the smallest SHA-256 of their id (a uniform sample, the same
on every run), which are written to ``DIR/samples.jsonl`` (so ``lineage
analyze`` or the page can rerun exactly this analysis) with the report in
``DIR/report.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from array import array
from bisect import bisect_left
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from pyspark.accumulators import AccumulatorParam

from . import LineageError, Profile, analyze, candidate_pairs, echoes_prompt, parse_record, passage_defaults, sketch, verify

# A record's doc id: its shard's index above these bits, its byte offset
# in the shard below (shards up to 1 TiB, 8 million shards).
OFFSET_BITS = 40
# What the CLI counts as a blank line (Rust's u8::is_ascii_whitespace).
ASCII_WHITESPACE = b" \t\n\r\x0c"
# Texts profiled at once by a task before their profile is merged.
PROFILE_BATCH = 1000
# Malformed lines shown by name, as the CLI shows its first five.
MALFORMED_SHOWN = 5


def _error(code: str, message: str) -> LineageError:
    e = LineageError(message)
    e.code, e.message = code, message
    return e


@dataclass(frozen=True)
class Shard:
    """One input file: ``name`` as the hits print it (the path as the CLI
    prints it for local inputs), ``uri`` as Spark reads it, ``stem`` the
    source of records that name none."""

    index: int
    name: str
    uri: str
    stem: str


class _Malformed(AccumulatorParam):
    """Malformed lines: (count, the first few as (shard index, line number,
    message)), the lowest kept whatever order the tasks end in."""

    def zero(self, value: Any) -> tuple[int, list]:
        return 0, []

    def addInPlace(self, a: tuple[int, list], b: tuple[int, list]) -> tuple[int, list]:
        return a[0] + b[0], sorted(a[1] + b[1])[:MALFORMED_SHOWN]


def local_files(given: str) -> list[str]:
    """The ``.jsonl`` files of a local input (a file, or a directory's
    files sorted by name), or ``READ_FAILED`` as the CLI says it."""
    if os.path.isdir(given):
        found = sorted(f for f in os.listdir(given) if f.lower().endswith(".jsonl"))
        paths = [os.path.join(given, f) for f in found]
        unreadable = [p for p in paths if not (os.path.isfile(p) and os.access(p, os.R_OK))]
        if unreadable:
            raise _error("READ_FAILED", f"cannot read {unreadable[0]}: not a readable file")
        return paths
    if os.path.isfile(given) and os.access(given, os.R_OK):
        return [given]
    if os.path.isfile(given):
        raise _error("READ_FAILED", f"cannot read {given}: permission denied")
    raise _error("READ_FAILED", f"cannot read {given}: no such file or directory")


def list_shards(spark: Any, inputs: list[str]) -> list[Shard]:
    """The ``.jsonl`` files of ``inputs`` in the CLI's order: each input in
    turn, a directory's files sorted by name."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()

    def qualified(path: str) -> tuple[Any, Any]:
        p = jvm.org.apache.hadoop.fs.Path(path)
        fs = p.getFileSystem(conf)
        return fs, fs.makeQualified(p)

    names: list[str] = []
    for given in inputs:
        if "://" not in given:
            names.extend(local_files(given))
            continue
        fs, path = qualified(given)
        if not fs.exists(path):
            raise _error("READ_FAILED", f"cannot read {given}: no such file or directory")
        if fs.getFileStatus(path).isDirectory():
            statuses = fs.listStatus(path)
            found = sorted(
                s.getPath().toString() for s in statuses
                if s.isFile() and s.getPath().getName().lower().endswith(".jsonl")
            )
            names.extend(found)
        else:
            names.append(path.toString())
    if not names:
        raise _error("EMPTY_INPUT", "no .jsonl input found")
    shards = []
    for i, name in enumerate(names):
        base = name.rstrip("/").rsplit("/", 1)[-1]
        stem = base[: base.rfind(".")] if base.rfind(".") > 0 else base
        shards.append(Shard(i, name, qualified(name)[1].toString(), stem))
    return shards


def _exists(spark: Any, path: str) -> bool:
    """Whether a local path or a Hadoop file system URI exists."""
    jvm = spark.sparkContext._jvm
    p = jvm.org.apache.hadoop.fs.Path(path)
    return bool(p.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(p))


def _lines(content: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(byte offset, 1-based line number, line) of each line that is not
    blank, lines ending at ``\\n`` as the CLI reads them."""
    pos, number, n = 0, 0, len(content)
    while pos < n:
        end = content.find(b"\n", pos)
        end = n if end < 0 else end + 1
        number += 1
        line = content[pos:end]
        if line.strip(ASCII_WHITESPACE):
            yield pos, number, line
        pos = end


def _records(shard: Shard, content: bytes, malformed: Any) -> Iterator[tuple[int, int, dict]]:
    """(doc id, line number, record) of each readable record of a shard;
    each malformed line is added to ``malformed`` (if not None)."""
    base = shard.index << OFFSET_BITS
    for offset, number, line in _lines(content):
        try:
            yield base | offset, number, parse_record(line, shard.stem)
        except LineageError as e:
            if malformed is not None:
                message = e.message.removeprefix("parse_record: ")
                malformed.add((1, [(shard.index, number, message)]))


def _malformed_lines(malformed: Any, shards: list[Shard]) -> list[str]:
    """The first malformed lines as the CLI prints them (FILE:LINE: why)."""
    return [f"{shards[i].name}:{line}: {message}" for i, line, message in malformed.value[1]]


def _read(sc: Any, shards: list[Shard]):
    """(shard, content) of each shard, one task per shard or group of shards."""
    by_uri = sc.broadcast({s.uri: s for s in shards})
    files = sc.binaryFiles(",".join(s.uri for s in shards))
    return files.map(lambda kv: (by_uri.value[kv[0]], kv[1]))


def _entries(item: tuple[Shard, bytes], options: dict, malformed: Any, texts: Any, n_entries: Any):
    shard, content = item
    for doc, _, rec in _records(shard, content, malformed):
        texts.add(1)
        hashes = sketch(rec["text"], options)
        n_entries.add(len(hashes))
        for h in hashes:
            yield h, (doc, rec["source"])


def _pairs(entries: Iterable, max_bucket: int, same_source: bool, dropped: Any):
    """The candidate pairs of one partition's buckets, by the core's
    ``candidate_pairs`` over local ids; each pair as (lower doc, higher doc)."""
    ids: dict[int, int] = {}
    docs: list[int] = []
    sources: list[str] = []
    local = []
    for bucket, (doc, source) in entries:
        i = ids.get(doc)
        if i is None:
            i = ids[doc] = len(docs)
            docs.append(doc)
            sources.append(source)
        local.append((bucket, i))
    pairs, n_dropped = candidate_pairs(local, max_bucket)
    dropped.add(n_dropped)
    for a, b in pairs:
        if same_source or sources[a] != sources[b]:
            da, db = docs[a], docs[b]
            yield (da, db) if da < db else (db, da)


def _needed(item: tuple[Shard, bytes], needed: Any):
    """(doc, (line, source, prompt id, text, prompt)) of the records in ``needed``
    (a sorted array of doc ids); no other line is parsed."""
    shard, content = item
    ids = needed.value
    base = shard.index << OFFSET_BITS
    for offset, number, line in _lines(content):
        i = bisect_left(ids, base | offset)
        if i < len(ids) and ids[i] == base | offset:
            rec = parse_record(line, shard.stem)
            yield base | offset, (number, rec["source"], rec["promptId"], rec["text"], rec["prompt"])


def _hits(joined: tuple, options: dict, names: Any):
    """((doc a, doc b, rank), JSON line) of each passage of one pair."""
    b, ((a, rec_a), rec_b) = joined
    shard_names = names.value

    def side(doc: int, rec: tuple, span: dict) -> dict:
        return {
            "file": shard_names[doc >> OFFSET_BITS],
            "line": rec[0],
            "source": rec[1],
            "prompt_id": rec[2],
            "start": span["start"],
            "end": span["end"],
        }

    for rank, p in enumerate(verify(rec_a[3], rec_b[3], options)):
        # Restating either record's prompt (the CLI's prompt_echo).
        echo = any(echoes_prompt(p["text"], prompt) for prompt in (rec_a[4], rec_b[4]) if prompt)
        hit = {"a": side(a, rec_a, p["a"]), "b": side(b, rec_b, p["b"]), "words": p["words"], "text": p["text"],
               "prompt_echo": echo}
        # serde_json's compact form, which `lineage passages` prints.
        yield (a, b, rank), json.dumps(hit, ensure_ascii=False, separators=(",", ":"))


def find_passages(
    spark: Any,
    inputs: list[str],
    out: str,
    options: dict | None = None,
    same_source: bool = False,
    partitions: int | None = None,
) -> dict:
    """Runs the passage search (module documentation) and writes the hits
    to ``out`` (a directory that must not exist). Returns its counts and
    times, which ``main`` prints as the CLI prints its summary."""
    sc = spark.sparkContext
    options = dict(options or {})
    sketch("", options)  # checks the options here, before any task runs
    if partitions is not None and partitions < 1:
        raise _error("BAD_ARGUMENT", f"partitions must be at least 1, got {partitions}")
    if _exists(spark, out):
        raise _error("BAD_ARGUMENT", f"{out} exists: the hits go to a new directory")
    shards = list_shards(spark, inputs)
    partitions = partitions or max(2, sc.defaultParallelism * 2)
    malformed = sc.accumulator((0, []), _Malformed())
    texts, n_entries, dropped = (sc.accumulator(0) for _ in range(3))
    start = time.perf_counter()

    entries = _read(sc, shards).flatMap(lambda item: _entries(item, options, malformed, texts, n_entries))
    max_bucket = options.get("maxBucket", passage_defaults()["maxBucket"])
    pairs = (
        entries.partitionBy(partitions)
        .mapPartitions(lambda part: _pairs(part, max_bucket, same_source, dropped))
        .distinct(partitions)
        .cache()
    )
    needed_ids = sorted(pairs.flatMap(lambda p: p).distinct().collect())
    n_pairs = pairs.count()
    sketched = time.perf_counter() - start

    needed = sc.broadcast(array("q", needed_ids))
    with_hits = sorted({d >> OFFSET_BITS for d in needed_ids})
    names = sc.broadcast([s.name for s in shards])
    lines = sc.parallelize([], 1)
    n_verified = 0
    if with_hits:
        records = _read(sc, [shards[i] for i in with_hits]).flatMap(
            lambda item: _needed(item, needed)
        ).cache()
        by_b = pairs.join(records, partitions).map(lambda kv: (kv[1][0], (kv[0], kv[1][1])))
        hits = by_b.join(records, partitions).flatMap(lambda j: _hits(j, options, names)).cache()
        n_verified = hits.map(lambda kv: kv[0][:2]).distinct().count()
        lines = hits.sortByKey(numPartitions=partitions).values()
    lines.saveAsTextFile(out)
    n_passages = sc.textFile(out).count()
    pairs.unpersist()
    return {
        "texts": texts.value,
        "files": len(shards),
        "malformed": malformed.value[0],
        "malformed_lines": _malformed_lines(malformed, shards),
        "entries": n_entries.value,
        "dropped": dropped.value,
        "candidate_pairs": n_pairs,
        "verified_pairs": n_verified,
        "passages": n_passages,
        "seconds": {"sketch_and_buckets": sketched, "all": time.perf_counter() - start},
    }


def _profile_partition(rows: Iterable[tuple[str, str]], options: dict | None):
    """(source, Profile) of one partition's texts, profiled in batches."""
    batches: dict[str, list[str]] = {}
    merged: dict[str, Profile] = {}

    def fold(source: str, batch: list[str]) -> None:
        p = Profile.of_texts(batch, options)
        if source in merged:
            merged[source].merge(p)
        else:
            merged[source] = p
        batch.clear()

    for source, text in rows:
        batch = batches.setdefault(source, [])
        batch.append(text)
        if len(batch) >= PROFILE_BATCH:
            fold(source, batch)
    for source, batch in batches.items():
        if batch:
            fold(source, batch)
    return iter(merged.items())


def _merge(a: Profile, b: Profile) -> Profile:
    a.merge(b)
    return a


def _prompt_order(prompt_id: str) -> str:
    return hashlib.sha256(prompt_id.encode()).hexdigest()


def build_profiles(
    spark: Any,
    inputs: list[str],
    out: str,
    suspect: str,
    candidates: list[str],
    control: str | None = None,
    max_prompts: int = 1000,
    analysis_options: dict | None = None,
    profile_options: dict | None = None,
) -> dict:
    """Profiles every source and analyses a sample of prompts (module
    documentation); writes ``profiles.jsonl``, ``samples.jsonl`` and
    ``report.json`` into the local directory ``out``. Returns counts and
    the report."""
    sc = spark.sparkContext
    check_profiles_args(out, suspect, candidates, control, max_prompts, analysis_options)
    shards = list_shards(spark, inputs)
    os.makedirs(out)
    malformed = sc.accumulator((0, []), _Malformed())
    start = time.perf_counter()

    def records(count_malformed: bool = False):
        acc = malformed if count_malformed else None
        return _read(sc, shards).flatMap(lambda item: _records(item[0], item[1], acc))

    # The corpus is read three times; its malformed lines count once.
    profiles = (
        records(count_malformed=True)
        .map(lambda r: (r[2]["source"], r[2]["text"]))
        .mapPartitions(lambda rows: _profile_partition(rows, profile_options))
        .reduceByKey(_merge)
        .collect()
    )
    profiled = time.perf_counter() - start
    with open(os.path.join(out, "profiles.jsonl"), "w", encoding="utf-8") as f:
        for source, p in sorted(profiles, key=lambda sp: sp[0]):
            f.write(json.dumps({"source": source, "profile": p.to_dict()}, ensure_ascii=False) + "\n")

    prompts = (
        records()
        .filter(lambda r: r[2]["source"] == suspect and r[2]["promptId"] is not None)
        .map(lambda r: r[2]["promptId"])
        .distinct()
        .takeOrdered(max_prompts, key=_prompt_order)
    )
    chosen = sc.broadcast(frozenset(prompts))
    roles = frozenset([suspect, *candidates, *([control] if control else [])])
    picked = (
        records()
        .filter(lambda r: r[2]["source"] in roles and r[2]["promptId"] in chosen.value)
        .map(lambda r: (r[0], r[2]))
        .collect()
    )
    # In corpus order, as `lineage analyze` reads samples.jsonl.
    samples = [rec for _, rec in sorted(picked, key=lambda dr: dr[0])]
    with open(os.path.join(out, "samples.jsonl"), "w", encoding="utf-8") as f:
        for s in samples:
            line = {"source": s["source"], "prompt_id": s["promptId"], "text": s["text"]}
            if s["prompt"] is not None:
                line["prompt"] = s["prompt"]
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
    roles_options = {"suspect": suspect, "candidates": candidates, "control": control}
    report = analyze(
        [{k: v for k, v in s.items() if v is not None} for s in samples],
        {**(analysis_options or {}), **roles_options},
    )
    with open(os.path.join(out, "report.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, ensure_ascii=False, indent=2)
        f.write("\n")
    return {
        "files": len(shards),
        "malformed": malformed.value[0],
        "malformed_lines": _malformed_lines(malformed, shards),
        "sources": {source: p.texts for source, p in profiles},
        "prompts": len(prompts),
        "samples": len(samples),
        "report": report,
        "seconds": {"profiles": profiled, "all": time.perf_counter() - start},
    }


def check_profiles_args(
    out: str,
    suspect: str,
    candidates: list[str],
    control: str | None,
    max_prompts: int,
    analysis_options: dict | None,
) -> None:
    """The profiles job's arguments, checked before any Spark work: the
    output is a new local directory, the analysis options are the core's
    (``analyze`` of no samples checks them, then says EMPTY_INPUT)."""
    if max_prompts < 1:
        raise _error("BAD_ARGUMENT", f"max_prompts must be at least 1, got {max_prompts}")
    if "://" in out:
        raise _error("BAD_ARGUMENT", f"{out}: the profiles job writes to a local directory (the driver's)")
    if os.path.exists(out):
        raise _error("BAD_ARGUMENT", f"{out} exists: the profiles and the report go to a new directory")
    roles = {"suspect": suspect, "candidates": candidates, "control": control}
    try:
        analyze([], {**(analysis_options or {}), **roles})
    except LineageError as e:
        if e.code != "EMPTY_INPUT":
            raise
