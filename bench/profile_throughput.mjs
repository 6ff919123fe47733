// Profile throughput of the release wasm build in Node, on the dev data.
//
//   node bench/profile_throughput.mjs [DATA_DIR] [--rounds N]
//
// Question measured: how many MB of UTF-8 answer text per second does
// `profile(text)` get through when called once per answer, as the page
// and the JS package call it (so the time includes the JS <-> wasm string
// copy and building the result object)? Loads www/pkg (scripts/build-wasm.sh
// makes it, optimised by wasm-opt) with initSync, so no fetch is needed.
// DATA_DIR defaults to ../shared/data/alpaca_eval_dev beside the repo
// (never copied into it); the script exits 0 with a note when it is absent.
//
// It checks its answer: the total word count must be the same in every
// round and positive, and it prints that count so runs can be compared.
// On the default data it writes the rate per CPU second into
// docs/figures.json (wasmProfileMBps).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFigures } from "./figures.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const roundsAt = args.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 3;
const dataDir = args[0] ?? `${root}../shared/data/alpaca_eval_dev`;

if (!existsSync(dataDir)) {
  console.log(`no dev data at ${dataDir}: nothing to measure`);
  process.exit(0);
}
const pkg = `${root}www/pkg/`;
if (!existsSync(`${pkg}lineage_bg.wasm`)) {
  console.error("www/pkg is missing: run scripts/build-wasm.sh first");
  process.exit(1);
}
const lineage = await import(`${pkg}lineage.js`);
lineage.initSync({ module: readFileSync(`${pkg}lineage_bg.wasm`) });

const texts = [];
for (const file of readdirSync(dataDir).filter((f) => f.endsWith(".jsonl")).sort()) {
  for (const line of readFileSync(`${dataDir}/${file}`, "utf8").split("\n")) {
    if (line.trim()) texts.push(JSON.parse(line).text ?? "");
  }
}
const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
const mb = bytes / 1e6;

let expectedWords = null;
const seconds = [];
const cpuSeconds = [];
for (let round = 0; round < rounds; round++) {
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  let words = 0;
  for (const text of texts) words += lineage.profile(text).words;
  seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
  const cpu = process.cpuUsage(cpuStart);
  cpuSeconds.push((cpu.user + cpu.system) / 1e6);
  if (expectedWords === null) expectedWords = words;
  if (words !== expectedWords || words <= 0) {
    console.error(`round ${round}: ${words} words, expected ${expectedWords}`);
    process.exit(1);
  }
}
const best = Math.min(...seconds);
const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)];
console.log(`lineage ${lineage.version()} (wasm, Node ${process.version})`);
console.log(`${texts.length} texts, ${mb.toFixed(2)} MB, ${expectedWords} words`);
console.log(`profile: best ${best.toFixed(3)} s = ${(mb / best).toFixed(2)} MB/s, ` +
  `median ${median.toFixed(3)} s = ${(mb / median).toFixed(2)} MB/s over ${rounds} rounds`);
// On a shared machine wall time includes waiting for a core; CPU time of
// this process (which also counts V8's own threads, e.g. GC) does not.
const bestCpu = Math.min(...cpuSeconds);
console.log(`per CPU-second of this process: ${(mb / bestCpu).toFixed(2)} MB/s`);
if (args[0] === undefined) setFigures({ wasmProfileMBps: (mb / bestCpu).toFixed(2) });
