//! `lineage collect` against a real HTTP server on 127.0.0.1 started by
//! each test (`chat_server`): answers and settings written, 429 with
//! Retry-After and 500 retried, a body that is not a chat completion and
//! 401/404 stopping the run with what was collected kept, a rejected prompt
//! failing alone, and a killed run resumed without asking again what it
//! had written.

use crate::chat_server;
use crate::cli;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chat_server::{ChatServer, Reply};
use serde_json::{json, Value};

pub(crate) fn tempdir(name: &str) -> PathBuf {
    cli::tempdir("collect", name)
}

/// `lineage collect` with no proxy and no key from the environment.
pub(crate) fn collect(endpoint: &str, prompts: &Path, out: &Path, extra: &[&str]) -> Command {
    let mut cmd = cli::bin();
    cmd.arg("collect")
        .args(["--endpoint", endpoint, "--model", "m"])
        .arg("--prompts")
        .arg(prompts)
        .arg("--out")
        .arg(out)
        .args(extra);
    cmd
}

/// The exit code and stderr of a run.
pub(crate) fn run(cmd: &mut Command) -> (i32, String) {
    let (code, _, err) = cli::run(cmd);
    (code, err)
}

/// Runs `lineage collect` against `server`: the exit code and stderr.
pub(crate) fn collect_run(
    server: &ChatServer,
    prompts: &Path,
    out: &Path,
    extra: &[&str],
) -> (i32, String) {
    run(&mut collect(&server.endpoint, prompts, out, extra))
}

/// A probe-style prompt file: ids p0..p{n-1}, prompt text "prompt i".
pub(crate) fn prompt_file(dir: &Path, n: usize) -> PathBuf {
    let path = dir.join("prompts.jsonl");
    let mut s = String::new();
    for i in 0..n {
        s.push_str(
            &json!({"prompt_id": format!("p{i}"), "prompt": format!("prompt {i}"), "category": "explain", "language": "en"})
                .to_string(),
        );
        s.push('\n');
    }
    std::fs::write(&path, s).unwrap();
    path
}

/// A prompt file of `n` prompts (see [`prompt_file`]) and the output
/// file beside it.
pub(crate) fn prompts_and_out(dir: &Path, n: usize) -> (PathBuf, PathBuf) {
    (prompt_file(dir, n), dir.join("out.jsonl"))
}

/// The records of an output file (every line must parse).
pub(crate) fn records(path: &Path) -> Vec<Value> {
    cli::json_lines(&std::fs::read_to_string(path).unwrap_or_default())
}

pub(crate) fn ids(records: &[Value]) -> Vec<String> {
    let mut ids: Vec<String> = records
        .iter()
        .map(|r| r["prompt_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

pub(crate) fn echo() -> impl Fn(&chat_server::Seen, usize) -> Reply + Send + Sync + 'static {
    |seen, _| Reply::Answer(format!("answer to {}", seen.prompt))
}

/// Answers `prompt` with a raw `status` and `body`, every other prompt as
/// [`echo`] does.
fn fails_on(
    prompt: &'static str,
    status: u16,
    body: &'static str,
) -> impl Fn(&chat_server::Seen, usize) -> Reply + Send + Sync + 'static {
    move |seen, before| {
        if seen.prompt == prompt {
            Reply::Raw(status, vec![], body.into())
        } else {
            echo()(seen, before)
        }
    }
}

#[test]
fn collects_every_prompt_with_its_settings() {
    let dir = tempdir("settings");
    let server = ChatServer::start(echo());
    let (prompts, out) = prompts_and_out(&dir, 7);
    let (code, err) = run(collect(
        &server.endpoint,
        &prompts,
        &out,
        &[
            "--source",
            "suspect",
            "--concurrency",
            "3",
            "--temperature",
            "0.3",
            "--max-tokens",
            "50",
            "--system",
            "Be brief.",
        ],
    )
    .env("LINEAGE_API_KEY", "sk-test"));
    assert_eq!(code, 0, "{err}");
    let recs = records(&out);
    assert_eq!(
        ids(&recs),
        (0..7).map(|i| format!("p{i}")).collect::<Vec<_>>()
    );
    for r in &recs {
        let i = &r["prompt_id"].as_str().unwrap()[1..];
        assert_eq!(r["source"], "suspect");
        assert_eq!(r["prompt"], format!("prompt {i}"));
        assert_eq!(r["text"], format!("answer to prompt {i}"));
        let m = &r["meta"];
        assert_eq!(m["model"], "m");
        assert_eq!(m["response_model"], "m-served");
        assert_eq!(m["temperature"], 0.3);
        assert_eq!(m["max_tokens"], 50);
        assert_eq!(m["system"], "Be brief.");
        assert_eq!(m["endpoint"], server.endpoint.as_str());
        assert_eq!(m["prompt_file"], "prompts.jsonl");
        assert_eq!(m["probe"]["category"], "explain");
        assert_eq!(m["attempts"], 1);
        assert_eq!(m["finish_reason"], "stop");
        assert!(m["collected_at"].as_str().unwrap().ends_with('Z'));
    }
    let seen = server.seen();
    assert_eq!(seen.len(), 7);
    for s in &seen {
        assert_eq!(s.path, "/v1/chat/completions");
        assert_eq!(s.authorization.as_deref(), Some("Bearer sk-test"));
        assert_eq!(s.body["temperature"], 0.3);
        assert_eq!(s.body["max_tokens"], 50);
        assert_eq!(s.body["messages"][0]["content"], "Be brief.");
    }
    // The key is sent, never written.
    assert!(!std::fs::read_to_string(&out).unwrap().contains("sk-test"));
    // A second run finds nothing left to ask.
    let (code, err) = collect_run(&server, &prompts, &out, &["--source", "suspect"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("already answered"), "{err}");
    assert_eq!(server.seen().len(), 7);
}

#[test]
fn plain_text_prompts_get_hash_ids() {
    let dir = tempdir("plain");
    let server = ChatServer::start(echo());
    let prompts = dir.join("prompts.txt");
    std::fs::write(&prompts, "How did US states get their names?\n\nSay hi\n").unwrap();
    let out = dir.join("out.jsonl");
    let (code, err) = collect_run(&server, &prompts, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let recs = records(&out);
    // The first id is the development data's id of the same instruction.
    assert_eq!(
        ids(&recs),
        [
            "08a2161485c1".to_string(),
            lineage::record::prompt_id_of("Say hi")
        ]
    );
    assert_eq!(recs[0]["source"], "m", "the source defaults to the model");
}

#[test]
fn retries_429_with_retry_after_and_500() {
    let dir = tempdir("retry");
    let server = ChatServer::start(|seen, before| match (seen.prompt.as_str(), before) {
        ("prompt 1", 0) => Reply::Raw(
            429,
            vec![("Retry-After".into(), "1".into())],
            r#"{"error":{"message":"rate limited"}}"#.into(),
        ),
        ("prompt 2", 0 | 1) => Reply::Raw(500, vec![], "upstream crashed".into()),
        _ => Reply::Answer(format!("answer to {}", seen.prompt)),
    });
    let (prompts, out) = prompts_and_out(&dir, 4);
    let (code, err) = collect_run(&server, &prompts, &out, &["--concurrency", "2"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("status 429 (rate limited)"), "{err}");
    assert!(err.contains("status 500 (upstream crashed)"), "{err}");
    let recs = records(&out);
    assert_eq!(ids(&recs), ["p0", "p1", "p2", "p3"]);
    let attempts =
        |id: &str| recs.iter().find(|r| r["prompt_id"] == id).unwrap()["meta"]["attempts"].clone();
    assert_eq!(
        (attempts("p0"), attempts("p1"), attempts("p2")),
        (json!(1), json!(2), json!(3))
    );
    // Retry-After: 1 was honoured.
    let times: Vec<Instant> = server
        .seen()
        .iter()
        .filter(|s| s.prompt == "prompt 1")
        .map(|s| s.at)
        .collect();
    assert_eq!(times.len(), 2);
    assert!(
        times[1] - times[0] >= Duration::from_millis(950),
        "{:?}",
        times[1] - times[0]
    );
    assert_eq!(server.asked()["prompt 2"], 3);
}

#[test]
fn a_body_that_is_not_a_chat_completion_stops_the_run_and_keeps_the_answers() {
    let dir = tempdir("malformed");
    let nginx = "<html><body>Welcome to nginx</body></html>";
    let server = ChatServer::start(fails_on("prompt 3", 200, nginx));
    let (prompts, out) = prompts_and_out(&dir, 6);
    let (code, err) = collect_run(&server, &prompts, &out, &["--concurrency", "1"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("not a chat completion"), "{err}");
    assert!(err.contains("Welcome to nginx"), "{err}");
    assert!(
        err.contains("run the same command again to resume"),
        "{err}"
    );
    assert_eq!(ids(&records(&out)), ["p0", "p1", "p2"]);
    // Once the server is fixed, the same command finishes the job and asks
    // nothing twice that was written.
    server.set_handler(echo());
    let (code, err) = collect_run(&server, &prompts, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ids(&records(&out)), ["p0", "p1", "p2", "p3", "p4", "p5"]);
    let asked = server.asked();
    for p in ["prompt 0", "prompt 1", "prompt 2", "prompt 4", "prompt 5"] {
        assert_eq!(asked[p], 1, "{p}");
    }
    assert_eq!(asked["prompt 3"], 2);
}

#[test]
fn unauthorized_and_not_found_stop_at_once() {
    let dir = tempdir("auth");
    let server = ChatServer::start(|seen, _| {
        if seen.path != "/v1/chat/completions" {
            Reply::Raw(404, vec![], r#"{"error":{"message":"no route"}}"#.into())
        } else if seen.authorization.as_deref() != Some("Bearer right") {
            Reply::Raw(
                401,
                vec![],
                r#"{"error":{"message":"invalid api key"}}"#.into(),
            )
        } else {
            Reply::Answer("ok".into())
        }
    });
    let (prompts, out) = prompts_and_out(&dir, 20);
    let wrong_path = server.endpoint.replace("/v1", "/v2");
    // (key, endpoint, fragment on stderr)
    let cases: &[(Option<&str>, &str, &str)] = &[
        (
            None,
            &server.endpoint,
            "the server wants an API key; set LINEAGE_API_KEY",
        ),
        (
            Some("wrong"),
            &server.endpoint,
            "status 401 (invalid api key): check the API key in LINEAGE_API_KEY",
        ),
        (
            Some("right"),
            &wrong_path,
            "answered 404 (no route): check --endpoint",
        ),
    ];
    for (key, endpoint, fragment) in cases {
        let before = server.seen().len();
        let mut cmd = collect(endpoint, &prompts, &out, &["--concurrency", "2"]);
        if let Some(k) = key {
            cmd.env("LINEAGE_API_KEY", k);
        }
        let (code, err) = run(&mut cmd);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(fragment), "{fragment}: {err}");
        assert!(!err.contains("sk-") && !err.contains("Bearer"), "{err}");
        // A refused key has its own code; a wrong path is a failed read.
        let code = if key.is_some_and(|k| k == "right") {
            "READ_FAILED"
        } else {
            "AUTH_FAILED"
        };
        assert!(err.contains(&format!("error: {code}: ")), "{err}");
        // It stopped at once: at most the requests in flight were sent.
        assert!(server.seen().len() - before <= 2, "{}", server.seen().len());
        assert!(
            !out.exists(),
            "a run that failed before any answer leaves no file"
        );
    }
}

#[test]
fn a_rejected_prompt_fails_alone() {
    let dir = tempdir("rejected");
    let too_long = r#"{"error":{"message":"prompt too long"}}"#;
    let server = ChatServer::start(fails_on("prompt 1", 400, too_long));
    let (prompts, out) = prompts_and_out(&dir, 4);
    let (code, err) = collect_run(&server, &prompts, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("prompt p1: status 400 (prompt too long)"),
        "{err}"
    );
    assert!(err.contains("1 prompt(s) failed"), "{err}");
    assert_eq!(ids(&records(&out)), ["p0", "p2", "p3"]);
    server.set_handler(echo());
    let (code, err) = collect_run(&server, &prompts, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(ids(&records(&out)), ["p0", "p1", "p2", "p3"]);
    assert_eq!(server.seen().len(), 5);
}

#[test]
fn a_killed_run_resumes_without_asking_again() {
    let dir = tempdir("resume");
    let server = ChatServer::start(|seen, _| {
        Reply::Slow(
            Duration::from_millis(150),
            Box::new(Reply::Answer(format!("answer to {}", seen.prompt))),
        )
    });
    let (prompts, out) = prompts_and_out(&dir, 14);
    let mut child = collect(&server.endpoint, &prompts, &out, &["--concurrency", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while records(&out).len() < 4 {
        assert!(Instant::now() < deadline, "no answers written");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let kept = records(&out);
    assert!(kept.len() >= 4 && kept.len() < 14, "{}", kept.len());
    // A write cut short by the kill: half a record at the end.
    let first = std::fs::read_to_string(&out).unwrap();
    let cut = format!("{first}{{\"source\":\"m\",\"prompt_id\":\"p1");
    std::fs::write(&out, cut).unwrap();
    let (code, err) = collect_run(&server, &prompts, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("incomplete record"), "{err}");
    let all = records(&out);
    assert_eq!(all.len(), 14, "every prompt once");
    assert_eq!(ids(&all), {
        let mut want: Vec<String> = (0..14).map(|i| format!("p{i}")).collect();
        want.sort();
        want
    });
    // What was written before the kill was not asked again.
    let asked = server.asked();
    for r in &kept {
        assert_eq!(asked[r["prompt"].as_str().unwrap()], 1, "{r}");
    }
}

#[test]
fn bad_inputs_send_nothing() {
    let dir = tempdir("bad");
    let server = ChatServer::start(echo());
    let prompts = dir.join("p.jsonl");
    std::fs::write(
        &prompts,
        "{\"prompt_id\":\"a\",\"prompt\":\"x\"}\n{\"prompt_id\":\"b\"}\n",
    )
    .unwrap();
    let foreign = dir.join("notes.jsonl");
    std::fs::write(&foreign, "my notes\nnot records\n").unwrap();
    let good = prompt_file(&dir, 2);
    let out = dir.join("out.jsonl");
    let missing = dir.join("missing.jsonl");
    // (prompts, out, endpoint, extra, fragment)
    let cases: Vec<(&Path, &Path, &str, Vec<&str>, String)> = vec![
        (
            &prompts,
            &out,
            &server.endpoint,
            vec![],
            format!("{}:2: line has no \"prompt\" string", prompts.display()),
        ),
        (
            &good,
            &foreign,
            &server.endpoint,
            vec![],
            "holds no Lineage records".into(),
        ),
        (
            &good,
            &out,
            "localhost:1/v1",
            vec![],
            "--endpoint must be an http:// or https:// URL".into(),
        ),
        (
            &good,
            &out,
            &server.endpoint,
            vec!["--concurrency", "0"],
            "--concurrency must be between 1 and 64".into(),
        ),
        (
            &missing,
            &out,
            &server.endpoint,
            vec![],
            "cannot read".into(),
        ),
    ];
    for (p, o, endpoint, extra, fragment) in cases {
        let (code, err) = run(&mut collect(endpoint, p, o, &extra));
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(&fragment), "{fragment}: {err}");
    }
    assert!(server.seen().is_empty());
    assert_eq!(
        std::fs::read_to_string(&foreign).unwrap(),
        "my notes\nnot records\n",
        "a foreign file is left alone"
    );
}
