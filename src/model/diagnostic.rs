//! What a reader could not read, or wants the user to know, with the place it happened.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

/// How bad a diagnostic is: errors lose data, warnings only flag something odd.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One message about one line of one input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub source: Arc<str>,
    /// 1-based; 0 when the message is about the whole input.
    pub line: u64,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    pub fn error(source: &Arc<str>, line: u64, message: impl Into<String>) -> Self {
        Self::new(source, line, Severity::Error, message)
    }

    pub fn warning(source: &Arc<str>, line: u64, message: impl Into<String>) -> Self {
        Self::new(source, line, Severity::Warning, message)
    }

    fn new(source: &Arc<str>, line: u64, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            source: Arc::clone(source),
            line,
            severity,
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        if self.line == 0 {
            write!(f, "{}: {level}: {}", self.source, self.message)
        } else {
            write!(
                f,
                "{}:{}: {level}: {}",
                self.source, self.line, self.message
            )
        }
    }
}
