//! Options objects of every entry point (the analysis, profiles, shared
//! spans, passages), read the same way: from JSON with the field at fault
//! named ([`from_map`], [`object_of`], [`from_value`]), whole numbers
//! checked against their range ([`check_count`], [`set_count`]), and each
//! entry point's defaults filled in ([`OptionArgs`]). The analysis's own
//! parameters, defaults and ranges are in `parameters`.

use serde::de::DeserializeOwned;

use crate::error::{Error, ErrorKind};

/// Checks a whole-number option against `min..=max` (`max` =
/// `usize::MAX`: no upper bound); the error names the option and the
/// range in the words every front end shows ("k must be between 1 and 5,
/// got 10", "maxBucket must be at least 2, got 1").
pub fn check_count(name: &str, value: usize, min: usize, max: usize) -> Result<(), Error> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    let range = if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!("between {min} and {max}")
    };
    Err(Error::new(
        ErrorKind::BadArgument,
        format!("{name} must be {range}, got {value}"),
    ))
}

/// Puts a given whole-number option into `into` after [`check_count`];
/// a left-out one (`None`) keeps the default already there.
pub fn set_count(
    into: &mut usize,
    name: &str,
    given: Option<usize>,
    (min, max): (usize, usize),
) -> Result<(), Error> {
    if let Some(value) = given {
        check_count(name, value, min, max)?;
        *into = value;
    }
    Ok(())
}

/// An options object as a front end (the wasm module, the Python
/// package) takes it, every field optional, and the core's options it
/// stands for: defaults filled in, every value checked. Each front end
/// reads such objects through [`options_from_map`], so a default, a
/// range or an error's wording lives in the core alone.
pub trait OptionArgs: DeserializeOwned {
    type Options;
    /// The options, or a `BAD_ARGUMENT` naming the first value out of range.
    fn to_options(&self) -> Result<Self::Options, Error>;
}

/// `map` read as `A` ([`from_map`]) and made into its options; every
/// error starts with `label` ("profile: options: topK must be ...").
pub fn options_from_map<A: OptionArgs>(label: &str, map: JsonMap) -> Result<A::Options, Error> {
    let args: A = from_map(label, map)?;
    args.to_options().map_err(|e| e.context(label))
}

/// The JSON name of a value's type, for "must be ..., got {name}".
pub fn json_type(value: &serde_json::Value) -> &'static str {
    use serde_json::Value;
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A JS or Python options object as JSON values, its `null` fields dropped.
pub type JsonMap = serde_json::Map<String, serde_json::Value>;

/// `map` as a `T`; a field that is wrong on its own is named in the error
/// (`"{label}.{key}: invalid type ..."`), an unknown one refused when `T`
/// denies unknown fields. The front ends read loose arguments through it,
/// so every field's mistake reads the same in each.
pub fn from_map<T: DeserializeOwned>(label: &str, map: JsonMap) -> Result<T, Error> {
    let bad = |m: String| Error::new(ErrorKind::BadArgument, m);
    for (key, v) in &map {
        let one = serde_json::json!({ key.as_str(): v });
        if let Err(e) = serde_json::from_value::<T>(one) {
            if !e.to_string().starts_with("missing field") {
                return Err(bad(format!("{label}.{key}: {e}")));
            }
        }
    }
    serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| bad(format!("{label}: {e}")))
}

/// A front end's optional options object as a map without its `null`
/// fields: `null` itself (JS `undefined`, Python `None`) is an empty one,
/// anything else but an object a `BAD_ARGUMENT`.
pub fn object_of(label: &str, value: serde_json::Value) -> Result<JsonMap, Error> {
    match value {
        serde_json::Value::Null => Ok(JsonMap::new()),
        serde_json::Value::Object(mut map) => {
            map.retain(|_, v| !v.is_null());
            Ok(map)
        }
        other => Err(Error::new(
            ErrorKind::BadArgument,
            format!("{label} must be an object, got {}", json_type(&other)),
        )),
    }
}

/// [`object_of`], then [`from_map`].
pub fn from_value<T: DeserializeOwned>(label: &str, value: serde_json::Value) -> Result<T, Error> {
    from_map(label, object_of(label, value)?)
}
