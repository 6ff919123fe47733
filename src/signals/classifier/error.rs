//! The classifier's error: why a model could not be trained or
//! cross-validated (a kind, shown as a sentence).

use std::fmt;

/// Why a classifier could not be trained or cross-validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassifierError {
    kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ErrorKind {
    LengthMismatch {
        texts: usize,
        labels: usize,
    },
    TooFewClasses(usize),
    LabelOutOfRange {
        label: usize,
        n_classes: usize,
    },
    EmptyClass(usize),
    TooFewFolds(usize),
    ClassSmallerThanFolds {
        class: usize,
        count: usize,
        folds: usize,
    },
    BadOption(&'static str),
}

impl fmt::Display for ClassifierError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ErrorKind::LengthMismatch { texts, labels } => {
                write!(f, "{texts} texts but {labels} labels")
            }
            ErrorKind::TooFewClasses(n) => write!(f, "need at least 2 classes, got {n}"),
            ErrorKind::LabelOutOfRange { label, n_classes } => {
                write!(f, "label {label} is out of range for {n_classes} classes")
            }
            ErrorKind::EmptyClass(c) => write!(f, "class {c} has no training texts"),
            ErrorKind::TooFewFolds(k) => write!(f, "need at least 2 folds, got {k}"),
            ErrorKind::ClassSmallerThanFolds {
                class,
                count,
                folds,
            } => write!(
                f,
                "class {class} has {count} texts, fewer than the {folds} folds"
            ),
            ErrorKind::BadOption(what) => write!(f, "invalid option: {what}"),
        }
    }
}

impl std::error::Error for ClassifierError {}

pub(super) fn err(kind: ErrorKind) -> ClassifierError {
    ClassifierError { kind }
}
