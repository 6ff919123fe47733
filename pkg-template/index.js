// The package's entry: everything wasm-bindgen generates (lineage.js),
// with every call into the module passed through `call`, which keeps the
// module usable after an internal error.
//
// Why this file exists: a Rust panic leaves the wasm instance's memory in
// an unknown state, so the module replaces the instance (its panic hook
// schedules wasm-bindgen's reinit and throws an Error with code "PANIC").
// A `Workspace` made before that points into the old instance's memory;
// the generated glue (wasm-bindgen 0.2.130) checks for such stale objects
// only after it has already used them once, and not at all in free(). So
// the reset is made to happen at once, and every Workspace remembers the
// instance generation it was made in and refuses calls from a later one
// with code "STALE_WORKSPACE". A trap that is not a panic (out of memory,
// stack overflow) never reaches the panic hook; it is caught here, the
// instance is reset the same way and the caller gets a "PANIC" Error.
import * as glue from "./lineage.js";

export * from "./lineage.js";
export { default } from "./lineage.js";

let generation = 0;

function coded(code, message, cause) {
  const error = new Error(message, { cause });
  error.code = code;
  return error;
}

function call(f) {
  try {
    return f();
  } catch (err) {
    throw recover(err);
  }
}

/** `call` for the async exports: the same recovery when the promise rejects. */
async function callAsync(f) {
  try {
    return await f();
  } catch (err) {
    throw recover(err);
  }
}

/** Resets the instance after a panic or a trap; returns the error to throw. */
function recover(err) {
  if (err?.code === "PANIC") {
    generation++;
    // Any export performs the reset the panic hook scheduled.
    glue.schemaVersion();
  } else if (err instanceof WebAssembly.RuntimeError) {
    generation++;
    glue.__wbg_reset_state();
    return coded("PANIC", `internal error (the module has been reset): ${err.message}`, err);
  }
  return err;
}

export function analyze(samples, options, onProgress) {
  return call(() => glue.analyze(samples, options, onProgress));
}
export function analyzeWith(samples, options, crossValidation, onProgress) {
  return callAsync(() => glue.analyzeWith(samples, options, crossValidation, onProgress));
}
export function crossValidation(samples, options) {
  return call(() => glue.crossValidation(samples, options));
}
export function profile(text, options) {
  return call(() => glue.profile(text, options));
}
export function sharedSpans(a, b, options) {
  return call(() => glue.sharedSpans(a, b, options));
}
export function identityLeaks(text) {
  return call(() => glue.identityLeaks(text));
}
export function preflight(samples, options) {
  return call(() => glue.preflight(samples, options));
}
export function countItems(samples, items) {
  return call(() => glue.countItems(samples, items));
}
export function panelText(samples, options) {
  return call(() => glue.panelText(samples, options));
}
export function reportMarkdown(report) {
  return call(() => glue.reportMarkdown(report));
}
export function reportHtml(report) {
  return call(() => glue.reportHtml(report));
}
export function analysisDefaults() {
  return call(() => glue.analysisDefaults());
}
export function optionRanges() {
  return call(() => glue.optionRanges());
}
export function version() {
  return call(() => glue.version());
}
export function schemaVersion() {
  return call(() => glue.schemaVersion());
}
export class Workspace extends glue.Workspace {
  #generation = generation;

  #live(method) {
    if (this.#generation !== generation) {
      throw coded(
        "STALE_WORKSPACE",
        `Workspace.${method}: this workspace was lost when the module was reset after an internal error; make a new one`,
      );
    }
  }
  get size() {
    this.#live("size");
    return call(() => super.size);
  }
  add(sample) {
    this.#live("add");
    return call(() => super.add(sample));
  }
  addJsonl(text, options) {
    this.#live("addJsonl");
    return call(() => super.addJsonl(text, options));
  }
  addCsv(text, options) {
    this.#live("addCsv");
    return call(() => super.addCsv(text, options));
  }
  addFile(file, options, onProgress) {
    this.#live("addFile");
    return callAsync(() => super.addFile(file, options, onProgress));
  }
  addPanel(file, options, onProgress) {
    this.#live("addPanel");
    return callAsync(() => super.addPanel(file, options, onProgress));
  }
  records() {
    this.#live("records");
    return call(() => super.records());
  }
  analyze(options, onProgress) {
    this.#live("analyze");
    return call(() => super.analyze(options, onProgress));
  }
  /** Frees the texts now; a workspace lost in a reset has nothing left to free. */
  free() {
    if (this.#generation === generation) super.free();
  }
}
if (Symbol.dispose) Workspace.prototype[Symbol.dispose] = Workspace.prototype.free;
