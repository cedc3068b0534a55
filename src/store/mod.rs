//! The workshop file: one SQLite database holding frameworks, items and links.
//! Every change runs in its own transaction, so a failure leaves the file as it was.
mod crosswalk;
mod drafts;
mod feed;
mod frameworks;
mod history;
mod import;
mod invites;
mod links;
mod open;
mod published;
mod rejections;
mod review;
mod schema;
mod screen;
mod seed;
mod session;
mod validation;

pub use drafts::{DraftReport, DraftRow, parse_drafts};
pub use feed::{ChangeFeed, FeedEntry, Touch};
pub use frameworks::{FrameworkSummary, StoredFramework};
pub use history::HistoryFilter;
pub use import::{ImportOptions, ImportReport};
pub use invites::{Invite, join_url_under};
pub use links::{LinkChange, LinkEdit, NewLink};
pub use open::APPLICATION_ID;
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

/// What went wrong, in one sentence in the user's terms: the file's path, then what is
/// the matter with it. SQLite's own wording is not repeated after it.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("{path} {}", sqlite_words(source))]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Refused(String),
    /// An edit made from an older copy of a row: someone changed it since.
    #[error("{0}")]
    Stale(String),
    #[error(
        "{path} was written by a newer crosswalk (schema {found}, this build knows up to {known}); it was left untouched"
    )]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("{path} does not exist (create it with `crosswalk init {path}` or pass --create)")]
    Missing { path: String },
    #[error("{path} is a directory, not a workshop file")]
    IsDirectory { path: String },
    #[error("{path} already exists; open it with --db {path}")]
    Exists { path: String },
    #[error("{path} is not a crosswalk workshop: {why}; it was left untouched")]
    NotAWorkshop { path: String, why: String },
    #[error("{path} is damaged: {details}; SQLite found this, so nothing was read from it")]
    Damaged { path: String, details: String },
}

/// What an SQLite error means for the user's file, after its path.
fn sqlite_words(e: &rusqlite::Error) -> String {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy | C::DatabaseLocked) => {
            "is locked by another program; try again when it is done".into()
        }
        Some(C::ReadOnly) => {
            "is read-only (the file or its folder cannot be written), so this change was not made"
                .into()
        }
        Some(C::CannotOpen) => {
            "cannot be opened (check that its folder exists and can be read)".into()
        }
        Some(C::PermissionDenied) => "cannot be opened: permission denied".into(),
        Some(C::NotADatabase) => "is not a crosswalk workshop (not an SQLite database)".into(),
        Some(C::DatabaseCorrupt) => "is damaged (SQLite reports corruption)".into(),
        Some(C::DiskFull) => "cannot be written: the disk is full".into(),
        Some(C::SystemIoFailure) => "cannot be read or written (an I/O error)".into(),
        _ => match e {
            rusqlite::Error::SqliteFailure(_, Some(msg)) => format!("could not be used: {msg}"),
            other => format!("could not be used: {other}"),
        },
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

/// The setting holding the link under discussion.
const FOCUS: &str = "session.focus";

/// An open workshop file.
pub struct Workshop {
    conn: Connection,
    path: PathBuf,
    /// The participant making the changes (`--as`), named in the session history.
    actor: Option<crate::model::Participant>,
    /// History entries this handle wrote, so its change feed can tell its own changes
    /// from other people's.
    written: std::cell::RefCell<Vec<i64>>,
    /// Opened read-only (the file or its folder cannot be written): reading works, changes fail.
    read_only: bool,
}

impl Workshop {
    /// Opens the workshop at `path`, creating an empty one when the file does not exist
    /// (tests, benchmarks, `init`), and brings its schema up to date. A file that is not
    /// a crosswalk workshop, or is from a newer crosswalk, is refused untouched.
    pub fn open(path: &Path) -> Result<Self> {
        open::open(path, open::Missing::Create)
    }

    /// Opens an existing workshop; a missing file is an error that says how to create one.
    pub fn open_existing(path: &Path) -> Result<Self> {
        open::open(path, open::Missing::Refuse)
    }

    /// A workshop that lives only in memory (tests, benchmarks).
    pub fn open_in_memory() -> Result<Self> {
        open::open_in_memory()
    }

    /// Creates a new workshop at `path` (making missing folders), with the sample
    /// frameworks when `samples`; an existing file is refused.
    pub fn create(path: &Path, samples: bool) -> Result<Self> {
        if path.exists() {
            return Err(StoreError::Exists {
                path: path.display().to_string(),
            });
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| {
                StoreError::Refused(format!(
                    "cannot create the folder {}: {}",
                    dir.display(),
                    open::io_words(&e)
                ))
            })?;
        }
        let mut ws = Self::open(path)?;
        if samples {
            seed::seed_samples(&mut ws)?;
        }
        Ok(ws)
    }

    /// Opens the workshop at `path`; a file that did not exist is created (with its
    /// folders) and seeded with the sample frameworks. For the default workshop and `--create`.
    pub fn open_or_seed(path: &Path) -> Result<(Self, bool)> {
        if path.exists() {
            return Ok((Self::open_existing(path)?, false));
        }
        Ok((Self::create(path, true)?, true))
    }

    /// True when the file could only be opened read-only.
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Asks SQLite to check the file (`PRAGMA quick_check`); damage is an error naming it.
    /// Exports and reports run this first, so nothing is exported from a damaged file.
    pub fn check_integrity(&self) -> Result<()> {
        integrity_of(&self.conn, &self.path)
    }

    /// Runs `work` while a second connection checks the file as [`Self::check_integrity`]
    /// does, on another core; damage is the error, whatever `work` did. For work that can
    /// still be thrown away when the check fails: a file written but not yet in place.
    pub fn checking_meanwhile<R>(&self, work: impl FnOnce() -> R) -> Result<R> {
        let flags =
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let Ok(other) = rusqlite::Connection::open_with_flags(&self.path, flags) else {
            // Not a file another connection can open (in memory): check, then work.
            self.check_integrity()?;
            return Ok(work());
        };
        std::thread::scope(|s| {
            let path = &self.path;
            let check = s.spawn(move || integrity_of(&other, path));
            let done = work();
            match check.join() {
                Ok(checked) => checked.map(|()| done),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
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

    /// Publishes the link the facilitator's screen has in front of the room, so every
    /// participant's page can show it ("now discussing"); `None` clears it.
    pub fn set_focus(&mut self, link: Option<&str>) -> Result<()> {
        match link {
            Some(id) => self.set_setting(FOCUS, id),
            None => self
                .conn
                .execute("DELETE FROM settings WHERE key = ?1", [FOCUS])
                .map(|_| ())
                .map_err(|e| self.err(e)),
        }
    }

    /// The link under discussion, as the facilitator's screen last published it.
    pub fn focus(&self) -> Result<Option<String>> {
        self.setting(FOCUS)
    }

    /// The identifier of this workshop's crosswalk document, made once and kept.
    pub fn crosswalk_identifier(&mut self) -> Result<String> {
        if let Some(id) = self.setting("crosswalk.identifier")? {
            return Ok(id);
        }
        if self.read_only {
            // Cannot be kept: derive one from the file, the same on every read-only export.
            let name = format!("crosswalk-workshop:{}", self.path.display());
            return Ok(uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes()).to_string());
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

/// `PRAGMA quick_check` on `conn`, a connection to the workshop at `path`.
fn integrity_of(conn: &rusqlite::Connection, path: &Path) -> Result<()> {
    let err = |source| StoreError::Sqlite {
        path: path.display().to_string(),
        source,
    };
    let mut stmt = conn.prepare("PRAGMA quick_check").map_err(err)?;
    let found: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .map_err(err)?
        .collect::<rusqlite::Result<_>>()
        .map_err(err)?;
    if found.len() == 1 && found[0] == "ok" {
        return Ok(());
    }
    let details = found.into_iter().take(3).collect::<Vec<_>>().join("; ");
    Err(StoreError::Damaged {
        path: path.display().to_string(),
        details: crate::text::sanitize(&details).into_owned(),
    })
}
