//! `lineage collect`: sends each prompt of a prompt file to an
//! OpenAI-compatible chat-completions endpoint and appends one record per
//! answer to a JSONL file.
//!
//! The decisions (which prompts are left, what a status means, how long to
//! wait, what goes in `meta`) are the library's (`lineage::collect`); this
//! file does the HTTP, the threads and the file. Each answer is appended
//! and flushed as one line the moment it arrives, so a killed run loses
//! only the answers in flight, and running the same command again asks
//! only the prompts whose answers are not in the file.
//!
//! Nothing it prints or writes holds a secret: every message goes through
//! the run's `Redactor` (the key, the endpoint's user info and secret
//! query values, echoed bodies), and answers lose the run's own secrets.
//! The output file is created with the first answer, never by a run that
//! fails before one.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use clap::Args;

use crate::input::read_failed;
use indicatif::{ProgressBar, ProgressStyle};

use lineage::collect::{
    self, BodyProblem, ChatSettings, Plan, Prompt, Redactor, RetryPolicy, RunInfo, StatusClass,
    Usage,
};
use lineage::record::Record;
use lineage::{Error, ErrorKind};

mod out_file;
use out_file::{scan_output, Output};

/// The environment variable holding the API key (never an argument, so it
/// stays out of shell histories and process lists).
const KEY_VAR: &str = "LINEAGE_API_KEY";

/// Largest response body read (a chat answer is a few kilobytes).
const MAX_BODY_BYTES: u64 = 16 << 20;

/// One request may take this long (a local model on a CPU is slow).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(600);

/// The run stops after this many prompts in a row failed: the cause is
/// then the server or the settings, not the prompts.
const MAX_FAILURES_IN_A_ROW: usize = 5;

/// Collect a model's answers to a prompt file from an OpenAI-compatible
/// chat-completions API.
///
/// Answers are appended to --out as JSONL records {source, prompt_id,
/// prompt, text, meta}, one line each, written as they arrive. Run the
/// same command again to resume: prompts already answered there (by this
/// source) are skipped. The API key, if the server needs one, is read
/// from the LINEAGE_API_KEY environment variable. 429 and 5xx answers are
/// retried with backoff (a Retry-After header is honoured). No message or
/// file holds the key or the endpoint's credentials. A refused key exits
/// with AUTH_FAILED.
#[derive(Args)]
pub struct CollectArgs {
    /// Base URL of the API, e.g. http://localhost:8000/v1 (requests go to
    /// {endpoint}/chat/completions).
    #[arg(long, value_name = "URL")]
    endpoint: String,
    /// The model name sent with each request.
    #[arg(long, value_name = "NAME")]
    model: String,
    /// Prompt file: JSONL with {prompt_id, prompt} per line (the probe
    /// set, or the references' answers), a reference panel (its prompts),
    /// or plain text with one prompt per line (id: its SHA-256's start).
    #[arg(long, value_name = "FILE")]
    prompts: PathBuf,
    /// JSONL file the answers are appended to (created if missing).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Source name of the records [default: the model name].
    #[arg(long, value_name = "NAME")]
    source: Option<String>,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 4)]
    concurrency: usize,
    /// Sampling temperature [default: the server's].
    #[arg(long, value_name = "T")]
    temperature: Option<f64>,
    /// Longest answer, in tokens [default: the server's].
    #[arg(long, value_name = "N")]
    max_tokens: Option<u32>,
    /// A system message sent before each prompt.
    #[arg(long, value_name = "TEXT")]
    system: Option<String>,
    /// Say what would be sent (requests, estimated input tokens) and send
    /// nothing.
    #[arg(long)]
    dry_run: bool,
    /// Ask at most N of the prompts not yet answered (the first in the
    /// file's order).
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
}

/// How one prompt ended.
enum Outcome {
    Answered(Box<Record>),
    /// This prompt failed; the others go on.
    Failed(String),
    /// Every request would fail the same way: the run stops (its kind
    /// is the exit's code: AUTH_FAILED for a refused key).
    Fatal(Error),
}

enum Event {
    Done(usize, Outcome),
    Retry(String),
}

/// An error of a collection that reached the server or its answers.
fn failed(message: String) -> Error {
    Error::new(ErrorKind::ReadFailed, message)
}

pub fn run(args: CollectArgs) -> Result<(), Error> {
    let key = std::env::var(KEY_VAR).ok().filter(|k| !k.trim().is_empty());
    let redactor = Redactor::new(key.as_deref(), &args.endpoint);
    // Every error leaves through the redactor, whatever said it.
    collect_with(args, key, &redactor)
        .map_err(|e| Error::new(e.kind(), redactor.redact(e.message())))
}

fn collect_with(args: CollectArgs, key: Option<String>, redactor: &Redactor) -> Result<(), Error> {
    let bad = |m: String| Error::new(ErrorKind::BadArgument, m);
    if args.limit == Some(0) {
        return Err(bad("--limit must be at least 1".into()));
    }
    if !(1..=64).contains(&args.concurrency) {
        return Err(bad("--concurrency must be between 1 and 64".into()));
    }
    if let Some(t) = args.temperature {
        if !(t.is_finite() && (0.0..=2.0).contains(&t)) {
            return Err(bad(format!(
                "--temperature must be between 0 and 2, not {t}"
            )));
        }
    }
    let url = collect::chat_url(&args.endpoint).map_err(bad)?;
    let prompt_name = args.prompts.display().to_string();
    let bytes = std::fs::read(&args.prompts).map_err(|e| read_failed(&args.prompts, e))?;
    let prompt_file = collect::read_prompts(&prompt_name, &bytes).map_err(|errors| {
        for e in &errors {
            eprintln!("error: {e}");
        }
        Error::new(
            ErrorKind::BadJsonl,
            format!(
                "{} problem(s) in {prompt_name}; nothing was sent",
                errors.len()
            ),
        )
    })?;
    let source = args.source.clone().unwrap_or_else(|| args.model.clone());
    let settings = ChatSettings {
        model: args.model.clone(),
        temperature: args.temperature,
        max_tokens: args.max_tokens,
        system: args.system.clone(),
    };
    let run_info = RunInfo {
        settings: settings.clone(),
        endpoint: collect::redact_url(&args.endpoint),
        prompt_file: args
            .prompts
            .file_name()
            .map_or(prompt_name.clone(), |n| n.to_string_lossy().into_owned()),
        prompt_file_sha256: prompt_file.sha256.clone(),
    };
    let existing = scan_output(&args.out, &source, &run_info)?;
    let already = existing.as_ref().map_or(0, |e| e.done.len());
    let mut todo: Vec<Prompt> = prompt_file
        .prompts
        .into_iter()
        .filter(|p| !existing.as_ref().is_some_and(|e| e.done.contains(&p.id)))
        .collect();
    if todo.is_empty() {
        eprintln!(
            "all prompts of {prompt_name} are already answered by {source} in {}",
            args.out.display()
        );
        return Ok(());
    }
    let left = todo.len();
    todo.truncate(args.limit.unwrap_or(left));
    if args.dry_run {
        let plan = Plan::of(&todo, &settings);
        println!(
            "dry run: would send {} request(s) of {left} prompt(s) left to {} (model {}), about {} input tokens (estimated, a token per four bytes); {already} already answered in {}; nothing was sent",
            plan.requests,
            collect::redact_url(&args.endpoint),
            args.model,
            plan.input_tokens,
            args.out.display()
        );
        return Ok(());
    }
    let mut out = Output {
        path: &args.out,
        existing,
        file: None,
    };
    let client = Client {
        agent: ureq::Agent::new_with_config(
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_global(Some(REQUEST_TIMEOUT))
                .user_agent(format!("lineage/{}", lineage::VERSION))
                .build(),
        ),
        url,
        key,
        redactor: redactor.clone(),
        policy: RetryPolicy::default(),
        pause_until: Mutex::new(Instant::now()),
    };
    let bar = progress_bar(todo.len() as u64);
    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<Event>();
    let mut tally = Tally::default();
    std::thread::scope(|scope| {
        for _ in 0..args.concurrency.min(todo.len()) {
            let tx = tx.clone();
            let (client, todo, next, stop) = (&client, &todo, &next, &stop);
            let (run_info, source) = (&run_info, source.as_str());
            scope.spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(prompt) = todo.get(i) else { break };
                    let outcome = client.ask(prompt, run_info, source, &|m| {
                        let _ = tx.send(Event::Retry(m));
                    });
                    // A fatal answer stops the other workers before their
                    // next request, not after the main thread has read it.
                    if matches!(outcome, Outcome::Fatal(_)) {
                        stop.store(true, Ordering::SeqCst);
                    }
                    if tx.send(Event::Done(i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for event in rx {
            match event {
                Event::Retry(m) => {
                    tally.retries += 1;
                    say(&bar, &format!("retry: {m}"));
                }
                Event::Done(i, Outcome::Answered(record)) => {
                    if let Err(e) = out.append(&record) {
                        tally.fatal.get_or_insert(e);
                        stop.store(true, Ordering::SeqCst);
                        continue;
                    }
                    tally.usage.add(record.meta.get("usage"));
                    if let Some((asked, answered)) =
                        collect::language_mismatch(&todo[i], &record.text)
                    {
                        tally.languages.push(format!(
                            "{} (prompt {asked}, answer {answered})",
                            todo[i].id
                        ));
                    }
                    tally.answered += 1;
                    tally.in_a_row = 0;
                }
                Event::Done(i, Outcome::Failed(m)) => {
                    say(&bar, &format!("failed: prompt {}: {m}", todo[i].id));
                    tally.failed.push((todo[i].id.clone(), m.clone()));
                    tally.in_a_row += 1;
                    if tally.in_a_row >= MAX_FAILURES_IN_A_ROW {
                        tally.fatal.get_or_insert(failed(format!(
                            "{MAX_FAILURES_IN_A_ROW} prompts in a row failed (the last: {m})"
                        )));
                        stop.store(true, Ordering::SeqCst);
                    }
                }
                Event::Done(_, Outcome::Fatal(e)) => {
                    tally.fatal.get_or_insert(e);
                    stop.store(true, Ordering::SeqCst);
                }
            }
            bar.set_position((tally.answered + tally.failed.len()) as u64);
            bar.set_message(tally.status());
        }
    });
    bar.finish_and_clear();
    let u = tally.usage;
    let tokens = if u.answers > 0 {
        format!(
            ", {} input and {} output tokens (the server's count, {} answer(s))",
            u.input_tokens, u.output_tokens, u.answers
        )
    } else {
        String::new()
    };
    eprintln!(
        "{} new answer(s) of {source} in {} ({already} there before), {} failed, {} retr{}{tokens}, {:.1} s",
        tally.answered,
        args.out.display(),
        tally.failed.len(),
        tally.retries,
        if tally.retries == 1 { "y" } else { "ies" },
        started.elapsed().as_secs_f64()
    );
    if !tally.languages.is_empty() {
        let n = tally.languages.len();
        let shown = tally.languages[..n.min(10)].join(", ");
        eprintln!(
            "warning: {n} answer(s) in another language than their prompt (kept): {shown}{}",
            if n > 10 { ", ..." } else { "" }
        );
    }
    let resume = if out.file.is_none() && out.existing.is_none() {
        format!(
            "nothing was written; {} was not created",
            args.out.display()
        )
    } else {
        format!(
            "the answers so far are kept in {}; run the same command again to resume",
            args.out.display()
        )
    };
    if let Some(fatal) = tally.fatal {
        return Err(Error::new(
            fatal.kind(),
            format!("{}\n  {resume}", fatal.message()),
        ));
    }
    if !tally.failed.is_empty() {
        return Err(failed(format!(
            "{} prompt(s) failed; {resume} (only those are asked again)",
            tally.failed.len()
        )));
    }
    Ok(())
}

#[derive(Default)]
struct Tally {
    answered: usize,
    failed: Vec<(String, String)>,
    retries: usize,
    in_a_row: usize,
    fatal: Option<Error>,
    usage: Usage,
    /// Answers kept in another language than their prompt's.
    languages: Vec<String>,
}

impl Tally {
    fn status(&self) -> String {
        format!("{} retries, {} failed", self.retries, self.failed.len())
    }
}

/// A line on stderr above the bar (shown whether or not the bar is drawn).
fn say(bar: &ProgressBar, line: &str) {
    bar.suspend(|| eprintln!("{line}"));
}

fn progress_bar(len: u64) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} collect {pos}/{len} [{bar:30}] {elapsed} (eta {eta}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    if std::io::stderr().is_terminal() {
        bar.enable_steady_tick(Duration::from_millis(200));
    }
    bar
}

/// What every worker shares.
struct Client {
    agent: ureq::Agent,
    url: String,
    key: Option<String>,
    /// Every message of an attempt goes through it.
    redactor: Redactor,
    policy: RetryPolicy,
    /// A 429 with Retry-After pauses every worker, not only the one that
    /// got it: the limit is the server's, shared by all requests.
    pause_until: Mutex<Instant>,
}

/// What one attempt got.
enum Attempt {
    Answer(collect::ChatAnswer),
    Retry {
        why: String,
        retry_after: Option<Duration>,
    },
    Outcome(Outcome),
}

impl Client {
    /// Asks one prompt, retrying as the policy says.
    fn ask(
        &self,
        prompt: &Prompt,
        run: &RunInfo,
        source: &str,
        on_retry: &dyn Fn(String),
    ) -> Outcome {
        let body = run.settings.request_body(&prompt.text);
        let mut attempts = 0u32;
        loop {
            self.wait_for_pause();
            attempts += 1;
            match self.attempt(&body) {
                Attempt::Answer(mut answer) => {
                    // A server that echoes the key into the answer does
                    // not get it into the file.
                    answer.text = self.redactor.redact_known(&answer.text);
                    let at = collect::rfc3339_utc(now_unix());
                    return Outcome::Answered(Box::new(
                        run.record(source, prompt, &answer, &at, attempts),
                    ));
                }
                Attempt::Outcome(o) => return o,
                Attempt::Retry { why, retry_after } => {
                    // Deterministic jitter in [0, 1) from the prompt and attempt.
                    let jitter = xxhash_rust::xxh3::xxh3_64_with_seed(
                        prompt.id.as_bytes(),
                        u64::from(attempts),
                    ) as f64
                        / u64::MAX as f64;
                    match self.policy.delay(attempts, retry_after, jitter) {
                        None => {
                            return Outcome::Failed(format!(
                                "gave up after {attempts} attempt(s): {why}"
                            ))
                        }
                        Some(wait) => {
                            if retry_after.is_some() {
                                let mut until =
                                    self.pause_until.lock().unwrap_or_else(|p| p.into_inner());
                                *until = (*until).max(Instant::now() + wait);
                            }
                            on_retry(format!(
                                "prompt {}: {why}; again in {:.1} s",
                                prompt.id,
                                wait.as_secs_f64()
                            ));
                            std::thread::sleep(wait);
                        }
                    }
                }
            }
        }
    }

    fn wait_for_pause(&self) {
        let until = *self.pause_until.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if until > now {
            std::thread::sleep(until - now);
        }
    }

    /// One request and what its answer means, every message redacted.
    fn attempt(&self, body: &str) -> Attempt {
        let r = &self.redactor;
        match self.attempt_raw(body) {
            Attempt::Retry { why, retry_after } => Attempt::Retry {
                why: r.redact(&why),
                retry_after,
            },
            Attempt::Outcome(Outcome::Failed(m)) => Attempt::Outcome(Outcome::Failed(r.redact(&m))),
            Attempt::Outcome(Outcome::Fatal(e)) => {
                Attempt::Outcome(Outcome::Fatal(Error::new(e.kind(), r.redact(e.message()))))
            }
            other => other,
        }
    }

    fn attempt_raw(&self, body: &str) -> Attempt {
        let mut req = self
            .agent
            .post(&self.url)
            .header("Content-Type", "application/json");
        if let Some(k) = &self.key {
            req = req.header("Authorization", format!("Bearer {k}"));
        }
        let mut resp = match req.send(body) {
            Ok(r) => r,
            Err(e) => {
                return Attempt::Retry {
                    why: format!("no answer from {}: {e}", self.url),
                    retry_after: None,
                }
            }
        };
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| collect::parse_retry_after(v, now_unix()));
        let text = match resp
            .body_mut()
            .with_config()
            .limit(MAX_BODY_BYTES)
            .read_to_string()
        {
            Ok(t) => t,
            Err(e) => {
                return Attempt::Retry {
                    why: format!("status {status}, unreadable body: {e}"),
                    retry_after,
                }
            }
        };
        let url = &self.url;
        match collect::classify_status(status) {
            StatusClass::Success => match collect::parse_chat_completion(&text) {
                Ok(answer) => Attempt::Answer(answer),
                Err(BodyProblem::NoText(m)) => Attempt::Outcome(Outcome::Failed(m)),
                // An empty answer is tried again, then the prompt fails:
                // it is never saved as an answer.
                Err(BodyProblem::Empty(m)) => Attempt::Retry { why: m, retry_after },
                Err(BodyProblem::NotChatCompletion(m)) => Attempt::Outcome(Outcome::Fatal(failed(format!(
                    "{url} answered {status} with something that is not a chat completion: {m}; is --endpoint the API's base URL (e.g. http://localhost:8000/v1)?"
                )))),
            },
            StatusClass::Retry => Attempt::Retry {
                why: format!("status {status}{}", server_says(&text)),
                retry_after,
            },
            StatusClass::Unauthorized => Attempt::Outcome(Outcome::Fatal(Error::new(
                ErrorKind::AuthFailed,
                format!(
                    "{url} refused the request with status {status}{}: {}",
                    server_says(&text),
                    if self.key.is_some() {
                        format!("check the API key in {KEY_VAR}")
                    } else {
                        format!("the server wants an API key; set {KEY_VAR}")
                    }
                ),
            ))),
            StatusClass::NotFound => Attempt::Outcome(Outcome::Fatal(failed(format!(
                "{url} answered {status}{}: check --endpoint (the base URL, to which /chat/completions is added) and --model",
                server_says(&text)
            )))),
            StatusClass::Rejected => Attempt::Outcome(Outcome::Failed(format!(
                "status {status}{}",
                server_says(&text)
            ))),
        }
    }
}

/// The server's own message, when its error body has one, else the start
/// of the body.
fn server_says(body: &str) -> String {
    let msg = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            let e = v.get("error")?;
            Some(
                e.get("message")
                    .and_then(|m| m.as_str())
                    .map_or_else(|| e.to_string(), str::to_string),
            )
        })
        .unwrap_or_else(|| body.trim().chars().take(200).collect());
    if msg.is_empty() {
        String::new()
    } else {
        format!(" ({msg})")
    }
}

fn now_unix() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
