"""Small deterministic corpora made in Python, for the tests and for
scripts/scale-out-demo.sh when the dev data is absent:

    python python/tests/corpora.py OUT_DIR [SHARDS] [PER_SHARD]
"""

import json
import random
import sys
from pathlib import Path

SOURCES = ["student", "teacher", "other", "base"]

# Each source's habits: its own openers, fillers and closers, so that an
# analysis has something to find (the student borrows the teacher's).
_HABITS = {
    "teacher": (["Certainly!", "Great question."], ["notably", "in essence", "crucially"], ["I hope this helps!"]),
    "student": (["Certainly!", "Sure thing."], ["notably", "in essence", "basically"], ["I hope this helps!"]),
    "other": (["Well,", "So,"], ["like", "you know", "honestly"], ["Cheers."]),
    "base": (["The answer:", "Answer:"], ["thus", "hence", "therefore"], ["End."]),
}
_WORDS = ("river valley glacier market trader price signal engine garden window "
          "lantern harbor meadow canyon orbit planet violin copper ribbon tunnel "
          "forest desert island bridge castle pepper marble silver thunder").split()


def _text(rng, source, prompt):
    openers, fillers, closers = _HABITS[source]
    sentences = [rng.choice(openers)]
    for _ in range(rng.randint(3, 6)):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(6, 12))]
        words.insert(rng.randrange(len(words)), rng.choice(fillers))
        sentences.append(" ".join(words).capitalize() + ".")
    sentences.append(f"(About {prompt}.) " + rng.choice(closers))
    return " ".join(sentences)


def corpus_records(n_prompts, n_sources, seed=7):
    """Samples {source, text, promptId}: every source answers every prompt."""
    rng = random.Random(seed)
    return [
        {"source": source, "text": _text(rng, source, f"p{p:03}"), "promptId": f"p{p:03}"}
        for p in range(n_prompts)
        for source in SOURCES[:n_sources]
    ]


# Passages planted in pairs of records, in several scripts, each long
# enough (>= 20 words) to be found at the default minimum.
PLANTED = [
    "the mitochondria is the powerhouse of the cell and it turns sugar and oxygen into "
    "the energy that every living cell needs to grow and divide",
    "Митохондрии служат энергетическими станциями клетки и превращают сахар и кислород "
    "в энергию которая нужна каждой живой клетке для роста и деления каждый день",
    "a well designed experiment controls for every variable except the one under study "
    "so that any difference in outcome can be attributed to that variable alone",
    "when the river floods the valley the farmers move their cattle to the high meadows "
    "and wait for the water to recede before they plant the next crop",
]
# A stock phrase that many records share: its buckets hold more texts than
# max_bucket and are dropped, by the CLI and by the Spark job alike.
STOCK = ("As an AI language model I do not have personal opinions but I can offer some "
         "general information that may help you decide what to do next")


def write_passage_corpus(out: Path, shards=3, per_shard=40, seed=11):
    """JSONL shards of random-word records with planted passages, a stock
    phrase in many records, and the input quirks both readers must treat
    alike: blank lines, CRLF, a malformed line, a record without source
    (the file stem is its source), a numeric prompt id, a last line
    without a newline, non-ASCII text. Returns the shard paths."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    texts = []
    for i in range(shards * per_shard):
        words = [rng.choice(_WORDS) + rng.choice(["", "s", "ed", "ing"]) for _ in range(rng.randint(30, 120))]
        texts.append(" ".join(words))
    # Each planted passage goes into two records of different shards (one
    # pair in the same source, found only with --same-source).
    for j, passage in enumerate(PLANTED):
        for i in (j * 7 + 1, j * 7 + 1 + per_shard + j):
            cut = rng.randrange(len(texts[i]) // 2)
            cut = texts[i].rfind(" ", 0, cut) + 1
            texts[i] = texts[i][:cut] + passage + ". " + texts[i][cut:]
    for i in range(0, len(texts), 2):
        texts[i] = STOCK + ". " + texts[i]
    paths = []
    for s in range(shards):
        path = out / f"shard-{s:02}.jsonl"
        lines = []
        for i in range(s * per_shard, (s + 1) * per_shard):
            rec = {"source": f"model-{i % 5}", "prompt_id": f"q{i:04}", "text": texts[i]}
            if i == 3:
                rec["prompt_id"] = 3
            if i == 5:
                del rec["source"]
            lines.append(json.dumps(rec, ensure_ascii=(i % 2 == 0)))
            if i % 13 == 0:
                lines.append("")
            if i % 17 == 0:
                lines.append("{this line is not json")
        eol = "\r\n" if s == 1 else "\n"
        path.write_bytes((eol.join(lines)).encode() + (b"" if s == shards - 1 else eol.encode()))
        paths.append(path)
    # Not JSONL: the directory listing must skip it.
    (out / "notes.txt").write_text("not an input\n")
    return paths


if __name__ == "__main__":
    out = Path(sys.argv[1])
    shards = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    per_shard = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    paths = write_passage_corpus(out, shards, per_shard)
    print(f"wrote {shards * per_shard} records in {len(paths)} shards to {out}")
