//! The workshop file: one SQLite database holding frameworks, items and links.
//! Every change runs in its own transaction, so a failure leaves the file as it was.
mod drafts;
mod frameworks;
mod history;
mod import;
mod links;
mod published;
mod rejections;
mod schema;
mod screen;
mod seed;
mod session;
mod validation;

pub use drafts::{DraftReport, DraftRow, parse_drafts};
pub use frameworks::FrameworkSummary;
pub use history::HistoryFilter;
pub use import::ImportReport;
pub use links::{LinkChange, NewLink};
pub use published::CROSSWALK;
pub use rejections::Rejection;
pub use screen::PlacedLink;
pub use seed::SAMPLE_FRAMEWORKS;
pub use session::CONSENSUS_RULE;
#[cfg(test)]
pub(crate) use session::test_support;

use rusqlite::{Connection, OptionalExtension};
use std::path::{Path, PathBuf};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    #[error(
        "{path} was written by a newer crosswalk (schema {found}, this build knows up to {known})"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// An open workshop file.
pub struct Workshop {
    conn: Connection,
    path: PathBuf,
    /// The participant making the changes (`--as`), named in the session history.
    actor: Option<crate::model::Participant>,
}

impl Workshop {
    /// Opens (creating if needed) the workshop at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        let wrap = |source| StoreError::Sqlite {
            path: path.display().to_string(),
            source,
        };
        let conn = Connection::open(path).map_err(wrap)?;
        Self::configure(conn, path.to_path_buf())
    }

    /// A workshop that lives only in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self> {
        let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
            path: ":memory:".into(),
            source,
        })?;
        Self::configure(conn, PathBuf::from(":memory:"))
    }

    /// Opens the workshop at `path`; a file that did not exist is seeded with the sample frameworks.
    pub fn open_or_seed(path: &Path) -> Result<(Self, bool)> {
        let fresh = !path.exists();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Refused(format!("cannot create {}: {e}", dir.display()))
            })?;
        }
        let mut ws = Self::open(path)?;
        if fresh {
            seed::seed_samples(&mut ws)?;
        }
        Ok((ws, fresh))
    }

    fn configure(conn: Connection, path: PathBuf) -> Result<Self> {
        let mut ws = Workshop {
            conn,
            path,
            actor: None,
        };
        ws.conn
            .execute_batch(
                "PRAGMA foreign_keys = ON;
                 PRAGMA busy_timeout = 5000;",
            )
            .map_err(|e| ws.err(e))?;
        // WAL keeps readers and the writer apart; in-memory databases ignore it.
        ws.conn
            .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(|e| ws.err(e))?;
        ws.conn
            .execute_batch("PRAGMA synchronous = NORMAL;")
            .map_err(|e| ws.err(e))?;
        schema::migrate(&mut ws)?;
        Ok(ws)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Wraps a SQLite error with the file it came from.
    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// A workshop setting (which frameworks sit left and right, the default link type, ...).
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        self.conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| self.err(e))
    }

    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO settings(key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// The identifier of this workshop's crosswalk document, made once and kept.
    pub fn crosswalk_identifier(&mut self) -> Result<String> {
        if let Some(id) = self.setting("crosswalk.identifier")? {
            return Ok(id);
        }
        let id = uuid::Uuid::new_v4().to_string();
        self.set_setting("crosswalk.identifier", &id)?;
        Ok(id)
    }
}

/// Timestamps are stored as RFC 3339 text in UTC.
pub(crate) fn now_rfc3339() -> String {
    format_time(time::OffsetDateTime::now_utc())
}

pub fn format_time(t: time::OffsetDateTime) -> String {
    t.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .unwrap_or(t)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

pub(crate) fn parse_time(s: &str) -> time::OffsetDateTime {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests;
