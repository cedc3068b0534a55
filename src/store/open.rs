//! Opening a workshop file safely: a file is looked at before anything in it changes.
//!
//! In order: the path must exist (unless creating) and be a file; its header must say
//! crosswalk (`PRAGMA application_id`) or, for files made before crosswalk marked them,
//! hold only crosswalk's tables; its schema must not be newer than this build's. Only
//! then is it switched to WAL, migrated and marked. A file that cannot be written (a
//! read-only folder or file) opens read-only when it needs no migration, so listing,
//! showing, exporting and reporting still work.
use super::{Result, StoreError, Workshop, schema};
use rusqlite::{Connection, OpenFlags};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// `PRAGMA application_id` of every crosswalk workshop: "CWLK" in ASCII.
pub const APPLICATION_ID: i32 = 0x4357_4C4B;

/// Whether a missing file may be created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Missing {
    Create,
    Refuse,
}

/// What the file's header and schema say, read without changing anything.
struct Header {
    application_id: i32,
    version: i64,
    tables: BTreeSet<String>,
}

pub(super) fn open(path: &Path, missing: Missing) -> Result<Workshop> {
    let shown = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => return Err(StoreError::IsDirectory { path: shown }),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if missing == Missing::Refuse {
                return Err(StoreError::Missing { path: shown });
            }
        }
        Err(e) => {
            return Err(StoreError::Refused(format!(
                "{shown} cannot be opened: {}",
                io_words(&e)
            )));
        }
    }
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI
        | if missing == Missing::Create {
            OpenFlags::SQLITE_OPEN_CREATE
        } else {
            OpenFlags::empty()
        };
    let wrap = |source| StoreError::Sqlite {
        path: shown.clone(),
        source,
    };
    let conn = Connection::open_with_flags(path, flags).map_err(wrap)?;
    match inspect(&conn, path) {
        Ok(header) if !conn.is_readonly("main").unwrap_or(false) => {
            configure(conn, path.to_path_buf(), header, false)
        }
        // The file or its folder cannot be written: read what is there instead.
        Ok(_) => open_read_only(path),
        Err(StoreError::Sqlite { source, .. }) if cannot_write(&source) => open_read_only(path),
        Err(e) => Err(e),
    }
}

/// A workshop only in memory: checked and migrated like a file.
pub(super) fn open_in_memory() -> Result<Workshop> {
    let conn = Connection::open_in_memory().map_err(|source| StoreError::Sqlite {
        path: ":memory:".into(),
        source,
    })?;
    let path = PathBuf::from(":memory:");
    let header = inspect(&conn, &path)?;
    configure(conn, path, header, false)
}

/// Reopens read-only. In a folder that cannot be written, SQLite cannot make the WAL
/// index beside the file, so the file is opened as immutable: nobody can be writing it
/// through this folder while it stays read-only. (A -wal file a crash left there is
/// not read then; crosswalk checkpoints it away whenever it closes normally.)
fn open_read_only(path: &Path) -> Result<Workshop> {
    let shown = path.display().to_string();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let wrap = |source| StoreError::Sqlite {
        path: shown.clone(),
        source,
    };
    let plain = Connection::open_with_flags(path, flags).map_err(wrap)?;
    let (conn, header) = match inspect(&plain, path) {
        Ok(h) => (plain, h),
        Err(StoreError::Sqlite { source, .. }) if cannot_write(&source) => {
            drop(plain);
            let uri = format!("file:{}?immutable=1", uri_path(path));
            let conn = Connection::open_with_flags(uri, flags).map_err(wrap)?;
            let header = inspect(&conn, path)?;
            (conn, header)
        }
        Err(e) => return Err(e),
    };
    if header.version < schema::SCHEMA_VERSION {
        return Err(StoreError::Refused(format!(
            "{shown} was written by an older crosswalk and needs upgrading, but it is read-only"
        )));
    }
    configure(conn, path.to_path_buf(), header, true)
}

/// Reads the header and the table names, and refuses what is not ours, all before any write.
fn inspect(conn: &Connection, path: &Path) -> Result<Header> {
    let shown = path.display().to_string();
    let wrap = |source: rusqlite::Error| match source.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotAWorkshop {
            path: shown.clone(),
            why: "it is not an SQLite database".into(),
        },
        _ => StoreError::Sqlite {
            path: shown.clone(),
            source,
        },
    };
    conn.busy_timeout(std::time::Duration::from_secs(5))
        .map_err(wrap)?;
    let application_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(wrap)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(wrap)?;
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
        .map_err(wrap)?;
    let tables = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(wrap)?
        .collect::<rusqlite::Result<BTreeSet<_>>>()
        .map_err(wrap)?;
    let header = Header {
        application_id,
        version,
        tables,
    };
    let foreign = |why: String| {
        Err(StoreError::NotAWorkshop {
            path: shown.clone(),
            why,
        })
    };
    match header.application_id {
        APPLICATION_ID => {}
        0 => {
            // Unmarked: an empty file, or one crosswalk made before it marked its files.
            let ours = crosswalk_tables();
            let strangers: Vec<&str> = header
                .tables
                .iter()
                .filter(|t| !ours.contains(*t))
                .map(String::as_str)
                .collect();
            if !strangers.is_empty() {
                return foreign(format!(
                    "it holds tables crosswalk does not make: {}",
                    strangers.join(", ")
                ));
            }
            let fresh = header.version == 0 && header.tables.is_empty();
            let legacy = (1..=schema::SCHEMA_VERSION).contains(&header.version)
                && header.tables.contains("frameworks");
            if !fresh && !legacy {
                return foreign(format!(
                    "its schema version {} is not one crosswalk wrote",
                    header.version
                ));
            }
        }
        other => {
            return foreign(format!(
                "another program's file (application id {other:#010x})"
            ));
        }
    }
    if header.version > schema::SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: shown,
            found: header.version,
            known: schema::SCHEMA_VERSION,
        });
    }
    Ok(header)
}

/// Settings, then (writable files only) WAL, migrations and the crosswalk mark.
fn configure(conn: Connection, path: PathBuf, header: Header, read_only: bool) -> Result<Workshop> {
    let mut ws = Workshop {
        conn,
        path,
        actor: None,
        read_only,
        written: Default::default(),
    };
    // Every write transaction takes the write lock first (see `in_transaction`), so the
    // busy timeout applies to it instead of "database is locked" at once.
    ws.conn
        .set_transaction_behavior(rusqlite::TransactionBehavior::Immediate);
    ws.conn
        .execute_batch("PRAGMA foreign_keys = ON;")
        .map_err(|e| ws.err(e))?;
    if read_only {
        return Ok(ws);
    }
    // WAL keeps readers and the writer apart; in-memory databases ignore it.
    ws.conn
        .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
        .map_err(|e| ws.err(e))?;
    ws.conn
        .execute_batch("PRAGMA synchronous = NORMAL;")
        .map_err(|e| ws.err(e))?;
    schema::migrate(&mut ws)?;
    if header.application_id != APPLICATION_ID {
        ws.conn
            .pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(|e| ws.err(e))?;
    }
    Ok(ws)
}

/// Every table the migrations make or once made, found by running them on an empty
/// in-memory database.
fn crosswalk_tables() -> &'static BTreeSet<String> {
    static TABLES: OnceLock<BTreeSet<String>> = OnceLock::new();
    TABLES.get_or_init(|| {
        // Every table of every version: an older file may hold one a later migration drops.
        let mut tables = BTreeSet::new();
        let mut conn = Connection::open_in_memory().expect("SQLite opens in memory");
        schema::apply_all(&mut conn, |conn| {
            let mut stmt = conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
                .expect("sqlite_master is readable");
            tables.extend(
                stmt.query_map([], |r| r.get::<_, String>(0))
                    .expect("sqlite_master is readable")
                    .filter_map(|r| r.ok()),
            );
        })
        .expect("the migrations run on an empty database");
        tables
    })
}

/// Errors that mean "this cannot be written here", after which read-only is worth a try.
fn cannot_write(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
    )
}

/// A path as the file part of an SQLite URI: `%`, `?` and `#` are escaped.
fn uri_path(path: &Path) -> String {
    let mut out = String::new();
    for c in path.to_string_lossy().chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
}

/// An I/O error in words, without the "(os error N)" tail.
pub(super) fn io_words(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::NotFound => "it does not exist".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_lowercase(),
                None => s,
            }
        }
    }
}
