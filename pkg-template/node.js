// The Node entry: the same API as index.js, instantiated synchronously
// from the .wasm file beside this one, so it is ready on import (no
// `await init()` needed; calling it anyway is harmless).
import { readFileSync } from "node:fs";
import { initSync } from "./index.js";

initSync({ module: readFileSync(new URL("./lineage_bg.wasm", import.meta.url)) });

export * from "./index.js";
export { default } from "./index.js";
