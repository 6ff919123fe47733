// Analysis time of the dev data through the JS package in Node against
// the native CLI, as a ratio.
//
//   node bench/analysis_time.mjs [LINEAGE_BIN] [DATA_DIR]
//
// Question measured: how much longer does one full analysis (a suspect
// against four candidates, 400 prompts each, default parameters) take in
// wasm under Node, through the package's Node entry (www/pkg/node.js, the
// release build), than with the native CLI (release, rayon on every
// core)? Wall time and CPU time are both printed: the machine is shared,
// and the CLI uses several threads where wasm uses one.
//
// It checks its answer: both must give the same verdict, p-value, effect
// and ranking scores (the report is deterministic across platforms).
// Run with the defaults (release CLI, www/pkg, the dev data), it writes
// the CPU ratio into docs/figures.json (wasmNativeCpuRatio).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { setFigures } from "./figures.mjs";

const root = fileURLToPath(new URL("../", import.meta.url));
const bin = process.argv[2] ?? `${root}target/release/lineage`;
const dataDir = process.argv[3] ?? `${root}../shared/data/alpaca_eval_dev`;
if (!existsSync(dataDir)) {
  console.log(`no dev data at ${dataDir}: nothing to measure`);
  process.exit(0);
}
if (!existsSync(bin)) {
  console.error(`no native CLI at ${bin}: cargo build --release --bin lineage, or pass its path`);
  process.exit(1);
}
const suspect = "vicuna-13b";
const candidates = ["gpt-3.5-turbo-0301", "claude-2", "text_davinci_003", "gpt4_0314"];

// LINEAGE_PKG: another build of the package to measure (default www/pkg).
const pkgDir = process.env.LINEAGE_PKG ?? `${root}www/pkg`;
const { Workspace } = await import(`${pkgDir}/node.js`);
const ws = new Workspace();
for (const source of [suspect, ...candidates]) {
  ws.addJsonl(readFileSync(`${dataDir}/${source}.jsonl`, "utf8"), { name: `${source}.jsonl` });
}
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const wasm = ws.analyze({ suspect, candidates });
const wasmWall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const wasmCpu = (cpu.user + cpu.system) / 1e6;

const args = ["analyze", "--suspect", `${dataDir}/${suspect}.jsonl`,
  ...candidates.flatMap((c) => ["--candidate", `${dataDir}/${c}.jsonl`])];
const t1 = performance.now();
const native = JSON.parse(execFileSync(bin, args, { encoding: "utf8", maxBuffer: 1 << 28 }));
const nativeWall = (performance.now() - t1) / 1000;
// The child's CPU time, from the kernel's accounting of waited-for children.
const nativeCpu = (() => {
  try {
    const out = execFileSync("bash", ["-c", `TIMEFORMAT='%U %S'; { time "$0" "$@" > /dev/null; } 2>&1`, bin, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
    return out.trim().split(/\s+/).slice(-2).map(Number).reduce((a, b) => a + b, 0);
  } catch {
    return NaN;
  }
})();

const same =
  wasm.verdict.top === native.verdict.top &&
  wasm.verdict.pValue === native.verdict.pValue &&
  wasm.verdict.effect === native.verdict.effect &&
  JSON.stringify(wasm.verdict.ranking.map((r) => r.score)) === JSON.stringify(native.verdict.ranking.map((r) => r.score));
console.log(`verdict: top ${wasm.verdict.top}, attributed [${wasm.verdict.attributed.join(", ")}], p ${wasm.verdict.pValue}; wasm and native agree: ${same}`);
console.log(`wasm (Node): ${wasmWall.toFixed(1)} s wall, ${wasmCpu.toFixed(1)} s CPU`);
console.log(`native CLI:  ${nativeWall.toFixed(1)} s wall, ${nativeCpu.toFixed(1)} s CPU (second run)`);
console.log(`ratio wasm/native: ${(wasmWall / nativeWall).toFixed(2)}x wall, ${(wasmCpu / nativeCpu).toFixed(2)}x CPU`);
if (!same) process.exit(1);
const defaults = process.argv[2] === undefined && process.argv[3] === undefined && !process.env.LINEAGE_PKG;
if (defaults && Number.isFinite(wasmCpu / nativeCpu)) setFigures({ wasmNativeCpuRatio: (wasmCpu / nativeCpu).toFixed(2) });
