import type { AddResult, AnalyzeOptions, InputOptions, PanelHeader, ProgressCallback, Report, Sample } from "./index.js";
import type * as lineage from "./index.js";

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
    /**
     * Whether `analyze` runs the classifier's cross-validation (over half
     * of the work) in a second worker meanwhile, started with the first (default: when
     * `navigator.hardwareConcurrency` is above 1). The report is the same.
     */
    parallel?: boolean;
}

/** The package's functions that `LineageWorker.call` runs in the worker. */
export type WorkerMethod = "analyze" | "sharedSpans" | "identityLeaks" | "profile" | "reportMarkdown" | "reportHtml"
    | "panelText" | "preflight" | "countItems" | "crossValidation" | "analysisDefaults" | "optionRanges" | "version"
    | "schemaVersion";

/** What `readFile` resolves with: what `Workspace.addFile` added, and the records read. */
export interface ReadFileResult extends AddResult {
    records: Sample[];
}

/** What `readPanel` resolves with: what `Workspace.addPanel` added, the header and the records. */
export interface ReadPanelResult extends ReadFileResult {
    panel: PanelHeader;
}

/** The package in a module Web Worker, behind a promise API. */
export declare class LineageWorker {
    constructor(options?: LineageWorkerOptions);
    /** Resolves with the report; rejects with a `LineageError` or an `AbortError`. */
    analyze(samples: Sample[], options: AnalyzeOptions, control?: AnalysisControl): Promise<Report>;
    /** Reads a File/Blob with `Workspace.addFile` in the worker. */
    readFile(file: Blob, options?: InputOptions, control?: AnalysisControl): Promise<ReadFileResult>;
    /** Reads a reference panel (`.lineage.jsonl.gz`) with `Workspace.addPanel` in the worker. */
    readPanel(file: Blob, options?: InputOptions, control?: AnalysisControl): Promise<ReadPanelResult>;
    /** Runs one of the package's functions in the worker, in call order. */
    call<M extends WorkerMethod>(
        method: M,
        args: Parameters<(typeof lineage)[M]>,
        control?: AnalysisControl,
    ): Promise<ReturnType<(typeof lineage)[M]>>;
    /** Stops the worker; pending calls reject with an `AbortError`. */
    terminate(): void;
}
