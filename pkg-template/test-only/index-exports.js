
// ---- test build only -------------------------------------------------------
// scripts/build-wasm-test.sh appends this to index.js of the panic-test
// package (target/pkg-panic-test/), whose module has the `panic-test`
// cargo feature. The released index.js never names these exports: a
// bundler would warn that they are missing (IMPORT_IS_UNDEFINED).
export function triggerPanicForTest(message) {
  return call(() => glue.triggerPanicForTest(message));
}
export function triggerTrapForTest() {
  return call(() => glue.triggerTrapForTest());
}
