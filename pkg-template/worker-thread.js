// Runs inside the Web Worker that `lineage/worker` starts: loads the
// module once, then answers { id, method, args } with progress messages
// and one result or error. Not an entry point of its own.
//
// Methods: every function the package exports (analyze, sharedSpans,
// identityLeaks, profile, reportMarkdown, panelText, preflight,
// countItems, analysisDefaults, optionRanges, version, schemaVersion),
// readFile, which reads a File/Blob into a fresh Workspace
// (Workspace.addFile) and returns what it added with the records, and
// readPanel, the same with Workspace.addPanel (with the panel's header).
import init, * as lineage from "./index.js";

// A browser without WebAssembly SIMD (before Chrome 91, Firefox 89,
// Safari 16.4) cannot compile the module: say so instead of passing on the
// compiler's message.
const ready = init().catch((err) => {
  if (err instanceof WebAssembly.CompileError) {
    throw new Error(`this browser cannot run the Lineage engine: it needs WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4 or later). ${err.message}`);
  }
  throw err;
});

/** The functions a caller may run in the worker; the last argument of analyze and readFile is the progress callback. */
const METHODS = {
  analyze: (samples, options, progress) => lineage.analyze(samples, options, progress),
  readFile: (file, options, progress) => intoWorkspace((ws) => ws.addFile(file, options, progress)),
  readPanel: (file, options, progress) => intoWorkspace((ws) => ws.addPanel(file, options, progress)),
};

/** Runs `add` on a fresh Workspace; returns what it added with the records. */
async function intoWorkspace(add) {
  const ws = new lineage.Workspace();
  try {
    const added = await add(ws);
    return { ...added, records: ws.records() };
  } finally {
    ws.free();
  }
}
for (const name of ["sharedSpans", "identityLeaks", "profile", "reportMarkdown", "panelText", "preflight", "countItems", "analysisDefaults", "optionRanges", "version", "schemaVersion"]) {
  METHODS[name] = (...args) => lineage[name](...args);
}

self.onmessage = async ({ data: { id, method, args } }) => {
  try {
    await ready;
    const run = METHODS[method];
    if (!run) throw Object.assign(new Error(`lineage/worker: no method ${method}`), { code: "BAD_ARGUMENT" });
    const progress = (stage, fraction) => self.postMessage({ id, type: "progress", stage, fraction });
    const withProgress = method === "analyze" || method === "readFile" || method === "readPanel";
    const value = await (withProgress ? run(...args, progress) : run(...args));
    self.postMessage({ id, type: "result", value });
  } catch (err) {
    // Errors cross postMessage as plain data; the code is rebuilt on the
    // other side so callers see the same LineageError as on the main thread.
    self.postMessage({
      id,
      type: "error",
      code: typeof err?.code === "string" ? err.code : "INTERNAL",
      message: String(err?.message ?? err),
    });
  }
};
