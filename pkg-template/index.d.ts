// The package's types: those generated from the Rust types (lineage.d.ts).
// index.js wraps the same functions and class without changing their types.
export * from "./lineage.js";
export { default } from "./lineage.js";
