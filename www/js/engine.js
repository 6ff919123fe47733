// The page's side of the worker: numbered requests, progress callbacks,
// and a cancel that terminates the worker and starts a fresh one (the
// core cannot be interrupted midway; the page keeps the inputs).

export class Engine {
  #worker = null;
  #jobs = new Map();
  #next = 0;
  #onReady;
  #onCrash;
  version = null;

  /** onReady(version) after every (re)start; onCrash(message) when the worker dies. */
  constructor({ onReady, onCrash }) {
    this.#onReady = onReady;
    this.#onCrash = onCrash;
    this.#start();
  }

  #start() {
    const w = new Worker(new URL("../worker.js", import.meta.url), { type: "module" });
    w.onmessage = ({ data }) => this.#receive(data);
    w.onerror = (event) => {
      event.preventDefault?.();
      this.#restart(`the engine failed: ${event.message ?? "unknown error"}`);
    };
    this.#worker = w;
    this.ready = false;
  }

  #receive(data) {
    if (data.type === "ready") {
      this.version = data.version;
      this.ready = true;
      this.#onReady(data.version);
      return;
    }
    if (data.id === null) {
      this.#restart(data.message);
      return;
    }
    const job = this.#jobs.get(data.id);
    if (!job) return;
    if (data.type === "progress") {
      job.onProgress?.(data.stage, data.fraction);
      return;
    }
    this.#jobs.delete(data.id);
    if (data.type === "result") job.resolve(data.value);
    else {
      const err = Object.assign(new Error(data.message), { code: data.code });
      job.reject(err);
      if (data.fatal) this.#restart(`the engine crashed (${data.code}) and was restarted`);
    }
  }

  #restart(message) {
    this.#worker?.terminate();
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const job of jobs) job.reject(Object.assign(new Error(message), { code: "RESTARTED" }));
    this.#onCrash?.(message);
    this.#start();
  }

  /** Sends a request; resolves with its result. */
  request(type, payload, onProgress) {
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#jobs.set(id, { resolve, reject, onProgress });
      this.#worker.postMessage({ id, type, ...payload });
    });
  }

  /** Stops whatever runs: pending requests reject with code "CANCELLED". */
  cancel() {
    this.#worker.terminate();
    const jobs = [...this.#jobs.values()];
    this.#jobs.clear();
    for (const job of jobs) job.reject(Object.assign(new Error("cancelled"), { code: "CANCELLED" }));
    this.#start();
  }
}
