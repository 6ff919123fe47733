//! The input readers (`lineage::corpus::read*`): JSON Lines, CSV and JSON
//! arrays, hostile files, chunked reading. Tables of cases.

use lineage::corpus::{read, read_csv, read_jsonl, Format, Reader};

#[test]
fn jsonl_cases() {
    // (input, n samples, error lines)
    let cases: &[(&str, usize, &[usize])] = &[
        ("{\"source\":\"a\",\"text\":\"x\"}\n", 1, &[]),
        (
            "{\"source\":\"a\",\"text\":\"x\",\"promptId\":\"p\"}\n\n",
            1,
            &[],
        ),
        (
            "{\"source\":\"a\",\"text\":\"x\"}\nnot json\n{\"text\":\"y\"}\n",
            1,
            &[2, 3],
        ),
        ("{\"source\":\"a\"}\n", 0, &[1]),
        ("", 0, &[]),
    ];
    for (input, n, lines) in cases {
        let p = read_jsonl("f", input.as_bytes(), None);
        assert_eq!(p.samples.len(), *n, "{input:?}");
        let got: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(&got, lines, "{input:?}");
    }
}

#[test]
fn prompt_id_variants() {
    let p = read_jsonl(
        "f",
        b"{\"source\":\"a\",\"text\":\"x\",\"promptId\":\"p1\"}\n{\"source\":\"a\",\"text\":\"x\",\"prompt_id\":7}\n",
        None,
    );
    let ids: Vec<_> = p.samples.iter().map(|s| s.prompt_id.clone()).collect();
    assert_eq!(ids, vec![Some("p1".into()), Some("7".into())]);
}

#[test]
fn csv_cases() {
    let p = read_csv(
        "c",
        b"source,text,prompt_id\na,\"hello, world\nline two\",p1\nb,bye,p2\n",
        None,
    );
    assert_eq!(p.samples.len(), 2);
    assert_eq!(p.samples[0].text, "hello, world\nline two");
    assert_eq!(p.samples[1].prompt_id.as_deref(), Some("p2"));
    let bad = read_csv("c", b"foo,bar\n1,2\n", None);
    assert_eq!(bad.samples.len(), 0);
    assert_eq!(bad.errors.len(), 1);
}

/// A header without the needed columns is one error on line 1 that names
/// what the header holds (at most 12 columns of 40 characters), so a file
/// exported with other names is easy to fix.
#[test]
fn csv_header_errors_name_the_columns_found() {
    let long = format!("{},text\n1,2\n", "x".repeat(100));
    let many: String = (0..20).map(|i| format!("c{i},")).collect::<String>() + "\n";
    let cases: &[(&str, &[u8], &str)] = &[
        (
            "other names",
            b"Model,QID,Question,Answer\na,1,q,t\n",
            "; it has model, qid, question, answer",
        ),
        ("text but no source", b"text\nhello\n", "; it has text"),
        ("blank column names", b" , \n1,2\n", "; it names no column"),
        (
            "a long column name",
            long.as_bytes(),
            &format!("; it has {}, text", "x".repeat(40)),
        ),
        (
            "many columns",
            many.as_bytes(),
            "; it has c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11",
        ),
    ];
    for (name, bytes, tail) in cases {
        let read = read_csv("f.csv", bytes, None);
        assert!(read.samples.is_empty(), "{name}");
        assert_eq!(read.errors.len(), 1, "{name}: {:?}", read.errors);
        let e = &read.errors[0];
        assert_eq!(e.line, 1, "{name}");
        assert!(
            e.message
                .starts_with("csv header must name the columns \"source\" and \"text\""),
            "{name}: {}",
            e.message
        );
        assert!(e.message.ends_with(tail), "{name}: {}", e.message);
    }
}

#[test]
fn hostile_files_table() {
    // (name, file bytes, texts read, error lines, warning lines and
    // the message they must contain)
    type Case<'a> = (
        &'a str,
        &'a [u8],
        &'a [&'a str],
        &'a [usize],
        &'a [(usize, &'a str)],
    );
    let cases: &[Case] = &[
        ("empty file", b"", &[], &[], &[]),
        ("only a BOM", b"\xef\xbb\xbf", &[], &[], &[]),
        (
            "BOM before the first record",
            b"\xef\xbb\xbf{\"source\":\"a\",\"text\":\"x\"}\n",
            &["x"],
            &[],
            &[],
        ),
        (
            "CRLF endings",
            b"{\"source\":\"a\",\"text\":\"x\"}\r\n{\"source\":\"a\",\"text\":\"y\"}\r\n",
            &["x", "y"],
            &[],
            &[],
        ),
        (
            "lone CR endings",
            b"{\"source\":\"a\",\"text\":\"x\"}\r{\"source\":\"a\",\"text\":\"y\"}\rbad\r",
            &["x", "y"],
            &[3],
            &[],
        ),
        (
            "escaped CR, NUL and controls kept",
            b"{\"source\":\"a\",\"text\":\"x\\r\\u0000\\u0007y\"}\n",
            &["x\r\0\u{7}y"],
            &[],
            &[],
        ),
        (
            "lone surrogate escape becomes U+FFFD",
            b"{\"source\":\"a\",\"text\":\"x\\ud800y\"}\n",
            &[],
            &[1],
            &[],
        ),
        (
            "invalid UTF-8 on line 2",
            b"{\"source\":\"a\",\"text\":\"x\"}\n{\"source\":\"a\",\"text\":\"b\xffd\"}\n",
            &["x", "b\u{fffd}d"],
            &[],
            &[(2, "invalid UTF-8 at byte 49")],
        ),
        (
            "invalid UTF-8 after a BOM counts the BOM's bytes",
            b"\xef\xbb\xbf{\"source\":\"a\",\"text\":\"\xc3\"}\n",
            &["\u{fffd}"],
            &[],
            &[(1, "invalid UTF-8 at byte 25 (1 bad sequence(s)")],
        ),
        (
            "malformed middle line, rest kept",
            b"{\"source\":\"a\",\"text\":\"x\"}\n{\"source\":\n{\"source\":\"a\",\"text\":\"z\"}\n",
            &["x", "z"],
            &[2],
            &[],
        ),
    ];
    for &(name, bytes, texts, error_lines, warnings) in cases {
        let p = read_jsonl("f.jsonl", bytes, None);
        let got: Vec<&str> = p.samples.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(got, texts, "{name}");
        let lines: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, error_lines, "{name}: {:?}", p.errors);
        assert_eq!(p.warnings.len(), warnings.len(), "{name}: {:?}", p.warnings);
        for (w, (line, message)) in p.warnings.iter().zip(warnings) {
            assert_eq!(w.line, *line, "{name}");
            assert!(w.message.contains(message), "{name}: {}", w.message);
            assert!(
                w.to_string().starts_with("f.jsonl:"),
                "{name}: names the file"
            );
        }
    }
}

#[test]
fn hostile_csv_table() {
    // (name, file bytes, texts read, error count, warning count)
    type Case<'a> = (&'a str, &'a [u8], &'a [&'a str], usize, usize);
    let cases: &[Case] = &[
        ("empty file", b"", &[], 1, 0),
        ("header only", b"source,text\n", &[], 0, 0),
        (
            "BOM before the header",
            b"\xef\xbb\xbfsource,text\na,x\n",
            &["x"],
            0,
            0,
        ),
        (
            "quotes and embedded CRLF",
            b"source,text\r\na,\"say \"\"hi\"\"\r\nthen, go\"\r\n",
            &["say \"hi\"\r\nthen, go"],
            0,
            0,
        ),
        ("short record", b"source,text\na\nb,y\n", &["y"], 1, 0),
        // A quote opened and never closed would swallow every later row
        // into one text: that line is reported and skipped, reading goes on.
        (
            "unterminated quote",
            b"source,text\na,\"oops\nb,y\nc,z\n",
            &["y", "z"],
            1,
            0,
        ),
        (
            "unterminated quote on the last line",
            b"source,text\na,x\nb,\"cut",
            &["x"],
            1,
            0,
        ),
        (
            "two unterminated quotes",
            b"source,text\na,\"one\nb,y\nc,\"two\nd,w\n",
            &["y", "w"],
            2,
            0,
        ),
        (
            "a quote inside an unquoted field is a character",
            b"source,text\na,5\" screen\nb,y\n",
            &["5\" screen", "y"],
            0,
            0,
        ),
        (
            "invalid UTF-8",
            b"source,text\na,\xfe\xff\n",
            &["\u{fffd}\u{fffd}"],
            0,
            1,
        ),
    ];
    for &(name, bytes, texts, n_errors, n_warnings) in cases {
        let p = read_csv("f.csv", bytes, None);
        if name.starts_with("unterminated") {
            assert_eq!(
                p.errors[0].line,
                if name.ends_with("last line") { 3 } else { 2 },
                "{name}"
            );
            assert!(
                p.errors[0].message.contains("never closed"),
                "{name}: {}",
                p.errors[0].message
            );
        }
        let got: Vec<&str> = p.samples.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(got, texts, "{name}: {:?}", p.errors);
        assert_eq!(p.errors.len(), n_errors, "{name}: {:?}", p.errors);
        assert_eq!(p.warnings.len(), n_warnings, "{name}");
    }
}

#[test]
fn json_array_cases() {
    // (input, texts read, error "lines" (1-based record indexes))
    let cases: &[(&str, &[&str], &[usize])] = &[
        (
            r#"[{"source":"a","text":"x"},{"source":"a"},{"source":"b","text":"y","promptId":2}]"#,
            &["x", "y"],
            &[2],
        ),
        (r#"{"samples":[{"source":"a","text":"x"}]}"#, &["x"], &[]),
        ("[7]", &[], &[1]),
        // Not an array: read as JSON Lines.
        (
            "{\"source\":\"a\",\"text\":\"x\"}\n{\"source\":\"a\",\"text\":\"y\"}\n",
            &["x", "y"],
            &[],
        ),
    ];
    for (input, texts, lines) in cases {
        let p = read("f.json", input.as_bytes(), Format::Json, None);
        let got: Vec<&str> = p.samples.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(&got, texts, "{input}");
        let errors: Vec<usize> = p.errors.iter().map(|e| e.line).collect();
        assert_eq!(&errors, lines, "{input}");
    }
    assert_eq!(Format::from_name("X.JSON"), Format::Json);
}

/// A record without its source or text is an error that names the fields
/// it does have (at most 12, each cut to 40 characters), in JSON Lines and
/// in a JSON array alike: records exported with other names are then easy
/// to fix.
#[test]
fn missing_field_errors_name_the_fields_found() {
    let alpaca = r#"{"instruction":"q","output":"a","generator":"m","dataset":"d"}"#;
    let long = format!(r#"{{"text":"x","{}":1}}"#, "k".repeat(100));
    let cases: Vec<(&str, Format, String, String)> = vec![
        (
            "AlpacaEval's names, JSON Lines",
            Format::Jsonl,
            format!("{alpaca}\n"),
            "record has no \"source\" (its fields: dataset, generator, instruction, output)".into(),
        ),
        (
            "AlpacaEval's names, JSON array",
            Format::Json,
            format!("[{alpaca}]"),
            "record has no \"source\" (its fields: dataset, generator, instruction, output)".into(),
        ),
        (
            "no text",
            Format::Jsonl,
            "{\"source\":\"a\",\"answer\":\"x\"}\n".into(),
            "record has no \"text\" (its fields: answer, source)".into(),
        ),
        (
            "a blank source, JSON array",
            Format::Json,
            r#"[{"source":" ","text":"x"}]"#.into(),
            "record's \"source\" is blank (its fields: source, text)".into(),
        ),
        (
            "a null text, JSON Lines",
            Format::Jsonl,
            "{\"source\":\"a\",\"text\":null}\n".into(),
            "record's \"text\" is null (its fields: source, text)".into(),
        ),
        (
            "a null source, JSON array",
            Format::Json,
            r#"[{"source":null,"text":"x"}]"#.into(),
            "record's \"source\" is null (its fields: source, text)".into(),
        ),
        (
            "no field at all",
            Format::Jsonl,
            "{}\n".into(),
            "record has no \"source\" (the record has no field)".into(),
        ),
        (
            "a long field name",
            Format::Jsonl,
            format!("{long}\n"),
            format!(
                "record has no \"source\" (its fields: {}, text)",
                "k".repeat(40)
            ),
        ),
    ];
    for (name, format, input, message) in cases {
        let p = read("f", input.as_bytes(), format, None);
        assert!(p.samples.is_empty(), "{name}");
        let messages: Vec<&str> = p.errors.iter().map(|e| e.message.as_str()).collect();
        assert_eq!(messages, [message.as_str()], "{name}");
    }
}

/// Law: however an input is cut into chunks (inside a CRLF, a BOM, a
/// multi-byte character, a record), the reader gives what one whole read
/// gives: samples, line errors, UTF-8 warnings and SHA-256.
#[test]
fn chunking_never_changes_what_is_read() {
    let inputs: &[(&str, &[u8])] = &[
        ("a.jsonl", b"\xef\xbb\xbf{\"source\":\"a\",\"text\":\"caf\xc3\xa9\"}\r\n{bad\r{\"source\":\"b\",\"text\":\"\xff\"}\n\n{\"source\":\"a\",\"text\":\"z\",\"prompt_id\":1.0}"),
        ("b.csv", b"source,text\r\na,\"x\r\ny\"\r\nb\r\nc,\xe2\x82\xac\r\n"),
        ("c.json", b"[{\"source\":\"a\",\"text\":\"x\"},{\"text\":\"no source\"}]"),
        ("d.jsonl", b"{\"source\":\"a\",\"text\":\"x\"}\n{\"source\":\"a\",\"text\":\"y\"}\n\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\n"),
    ];
    for (name, bytes) in inputs {
        let whole = read(name, bytes, Format::from_name(name), None);
        for size in 1..=bytes.len() {
            let mut reader = Reader::new(name, Format::from_name(name), None);
            for chunk in bytes.chunks(size) {
                reader.push(chunk);
            }
            assert_eq!(reader.finish(), whole, "{name} in chunks of {size}");
        }
    }
    let ids = read("a.jsonl", inputs[0].1, Format::Jsonl, None);
    assert_eq!(
        ids.samples[2].prompt_id.as_deref(),
        Some("1"),
        "1.0 reads as 1"
    );
    assert_eq!(ids.errors.len(), 1);
    assert_eq!(ids.warnings.len(), 1);
}

/// A binary file (a PNG renamed `.jsonl`, a zip as `.csv`) is refused as
/// one thing, "not text", with the offset of its first zero byte, rather
/// than as hundreds of malformed lines; even records before the zero byte
/// do not make it text. A zero byte past the first 8000 costs its line only.
#[test]
fn binary_inputs_are_refused_whole() {
    let png: Vec<u8> = [&b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"[..], &[7u8; 3000]].concat();
    let late = format!(
        "{}{{\"source\":\"a\",\"text\":\"b\\u0000\"}}\n\u{0}\n",
        "{\"source\":\"a\",\"text\":\"x\"}\n".repeat(400)
    );
    for (name, bytes) in [
        ("image.jsonl", png.clone()),
        ("image.csv", png.clone()),
        ("image.json", png),
    ] {
        let p = read(name, &bytes, Format::from_name(name), None);
        assert_eq!(
            (p.binary, p.samples.len(), p.errors.len()),
            (Some(8), 0, 0),
            "{name}"
        );
        let e = p.refusal(Format::from_name(name)).expect("refused");
        assert!(
            e.message().starts_with(&format!(
                "{name} is not text: it holds a zero byte (at byte 8)"
            )),
            "{}",
            e.message()
        );
    }
    let p = read("late.jsonl", late.as_bytes(), Format::Jsonl, None);
    assert_eq!((p.binary, p.samples.len(), p.errors.len()), (None, 401, 1));
    assert!(p.refusal(Format::Jsonl).is_none());
}
