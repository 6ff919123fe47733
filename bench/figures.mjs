// Writes measured figures into docs/figures.json, the one source of every
// figure the docs quote (tests/core/docs_figures.rs checks the docs
// against it). Each entry keeps its "what" and "source"; "value" and
// "measured" (the UTC date) are replaced.
//
//   node bench/figures.mjs KEY=VALUE...        (from a shell script)
//   import { setFigures } from "./figures.mjs"; setFigures({ KEY: VALUE })
//
// A value that is not a finite number is refused (a failed measurement
// must not overwrite a good one); an unknown key is refused, so a typo
// cannot add a figure no doc quotes. LINEAGE_FIGURES=0 leaves the file alone
// (a trial run on a loaded machine).
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const file = fileURLToPath(new URL("../docs/figures.json", import.meta.url));

export function setFigures(values) {
  if (process.env.LINEAGE_FIGURES === "0") return;
  const figures = JSON.parse(readFileSync(file, "utf8"));
  const measured = new Date().toISOString().slice(0, 10);
  for (const [key, raw] of Object.entries(values)) {
    const value = Number(raw);
    if (raw === "" || raw === null || !Number.isFinite(value)) {
      throw new Error(`figures: ${key}=${raw} is not a number; docs/figures.json left as it was`);
    }
    if (!(key in figures) || key.startsWith("_")) {
      throw new Error(`figures: ${key} is not a key of docs/figures.json (add it there with "what" and "source" first)`);
    }
    figures[key] = { ...figures[key], value, measured };
  }
  writeFileSync(`${file}.tmp`, `${JSON.stringify(figures, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`docs/figures.json: ${Object.entries(values).map(([k, v]) => `${k}=${v}`).join(", ")}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const values = {};
  for (const arg of process.argv.slice(2)) {
    const at = arg.indexOf("=");
    if (at < 1) {
      console.error(`figures: expected KEY=VALUE, got ${arg}`);
      process.exit(2);
    }
    values[arg.slice(0, at)] = arg.slice(at + 1);
  }
  try {
    setFigures(values);
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
}
