//! `lineage collect` trusted with a key: no secret in any message or file
//! (a server that echoes the key, an endpoint with credentials), a refused
//! key as AUTH_FAILED, no file after a failed start, `--dry-run` sending
//! nothing, `--limit`, empty answers retried then failed, never saved, and
//! answers in another language than their prompt flagged.

use crate::chat_server::{self, ChatServer, Reply};
use crate::cli;
use crate::collect_cli::{collect, collect_run, echo, ids, prompts_and_out, records, tempdir};

#[test]
fn no_secret_in_any_message_or_file() {
    const KEY: &str = "sk-test-SECRET0123456789";
    let dir = tempdir("secrets");
    // The server echoes what it was sent: the key in an answer, in a 500's
    // body (retried), in a 400's body (the prompt fails) and in a 401's.
    let server = ChatServer::start(|seen, before| {
        let auth = seen.authorization.clone().unwrap_or_default();
        match (seen.prompt.as_str(), before) {
            ("prompt 0", _) => Reply::Answer(format!("you sent {auth}")),
            ("prompt 1", 0) => Reply::Raw(500, vec![], format!("upstream saw {auth}")),
            ("prompt 2", _) => Reply::Raw(
                400,
                vec![],
                format!(
                    r#"{{"error":{{"message":"Incorrect API key provided: {}"}}}}"#,
                    &auth[7..]
                ),
            ),
            _ => Reply::Answer(format!("answer to {}", seen.prompt)),
        }
    });
    let (prompts, out) = prompts_and_out(&dir, 4);
    let port = server
        .endpoint
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap();
    let endpoint = format!(
        "http://auditor:pa55word-xyz@127.0.0.1:{port}/v1?api-version=1&api_key=QUERYSECRET"
    );
    let secrets = [KEY, "pa55word-xyz", "QUERYSECRET"];
    let mut cmd = collect(&endpoint, &prompts, &out, &["--concurrency", "1"]);
    let (code, stdout, stderr) = cli::run(cmd.env("LINEAGE_API_KEY", KEY));
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("1 prompt(s) failed"), "{stderr}");
    // A refused key: AUTH_FAILED, with the echoed key redacted too.
    server.set_handler(|seen, _| {
        let auth = seen.authorization.clone().unwrap_or_default();
        Reply::Raw(
            401,
            vec![],
            format!(r#"{{"error":{{"message":"bad key {auth}"}}}}"#),
        )
    });
    let fresh = dir.join("fresh.jsonl");
    let mut cmd = collect(&endpoint, &prompts, &fresh, &[]);
    let (code2, stdout2, stderr2) = cli::run(cmd.env("LINEAGE_API_KEY", KEY));
    assert_eq!(code2, 2, "{stderr2}");
    assert!(stderr2.contains("error: AUTH_FAILED: "), "{stderr2}");
    assert!(stderr2.contains("[redacted]"), "{stderr2}");
    assert!(
        !fresh.exists(),
        "a run that failed before any answer leaves no file"
    );
    let file = std::fs::read_to_string(&out).unwrap();
    assert_eq!(ids(&records(&out)), ["p0", "p1", "p3"]);
    // (where, text)
    for (place, text) in [
        ("stdout", &stdout),
        ("stderr", &stderr),
        ("file", &file),
        ("stdout, 401", &stdout2),
        ("stderr, 401", &stderr2),
    ] {
        for secret in secrets {
            assert!(!text.contains(secret), "{secret} in {place}: {text}");
        }
    }
    assert!(file.contains("you sent Bearer [redacted]"), "{file}");
}

#[test]
fn dry_run_and_limit() {
    let dir = tempdir("dry-run");
    let server = ChatServer::start(echo());
    let (prompts, out) = prompts_and_out(&dir, 5);
    // (extra arguments, what stdout says)
    let cases: [(&[&str], &str); 2] = [
        (
            &["--dry-run"],
            "would send 5 request(s) of 5 prompt(s) left",
        ),
        (
            &["--dry-run", "--limit", "2"],
            "would send 2 request(s) of 5 prompt(s) left",
        ),
    ];
    for (extra, said) in cases {
        let (code, stdout, stderr) =
            cli::run(&mut collect(&server.endpoint, &prompts, &out, extra));
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains(said) && stdout.contains("input tokens"),
            "{stdout}"
        );
        assert!(
            server.seen().is_empty() && !out.exists(),
            "a dry run sends and writes nothing"
        );
    }
    // (limit, the ids in the file after the run)
    let cases: [(&str, &[&str]); 3] = [
        ("2", &["p0", "p1"]),
        ("2", &["p0", "p1", "p2", "p3"]),
        ("9", &["p0", "p1", "p2", "p3", "p4"]),
    ];
    for (limit, want) in cases {
        let (code, err) = collect_run(
            &server,
            &prompts,
            &out,
            &["--limit", limit, "--concurrency", "1"],
        );
        assert_eq!(code, 0, "{err}");
        assert_eq!(ids(&records(&out)), want);
    }
    assert_eq!(server.seen().len(), 5, "no prompt asked twice");
    let (code, err) = collect_run(&server, &prompts, &out, &["--limit", "0"]);
    assert_eq!(
        (code, err.contains("--limit must be at least 1")),
        (2, true),
        "{err}"
    );
}

#[test]
fn empty_answers_are_retried_then_failed_never_saved() {
    let dir = tempdir("empty");
    let now = vec![("Retry-After".to_string(), "0".to_string())];
    let server = ChatServer::start(move |seen, before| match (seen.prompt.as_str(), before) {
        ("prompt 1", 0) => Reply::Raw(200, now.clone(), chat_server::completion("m", "")),
        ("prompt 2", _) => Reply::Raw(200, now.clone(), chat_server::completion("m", "  \n ")),
        _ => Reply::Answer(format!("answer to {}", seen.prompt)),
    });
    let (prompts, out) = prompts_and_out(&dir, 3);
    let (code, err) = collect_run(&server, &prompts, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("prompt p2: gave up after 6 attempt(s): the answer is empty"),
        "{err}"
    );
    assert!(err.contains("1 prompt(s) failed"), "{err}");
    let recs = records(&out);
    assert_eq!(ids(&recs), ["p0", "p1"]);
    assert!(recs
        .iter()
        .all(|r| !r["text"].as_str().unwrap().trim().is_empty()));
    assert_eq!(
        (server.asked()["prompt 1"], server.asked()["prompt 2"]),
        (2, 6)
    );
}

#[test]
fn answers_in_another_language_are_kept_and_flagged() {
    let dir = tempdir("language");
    let server = ChatServer::start(|seen, _| match seen.prompt.as_str() {
        "prompt 1" => Reply::Answer("Je suis un assistant et je réponds à tes questions.".into()),
        _ => Reply::Answer(format!(
            "This is the answer to {} and it is in English.",
            seen.prompt
        )),
    });
    let (prompts, out) = prompts_and_out(&dir, 3);
    let (code, err) = collect_run(&server, &prompts, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: 1 answer(s) in another language than their prompt (kept): p1 (prompt en, answer fr)"),
        "{err}"
    );
    assert_eq!(ids(&records(&out)), ["p0", "p1", "p2"]);
}
