use thiserror::Error;

/// Why an import was refused. Every message names the source and the place.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("{source_name}: {message}")]
    Invalid {
        source_name: String,
        message: String,
    },
    #[error("{source_name}: line {line}, column {column}: {message}")]
    Syntax {
        source_name: String,
        line: usize,
        column: usize,
        message: String,
    },
}

impl ImportError {
    pub fn invalid(source_name: &str, message: impl Into<String>) -> Self {
        ImportError::Invalid {
            source_name: source_name.to_string(),
            message: message.into(),
        }
    }
}
