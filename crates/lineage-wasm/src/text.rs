//! `sharedSpans` and `identityLeaks`: the two signals a page can show on a
//! single pair of texts, with offsets in UTF-16 code units so that
//! `text.slice(startUtf16, endUtf16)` is the passage.

use wasm_bindgen::prelude::*;

use super::{options_arg, string_arg, to_js};
use lineage::signals::identity;
use lineage::signals::overlap::{self, SharedSpansOptions};

/// The passages two texts share, longest first, with UTF-16 offsets into
/// each. Texts shorter than `minWords` words share nothing (an empty
/// array, not an error).
#[wasm_bindgen(js_name = sharedSpans, unchecked_return_type = "SharedSpan[]")]
pub fn shared_spans(
    #[wasm_bindgen(unchecked_param_type = "string")] a: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] b: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "SharedSpansOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let a = string_arg("sharedSpans: a", &a)?;
    let b = string_arg("sharedSpans: b", &b)?;
    let opts = options_arg::<SharedSpansOptions>("sharedSpans", options)?;
    let spans = overlap::shared_spans(&a, &b, &opts, &overlap::Boilerplate::none());
    to_js(&spans)
}

/// Sentences in which `text` presents itself as a model or names its
/// maker ("As an AI developed by OpenAI…", "Я — ChatGPT"), in order.
#[wasm_bindgen(js_name = identityLeaks, unchecked_return_type = "Leak[]")]
pub fn identity_leaks(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
) -> Result<JsValue, JsValue> {
    let text = string_arg("identityLeaks: text", &text)?;
    to_js(&identity::find_leaks(&text))
}
