"""Lineage against the tools a user would otherwise reach for, in one run
on the same data (see docs/PERFORMANCE.md). Run through `bench/compare`,
which installs the Python dependencies into target/bench-venv first.

    bench/compare [DATA_DIR]

Measured, each as wall time on this machine, with ratios to Lineage:

1. attribution of every output of the dev data (10 sources x ~400 prompts;
   train on one half of the prompts, attribute each output of the other
   half): `lineage eval --candidates <all>` (T1) against a scikit-learn
   pipeline (character 1-4-gram tf-idf + LinearSVC) and faststylometry's
   Burrows' Delta (nearest source by Delta over the 300 most frequent
   words). Accuracy printed for each.
2. one full analysis (suspect against four candidates): the native CLI
   against the wasm module under Node (bench/analysis_time.mjs).
3. shared-passage search over all outputs: `lineage passages` against
   datasketch MinHash LSH over word 5-gram shingles (which finds similar
   *texts*, not passages; its candidate pairs are not verified).

Every tool reads the same files. The prompt halves differ between Lineage
(its own seeded split) and the Python pipelines (sha256 of the prompt id);
both are random halves of the same prompts, so accuracies are comparable
within sampling noise (~1 point at 2000 test outputs).
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared/data/alpaca_eval_dev"
BIN = Path(os.environ.get("LINEAGE_BIN", ROOT / "target/release/lineage"))


def load():
    sources = {}
    for f in sorted(DATA.glob("*.jsonl")):
        rows = []
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                rows.append((str(r.get("prompt_id")), r["text"]))
        sources[f.stem] = rows
    return sources


def split(sources):
    ids = sorted({p for rows in sources.values() for p, _ in rows},
                 key=lambda p: hashlib.sha256(p.encode()).hexdigest())
    first = set(ids[: len(ids) // 2])
    train, test = [], []
    for name, rows in sources.items():
        for p, t in rows:
            (train if p in first else test).append((name, t))
    return train, test


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def lineage_t1(names):
    args = [str(BIN), "eval", str(DATA), "--candidates", ",".join(names), "--json"]
    secs, out = timed(lambda: subprocess.run(args, check=True, capture_output=True, text=True))
    t1 = json.loads(out.stdout)["t1"]
    return secs, t1["single_accuracy"]


def sklearn_t1(train, test):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    def run():
        vec = TfidfVectorizer(analyzer="char", ngram_range=(1, 4), sublinear_tf=True)
        x = vec.fit_transform([t for _, t in train])
        clf = LinearSVC(C=1.0).fit(x, [s for s, _ in train])
        pred = clf.predict(vec.transform([t for _, t in test]))
        return sum(p == s for p, (s, _) in zip(pred, test)) / len(test)

    return timed(run)


def delta_t1(train, test):
    from faststylometry import Corpus, calculate_burrows_delta, tokenise_remove_pronouns_en

    def run():
        tr, te = Corpus(), Corpus()
        for i, (s, t) in enumerate(train):
            tr.add_book(s, str(i), t)
        truth = {}
        for i, (s, t) in enumerate(test):
            te.add_book("test", str(i), t)
            truth["test - " + str(i)] = s
        tr.tokenise(tokenise_remove_pronouns_en)
        te.tokenise(tokenise_remove_pronouns_en)
        d = calculate_burrows_delta(tr, te, vocab_size=300)
        # A text with none of the frequent words has no Delta (NaN): it
        # counts as wrong.
        d = d.loc[:, d.notna().any(axis=0)]
        best = d.idxmin(axis=0)
        return sum(best[c] == truth[c] for c in d.columns) / len(truth)

    return timed(run)


def wasm_analysis():
    # analysis_time.mjs exits non-zero when wasm and native disagree; its
    # output says so, and the timing is still worth printing.
    run = subprocess.run(["node", str(ROOT / "bench/analysis_time.mjs"), str(BIN), str(DATA)],
                         capture_output=True, text=True)
    print(run.stdout.rstrip() or run.stderr.rstrip())
    return run.stdout


def lineage_passages(files):
    args = [str(BIN), "passages", *map(str, files), "--min-words", "8"]
    secs, out = timed(lambda: subprocess.run(args, check=True, capture_output=True, text=True))
    return secs, sum(1 for line in out.stdout.splitlines() if line.strip())


def datasketch_pairs(sources):
    from datasketch import MinHash, MinHashLSH

    def run():
        lsh = MinHashLSH(threshold=0.3, num_perm=128)
        hashes = []
        for name, rows in sources.items():
            for p, t in rows:
                words = re.findall(r"\w+", t.lower())
                m = MinHash(num_perm=128)
                for i in range(len(words) - 4):
                    m.update(" ".join(words[i:i + 5]).encode())
                key = f"{name}/{p}"
                lsh.insert(key, m)
                hashes.append((key, m))
        pairs = set()
        for key, m in hashes:
            for other in lsh.query(m):
                if other != key:
                    pairs.add(tuple(sorted((key, other))))
        return len(pairs)

    return timed(run)


def main():
    if not DATA.is_dir():
        print(f"no data at {DATA}: nothing to compare")
        return
    if not BIN.exists():
        sys.exit(f"no native CLI at {BIN}: cargo build --release --bin lineage")
    sources = load()
    names = list(sources)
    train, test = split(sources)
    mb = sum(len(t.encode()) for rows in sources.values() for _, t in rows) / 1e6
    print(f"data: {DATA} ({len(names)} sources, {len(train) + len(test)} outputs, {mb:.2f} MB)")
    print(f"machine: {os.cpu_count()} cores\n")

    print("1. attribution (train on one half of the prompts, attribute the other half)")
    print(f"  {'tool':<42} {'seconds':>8} {'x Lineage':>10} {'accuracy':>9}", flush=True)
    lt, la = lineage_t1(names)
    for name, run in [("Lineage native CLI (eval, T1)", lambda: (lt, la)),
                      ("scikit-learn char 1-4 tf-idf + LinearSVC", lambda: sklearn_t1(train, test)),
                      ("faststylometry Burrows' Delta (300 MFW)", lambda: delta_t1(train, test))]:
        t, a = run()
        print(f"  {name:<42} {t:8.2f} {t / lt:10.2f} {a:9.3f}", flush=True)

    print("\n2. one full analysis (suspect against four candidates), native vs wasm", flush=True)
    wasm_analysis()

    print("\n3. shared passages / n-gram overlap over all outputs")
    pt, hits = lineage_passages(sorted(DATA.glob("*.jsonl")))
    mt, pairs = datasketch_pairs(sources)
    print(f"  {'tool':<42} {'seconds':>8} {'x Lineage':>10} {'found':>9}")
    print(f"  {'Lineage passages (verified, >= 8 words)':<42} {pt:8.2f} {1.0:10.2f} {hits:9d}")
    print(f"  {'datasketch MinHash LSH (5-gram, J>=0.3)':<42} {mt:8.2f} {mt / pt:10.2f} {pairs:9d}")
    print("  (Lineage counts verified passages; datasketch counts unverified text pairs)")


if __name__ == "__main__":
    main()
