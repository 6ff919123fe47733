//! The boundary: the only module that names wasm_bindgen / JsValue.
//! OWNER: infra helper.
