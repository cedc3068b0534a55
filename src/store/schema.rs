//! Schema and forward migrations. `PRAGMA user_version` holds the version a file is at;
//! each step runs in its own transaction, so a file is never half migrated.
use super::{Result, StoreError, Workshop};

/// Migration `n` takes a file from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 0 -> 1: frameworks, items, their package associations, links.
    "CREATE TABLE frameworks (
        id          INTEGER PRIMARY KEY,
        identifier  TEXT NOT NULL UNIQUE,
        uri         TEXT NOT NULL,
        title       TEXT NOT NULL,
        creator     TEXT NOT NULL DEFAULT '',
        side        TEXT NOT NULL CHECK (side IN ('educator', 'employer')),
        raw         TEXT,
        definitions TEXT,
        imported_at TEXT NOT NULL
    );
    CREATE TABLE items (
        id               INTEGER PRIMARY KEY,
        framework_id     INTEGER NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
        identifier       TEXT NOT NULL,
        uri              TEXT NOT NULL,
        code             TEXT NOT NULL DEFAULT '',
        statement        TEXT NOT NULL,
        abbreviated      TEXT NOT NULL DEFAULT '',
        item_type        TEXT NOT NULL DEFAULT '',
        keywords         TEXT NOT NULL DEFAULT '[]',
        list_enumeration TEXT NOT NULL DEFAULT '',
        language         TEXT NOT NULL DEFAULT '',
        position         INTEGER NOT NULL,
        depth            INTEGER NOT NULL,
        parent_position  INTEGER,
        raw              TEXT,
        UNIQUE (framework_id, identifier)
    );
    CREATE INDEX items_by_identifier ON items(identifier);
    CREATE INDEX items_by_code ON items(code);
    CREATE TABLE package_associations (
        framework_id INTEGER NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        raw          TEXT NOT NULL
    );
    CREATE TABLE links (
        id               INTEGER PRIMARY KEY,
        identifier       TEXT NOT NULL UNIQUE,
        origin_id        INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        destination_id   INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        association_type TEXT NOT NULL,
        note             TEXT NOT NULL DEFAULT '',
        created          TEXT NOT NULL,
        changed          TEXT NOT NULL,
        UNIQUE (origin_id, destination_id)
    );
    CREATE INDEX links_by_destination ON links(destination_id);",
    // 1 -> 2: link strength, items marked as having no equivalent, workshop settings.
    "ALTER TABLE links ADD COLUMN strength TEXT NOT NULL DEFAULT 'major'
        CHECK (strength IN ('major', 'minor'));
    ALTER TABLE items ADD COLUMN no_equivalent INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);",
    // 2 -> 3: suggested alignments turned down, never suggested again for that pair.
    "CREATE TABLE rejected_suggestions (
        origin_identifier      TEXT NOT NULL,
        destination_identifier TEXT NOT NULL,
        rejected_at            TEXT NOT NULL,
        PRIMARY KEY (origin_identifier, destination_identifier)
    );",
    // 3 -> 4: the session: participants, votes, comments, competency validation, link
    // provenance, and the append-only history. Votes, comments and history name links by
    // identifier, not row, so they outlive a deleted link and return with it on undo.
    "ALTER TABLE links ADD COLUMN basis TEXT NOT NULL DEFAULT 'discussion'
        CHECK (basis IN ('discussion', 'suggestion', 'imported'));
    ALTER TABLE links ADD COLUMN confidence REAL CHECK (confidence IS NULL OR (confidence >= 0 AND confidence <= 1));
    ALTER TABLE links ADD COLUMN asserted_by TEXT;
    CREATE TABLE participants (
        id    INTEGER PRIMARY KEY,
        name  TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role  TEXT NOT NULL CHECK (role IN ('facilitator', 'faculty', 'employer-sme', 'observer')),
        added TEXT NOT NULL
    );
    CREATE TABLE votes (
        link_identifier TEXT NOT NULL,
        participant_id  INTEGER NOT NULL REFERENCES participants(id),
        vote            TEXT NOT NULL CHECK (vote IN ('accept', 'dispute', 'reject')),
        cast_at         TEXT NOT NULL,
        PRIMARY KEY (link_identifier, participant_id)
    );
    CREATE TABLE comments (
        id              INTEGER PRIMARY KEY,
        link_identifier TEXT NOT NULL,
        participant_id  INTEGER REFERENCES participants(id),
        body            TEXT NOT NULL,
        created         TEXT NOT NULL
    );
    CREATE INDEX comments_by_link ON comments(link_identifier, id);
    CREATE TABLE validations (
        item_identifier TEXT PRIMARY KEY,
        participant_id  INTEGER REFERENCES participants(id),
        verdict         TEXT NOT NULL CHECK (verdict IN ('validated', 'needs-revision', 'not-relevant')),
        comment         TEXT NOT NULL DEFAULT '',
        decided         TEXT NOT NULL
    );
    CREATE TABLE history (
        id                     INTEGER PRIMARY KEY,
        at                     TEXT NOT NULL,
        participant_id         INTEGER REFERENCES participants(id),
        action                 TEXT NOT NULL,
        link_identifier        TEXT,
        origin_identifier      TEXT,
        destination_identifier TEXT,
        item_identifier        TEXT,
        details                TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX history_by_link ON history(link_identifier);
    CREATE INDEX history_by_item ON history(item_identifier);
    CREATE INDEX history_by_origin ON history(origin_identifier);
    CREATE INDEX history_by_destination ON history(destination_identifier);
    CREATE TRIGGER history_is_append_only_update BEFORE UPDATE ON history
        BEGIN SELECT RAISE(ABORT, 'the session history is append-only'); END;
    CREATE TRIGGER history_is_append_only_delete BEFORE DELETE ON history
        BEGIN SELECT RAISE(ABORT, 'the session history is append-only'); END;",
    // 4 -> 5: indexes for naming items (identifiers match without regard to case) and for
    // reading a framework in tree order without a sort.
    "CREATE INDEX items_by_identifier_nocase ON items(identifier COLLATE NOCASE);
    CREATE INDEX items_by_position ON items(framework_id, position);",
    // 5 -> 6: links run one way, outcome (educator item) -> competency (employer item),
    // whichever pane or argument order drew them: reversed links are turned around, keeping
    // their identifiers, with a history entry each; triggers keep it so for every insert and
    // whenever a framework changes side. Links carry a revision, bumped by every edit, so an
    // edit made from an older copy of the link is refused instead of overwriting.
    "ALTER TABLE links ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
    CREATE VIEW reversed_links AS
        SELECT l.id, l.identifier, o.identifier AS origin, d.identifier AS destination,
               CASE WHEN o.code = '' THEN o.identifier ELSE o.code END AS origin_label,
               CASE WHEN d.code = '' THEN d.identifier ELSE d.code END AS destination_label,
               fo.id AS origin_framework, fd.id AS destination_framework
        FROM links l
        JOIN items o ON o.id = l.origin_id JOIN frameworks fo ON fo.id = o.framework_id
        JOIN items d ON d.id = l.destination_id JOIN frameworks fd ON fd.id = d.framework_id
        WHERE fo.side = 'employer' AND fd.side = 'educator';
    INSERT INTO history (at, action, link_identifier, origin_identifier, destination_identifier, details)
        SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'turned around', identifier, destination, origin,
               json_object('origin', destination_label, 'destination', origin_label,
                           'reason', 'links run from the outcome to the competency')
        FROM reversed_links;
    UPDATE links SET origin_id = destination_id, destination_id = origin_id
        WHERE id IN (SELECT id FROM reversed_links);
    CREATE TRIGGER links_run_outcome_to_competency AFTER INSERT ON links
        WHEN (SELECT f.side FROM items i JOIN frameworks f ON f.id = i.framework_id
              WHERE i.id = NEW.origin_id) = 'employer'
         AND (SELECT f.side FROM items i JOIN frameworks f ON f.id = i.framework_id
              WHERE i.id = NEW.destination_id) = 'educator'
        BEGIN
            UPDATE links SET origin_id = NEW.destination_id, destination_id = NEW.origin_id
            WHERE id = NEW.id;
        END;
    CREATE TRIGGER links_turn_with_their_framework AFTER UPDATE OF side ON frameworks
        BEGIN
            INSERT INTO history (at, action, link_identifier, origin_identifier, destination_identifier, details)
                SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'turned around', identifier, destination, origin,
                       json_object('origin', destination_label, 'destination', origin_label,
                                   'reason', 'a framework changed side; links run from the outcome to the competency')
                FROM reversed_links WHERE NEW.id IN (origin_framework, destination_framework);
            UPDATE links SET origin_id = destination_id, destination_id = origin_id
                WHERE id IN (SELECT id FROM reversed_links
                             WHERE NEW.id IN (origin_framework, destination_framework));
        END;",
    // 6 -> 7: invitations to join from a phone: one row per join link, holding only the
    // SHA-256 of its token (see store/invites.rs).
    "CREATE TABLE invites (
        id             INTEGER PRIMARY KEY,
        participant_id INTEGER NOT NULL REFERENCES participants(id) ON DELETE CASCADE,
        token_hash     TEXT NOT NULL UNIQUE,
        created        TEXT NOT NULL,
        expires        TEXT,
        revoked        TEXT
    );",
    // 7 -> 8: verdicts per expert: one current verdict per competency *and person*
    // (participant 0: given with nobody named, in a workshop without participants), so one
    // expert's verdict no longer replaces another's; the standing is derived from them all.
    // Existing verdicts are kept as their givers'.
    "CREATE TABLE verdicts (
        item_identifier TEXT NOT NULL,
        participant_id  INTEGER NOT NULL DEFAULT 0,
        verdict         TEXT NOT NULL CHECK (verdict IN ('validated', 'needs-revision', 'not-relevant')),
        comment         TEXT NOT NULL DEFAULT '',
        decided         TEXT NOT NULL,
        PRIMARY KEY (item_identifier, participant_id)
    );
    INSERT INTO verdicts (item_identifier, participant_id, verdict, comment, decided)
        SELECT item_identifier, COALESCE(participant_id, 0), verdict, comment, decided FROM validations;
    DROP TABLE validations;",
    // 8 -> 9: a framework's CFRubrics, kept as imported.
    "ALTER TABLE frameworks ADD COLUMN rubrics TEXT;",
    // 9 -> 10: a framework's package associations read in order without sorting them
    // (an export of 100,000 items spent a sixth of its time in that sort).
    "CREATE INDEX package_associations_in_order ON package_associations(framework_id, position);",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(ws: &mut Workshop) -> Result<()> {
    let found: i64 = ws
        .conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(|e| ws.err(e))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: ws.path.display().to_string(),
            found,
            known: SCHEMA_VERSION,
        });
    }
    for (version, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let path = ws.path.display().to_string();
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = ws.conn.transaction().map_err(wrap)?;
        tx.execute_batch(sql).map_err(wrap)?;
        tx.pragma_update(None, "user_version", version as i64 + 1)
            .map_err(wrap)?;
        tx.commit().map_err(wrap)?;
    }
    Ok(())
}

/// Runs every migration on a bare connection (an empty database in memory), calling
/// `seen` after each: which tables crosswalk makes, at every version it has been.
pub(super) fn apply_all(
    conn: &mut rusqlite::Connection,
    mut seen: impl FnMut(&rusqlite::Connection),
) -> rusqlite::Result<()> {
    for sql in MIGRATIONS {
        conn.execute_batch(sql)?;
        seen(conn);
    }
    Ok(())
}

#[cfg(test)]
pub(crate) fn migrate_to(conn: &mut rusqlite::Connection, version: usize) {
    for (v, sql) in MIGRATIONS.iter().enumerate().take(version) {
        let tx = conn.transaction().unwrap();
        tx.execute_batch(sql).unwrap();
        tx.pragma_update(None, "user_version", v as i64 + 1)
            .unwrap();
        tx.commit().unwrap();
    }
}
