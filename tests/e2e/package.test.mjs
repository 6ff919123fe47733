// The package as a user gets it: `npm pack` on pkg/, the tarball installed
// into a scratch folder, then a Node script there imports "lineage" by
// name and analyses a suspect against two candidate sources, and a strict
// TypeScript consumer of "lineage" and "lineage/worker" type-checks.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { root } from "./helpers.mjs";

const pkg = `${root}pkg`;
let scratch;
let tarball;

function run(cmd, args, cwd) {
  try {
    return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: "pipe" });
  } catch (err) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${err.stdout}${err.stderr}`);
  }
}

before(() => {
  if (!existsSync(`${pkg}/package.json`)) {
    throw new Error("pkg/ is missing: run scripts/build-wasm.sh (scripts/test.sh does) first");
  }
  scratch = mkdtempSync(join(tmpdir(), "lineage-pkg-"));
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", scratch, pkg], root));
  tarball = packed[0];
  writeFileSync(join(scratch, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  // A local tarball without dependencies: nothing is fetched.
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", join(scratch, tarball.filename)], scratch);
});

after(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

test("the tarball holds exactly the package's files", () => {
  const files = tarball.files.map((f) => f.path).sort();
  const declared = JSON.parse(readFileSync(`${pkg}/package.json`, "utf8")).files;
  assert.deepEqual(files, [...declared, "package.json"].sort());
  assert.equal(tarball.name, "lineage");
  const cargo = readFileSync(`${root}Cargo.toml`, "utf8").match(/^version = "([^"]+)"/m)[1];
  assert.equal(tarball.version, cargo);
});

test("Node imports the installed package by name and analyses a suspect against two candidates", () => {
  const script = `
    import { analyze, schemaVersion, version, Workspace, sharedSpans } from "lineage";
    import { LineageWorker } from "lineage/worker";
    const topics = ["tides", "vaccines", "rainbows", "volcanoes", "inflation", "batteries",
      "earthquakes", "black holes", "the water cycle", "photosynthesis", "blockchains", "compound interest"];
    const samples = topics.flatMap((topic, i) => [
      { source: "student", promptId: i, text: "Certainly! Here is a short overview of " + topic + ".\\n\\n- **Key idea:** it follows simple rules.\\n- **Why it matters:** daily life.\\n\\nIn summary, " + topic + " is simpler than it looks. Let me know if you would like more detail!" },
      { source: "teacher_a", promptId: i, text: "Certainly! Here is a clear overview of " + topic + ".\\n\\n- **Key idea:** it follows a few simple rules.\\n- **Why it matters:** everyday life.\\n\\nIn summary, " + topic + " is easier than it looks. Let me know if you would like more detail!" },
      { source: "teacher_b", promptId: i, text: "Well, " + topic + " is one of those things people overthink, honestly; the mechanism was worked out long ago. Hope this helps, cheers." },
    ]);
    const options = { suspect: "student", candidates: ["teacher_a", "teacher_b"], bootstrapReps: 200, permutationReps: 199 };
    const stages = [];
    const report = analyze(samples, options, (stage) => stages.push(stage));
    const ws = new Workspace();
    const added = ws.addJsonl(samples.map((s) => JSON.stringify(s)).join("\\n"), { name: "all.jsonl" });
    const again = ws.analyze(options);
    ws.free();
    let code;
    try { analyze([], options); } catch (e) { code = e.code; }
    console.log(JSON.stringify({
      version: version(), schema: schemaVersion(), reportSchema: report.schemaVersion,
      top: report.verdict.top, ranking: report.verdict.ranking.map((r) => r.candidate),
      stages, added: added.added, sameVerdict: again.verdict.top === report.verdict.top,
      input: again.inputs[0].name, code, spans: sharedSpans("a b c d e f g", "x a b c d e f g").length,
      worker: typeof LineageWorker,
    }));
  `;
  writeFileSync(join(scratch, "check.mjs"), script);
  const out = JSON.parse(run("node", ["check.mjs"], scratch));
  assert.equal(out.schema, out.reportSchema);
  assert.equal(out.top, "teacher_a");
  assert.deepEqual([...out.ranking].sort(), ["teacher_a", "teacher_b"]);
  assert.equal(out.stages.at(-1), "done");
  assert.equal(out.added, 36);
  assert.equal(out.sameVerdict, true);
  assert.equal(out.input, "all.jsonl");
  assert.equal(out.code, "EMPTY_INPUT");
  assert.equal(out.spans, 1);
  assert.equal(out.worker, "function");
});

test("a strict TypeScript consumer of the installed package type-checks", () => {
  writeFileSync(
    join(scratch, "consumer.ts"),
    `
    import init, { analyze, identityLeaks, reportHtml, sharedSpans, schemaVersion, Workspace,
      type AnalyzeOptions, type LineageError, type Report, type Sample } from "lineage";
    import { LineageWorker } from "lineage/worker";

    export async function main(samples: Sample[]): Promise<string> {
      await init();
      const options: AnalyzeOptions = { suspect: "s", candidates: ["a", "b"], delta: "eder", seed: 1 };
      const report: Report = analyze(samples, options, (stage: string, fraction: number) => void [stage, fraction]);
      // Absent values are null, as in the CLI's JSON (one document).
      const top: string | null = report.verdict.top;
      const first = report.signals[0]?.evidence[0];
      if (first?.kind === "shared_span") {
        const start: number = first.suspectSpan.startUtf16;
        void start;
      }
      const ws = new Workspace();
      const added = ws.addCsv("source,text\\na,hi", { name: "x.csv" });
      const line: number | undefined = added.errors[0]?.line;
      ws.free();
      const spans = sharedSpans("a", "b", { minWords: 3 });
      const end: number | undefined = spans[0]?.a.endUtf16;
      const claims = identityLeaks("I am ChatGPT.")[0]?.claims.map((c) => c.kind);
      const worker = new LineageWorker();
      const controller = new AbortController();
      const viaWorker: Report = await worker.analyze(samples, options, {
        onProgress: (_stage, fraction) => void fraction,
        signal: controller.signal,
      });
      const read = await worker.readFile(new Blob(["{}"]), { name: "x.jsonl" });
      const firstId: string | number | undefined = read.records[0]?.promptId;
      const markdown: string = await worker.call("reportMarkdown", [viaWorker]);
      const html: string = reportHtml(report) + (await worker.call("reportHtml", [viaWorker]));
      // @ts-expect-error: not a function of the package
      worker.call("fetchEverything", []);
      // @ts-expect-error: an unknown delta
      analyze(samples, { suspect: "s", candidates: [], delta: "manhattan" });
      // @ts-expect-error: candidates is required
      analyze(samples, { suspect: "s" });
      // @ts-expect-error: a sample needs a text
      analyze([{ source: "a" }], options);
      try {
        analyze([], options);
      } catch (e) {
        const code: LineageError["code"] = (e as LineageError).code;
        return code;
      }
      return [top, line, end, claims, schemaVersion(), viaWorker.schemaVersion, firstId, markdown, html].join();
    }
    `,
  );
  const tsc = `${root}node_modules/.bin/tsc`;
  for (const resolution of [["--module", "es2022", "--moduleResolution", "bundler"], ["--module", "node16", "--moduleResolution", "node16"]]) {
    run(tsc, ["--noEmit", "--strict", "--target", "es2022", ...resolution, "--lib", "es2022,dom,esnext.disposable", "consumer.ts"], scratch);
  }
});
