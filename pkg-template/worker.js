// `lineage/worker`: the package in a Web Worker, behind a promise API,
// so a page stays responsive while a large corpus is read or analysed.
//
//   const worker = new LineageWorker();
//   const report = await worker.analyze(samples, options, { onProgress, signal });
//   const { records, errors } = await worker.readFile(file, { name: file.name });
//   const { records, panel } = await worker.readPanel(panelFile);
//   const spans = await worker.call("sharedSpans", [a, b]);
//
// Progress is the core's own (stage names and fractions). Aborting the
// signal terminates the worker (the core cannot be interrupted midway,
// and terminating is the only way to stop it at once) and rejects with a
// DOMException named "AbortError"; the next call starts a fresh worker.
//
// analyze uses two workers on a device with more than one core: the
// classifier's cross-validation (over half of an analysis's work) runs in
// a second one while the first does the rest (`crossValidation` and
// `analyzeWith`); the report is the one a single worker gives. Both start
// together and live as long as each other, so that nothing is fetched
// while an analysis runs. If the second worker fails, the first does it
// all.

export class LineageWorker {
  #url;
  #parallel;
  #worker = null;
  #helper = null;
  /** Cross-validations asked of the helper, by the id of the analysis waiting for each. */
  #handovers = new Set();
  #nextId = 0;
  #pending = new Map();

  /** @param {{ url?: string | URL, parallel?: boolean }} [options] where worker-thread.js is served (default: beside this file); whether analyze may use a second worker (default: when the device has more than one core) */
  constructor(options = {}) {
    this.#url = options.url ?? null;
    this.#parallel = options.parallel ?? (globalThis.navigator?.hardwareConcurrency ?? 1) > 1;
  }

  #spawn() {
    // The default is written out literally: bundlers (Vite, webpack,
    // Rollup, esbuild) find and emit worker-thread.js only from exactly
    // `new Worker(new URL("./worker-thread.js", import.meta.url), ...)`.
    return this.#url
      ? new Worker(this.#url, { type: "module" })
      : new Worker(new URL("./worker-thread.js", import.meta.url), { type: "module" });
  }

  #start() {
    if (this.#worker) return this.#worker;
    const worker = this.#spawn();
    worker.onmessage = ({ data }) => {
      const job = this.#pending.get(data.id);
      if (!job) return; // an answer to a cancelled job
      if (data.type === "progress") {
        job.onProgress?.(data.stage, data.fraction);
        return;
      }
      this.#settle(data.id);
      if (data.type === "result") job.resolve(data.value);
      else job.reject(coded(data.code, data.message));
    };
    worker.onerror = (event) => {
      // The worker itself failed (its script did not load): every job in
      // it is lost.
      event.preventDefault?.();
      this.#fail(coded("INTERNAL", `the Lineage worker failed: ${event.message ?? "unknown error"}`));
    };
    this.#worker = worker;
    if (this.#parallel) this.#startHelper();
    return worker;
  }

  /** The second worker, which only cross-validates for analyze. */
  #startHelper() {
    const helper = this.#spawn();
    helper.onmessage = ({ data }) => {
      if (data.type !== "progress") this.#handOver(data.id, data.type === "result" ? data.value : null);
    };
    helper.onerror = (event) => {
      // Its script did not load: the analyses waiting on it go on alone,
      // and the next one tries a fresh helper.
      event.preventDefault?.();
      helper.terminate();
      if (this.#helper === helper) this.#helper = null;
      for (const id of [...this.#handovers]) this.#handOver(id, null);
    };
    this.#helper = helper;
  }

  /** Gives analysis `id` its cross-validation (null: it runs its own), once. */
  #handOver(id, value) {
    if (!this.#handovers.delete(id)) return;
    if (this.#pending.has(id)) this.#worker?.postMessage({ id, type: "crossValidation", value });
  }

  #settle(id) {
    const job = this.#pending.get(id);
    this.#pending.delete(id);
    job?.signal?.removeEventListener("abort", job.onAbort);
    return job;
  }

  #fail(error) {
    this.#worker?.terminate();
    this.#worker = null;
    this.#helper?.terminate();
    this.#helper = null;
    this.#handovers.clear();
    for (const id of [...this.#pending.keys()]) this.#settle(id).reject(error);
  }

  /**
   * Analyses `samples` in the worker (the cross-validation in a second one
   * unless `parallel` is off, see the head of this file); resolves with the
   * report.
   * @param {import("./index.js").Sample[]} samples
   * @param {import("./index.js").AnalyzeOptions} options
   * @param {{ onProgress?: import("./index.js").ProgressCallback, signal?: AbortSignal }} [control]
   */
  analyze(samples, options, control) {
    if (!this.#parallel || control?.signal?.aborted) return this.call("analyze", [samples, options], control);
    const { id, done } = this.#post("analyzeWith", [samples, options], control);
    if (!this.#helper) this.#startHelper();
    this.#handovers.add(id);
    this.#helper.postMessage({ id, method: "crossValidation", args: [samples, options] });
    return done.finally(() => this.#handovers.delete(id));
  }

  /**
   * Reads a File or Blob (JSON Lines, CSV, a JSON array; `.gz` inflated)
   * in the worker with `Workspace.addFile`; resolves with what it added
   * and the records.
   * @param {Blob} file
   * @param {import("./index.js").InputOptions} [options]
   * @param {{ onProgress?: import("./index.js").ProgressCallback, signal?: AbortSignal }} [control]
   */
  readFile(file, options, control) {
    return this.call("readFile", [file, options], control);
  }

  /**
   * Reads a reference panel (`.lineage.jsonl.gz`) in the worker with
   * `Workspace.addPanel`; resolves with what it added, the panel's header
   * (`panel`) and the records.
   * @param {Blob} file
   * @param {import("./index.js").InputOptions} [options]
   * @param {{ onProgress?: import("./index.js").ProgressCallback, signal?: AbortSignal }} [control]
   */
  readPanel(file, options, control) {
    return this.call("readPanel", [file, options], control);
  }

  /**
   * Runs one of the package's functions in the worker ("sharedSpans",
   * "profile", "reportMarkdown", "preflight", ...) with `args`; resolves
   * with its result. Calls run one at a time, in order.
   */
  call(method, args = [], control = {}) {
    if (method === "analyzeWith") {
      // It would wait for a cross-validation only analyze hands over.
      return Promise.reject(coded("BAD_ARGUMENT", "lineage/worker: call analyze, which runs analyzeWith itself"));
    }
    return this.#post(method, args, control).done;
  }

  /** Posts a job to the worker; its id, and the promise of its answer. */
  #post(method, args, { onProgress, signal } = {}) {
    if (signal?.aborted) return { id: -1, done: Promise.reject(abortError(signal)) };
    const worker = this.#start();
    const id = this.#nextId++;
    const done = new Promise((resolve, reject) => {
      const onAbort = () => {
        // Jobs queued behind this one die with the worker too; they are
        // told why rather than left waiting.
        const job = this.#settle(id);
        this.#fail(coded("INTERNAL", "the call was stopped because another one in the same worker was aborted"));
        job?.reject(abortError(signal));
      };
      this.#pending.set(id, { resolve, reject, onProgress, signal, onAbort });
      signal?.addEventListener("abort", onAbort, { once: true });
      worker.postMessage({ id, method, args });
    });
    return { id, done };
  }

  /** Stops the worker; pending calls reject with an AbortError. */
  terminate() {
    this.#fail(new DOMException("the Lineage worker was terminated", "AbortError"));
  }
}

function coded(code, message) {
  const error = new Error(message);
  error.code = code;
  return error;
}

function abortError(signal) {
  return signal.reason instanceof DOMException && signal.reason.name === "AbortError"
    ? signal.reason
    : new DOMException("the analysis was aborted", "AbortError");
}
