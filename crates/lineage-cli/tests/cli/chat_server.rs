//! A chat-completions server on 127.0.0.1 for the CLI tests: real HTTP/1.1
//! over a real socket, one thread per connection, every request logged,
//! and a handler (replaceable between runs) that decides each reply from
//! the request and how often its prompt was asked before. Answers are
//! deterministic, so tests can check exactly what was written.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// One request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub authorization: Option<String>,
    pub body: Value,
    /// The last user message.
    pub prompt: String,
    pub model: String,
    pub at: Instant,
}

/// What the server answers.
pub enum Reply {
    /// A chat completion whose answer is this text.
    Answer(String),
    /// Any status, extra headers and raw body.
    Raw(u16, Vec<(String, String)>, String),
    /// The reply after a pause.
    Slow(Duration, Box<Reply>),
}

/// Decides a reply from the request and how many times its prompt was
/// asked before (0 the first time).
pub type Handler = Box<dyn Fn(&Seen, usize) -> Reply + Send + Sync>;

struct State {
    handler: Mutex<Handler>,
    seen: Mutex<Vec<Seen>>,
    asked: Mutex<BTreeMap<String, usize>>,
}

pub struct ChatServer {
    /// `http://127.0.0.1:PORT/v1`: what `--endpoint` takes.
    pub endpoint: String,
    state: Arc<State>,
    stop: Arc<AtomicBool>,
    port: u16,
    thread: Option<JoinHandle<()>>,
}

impl ChatServer {
    pub fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let port = listener.local_addr().unwrap().port();
        let state = Arc::new(State {
            handler: Mutex::new(Box::new(handler)),
            seen: Mutex::new(Vec::new()),
            asked: Mutex::new(BTreeMap::new()),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (state, stop) = (state.clone(), stop.clone());
            std::thread::spawn(move || {
                for conn in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(conn) = conn else { continue };
                    let state = state.clone();
                    std::thread::spawn(move || serve(conn, &state));
                }
            })
        };
        ChatServer {
            endpoint: format!("http://127.0.0.1:{port}/v1"),
            state,
            stop,
            port,
            thread: Some(thread),
        }
    }

    /// Replaces the handler (for the next run of the CLI).
    pub fn set_handler(&self, handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) {
        *self.state.handler.lock().unwrap() = Box::new(handler);
    }

    /// Every request so far, in arrival order.
    pub fn seen(&self) -> Vec<Seen> {
        self.state.seen.lock().unwrap().clone()
    }

    /// How many times each prompt was asked.
    pub fn asked(&self) -> BTreeMap<String, usize> {
        self.state.asked.lock().unwrap().clone()
    }
}

impl Drop for ChatServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A chat-completions body answering `text` as `model`.
pub fn completion(model: &str, text: &str) -> String {
    json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": format!("{model}-served"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 5, "total_tokens": 8}
    })
    .to_string()
}

fn serve(conn: TcpStream, state: &State) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match conn.try_clone() {
        Ok(c) => c,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_string();
    let mut length = 0usize;
    let mut authorization = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim().to_string());
            if k == "content-length" {
                length = v.parse().unwrap_or(0);
            } else if k == "authorization" {
                authorization = Some(v);
            }
        }
    }
    let mut body = vec![0u8; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let prompt = body["messages"]
        .as_array()
        .and_then(|m| m.iter().rev().find(|x| x["role"] == "user"))
        .and_then(|m| m["content"].as_str())
        .unwrap_or("")
        .to_string();
    let seen = Seen {
        path,
        authorization,
        model: body["model"].as_str().unwrap_or("").to_string(),
        body,
        prompt: prompt.clone(),
        at: Instant::now(),
    };
    let before = {
        let mut asked = state.asked.lock().unwrap();
        let n = asked.entry(prompt).or_default();
        *n += 1;
        *n - 1
    };
    state.seen.lock().unwrap().push(seen.clone());
    let mut reply = (state.handler.lock().unwrap())(&seen, before);
    let (status, headers, text) = loop {
        match reply {
            Reply::Slow(d, r) => {
                std::thread::sleep(d);
                reply = *r;
            }
            Reply::Answer(t) => break (200, Vec::new(), completion(&seen.model, &t)),
            Reply::Raw(s, h, b) => break (s, h, b),
        }
    };
    let mut out = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        reason(status),
        text.len()
    );
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    out.push_str("\r\n");
    out.push_str(&text);
    let mut conn = conn;
    let _ = conn.write_all(out.as_bytes());
    let _ = conn.flush();
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        _ => "Status",
    }
}
