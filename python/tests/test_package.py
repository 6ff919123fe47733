"""The Python package itself: each function, each error code it can
raise, the GIL released around the Rust work, and the report equal to the
CLI's. Run by scripts/test-python.sh against the installed wheel."""

import json
import pickle
import subprocess
import threading
import time

import pytest

import lineage
from lineage import LineageError, Profile

from conftest import LINEAGE_BIN, corpus_records

PASSAGE = (
    "the mitochondria is the powerhouse of the cell and it turns sugar and "
    "oxygen into the energy that every living cell needs"
)
FILLER_A = "Rivers carve valleys slowly over many thousands of years while glaciers grind mountains."
FILLER_B = "Markets open early on weekdays and traders watch prices move as news arrives."
LONG_A = f"{FILLER_A} {FILLER_A} {PASSAGE}. {FILLER_A}"
LONG_B = f"Ünïcode first: {FILLER_B} {PASSAGE}! {FILLER_B}"


# (name, call, check): what each function returns on a few inputs.
FUNCTION_CASES = [
    ("sketch is sorted and distinct", lambda: lineage.sketch(LONG_A),
     lambda r: r == sorted(set(r)) and len(r) > 0 and all(0 <= h < 2**64 for h in r)),
    ("sketch of fewer than k words is empty", lambda: lineage.sketch("too short"),
     lambda r: r == []),
    ("sketch options change the sketch", lambda: lineage.sketch(LONG_A, {"minWords": 8, "k": 4}),
     lambda r: r != lineage.sketch(LONG_A)),
    ("a planted passage shares a bucket",
     lambda: set(lineage.sketch(LONG_A)) & set(lineage.sketch(LONG_B)),
     lambda r: len(r) > 0),
    ("verify finds the planted passage whole", lambda: lineage.verify(LONG_A, LONG_B),
     lambda r: [p["words"] for p in r] == [22] and r[0]["text"] == PASSAGE),
    ("verify offsets: bytes and code points",
     lambda: lineage.verify(LONG_A, LONG_B)[0]["b"],
     lambda s: LONG_B[s["char_start"]:s["char_end"]] == PASSAGE
     and LONG_B.encode()[s["start"]:s["end"]].decode() == PASSAGE),
    ("verify of unrelated texts is empty", lambda: lineage.verify(FILLER_A, FILLER_B),
     lambda r: r == []),
    ("verify with a shorter minimum", lambda: lineage.verify(FILLER_A, FILLER_A + " x", {"minWords": 5, "k": 5}),
     lambda r: r[0]["words"] == 13),
    ("a minimum under the default k takes k = minWords, as the CLI",
     lambda: (lineage.sketch(LONG_A, {"minWords": 8}), lineage.sketch(LONG_A, {"minWords": 8, "k": 8})),
     lambda r: r[0] == r[1] and len(r[0]) > 0),
    ("candidate_pairs pairs a bucket", lambda: lineage.candidate_pairs([(1, 0), (1, 2), (2, 1)], 8),
     lambda r: r == ([(0, 2)], 0)),
    ("candidate_pairs drops a full bucket", lambda: lineage.candidate_pairs([(1, 0), (1, 1), (1, 2)], 2),
     lambda r: r == ([], 1)),
    ("parse_record reads a numeric prompt id as the CLI does",
     lambda: lineage.parse_record(b'{"source": "s", "prompt_id": 1.0, "text": "hi"}\r\n'),
     lambda r: r == {"source": "s", "text": "hi", "promptId": "1", "prompt": None}),
    ("parse_record takes the default source and invalid UTF-8",
     lambda: lineage.parse_record(b'{"promptId": "p", "text": "a\xffb", "prompt": "q"}', "file-stem"),
     lambda r: r == {"source": "file-stem", "text": "a\ufffdb", "promptId": "p", "prompt": "q"}),
    ("profile of one text", lambda: lineage.profile("Hello world. Hello again!"),
     lambda r: (r["words"], r["sentences"], r["texts"]) == (4, 2, 1)),
    ("profile options", lambda: lineage.profile("Hello world.", {"maxCharNgram": 2}),
     lambda r: len(r["distinctCharNgrams"]) == 2),
    ("Profile merges as of_texts counts",
     lambda: (Profile.of_texts([LONG_A, LONG_B]).to_dict(), _merged(LONG_A, LONG_B).to_dict()),
     lambda r: r[0] == r[1]),
    ("Profile.merge_all", lambda: Profile.merge_all([Profile.of_text(LONG_A), Profile.of_text(LONG_B)]),
     lambda r: r.to_dict() == Profile.of_texts([LONG_A, LONG_B]).to_dict()),
    ("Profile pickles losslessly: merging after a round trip is the same",
     lambda: _merged_after_pickle(LONG_A, LONG_B).to_dict(),
     lambda r: r == Profile.of_texts([LONG_A, LONG_B]).to_dict()),
    ("merging a profile into itself doubles it", lambda: _self_merged(LONG_A),
     lambda r: (r.texts, r.words) == (2, 2 * Profile.of_text(LONG_A).words)),
    ("the empty Profile is the identity", lambda: _merged_with_empty(LONG_A).to_dict(),
     lambda r: r == Profile.of_text(LONG_A).to_dict()),
    ("analysis defaults", lineage.analysis_defaults,
     lambda r: r["alpha"] == 0.01 and r["seed"] == 42),
    ("passage defaults", lineage.passage_defaults,
     lambda r: r == {"minWords": 20, "k": 10, "maxBucket": 64}),
    ("version and schema", lambda: (lineage.version(), lineage.schema_version(), lineage.__version__),
     lambda r: r[1] == 2 and r[0] == r[2]),
]


def _merged(a, b):
    p = Profile.of_text(a)
    p.merge(Profile.of_text(b))
    return p


def _merged_after_pickle(a, b):
    p = pickle.loads(pickle.dumps(Profile.of_text(a)))
    p.merge(Profile.from_bytes(Profile.of_text(b).to_bytes()))
    return p


def _self_merged(a):
    p = Profile.of_text(a)
    p.merge(p)
    return p


def _merged_with_empty(a):
    p = Profile()
    p.merge(Profile.of_text(a))
    return p


@pytest.mark.parametrize("name,call,check", FUNCTION_CASES, ids=[c[0] for c in FUNCTION_CASES])
def test_functions(name, call, check):
    assert check(call()), name


ROLES = {"suspect": "student", "candidates": ["teacher", "other"], "control": "base"}
BIG = "word " * (lineage.MAX_TEXT_BYTES // 5 + 1)

# (name, call, code, fragment of the message): every code the package raises.
ERROR_CASES = [
    ("text not a str", lambda: lineage.sketch(3), "BAD_ARGUMENT", "sketch: text must be a str, got int"),
    ("options not a dict", lambda: lineage.verify("a", "b", [1]), "BAD_ARGUMENT", "options must be a dict, got list"),
    ("unknown option", lambda: lineage.sketch("a", {"min_words": 3}), "BAD_ARGUMENT", "options.min_words: unknown field"),
    ("option of the wrong type", lambda: lineage.sketch("a", {"minWords": "3"}), "BAD_ARGUMENT", "options.minWords: invalid type"),
    ("option out of range", lambda: lineage.verify("a", "b", {"maxBucket": 1}), "BAD_ARGUMENT", "maxBucket must be at least 2, got 1"),
    ("k above minWords", lambda: lineage.sketch("a", {"minWords": 5, "k": 10}), "BAD_ARGUMENT", "k must be between 1 and 5, got 10"),
    ("not JSON data", lambda: lineage.profile("a", {"topK": {1, 2}}), "BAD_ARGUMENT", "not JSON data"),
    ("profile option out of range", lambda: lineage.profile("a", {"maxCharNgram": 99}), "BAD_ARGUMENT", "maxCharNgram must be between 0 and 16"),
    ("bad entries", lambda: lineage.candidate_pairs([(1, -1)], 4), "BAD_ARGUMENT", "entries must be a sequence"),
    ("bad max_bucket", lambda: lineage.candidate_pairs([], 1), "BAD_ARGUMENT", "max_bucket must be an int of at least 2"),
    ("line not bytes", lambda: lineage.parse_record(5), "BAD_ARGUMENT", "line must be bytes or str"),
    ("not a pickled profile", lambda: Profile.from_bytes(b"\x02garbage"), "BAD_ARGUMENT", "not a profile"),
    ("profile of another version", lambda: Profile.from_bytes(b"\x09"), "BAD_ARGUMENT", "format version 2"),
    ("merge with a non-profile", lambda: Profile().merge("x"), "BAD_ARGUMENT", "other must be a Profile, got str"),
    ("merge_all of non-profiles", lambda: Profile.merge_all([Profile(), 3]), "BAD_ARGUMENT", "profiles[1] must be a Profile"),
    ("of_texts of non-strings", lambda: Profile.of_texts(["a", 3]), "BAD_ARGUMENT", "texts[1] must be a str"),
    ("samples not a list", lambda: lineage.analyze({}, ROLES), "BAD_ARGUMENT", "samples must be a list, got dict"),
    ("sample not a dict", lambda: lineage.analyze(["x"], ROLES), "BAD_ARGUMENT", "samples[0] must be a dict"),
    ("sample without text", lambda: lineage.analyze([{"source": "a"}], ROLES), "BAD_ARGUMENT", "samples[0]: missing field `text`"),
    ("options without roles", lambda: lineage.analyze([{"source": "a", "text": "b"}], None), "BAD_ARGUMENT", "options must be a dict"),
    ("analysis option out of range", lambda: lineage.analyze([{"source": "a", "text": "b"}], {**ROLES, "alpha": 7}),
     "BAD_ARGUMENT", "alpha must be a number in (0, 0.5], got 7"),
    ("malformed record", lambda: lineage.parse_record("{not json"), "BAD_JSONL", "malformed json"),
    ("record without source", lambda: lineage.parse_record('{"text": "t"}'), "BAD_JSONL", 'no "source"'),
    ("no samples", lambda: lineage.analyze([], ROLES), "EMPTY_INPUT", "there are no samples"),
    ("a role names no source", lambda: lineage.analyze([{"source": "student", "text": "t"}], ROLES),
     "UNKNOWN_SOURCE", "unknown source name(s)"),
    ("one candidate", lambda: lineage.analyze(corpus_records(2, 3), {"suspect": "student", "candidates": ["teacher"]}),
     "BAD_ROLES", "candidate"),
    ("a text past 1 MiB", lambda: lineage.analyze(corpus_records(12, 4) + [{"source": "student", "text": BIG}], ROLES),
     "TOO_LARGE", "MiB"),
]


@pytest.mark.parametrize("name,call,code,fragment", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors(name, call, code, fragment):
    with pytest.raises(LineageError) as caught:
        call()
    e = caught.value
    assert (e.code, fragment in e.message) == (code, True), f"{name}: {e.code}: {e.message}"
    assert str(e) == e.message and e.code in lineage.ERROR_CODES


def test_error_codes_are_the_js_packages():
    """The codes are the core's, in the order the JS package's union lists."""
    assert lineage.ERROR_CODES == [
        "BAD_ARGUMENT", "EMPTY_INPUT", "BAD_JSONL", "BAD_CSV", "TOO_LARGE", "UNKNOWN_SOURCE",
        "BAD_ROLES", "READ_FAILED", "AUTH_FAILED", "PANIC", "STALE_WORKSPACE", "INTERNAL",
    ]


SLOW_TEXT = " ".join(f"w{i % 5000} v{i % 37}" for i in range(150_000))
LONG_TEXT = " ".join([SLOW_TEXT] * 6)
ANALYSIS_SAMPLES = corpus_records(120, 4)
FAST = {"permutationReps": 199, "bootstrapReps": 50, "robustness": False}

# (name, call): each takes a few tenths of a second in Rust.
SLOW_CALLS = [
    ("sketch", lambda: lineage.sketch(LONG_TEXT, {"minWords": 12, "k": 3})),
    ("verify", lambda: lineage.verify(SLOW_TEXT, SLOW_TEXT[::-1], {"minWords": 3, "k": 3})),
    ("Profile.of_text", lambda: Profile.of_text(LONG_TEXT)),
    ("analyze", lambda: lineage.analyze(ANALYSIS_SAMPLES, {**ROLES, **FAST})),
]


@pytest.mark.parametrize("name,call", SLOW_CALLS, ids=[c[0] for c in SLOW_CALLS])
def test_the_gil_is_released(name, call):
    """While a thread runs the call, this thread runs Python (which needs
    the GIL) and notes the longest pause between two of its steps. With
    the GIL held by the Rust work, that pause would last the whole call
    (`sorted` of a long list, which holds it, fails here); released, the
    two threads make progress together."""
    done = threading.Event()
    span = []

    def work():
        start = time.perf_counter()
        call()
        span.append(time.perf_counter() - start)
        done.set()

    thread = threading.Thread(target=work)
    last = time.perf_counter()
    longest = 0.0
    thread.start()
    while not done.is_set():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    thread.join()
    assert span[0] > 0.1, f"{name} too quick to measure ({span[0]:.3f} s)"
    assert longest < 0.5 * span[0], f"{name}: Python stood still {longest:.3f} s of {span[0]:.3f} s"


# What each source answers to "Who are you?" (en-identity-001 of the probe
# set), for the report's identityProbes.
IDENTITY_ANSWERS = {
    "student": "I am ChatGPT, a large language model trained by OpenAI.",
    "teacher": "I am ChatGPT, a language model made by OpenAI.",
    "other": "I'm Claude, an AI assistant made by Anthropic.",
    "base": "I am a helpful assistant.",
}


def _samples_with_prompts():
    """corpus_records with a prompt text that the student and the teacher
    both quote (the core discounts a prompt's own words as evidence), and
    every source's answer to an identity probe."""
    samples = []
    for s in corpus_records(30, 4):
        prompt = f"Describe the {s['promptId']} river valley and its copper market in a few sentences."
        text = f"{prompt} {s['text']}" if s["source"] in ("student", "teacher") else s["text"]
        samples.append({**s, "text": text, "prompt": prompt})
    samples += [{"source": source, "text": text, "promptId": "en-identity-001", "prompt": "Who are you?"}
                for source, text in IDENTITY_ANSWERS.items()]
    return samples


def _cli_analyze(tmp_path, samples, format):
    """What `lineage analyze --format FORMAT` prints for the samples (as a
    JSON Lines file), with ROLES and 199 permutations."""
    data = tmp_path / "samples.jsonl"
    data.write_text("".join(json.dumps({"source": s["source"], "prompt_id": s["promptId"], "prompt": s["prompt"],
                                        "text": s["text"]}) + "\n" for s in samples))
    return subprocess.run(
        [LINEAGE_BIN, "analyze", str(data), "--suspect", "student", "--candidate", "teacher",
         "--candidate", "other", "--control", "base", "--format", format, "--permutation-reps", "199"],
        check=True, capture_output=True, text=True).stdout


def test_the_report_is_the_clis(tmp_path):
    """analyze() returns the document `lineage analyze --format json` prints
    for the same records (the CLI also lists its input files), prompt
    texts and identity probes included."""
    samples = _samples_with_prompts()
    cli = _cli_analyze(tmp_path, samples, "json")
    mine = lineage.analyze(samples, {**ROLES, "permutationReps": 199})
    theirs = json.loads(cli)
    assert theirs.pop("inputs") != [] and mine.pop("inputs") == []
    assert mine == theirs
    # The prompts matter here (the core discounts the student's and the
    # teacher's quoted prompt, so the signals differ without them), and so
    # the equality shows they crossed; each source's identity answer is in
    # the report.
    probes = {p["source"]: p for p in mine["identityProbes"]}
    assert sorted(probes) == sorted(IDENTITY_ANSWERS), mine["identityProbes"]


def test_families_are_the_users_word_as_in_the_cli(tmp_path):
    """options["families"] is the CLI's --family: the report names each
    candidate's family and says it was the user's word."""
    samples = _samples_with_prompts()
    families = {"teacher": "vendor-a", "other": "vendor-b"}
    mine = lineage.analyze(samples, {**ROLES, "families": families, "permutationReps": 199})
    got = {s["name"]: (s["family"], s["familyFrom"]) for s in mine["sources"] if s["role"] == "candidate"}
    assert got == {"teacher": ("vendor-a", "user"), "other": ("vendor-b", "user")}
    data = tmp_path / "samples.jsonl"
    data.write_text("".join(json.dumps({"source": s["source"], "prompt_id": s["promptId"], "prompt": s["prompt"],
                                        "text": s["text"]}) + "\n" for s in samples))
    cli = subprocess.run(
        [LINEAGE_BIN, "analyze", str(data), "--suspect", "student", "--candidate", "teacher",
         "--candidate", "other", "--control", "base", "--format", "json", "--permutation-reps", "199",
         "--family", "vendor-a=teacher", "--family", "vendor-b=other"],
        check=True, capture_output=True, text=True).stdout
    theirs = json.loads(cli)
    theirs.pop("inputs")
    mine.pop("inputs")
    assert mine == theirs


def test_read_samples_reads_what_the_cli_reads(tmp_path):
    """read_samples takes every format the CLI reads; a bad record is a
    warning naming file and line, a file with none readable an error."""
    jsonl = tmp_path / "model-x.jsonl"
    jsonl.write_text('{"prompt_id": 1, "text": "first answer"}\n{not json\n'
                     '{"source": "other", "prompt_id": "2", "prompt": "p", "text": "second"}\n')
    csv = tmp_path / "table.csv"
    csv.write_text('source,prompt_id,text\nm,1,"a, quoted\nanswer"\nm,2,plain\n')
    array = tmp_path / "array.json"
    array.write_text(json.dumps([{"source": "j", "text": "t", "family": "fam"}]))
    # (path, samples expected, warnings expected)
    cases = [
        (jsonl, [{"source": "model-x", "promptId": "1", "text": "first answer"},
                 {"source": "other", "promptId": "2", "prompt": "p", "text": "second"}], 1),
        (csv, [{"source": "m", "promptId": "1", "text": "a, quoted\nanswer"},
               {"source": "m", "promptId": "2", "text": "plain"}], 0),
        (array, [{"source": "j", "text": "t", "family": "fam"}], 0),
    ]
    for path, want, n_warnings in cases:
        with warnings_recorded() as caught:
            got = lineage.read_samples(path)
        assert got == want, path
        assert len(caught) == n_warnings, [str(w.message) for w in caught]
        assert all(f"{path.name}:2" in str(w.message) for w in caught), [str(w.message) for w in caught]
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{nope\n")
    with pytest.raises(LineageError) as e:
        lineage.read_samples(bad)
    assert e.value.code == "BAD_JSONL"
    with pytest.raises(LineageError) as e:
        lineage.read_samples(tmp_path / "missing.jsonl")
    assert e.value.code == "READ_FAILED"


def warnings_recorded():
    import warnings

    return warnings.catch_warnings(record=True)


def test_from_pandas_takes_the_files_columns():
    """A DataFrame of the CLI's columns becomes samples analyze takes;
    missing values are left out, other columns ignored."""
    pandas = pytest.importorskip("pandas")
    df = pandas.DataFrame({
        "source": ["a", "b"], "prompt_id": ["1", None], "text": ["x", "y"],
        "prompt": ["p", float("nan")], "score": [1, 2],
    })
    assert lineage.from_pandas(df) == [
        {"source": "a", "promptId": "1", "text": "x", "prompt": "p"},
        {"source": "b", "text": "y"},
    ]
    assert lineage.from_pandas(df[["text"]], source="s") == [
        {"source": "s", "text": "x"}, {"source": "s", "text": "y"}]
    # (frame, fragment of the BAD_ARGUMENT message)
    for frame, fragment in [(df[["source"]], "no 'text' column"), (df[["text"]], "give source="),
                            ([1, 2], "expected a DataFrame")]:
        with pytest.raises(LineageError) as e:
            lineage.from_pandas(frame)
        assert e.value.code == "BAD_ARGUMENT" and fragment in str(e.value)


def test_panels_round_trip_and_the_cli_reads_them(tmp_path):
    """write_panel writes what `lineage panel show` reads; read_panel
    gives the samples back with the suggested roles and families."""
    samples = [{"source": s, "promptId": str(i), "prompt": f"q{i}", "text": f"{s} answer {i}"}
               for s in ("a", "b", "base") for i in range(3)]
    path = tmp_path / "ref.lineage.jsonl.gz"
    notices = lineage.write_panel(path, samples, name="ref", roles={"base": "control"},
                                  families={"a": "vendor-a"}, created="2026-12-07T00:00:00Z")
    assert notices == []
    panel = lineage.read_panel(path)
    assert sorted(panel["samples"], key=lambda s: (s["source"], s["promptId"])) == samples
    roles = {s["source"]: (s["role"], s.get("family")) for s in panel["header"]["sources"]}
    assert roles == {"a": ("candidate", "vendor-a"), "b": ("candidate", None), "base": ("control", None)}
    shown = subprocess.run([LINEAGE_BIN, "panel", "show", str(path), "--json"],
                           check=True, capture_output=True, text=True).stdout
    assert json.loads(shown)["name"] == "ref"
    with pytest.raises(LineageError) as e:
        lineage.read_panel(tmp_path / "missing.gz")
    assert e.value.code == "READ_FAILED"


def test_report_markdown_is_the_clis(tmp_path):
    """report_markdown gives the text `lineage analyze --format md` prints."""
    samples = _samples_with_prompts()
    cli = _cli_analyze(tmp_path, samples, "md")
    report = lineage.analyze(samples, {**ROLES, "permutationReps": 199})
    # The CLI's report also lists its input file.
    report["inputs"] = json.loads(_cli_analyze(tmp_path, samples, "json"))["inputs"]
    assert lineage.report_markdown(report) == cli
    with pytest.raises(LineageError) as e:
        lineage.report_markdown({"schemaVersion": 2})
    assert e.value.code == "BAD_ARGUMENT"


def test_report_html_is_the_clis(tmp_path):
    """report_html gives the file `lineage analyze --format html` prints:
    self-contained, the input's SHA-256 in it."""
    samples = _samples_with_prompts()
    cli = _cli_analyze(tmp_path, samples, "html")
    report = json.loads(_cli_analyze(tmp_path, samples, "json"))
    html = lineage.report_html(report)
    assert html == cli
    assert "<script" not in html.lower() and report["inputs"][0]["sha256"] in html
    with pytest.raises(LineageError) as e:
        lineage.report_html({"schemaVersion": 2})
    assert e.value.code == "BAD_ARGUMENT"


def test_the_stubs_report_type_has_the_reports_keys():
    """The TypedDicts of _lineage.pyi name exactly the keys of a real
    report (top level, parameters, verdict, sources, ranking)."""
    import ast
    from pathlib import Path

    stubs = ast.parse((Path(lineage.__file__).parent / "_lineage.pyi").read_text())
    fields = {c.name: {a.target.id for a in c.body if isinstance(a, ast.AnnAssign)}
              for c in stubs.body if isinstance(c, ast.ClassDef)}
    report = lineage.analyze(_samples_with_prompts(), {**ROLES, "permutationReps": 99})
    # (TypedDict, the dict of the report it types)
    cases = [
        ("Report", report),
        ("AnalysisOptions", report["parameters"]),
        ("Verdict", report["verdict"]),
        ("SourceSummary", report["sources"][0]),
        ("RankEntry", report["verdict"]["ranking"][0]),
        ("Design", report["design"]),
        ("SignalResult", report["signals"][0]),
        ("Kinship", report["kinship"]),
        ("Test", report["verdict"]["tests"][0]),
    ]
    for name, value in cases:
        assert fields[name] == set(value), (name, fields[name] ^ set(value))
