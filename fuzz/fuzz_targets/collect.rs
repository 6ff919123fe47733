//! What `lineage collect` reads: prompt files (JSON Lines or plain text),
//! an existing output file when a run resumes, a server's answer body and
//! its Retry-After header. No panic on any bytes; prompts that read,
//! written as JSON Lines, read back as the same prompts; a resumed run
//! keeps a prefix of its file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lineage::collect::{
    chat_url, parse_chat_completion, parse_retry_after, read_prompts, redact_url, rfc3339_utc,
    scan_output,
};
use lineage::corpus;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    match read_prompts("fuzz.txt", data) {
        Ok(file) => {
            assert_eq!(file.sha256, corpus::sha256_hex(data));
            let mut jsonl = String::new();
            for (i, p) in file.prompts.iter().enumerate() {
                assert!(!p.text.trim().is_empty());
                assert!(file.prompts[..i].iter().all(|q| q.id != p.id));
                let mut obj = p.extra.clone();
                obj.insert("prompt".into(), Value::String(p.text.clone()));
                obj.insert("prompt_id".into(), Value::String(p.id.clone()));
                jsonl.push_str(&serde_json::to_string(&obj).unwrap());
                jsonl.push('\n');
            }
            let again = read_prompts("again.jsonl", jsonl.as_bytes()).unwrap();
            assert_eq!(again.prompts, file.prompts, "{jsonl}");
        }
        Err(errors) => assert!(!errors.is_empty()),
    }

    if let Ok(existing) = scan_output("out.jsonl", data, "fuzz") {
        assert!(existing.keep_bytes <= data.len());
        assert!(
            existing.keep_bytes == data.len()
                || data[..existing.keep_bytes].ends_with(b"\n")
                || existing.keep_bytes == 0
        );
        for w in &existing.warnings {
            assert!(w.line >= 1);
        }
    }

    let text = String::from_utf8_lossy(data);
    let _ = parse_chat_completion(&text);
    let now = data
        .iter()
        .fold(0u64, |a, &b| a.rotate_left(8) ^ u64::from(b));
    if let Some(d) = parse_retry_after(&text, now) {
        assert!(d.as_secs_f64().is_finite());
    }
    let _ = rfc3339_utc(now);
    let _ = chat_url(&text);
    let redacted = redact_url(&text);
    assert_eq!(redact_url(&redacted), redacted);
    assert!(!redacted.contains('?'));
});
