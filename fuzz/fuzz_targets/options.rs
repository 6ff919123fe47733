//! The analysis options as a JSON object (what the JS package and a
//! saved settings file pass) and the CLI's `--signals` list: no panic;
//! options that validate serialise and parse back equal; `validate`
//! agrees with the range of every option; a signal list that parses
//! names each signal once and reads back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::analysis::{parse_signals, AnalysisOptions};
use lineage::parameters::{self as options, Roles, RANGES};

fuzz_target!(|data: &[u8]| {
    if let Ok(opts) = serde_json::from_slice::<AnalysisOptions>(data) {
        if opts.validate().is_ok() {
            let json = serde_json::to_string(&opts).unwrap();
            assert_eq!(
                serde_json::from_str::<AnalysisOptions>(&json).unwrap(),
                opts
            );
            let value = serde_json::to_value(&opts).unwrap();
            for r in RANGES {
                let v = value[r.name].as_f64().unwrap();
                assert!(options::check(r.name, v).is_ok(), "{} = {v}", r.name);
                assert!(v >= r.min && v <= r.max && !(r.min_exclusive && v == r.min));
            }
        }
    }
    if let Ok(roles) = serde_json::from_slice::<Roles>(data) {
        let json = serde_json::to_string(&roles).unwrap();
        assert_eq!(serde_json::from_str::<Roles>(&json).unwrap(), roles);
    }

    let text = String::from_utf8_lossy(data);
    if let Ok(list) = parse_signals(&text) {
        assert!(!list.is_empty());
        for (i, s) in list.iter().enumerate() {
            assert!(!list[..i].contains(s));
        }
        let names: Vec<&str> = list.iter().map(|s| s.name()).collect();
        assert_eq!(parse_signals(&names.join(",")), Ok(list));
    }
    for chunk in data.chunks_exact(8) {
        let v = f64::from_le_bytes(chunk.try_into().unwrap());
        for r in RANGES {
            let ok = options::check(r.name, v).is_ok();
            let inside = v.is_finite()
                && (v > r.min || (v == r.min && !r.min_exclusive))
                && v <= r.max
                && (!r.integer || v.fract() == 0.0);
            assert_eq!(ok, inside, "{} = {v}", r.name);
        }
    }
});
