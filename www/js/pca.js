// Principal components of per-text profiles, for the scatter chart. Runs in
// the worker on the engine's `profile()` of each text; costs no wasm.
// Features: rates of the most frequent words, punctuation rates, Markdown
// structure per 100 words, vocabulary richness, mean word and sentence
// length. Each feature is standardised, then the two leading eigenvectors
// of the covariance come from power iteration (deterministic start).

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

/**
 * Projects the rows of `matrix` (texts x features) on the first two
 * principal components of the standardised features.
 * Returns { points: [[x, y]], explained: [share1, share2] }.
 */
export function pca2(matrix) {
  const n = matrix.length;
  const d = n ? matrix[0].length : 0;
  if (n < 3 || d < 2) return { points: matrix.map(() => [0, 0]), explained: [0, 0] };
  const z = standardise(matrix, n, d);
  const cov = Array.from({ length: d }, () => new Float64Array(d));
  for (const row of z) {
    for (let i = 0; i < d; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      const ci = cov[i];
      for (let j = i; j < d; j++) ci[j] += ri * row[j];
    }
  }
  let trace = 0;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      cov[i][j] /= n - 1;
      cov[j][i] = cov[i][j];
    }
    trace += cov[i][i];
  }
  const components = [];
  const values = [];
  for (let c = 0; c < 2; c++) {
    const [vec, val] = leadingEigen(cov, d, c);
    components.push(vec);
    values.push(val);
    for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i][j] -= val * vec[i] * vec[j];
  }
  const points = z.map((row) => components.map((v) => row.reduce((s, x, i) => s + x * v[i], 0)));
  return { points, explained: values.map((v) => (trace > 0 ? Math.max(v, 0) / trace : 0)) };
}

function standardise(matrix, n, d) {
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

function leadingEigen(m, d, seed) {
  let v = Float64Array.from({ length: d }, (_, i) => 1 + ((i * 7 + seed * 3) % 11) / 10);
  let val = 0;
  for (let iter = 0; iter < 300; iter++) {
    const w = new Float64Array(d);
    for (let i = 0; i < d; i++) {
      let s = 0;
      const mi = m[i];
      for (let j = 0; j < d; j++) s += mi[j] * v[j];
      w[i] = s;
    }
    const norm = Math.hypot(...w);
    if (norm < 1e-12) return [v.map(() => 0), 0];
    const next = w.map((x) => x / norm);
    const change = next.reduce((s, x, i) => s + Math.abs(x - v[i]), 0);
    v = next;
    val = norm;
    if (change < 1e-9) break;
  }
  // A fixed sign: the largest entry is positive.
  let big = 0;
  for (let i = 1; i < d; i++) if (Math.abs(v[i]) > Math.abs(v[big])) big = i;
  if (v[big] < 0) v = v.map((x) => -x);
  return [v, val];
}
