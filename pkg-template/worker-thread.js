// Runs inside the Web Worker that `lineage/worker` starts: loads the
// module once, then answers { id, method, args } with progress messages
// and one result or error. Not an entry point of its own.
//
// Methods: every function the package exports (analyze, sharedSpans,
// identityLeaks, profile, reportMarkdown, reportHtml, panelText, preflight,
// countItems, crossValidation, analysisDefaults, optionRanges, version,
// schemaVersion), analyzeWith (whose cross-validation arrives later, as a
// { id, type: "crossValidation", value } message from the main thread),
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
  analyzeWith: (samples, options, progress, crossValidation) => lineage.analyzeWith(samples, options, crossValidation, progress),
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
for (const name of ["sharedSpans", "identityLeaks", "profile", "reportMarkdown", "reportHtml", "panelText", "preflight", "countItems", "crossValidation", "analysisDefaults", "optionRanges", "inputExtensions", "version", "schemaVersion"]) {
  METHODS[name] = (...args) => lineage[name](...args);
}

/** The cross-validation each running analyzeWith waits for, by job id. */
const handovers = new Map();

self.onmessage = async ({ data }) => {
  if (data.type === "crossValidation") {
    handovers.get(data.id)?.(data.value ?? null);
    handovers.delete(data.id);
    return;
  }
  const { id, method, args } = data;
  // Made before any await: the handover may arrive while the module loads.
  const handover = method === "analyzeWith" ? new Promise((resolve) => handovers.set(id, resolve)) : undefined;
  try {
    await ready;
    const run = METHODS[method];
    if (!run) throw Object.assign(new Error(`lineage/worker: no method ${method}`), { code: "BAD_ARGUMENT" });
    const progress = (stage, fraction) => self.postMessage({ id, type: "progress", stage, fraction });
    const withProgress = method === "analyze" || method === "analyzeWith" || method === "readFile" || method === "readPanel";
    const value = await (withProgress ? run(...args, progress, handover) : run(...args));
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
  } finally {
    handovers.delete(id);
  }
};
