// Per-text style profiles as feature vectors, and the per-prompt comparison
// drawn by the "prompt by prompt" chart. The profiles come from the
// engine's `profile()` in the worker; the rest is plain JS, no wasm.
// Features: rates of the most frequent words, punctuation rates, Markdown
// structure per 100 words, vocabulary richness, mean word and sentence
// length; each is standardised over the texts compared.

const TOP_WORDS = 100;

/** The features of one profile, as a Map<name, value>. */
export function profileFeatures(p) {
  const f = new Map();
  const words = Math.max(p.words, 1);
  for (const { text, count } of p.topWordNgrams.unigrams) f.set(`w:${text}`, (1000 * count) / words);
  for (const [mark, rate] of Object.entries(p.punctuationPer1000)) f.set(`p:${mark}`, rate);
  for (const [name, count] of Object.entries(p.markdown)) f.set(`m:${name}`, (100 * count) / words);
  f.set("r:ttr", p.richness.typeTokenRatio);
  f.set("r:mattr", p.richness.mattr);
  f.set("r:hapax", p.richness.hapaxRatio);
  f.set("l:word", meanOf(p.wordLengths));
  f.set("l:sentence", meanOf(p.sentenceLengths));
  f.set("l:paragraph", p.words / Math.max(p.paragraphs, 1));
  return f;
}

function meanOf(histogram) {
  let n = 0;
  let s = 0;
  histogram.forEach((c, i) => {
    n += c;
    s += c * (i + 1);
  });
  return n ? s / n : 0;
}

/** Keeps the TOP_WORDS words with the largest summed rate, and every other feature. */
export function vocabulary(featureMaps) {
  const wordTotals = new Map();
  const others = new Set();
  for (const f of featureMaps) {
    for (const [k, v] of f) {
      if (k.startsWith("w:")) wordTotals.set(k, (wordTotals.get(k) ?? 0) + v);
      else others.add(k);
    }
  }
  const words = [...wordTotals].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP_WORDS).map(([k]) => k);
  return [...words, ...[...others].sort()];
}

/** Each column of `matrix` (rows x features) to mean 0 and sd 1 (a constant column to 0). */
export function standardise(matrix, n = matrix.length, d = n ? matrix[0].length : 0) {
  const z = matrix.map((r) => Float64Array.from(r));
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += z[i][j];
    mean /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (z[i][j] - mean) ** 2;
    const sd = Math.sqrt(v / (n - 1));
    for (let i = 0; i < n; i++) z[i][j] = sd > 1e-12 ? (z[i][j] - mean) / sd : 0;
  }
  return z;
}

const cosine = (a, b) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
};

/**
 * Prompt by prompt, what the verdict rests on: is the suspect's answer
 * closer to a candidate's answer than the control's answer is? Without a
 * control, the baseline is the suspect's mean similarity to the other
 * candidates' answers (with one candidate, there is none: the similarity
 * itself is shown). `features` maps source -> Map(promptId -> feature Map)
 * and holds the same prompts for every source; similarity is the cosine of
 * the standardised feature vectors. Returns { prompts, baseline, rows },
 * rows in the order of `candidates`, each { candidate, values: [{ promptId,
 * value }], mean, closer } (closer: prompts with value > 0).
 */
export function promptComparison(features, { suspect, control = null, candidates }) {
  const prompts = [...(features.get(suspect)?.keys() ?? [])];
  const sources = [suspect, ...(control ? [control] : []), ...candidates];
  const maps = sources.flatMap((src) => prompts.map((p) => features.get(src).get(p)));
  const vocab = vocabulary(maps);
  const z = standardise(maps.map((f) => vocab.map((k) => f.get(k) ?? 0)));
  const vec = (src, i) => z[sources.indexOf(src) * prompts.length + i];
  const baseline = control ? "control" : candidates.length > 1 ? "others" : "none";
  const rows = candidates.map((c) => {
    const values = prompts.map((promptId, i) => {
      const own = cosine(vec(suspect, i), vec(c, i));
      let base = 0;
      if (baseline === "control") base = cosine(vec(control, i), vec(c, i));
      else if (baseline === "others") base = candidates.filter((o) => o !== c).reduce((t, o) => t + cosine(vec(suspect, i), vec(o, i)), 0) / (candidates.length - 1);
      return { promptId, value: own - base };
    });
    const mean = values.reduce((t, v) => t + v.value, 0) / Math.max(values.length, 1);
    return { candidate: c, values, mean, closer: values.filter((v) => v.value > 0).length };
  });
  return { prompts: prompts.length, baseline, rows };
}
