//! Samples written as JSON Lines, as CSV (quoting only where needed) and
//! as a JSON array read back as the same samples, and a `Sample`
//! serialises and parses back: what a user exports from one tool, another
//! reads unchanged, whatever the texts hold (quotes, commas, newlines,
//! CR, BOMs, any Unicode).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use lineage::corpus::{self, Format, Sample};

#[derive(Arbitrary, Debug)]
struct Row {
    source: String,
    text: String,
    prompt_id: Option<String>,
    prompt: Option<String>,
}

fn csv_of(samples: &[Sample]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["source", "text", "prompt_id", "prompt"])
        .unwrap();
    for s in samples {
        let id = s.prompt_id.as_deref().unwrap_or("");
        let prompt = s.prompt.as_deref().unwrap_or("");
        w.write_record([s.source.as_str(), &s.text, id, prompt])
            .unwrap();
    }
    w.into_inner().unwrap()
}

fuzz_target!(|rows: Vec<Row>| {
    let samples: Vec<Sample> = rows
        .into_iter()
        .filter(|r| !r.source.trim().is_empty())
        .map(|r| Sample {
            source: r.source,
            text: r.text,
            // An empty id is no id, in every format.
            prompt_id: r.prompt_id.filter(|id| !id.is_empty()),
            prompt: r.prompt,
            family: None,
        })
        .collect();

    let mut jsonl = String::new();
    for s in &samples {
        let line = serde_json::to_string(s).unwrap();
        assert_eq!(&serde_json::from_str::<Sample>(&line).unwrap(), s);
        jsonl.push_str(&line);
        jsonl.push('\n');
    }
    let read = corpus::read_jsonl("fuzz.jsonl", jsonl.as_bytes(), None);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert_eq!(read.samples, samples, "JSON Lines");

    let array = serde_json::to_vec(&samples).unwrap();
    let read = corpus::read("fuzz.json", &array, Format::Json, None);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    assert_eq!(read.samples, samples, "JSON array");

    // A zero byte marks a file as binary (git's rule), so a CSV whose
    // fields hold U+0000 is refused whole by design; JSON escapes it.
    let has_nul = samples.iter().any(|s| {
        [
            Some(&s.source),
            Some(&s.text),
            s.prompt_id.as_ref(),
            s.prompt.as_ref(),
        ]
        .into_iter()
        .flatten()
        .any(|f| f.contains('\0'))
    });
    if has_nul {
        let read = corpus::read_csv("fuzz.csv", &csv_of(&samples), None);
        assert!(
            read.binary.is_some() && read.samples.is_empty(),
            "a NUL in CSV"
        );
        return;
    }
    let read = corpus::read_csv("fuzz.csv", &csv_of(&samples), None);
    assert!(read.errors.is_empty(), "{:?}", read.errors);
    // CSV has no "no prompt": an empty cell reads as an empty prompt.
    let expected: Vec<Sample> = samples
        .iter()
        .map(|s| Sample {
            prompt: Some(s.prompt.clone().unwrap_or_default()),
            ..s.clone()
        })
        .collect();
    assert_eq!(read.samples, expected, "CSV");
});
