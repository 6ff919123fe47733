// Runs inside the Web Worker that `lineage/worker` starts: loads the
// module once, then answers { id, samples, options } with progress
// messages and one result or error. Not an entry point of its own.
import init, { analyze } from "./index.js";

const ready = init();

self.onmessage = async ({ data: { id, samples, options } }) => {
  try {
    await ready;
    const report = analyze(samples, options, (stage, fraction) =>
      self.postMessage({ id, type: "progress", stage, fraction }),
    );
    self.postMessage({ id, type: "result", report });
  } catch (err) {
    // Errors cross postMessage as plain data; the code is rebuilt on the
    // other side so callers see the same LineageError as in the page.
    self.postMessage({
      id,
      type: "error",
      code: typeof err?.code === "string" ? err.code : "INTERNAL",
      message: String(err?.message ?? err),
    });
  }
};
