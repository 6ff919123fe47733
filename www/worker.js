// Runs the wasm engine off the main thread, so a long text never freezes
// the page. Messages in: { id, text }. Messages out: { type: "ready",
// version } once, then { type: "profile", id, profile } or
// { type: "error", id, code, message, fatal } per request.
import init, { profile, version } from "./pkg/lineage.js";

const ready = init().then(
  () => postMessage({ type: "ready", version: version() }),
  (err) => postMessage({ type: "error", id: null, code: "LOAD_FAILED", message: String(err) }),
);

onmessage = async (event) => {
  await ready;
  const { id, text } = event.data;
  try {
    postMessage({ type: "profile", id, profile: profile(text) });
  } catch (err) {
    // An Error without a code did not come from the boundary's checks: it
    // is a trap (a Rust panic aborts, leaving the module's memory in an
    // unknown state), so the page must not reuse this worker.
    const fatal = typeof err?.code !== "string";
    postMessage({ type: "error", id, code: err?.code ?? "INTERNAL", message: String(err?.message ?? err), fatal });
  }
};
