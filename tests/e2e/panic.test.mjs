// A panic inside the module becomes an Error with code "PANIC", and the
// module keeps working: wasm-bindgen replaces the instance before the next
// call (see install_panic_hook in crates/lineage-wasm/src/lib.rs and pkg-template/index.js).
// Uses the test-only build of scripts/build-wasm-test.sh, the only one that
// exports triggerPanicForTest(), through the package's own Node entry; the
// released package cannot be made to panic on purpose.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { root } from "./helpers.mjs";

const dir = `${root}target/pkg-panic-test/`;
let lineage;

before(async () => {
  if (!existsSync(`${dir}lineage_bg.wasm`)) {
    throw new Error("target/pkg-panic-test is missing: run scripts/build-wasm-test.sh (scripts/test.sh does) first");
  }
  lineage = await import(`${dir}node.js`);
});

/** Calls fn with console.error silenced (the panic hook logs the panic there). */
function quietly(fn) {
  const original = console.error;
  console.error = () => {};
  try {
    return fn();
  } finally {
    console.error = original;
  }
}

test("a panic is an Error with code PANIC and the module stays usable", () => {
  for (const round of [1, 2, 3]) {
    assert.throws(
      () => quietly(() => lineage.triggerPanicForTest(`boom ${round}`)),
      (err) =>
        err instanceof Error &&
        err.code === "PANIC" &&
        err.message.includes(`boom ${round}`) &&
        err.message.includes("the module has been reset"),
    );
    // Every kind of export works on the fresh instance.
    assert.equal(lineage.profile("still works here").words, 3);
    assert.equal(lineage.identityLeaks("I am ChatGPT, made by OpenAI.").length, 1);
    assert.equal(lineage.sharedSpans("one two three four five six", "one two three four five six").length, 1);
  }
});

test("a Workspace made before a panic is refused with STALE_WORKSPACE, a new one works", () => {
  const old = new lineage.Workspace();
  old.add({ source: "a", text: "hello" });
  assert.throws(() => quietly(() => lineage.triggerPanicForTest("boom")), { code: "PANIC" });
  // Its memory went with the old instance: every use is refused (the raw
  // glue would read the new instance's memory at the old address).
  assert.throws(() => old.size, { code: "STALE_WORKSPACE" });
  assert.throws(() => old.add({ source: "a", text: "x" }), { code: "STALE_WORKSPACE", message: /Workspace\.add: / });
  assert.throws(() => old.analyze({ suspect: "a", candidates: ["b", "c"] }), { code: "STALE_WORKSPACE" });
  old.free(); // nothing to free, and no error
  const fresh = new lineage.Workspace();
  assert.equal(fresh.add({ source: "a", text: "hello" }).total, 1);
  fresh.free();
});

test("a trap that bypasses the panic hook also resets the module", () => {
  // Like an out-of-memory abort or a stack overflow: no panic hook runs.
  const old = new lineage.Workspace();
  assert.throws(
    () => lineage.triggerTrapForTest(),
    (err) => err.code === "PANIC" && err.cause instanceof WebAssembly.RuntimeError,
  );
  assert.throws(() => old.size, { code: "STALE_WORKSPACE" });
  assert.equal(lineage.profile("works again").words, 2);
});

test("errors that are not panics do not reset the module", () => {
  const ws = new lineage.Workspace();
  ws.add({ source: "a", text: "hello" });
  assert.throws(() => lineage.profile(42), { code: "BAD_ARGUMENT" });
  assert.throws(() => ws.addJsonl("{oops"), { code: "BAD_JSONL" });
  assert.equal(ws.size, 1);
  ws.free();
});
