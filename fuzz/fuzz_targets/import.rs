//! `lineage import` on any bytes, in every layout, with AlpacaEval's
//! mapping and a generic one: no panic; all or nothing (an error list is
//! never empty); every record written reads back as itself, and as the
//! same sample through the analysis's JSON Lines reader (an imported
//! file is an analysis input).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::corpus;
use lineage::import::{import, FieldMap, ImportOptions, Layout};
use lineage::record::Record;

fuzz_target!(|data: &[u8]| {
    let Some((&choice, data)) = data.split_first() else {
        return;
    };
    let layout = match choice % 4 {
        0 => Layout::JsonArray,
        1 => Layout::Jsonl,
        2 => Layout::Csv,
        _ => Layout::detect("fuzz.json", data),
    };
    let source = (choice & 4 == 4).then(|| "cli".to_string());
    let opts = if choice & 8 == 8 {
        ImportOptions::alpaca_eval(source)
    } else {
        ImportOptions {
            fields: FieldMap {
                text: "text".into(),
                prompt: (choice & 16 == 16).then(|| "prompt".into()),
                source: (choice & 32 == 32).then(|| "source".into()),
                id: (choice & 64 == 64).then(|| "id".into()),
            },
            source,
            importer: "fuzz".into(),
            meta_fields: vec!["dataset".into()],
        }
    };
    let imported = match import("dir/fuzz.json", data, layout, &opts) {
        Ok(imported) => imported,
        Err(errors) => {
            assert!(!errors.is_empty());
            return;
        }
    };
    assert!(!imported.records.is_empty());
    let mut jsonl = String::new();
    for r in &imported.records {
        let line = r.to_line();
        assert_eq!(Record::parse_line(&line).as_ref(), Ok(r), "{line}");
        jsonl.push_str(&line);
        jsonl.push('\n');
    }
    let read = corpus::read_jsonl("imported.jsonl", jsonl.as_bytes(), None);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert_eq!(read.samples.len(), imported.records.len());
    for (s, r) in read.samples.iter().zip(&imported.records) {
        assert_eq!(
            (&s.source, &s.text, &s.prompt_id, &s.prompt),
            (&r.source, &r.text, &r.prompt_id, &r.prompt)
        );
    }
});
