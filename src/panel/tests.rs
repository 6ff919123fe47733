//! The panel format's tests: build, the line reader's errors, gzip
//! round trip and damage.

use super::*;
use serde_json::json;

fn rec(source: &str, id: &str, meta: Value) -> Record {
    Record {
        source: source.into(),
        prompt_id: Some(id.into()),
        prompt: Some(format!("prompt {id}")),
        text: format!("{source} answers {id}"),
        meta: meta.as_object().cloned().unwrap_or_default(),
        extra: Map::new(),
    }
}

fn collected(model: &str, t: f64, at: &str) -> Value {
    json!({"collector": "lineage collect", "model": model, "response_model": format!("{model}-v2"),
           "temperature": t, "collected_at": at, "prompt_file": "probes.jsonl",
           "prompt_file_sha256": "abc", "attempts": 1})
}

fn sample_panel() -> (Panel, Vec<String>) {
    let records = vec![
        rec("b", "1", collected("mb", 0.7, "2026-01-02T00:00:00Z")),
        rec("a", "1", collected("ma", 0.7, "2026-01-01T00:00:00Z")),
        rec("a", "2", collected("ma", 1.0, "2026-01-03T00:00:00Z")),
        rec("a", "2", collected("ma", 1.0, "2026-01-04T00:00:00Z")),
        rec("c", "1", json!({"importer": "alpaca-eval", "model": "mc"})),
        rec("c", "2", Value::Null),
    ];
    let opts = BuildOptions {
        name: "test panel".into(),
        created: "2026-02-01T00:00:00Z".into(),
        probe_set: None,
        roles: [("c".to_string(), SuggestedRole::Control)].into(),
        families: [("b".to_string(), "Vendor-B".to_string())].into(),
    };
    build(records, &opts).unwrap()
}

#[test]
fn build_summarises_each_source() {
    let (panel, notices) = sample_panel();
    let h = &panel.header;
    assert_eq!(h.records, 5);
    assert_eq!(
        notices,
        vec!["a: 1 repeated answer(s) to a prompt dropped (the first is kept)"]
    );
    let names: Vec<&str> = h.sources.iter().map(|s| s.source.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    let a = &h.sources[0];
    assert_eq!(a.model.as_deref(), Some("ma-v2"));
    assert_eq!(a.role, SuggestedRole::Candidate);
    assert_eq!(a.collection["collector"], "lineage collect");
    assert_eq!(a.collection["varies"], json!(["temperature"]));
    assert_eq!(a.collection["first_collected"], "2026-01-01T00:00:00Z");
    assert_eq!(a.collection["last_collected"], "2026-01-03T00:00:00Z");
    assert!(a.collection.get("attempts").is_none());
    let c = &h.sources[2];
    assert_eq!(c.role, SuggestedRole::Control);
    assert_eq!(c.model, None, "one record has no model");
    assert_eq!(c.collection["varies"], json!(["importer", "model"]));
    // The prompt file is not shared by every record.
    assert_eq!(h.probe_set, None);
    assert_eq!(panel.sources_with(SuggestedRole::Control), ["c"]);
    assert_eq!(panel.sources_with(SuggestedRole::Candidate), ["a", "b"]);
}

#[test]
fn build_refuses_bad_roles_and_nothing() {
    let opts = BuildOptions {
        roles: [("zz".to_string(), SuggestedRole::Control)].into(),
        ..Default::default()
    };
    let e = build(vec![rec("a", "1", Value::Null)], &opts).unwrap_err();
    assert!(
        e.to_string().contains("\"zz\", which is not a source"),
        "{e}"
    );
    let e = build(vec![], &BuildOptions::default()).unwrap_err();
    assert_eq!(e.kind(), PanelErrorKind::BadInput);
}

#[test]
fn probe_set_from_meta_or_option() {
    let records = vec![
        rec("a", "1", collected("m", 0.0, "t")),
        rec("b", "1", collected("n", 0.0, "t")),
    ];
    let (p, _) = build(records.clone(), &BuildOptions::default()).unwrap();
    assert_eq!(
        p.header.probe_set,
        Some(ProbeSet {
            id: "probes.jsonl".into(),
            sha256: Some("abc".into())
        })
    );
    let opts = BuildOptions {
        probe_set: Some("lineage-probes-1".into()),
        ..Default::default()
    };
    let (p, _) = build(records, &opts).unwrap();
    assert_eq!(p.header.probe_set.unwrap().id, "lineage-probes-1");
}

#[test]
fn families_come_from_the_builder_or_the_records_and_read_back() {
    let fam =
        |f: &str| -> Map<String, Value> { json!({ "family": f }).as_object().unwrap().clone() };
    let with = |source: &str, id: &str, f: Option<&str>| Record {
        extra: f.map(fam).unwrap_or_default(),
        ..rec(source, id, Value::Null)
    };
    let records = vec![
        with("a", "1", Some("OpenAI")),
        with("a", "2", Some("openai ")),
        with("b", "1", Some("x")),
        with("b", "2", Some("y")),
        with("c", "1", Some("x")),
        with("d", "1", None),
        with("gpt-4", "1", None),
    ];
    let opts = BuildOptions {
        families: [("c".to_string(), " Said ".to_string())].into(),
        ..Default::default()
    };
    let (panel, _) = build(records, &opts).unwrap();
    // (source, family in the header): the builder's word, else the one its
    // records share; records that disagree, or say nothing, give none, and
    // the built-in table ("gpt-4") is left to the analysis.
    let cases = [
        ("a", Some("openai")),
        ("b", None),
        ("c", Some("said")),
        ("d", None),
        ("gpt-4", None),
    ];
    for (source, want) in cases {
        let got = panel.header.sources.iter().find(|s| s.source == source);
        assert_eq!(got.unwrap().family.as_deref(), want, "{source}");
    }
    assert_eq!(
        panel.families(),
        [("a", "openai"), ("c", "said")]
            .map(|(s, f)| (s.to_string(), f.to_string()))
            .into()
    );
    // Written and read back the same; an absent family is no field at all,
    // so a panel without families is the file it always was.
    let text = panel.to_jsonl();
    assert_eq!(read_str(&text).unwrap(), panel);
    let header = text.lines().next().unwrap();
    assert_eq!(header.matches("\"family\"").count(), 2, "{header}");
    // Each answer keeps its own family field, which the analysis reads.
    let families: Vec<Option<String>> = panel.samples().into_iter().map(|s| s.family).collect();
    assert_eq!(families[0].as_deref(), Some("OpenAI"));
    assert_eq!(families.last().unwrap(), &None);

    let opts = BuildOptions {
        families: [("zz".to_string(), "x".to_string())].into(),
        ..Default::default()
    };
    let e = build(vec![rec("a", "1", Value::Null)], &opts).unwrap_err();
    assert!(e.to_string().contains("--family names \"zz\""), "{e}");
}

fn read_str(text: &str) -> Result<Panel, PanelError> {
    let mut r = Reader::new("p.lineage.jsonl.gz");
    for line in text.split('\n') {
        r.push_line(line)?;
    }
    r.finish()
}

#[test]
fn lines_round_trip() {
    let (panel, _) = sample_panel();
    assert_eq!(read_str(&panel.to_jsonl()).unwrap(), panel);
    // Every answer line is an analysis input line.
    let text = panel.to_jsonl();
    let parsed = crate::corpus::read_jsonl("x", text.split_once('\n').unwrap().1.as_bytes(), None);
    assert!(parsed.errors.is_empty());
    assert_eq!(parsed.samples, panel.samples());
}

#[test]
fn chunks_cut_anywhere_read_as_the_whole() {
    let (panel, _) = sample_panel();
    let text = panel.to_jsonl();
    // (chunk size, final newline kept)
    for (size, newline) in [(1, true), (7, true), (64, false), (text.len(), false)] {
        let bytes = if newline {
            text.as_bytes()
        } else {
            text.trim_end().as_bytes()
        };
        let mut r = Reader::new("p");
        for chunk in bytes.chunks(size) {
            r.push_chunk(chunk).unwrap();
        }
        assert_eq!(r.bytes(), bytes.len() as u64);
        assert_eq!(r.finish().unwrap(), panel, "chunks of {size}");
    }
    // A page's "Save as a panel": the same file from the panel's samples.
    let opts = BuildOptions {
        name: panel.header.name.clone(),
        created: panel.header.created.clone(),
        ..Default::default()
    };
    let again = build_from_samples(panel.samples(), &opts).unwrap();
    assert_eq!(read_str(&again).unwrap().samples(), panel.samples());
}

#[test]
fn bad_panels_name_the_line() {
    let (panel, _) = sample_panel();
    let text = panel.to_jsonl();
    let (header, body) = text.split_once('\n').unwrap();
    let mut lines: Vec<&str> = body.lines().collect();
    let v2 = header.replace("\"lineage_panel\":1", "\"lineage_panel\":2");
    let miscounted = header.replacen("\"answers\":2", "\"answers\":3", 1);
    let foreign = body.replacen("\"source\":\"a\"", "\"source\":\"zz\"", 1);
    lines.pop();
    let short = lines.join("\n");
    // (name, file text, kind, displayed error)
    let cases: Vec<(&str, String, PanelErrorKind, &str)> = vec![
        ("empty", String::new(), PanelErrorKind::NotAPanel, "p.lineage.jsonl.gz:1: not a Lineage panel"),
        ("records only", body.to_string(), PanelErrorKind::NotAPanel, "p.lineage.jsonl.gz:1: not a Lineage panel"),
        ("version 2", format!("{v2}\n{body}"), PanelErrorKind::UnknownVersion, "p.lineage.jsonl.gz:1: unknown panel schema version 2"),
        ("version as text", header.replace("\"lineage_panel\":1", "\"lineage_panel\":\"1\""), PanelErrorKind::UnknownVersion, "version \"1\""),
        ("header lacks name", header.replace("\"name\"", "\"nom\""), PanelErrorKind::BadHeader, "p.lineage.jsonl.gz:1: bad panel header: missing field `name`"),
        ("counts disagree", format!("{miscounted}\n{body}"), PanelErrorKind::BadHeader, "add up to 6"),
        ("foreign source", format!("{header}\n{foreign}"), PanelErrorKind::BadRecord, "p.lineage.jsonl.gz:2: the answer's source \"zz\" is not in the header"),
        ("malformed answer", format!("{header}\n{{\"source\":\n"), PanelErrorKind::BadRecord, "p.lineage.jsonl.gz:2: bad answer: malformed json"),
        ("cut at a line end", format!("{header}\n{short}\n"), PanelErrorKind::WrongCount, "p.lineage.jsonl.gz: the header announces 5 answers but the file holds 4 (the file is incomplete)"),
    ];
    for (name, text, kind, want) in cases {
        let e = read_str(&text).unwrap_err();
        assert_eq!(e.kind(), kind, "{name}: {e}");
        assert!(e.to_string().contains(want), "{name}: {e}");
    }
}

/// The sample panel and its file, gzip-compressed.
#[cfg(not(target_arch = "wasm32"))]
fn sample_panel_gz() -> (Panel, Vec<u8>) {
    let (panel, _) = sample_panel();
    let mut gz = Vec::new();
    write_gz(&panel, &mut gz).unwrap();
    (panel, gz)
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn gzip_round_trip_and_damage() {
    let (panel, gz) = sample_panel_gz();
    assert_eq!(read_gz("p", gz.as_slice()).unwrap(), panel);
    // (name, bytes, kind)
    // The trailer's CRC-32 (the 8th byte from the end) no longer matches.
    let mut flipped = gz.clone();
    let crc = flipped.len() - 8;
    flipped[crc] ^= 0xff;
    let cases: Vec<(&str, Vec<u8>, PanelErrorKind, &str)> = vec![
        (
            "truncated",
            gz[..gz.len() - 20].to_vec(),
            PanelErrorKind::Truncated,
            "p: the gzip stream ends early",
        ),
        (
            "cut in the header",
            gz[..12].to_vec(),
            PanelErrorKind::Truncated,
            "after line 0",
        ),
        (
            "damaged",
            flipped,
            PanelErrorKind::Corrupt,
            "p: corrupt gzip data",
        ),
        (
            "plain JSON Lines",
            panel.to_jsonl().into_bytes(),
            PanelErrorKind::NotGzip,
            "uncompressed JSON Lines",
        ),
        (
            "empty file",
            Vec::new(),
            PanelErrorKind::NotGzip,
            "not gzip-compressed",
        ),
    ];
    for (name, bytes, kind, want) in cases {
        let e = read_gz("p", bytes.as_slice()).unwrap_err();
        assert_eq!(e.kind(), kind, "{name}: {e}");
        assert!(e.to_string().contains(want), "{name}: {e}");
    }
}

/// A `Read` that hands over one byte per call, as a pipe or a network
/// stream may.
#[cfg(not(target_arch = "wasm32"))]
struct ByteAtATime<'a>(&'a [u8]);

#[cfg(not(target_arch = "wasm32"))]
impl std::io::Read for ByteAtATime<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let Some((&b, rest)) = self.0.split_first() else {
            return Ok(0);
        };
        if buf.is_empty() {
            return Ok(0);
        }
        buf[0] = b;
        self.0 = rest;
        Ok(1)
    }
}

/// Found by the `panel` fuzz target: a reader whose first read gave one
/// byte was refused as "not gzip-compressed".
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn gzip_read_a_byte_at_a_time() {
    let (panel, gz) = sample_panel_gz();
    assert_eq!(read_gz("p", ByteAtATime(&gz)).unwrap(), panel);
    let plain = panel.to_jsonl().into_bytes();
    let e = read_gz("p", ByteAtATime(&plain)).unwrap_err();
    assert_eq!(e.kind(), PanelErrorKind::NotGzip, "{e}");
}
