//! The crate's one error type: an opaque [`Error`] with an [`ErrorKind`]
//! and a lowercase message naming what is wrong (aho-corasick's shape,
//! like `ClassifierError`).
//!
//! The kind *is* the stable code every front end shows: the CLI prints
//! `error: TOO_LARGE: …`, the JS package throws an `Error` whose `code` is
//! `"TOO_LARGE"`, and the TypeScript union of codes is generated from this
//! enum. [`ErrorKind::code`] is the one mapping from kinds to codes.

use std::fmt;

use serde::Serialize;

/// What went wrong, as a stable code. New kinds may be added.
///
/// The three last kinds are never made by the core itself: `PANIC` and
/// `STALE_WORKSPACE` come from the wasm boundary and the package entry,
/// `INTERNAL` marks a bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[cfg_attr(
    feature = "typescript",
    derive(tsify::Tsify),
    tsify(rename = "LineageErrorCode")
)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument has the wrong type, an unknown field or a value out of range.
    BadArgument,
    /// There is nothing to analyse: no samples, or an input without a single record.
    EmptyInput,
    /// No line of a JSON Lines input could be read (the first errors are in the message).
    BadJsonl,
    /// No record of a CSV input could be read (the first errors are in the message).
    BadCsv,
    /// An input, or the workspace, would exceed a size limit.
    TooLarge,
    /// A role (suspect, candidate, control) names a source no sample has.
    UnknownSource,
    /// The roles cannot be analysed (fewer than two candidates, a source in two roles).
    BadRoles,
    /// An input could not be read (a missing file, a failed `Blob` read).
    ReadFailed,
    /// A server refused the credentials (`lineage collect`: HTTP 401 or
    /// 403, the API key missing or wrong). Never made by the analysis.
    AuthFailed,
    /// A bug in Lineage caught as a panic: the module has been reset and
    /// stays usable, but every `Workspace` made before it is gone. Please
    /// report it with the input.
    Panic,
    /// A `Workspace` made before a reset (see `PANIC`) was used; make a new
    /// one. Thrown by the package entry, which tracks the resets.
    StaleWorkspace,
    /// A bug in Lineage: please report it with the input that caused it.
    Internal,
}

impl ErrorKind {
    /// Every kind, in declaration order (tests check each code).
    pub const ALL: [ErrorKind; 12] = [
        ErrorKind::BadArgument,
        ErrorKind::EmptyInput,
        ErrorKind::BadJsonl,
        ErrorKind::BadCsv,
        ErrorKind::TooLarge,
        ErrorKind::UnknownSource,
        ErrorKind::BadRoles,
        ErrorKind::ReadFailed,
        ErrorKind::AuthFailed,
        ErrorKind::Panic,
        ErrorKind::StaleWorkspace,
        ErrorKind::Internal,
    ];

    /// The stable code: `BAD_ARGUMENT`, `TOO_LARGE`, ...
    pub fn code(self) -> &'static str {
        match self {
            ErrorKind::BadArgument => "BAD_ARGUMENT",
            ErrorKind::EmptyInput => "EMPTY_INPUT",
            ErrorKind::BadJsonl => "BAD_JSONL",
            ErrorKind::BadCsv => "BAD_CSV",
            ErrorKind::TooLarge => "TOO_LARGE",
            ErrorKind::UnknownSource => "UNKNOWN_SOURCE",
            ErrorKind::BadRoles => "BAD_ROLES",
            ErrorKind::ReadFailed => "READ_FAILED",
            ErrorKind::AuthFailed => "AUTH_FAILED",
            ErrorKind::Panic => "PANIC",
            ErrorKind::StaleWorkspace => "STALE_WORKSPACE",
            ErrorKind::Internal => "INTERNAL",
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An error a caller can act on: its [`kind`](Error::kind) says what
/// kind of mistake it is, its message (`Display`) what exactly is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
    message: String,
}

impl Error {
    /// An error of `kind`; `message` is lowercase, without a final period.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The message without the code.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The `READ_FAILED` error for an input named `name` that could not
    /// be read (`detail` says why).
    pub fn read_failed(name: &str, detail: impl fmt::Display) -> Self {
        Error::new(
            ErrorKind::ReadFailed,
            format!("cannot read {name}: {detail}"),
        )
    }

    /// The `PANIC` error of the wasm module's panic hook: the panic's
    /// message ([`panic_message`]) and where it happened.
    pub fn panic(
        payload: &(dyn std::any::Any + Send),
        location: Option<&std::panic::Location<'_>>,
    ) -> Self {
        let message = panic_message(payload);
        let location = location
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        Error::new(
            ErrorKind::Panic,
            format!("internal error (the module has been reset): {message}{location}"),
        )
    }

    /// The same error with `context` before its message ("analyze: …").
    pub fn context(self, context: &str) -> Self {
        Error {
            kind: self.kind,
            message: format!("{context}: {}", self.message),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// The message of a panic: its `&str` or `String` payload.
pub fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string())
}

/// `Result` with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_has_one_stable_code() {
        // (kind, code): the table the package's README and `.d.ts` promise.
        let cases = [
            (ErrorKind::BadArgument, "BAD_ARGUMENT"),
            (ErrorKind::EmptyInput, "EMPTY_INPUT"),
            (ErrorKind::BadJsonl, "BAD_JSONL"),
            (ErrorKind::BadCsv, "BAD_CSV"),
            (ErrorKind::TooLarge, "TOO_LARGE"),
            (ErrorKind::UnknownSource, "UNKNOWN_SOURCE"),
            (ErrorKind::BadRoles, "BAD_ROLES"),
            (ErrorKind::ReadFailed, "READ_FAILED"),
            (ErrorKind::AuthFailed, "AUTH_FAILED"),
            (ErrorKind::Panic, "PANIC"),
            (ErrorKind::StaleWorkspace, "STALE_WORKSPACE"),
            (ErrorKind::Internal, "INTERNAL"),
        ];
        assert_eq!(cases.map(|c| c.0), ErrorKind::ALL);
        for (kind, code) in cases {
            assert_eq!(kind.code(), code);
            // The TypeScript union is generated from the serde names.
            assert_eq!(serde_json::to_value(kind).unwrap(), code);
        }
    }

    #[test]
    fn messages_carry_context_not_the_code() {
        let e = Error::new(ErrorKind::TooLarge, "the texts exceed 16 MiB").context("analyze");
        assert_eq!(e.to_string(), "analyze: the texts exceed 16 MiB");
        assert_eq!(e.kind(), ErrorKind::TooLarge);
    }

    #[test]
    fn a_panic_says_what_and_where() {
        let here = std::panic::Location::caller();
        let e = Error::panic(&"index out of bounds", Some(here));
        assert_eq!(e.kind(), ErrorKind::Panic);
        let want = format!(
            "internal error (the module has been reset): index out of bounds at {}:{}",
            here.file(),
            here.line()
        );
        assert_eq!(e.message(), want);
        let e = Error::panic(&String::from("boom"), None);
        assert!(e.message().ends_with(": boom"), "{e}");
        let e = Error::panic(&42u8, None);
        assert!(e.message().ends_with(": unknown panic"), "{e}");
    }
}
