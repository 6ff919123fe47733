import type { AnalyzeOptions, ProgressCallback, Report, Sample } from "./index.js";

/** How a worker analysis reports progress and can be stopped. */
export interface AnalysisControl {
    /** Called with the core's stage names and the fraction done, in [0, 1]. */
    onProgress?: ProgressCallback;
    /** Aborting it terminates the worker and rejects with an `AbortError` DOMException. */
    signal?: AbortSignal;
}

export interface LineageWorkerOptions {
    /** Where `worker-thread.js` is served (default: beside `worker.js`). */
    url?: string | URL;
}

/** The analysis in a module Web Worker, behind a promise API. */
export declare class LineageWorker {
    constructor(options?: LineageWorkerOptions);
    /** Resolves with the report; rejects with a `LineageError` or an `AbortError`. */
    analyze(samples: Sample[], options: AnalyzeOptions, control?: AnalysisControl): Promise<Report>;
    /** Stops the worker; pending analyses reject with an `AbortError`. */
    terminate(): void;
}
