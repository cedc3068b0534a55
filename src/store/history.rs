//! The append-only session log: every change, with who made it and when. Entries are
//! written in the same transaction as the change they describe, so neither is kept
//! without the other; triggers in the schema refuse updates and deletes.
use super::{Result, StoreError, Workshop, now_rfc3339, parse_time};
use crate::model::{HistoryEntry, Link};
use rusqlite::{OptionalExtension, params};
use serde_json::{Value, json};

/// What an entry is about.
pub(super) enum Subject<'a> {
    Link(&'a Link),
    Item {
        identifier: &'a str,
        label: &'a str,
    },
    /// Two items that are not (or not yet) a link: a suggestion turned down.
    Pair {
        origin: (&'a str, &'a str),
        destination: (&'a str, &'a str),
    },
    Workshop,
}

/// Which entries to read.
#[derive(Debug, Clone, PartialEq)]
pub enum HistoryFilter {
    All,
    /// One link, by identifier (deleted links included).
    Link(String),
    /// One item, by identifier: its validations and every link it was an end of.
    Item(String),
}

impl Workshop {
    /// Runs `f` in one write transaction: all of it is kept, or (on error) none of it.
    ///
    /// The transaction begins IMMEDIATE (the connection's default, set when it opens), so
    /// it takes the write lock before its first read: while another process writes, it
    /// waits out the busy timeout instead of failing with "database is locked" when a
    /// read-then-write transaction cannot be upgraded.
    pub(super) fn in_transaction<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        // Inside a snapshot (`begin_snapshot`) the change joins the transaction open.
        if !self.conn.is_autocommit() {
            return f(self);
        }
        // Unchecked because `f` reads through `self` while the transaction is open; it is
        // the same connection, and nothing here nests a second transaction.
        let tx = self.conn.unchecked_transaction().map_err(|e| self.err(e))?;
        let value = f(self)?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(value)
    }

    /// Runs `f` in one read transaction, so everything it reads comes from one snapshot
    /// of the file (an export or a report never mixes two states of the workshop).
    /// Writers go on meanwhile: in WAL mode a reader never blocks them.
    pub fn snapshot<T>(&self, f: impl FnOnce(&Self) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        let tx = rusqlite::Transaction::new_unchecked(
            &self.conn,
            rusqlite::TransactionBehavior::Deferred,
        )
        .map_err(|e| self.err(e))?;
        let value = f(self)?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok(value)
    }

    /// Runs several public actions as one transaction (undoing or redoing a group of
    /// changes from the screen): all of them are kept, or none when one fails.
    pub fn in_one_step<T>(&mut self, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if !self.conn.is_autocommit() {
            return f(self);
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(|e| self.err(e))?;
        match f(self) {
            Ok(value) => {
                if let Err(e) = self.conn.execute_batch("COMMIT") {
                    let _ = self.conn.execute_batch("ROLLBACK");
                    return Err(self.err(e));
                }
                Ok(value)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Starts one read transaction that every read until [`Workshop::end_snapshot`] shares,
    /// for a command that reads a great deal (an export, a report): it sees the workshop
    /// as it was at one moment, whatever others commit meanwhile.
    pub fn begin_snapshot(&self) -> Result<()> {
        self.conn
            .execute_batch("BEGIN DEFERRED; SELECT COUNT(*) FROM settings;")
            .map_err(|e| self.err(e))
    }

    pub fn end_snapshot(&self) {
        if !self.conn.is_autocommit() {
            let _ = self.conn.execute_batch("COMMIT");
        }
    }

    /// Appends one entry, naming the acting participant (if any). `details` should be a
    /// JSON object; the subject's labels are added to it so the log reads well after the
    /// link or item is gone.
    pub(super) fn record(&self, action: &str, subject: Subject, mut details: Value) -> Result<()> {
        let (mut link, mut origin, mut destination, mut item) = (None, None, None, None);
        match subject {
            Subject::Link(l) => {
                link = Some(l.identifier.as_str());
                origin = Some(l.origin.item_identifier.as_str());
                destination = Some(l.destination.item_identifier.as_str());
                if let Some(obj) = details.as_object_mut() {
                    obj.insert("origin".into(), json!(l.origin.label()));
                    obj.insert("destination".into(), json!(l.destination.label()));
                }
            }
            Subject::Item { identifier, label } => {
                item = Some(identifier);
                if let Some(obj) = details.as_object_mut() {
                    obj.insert("item".into(), json!(label));
                }
            }
            Subject::Pair {
                origin: (o, o_label),
                destination: (d, d_label),
            } => {
                origin = Some(o);
                destination = Some(d);
                if let Some(obj) = details.as_object_mut() {
                    obj.insert("origin".into(), json!(o_label));
                    obj.insert("destination".into(), json!(d_label));
                }
            }
            Subject::Workshop => {}
        }
        self.conn
            .prepare_cached(
                "INSERT INTO history (at, participant_id, action, link_identifier, origin_identifier,
                                      destination_identifier, item_identifier, details)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut stmt| {
                stmt.execute(params![
                    now_rfc3339(),
                    self.actor.as_ref().map(|p| p.id),
                    action,
                    link,
                    origin,
                    destination,
                    item,
                    details.to_string()
                ])
            })
            .map_err(|e| self.err(e))?;
        self.written
            .borrow_mut()
            .push(self.conn.last_insert_rowid());
        Ok(())
    }

    /// The log, oldest first.
    pub fn history(&self, filter: &HistoryFilter) -> Result<Vec<HistoryEntry>> {
        let (condition, key) = match filter {
            HistoryFilter::All => ("?1 = ''", ""),
            HistoryFilter::Link(id) => ("h.link_identifier = ?1", id.as_str()),
            HistoryFilter::Item(id) => (
                "(h.item_identifier = ?1 OR h.origin_identifier = ?1 OR h.destination_identifier = ?1)",
                id.as_str(),
            ),
        };
        self.history_where(condition, key)
    }

    /// The entries after entry `id`, oldest first: what the change feed reads.
    pub fn history_after(&self, id: i64) -> Result<Vec<HistoryEntry>> {
        self.history_where("h.id > ?1", id)
    }

    pub(super) fn history_where(
        &self,
        condition: &str,
        key: impl rusqlite::ToSql,
    ) -> Result<Vec<HistoryEntry>> {
        let sql = format!(
            "SELECT h.id, h.at, p.name, h.action, h.link_identifier, h.item_identifier, h.details
             FROM history h LEFT JOIN participants p ON p.id = h.participant_id
             WHERE {condition} ORDER BY h.id"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([key], |r| {
                Ok(HistoryEntry {
                    id: r.get(0)?,
                    at: parse_time(&r.get::<_, String>(1)?),
                    actor: r.get(2)?,
                    action: r.get(3)?,
                    link_identifier: r.get(4)?,
                    item_identifier: r.get(5)?,
                    details: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or(Value::Null),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The last recorded deletion of a link, if it was deleted: (when, by whom, details).
    pub(super) fn deletion_of(
        &self,
        identifier: &str,
    ) -> Result<Option<(String, Option<String>, Value)>> {
        self.conn
            .query_row(
                "SELECT h.at, p.name, h.details FROM history h LEFT JOIN participants p ON p.id = h.participant_id
                 WHERE h.link_identifier = ?1 AND h.action = 'deleted' ORDER BY h.id DESC LIMIT 1",
                [identifier.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, serde_json::from_str(&r.get::<_, String>(2)?).unwrap_or(Value::Null))),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// "No such link", saying when and by whom it was deleted if it once existed.
    pub(super) fn missing_link(&self, identifier: &str) -> StoreError {
        match self.deletion_of(identifier) {
            Ok(Some((at, by, details))) => {
                let label = |k: &str| {
                    details
                        .get(k)
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string()
                };
                StoreError::NotFound(format!(
                    "link {identifier} ({} -> {}) was deleted at {at}{}; it can no longer be changed, voted or commented on",
                    label("origin"),
                    label("destination"),
                    by.map(|b| format!(" by {b}")).unwrap_or_default()
                ))
            }
            _ => StoreError::NotFound(format!("no link with identifier `{identifier}`")),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::store::session::test_support::{link_e11_j12, two_frameworks};
    use crate::store::{HistoryFilter, LinkChange, StoreError};

    #[test]
    fn every_link_change_is_logged_in_order_and_the_log_cannot_be_rewritten() {
        let mut ws = two_frameworks();
        let made = link_e11_j12(&mut ws);
        ws.update_link(
            &made.identifier,
            &LinkChange {
                note: Some("practicum".into()),
                ..LinkChange::default()
            },
        )
        .unwrap();
        // A change that changes nothing is not logged.
        ws.update_link(
            &made.identifier,
            &LinkChange {
                note: Some("practicum".into()),
                ..LinkChange::default()
            },
        )
        .unwrap();
        ws.delete_link(&made.identifier).unwrap();
        ws.insert_link(&made).unwrap();
        let log = ws
            .history(&HistoryFilter::Link(made.identifier.clone()))
            .unwrap();
        let actions: Vec<_> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["created", "noted", "deleted", "restored"]);
        assert!(log.iter().all(|e| e.actor.is_none()));
        assert_eq!(
            log[1].describe(),
            "noted E1.1 -> J1.2  note: \"\" -> \"practicum\""
        );
        // Per item, from either end.
        assert_eq!(
            ws.history(&HistoryFilter::Item("e-11".into()))
                .unwrap()
                .len(),
            4
        );
        assert_eq!(
            ws.history(&HistoryFilter::Item("j-12".into()))
                .unwrap()
                .len(),
            4
        );
        assert!(
            ws.history(&HistoryFilter::Item("j-11".into()))
                .unwrap()
                .is_empty()
        );

        let refused = ws.conn.execute("DELETE FROM history", []).unwrap_err();
        assert!(refused.to_string().contains("append-only"), "{refused}");
        assert!(
            ws.conn
                .execute("UPDATE history SET action = 'x'", [])
                .is_err()
        );
        let log = ws.history(&HistoryFilter::All).unwrap();
        let link_entries = log.iter().filter(|e| e.link_identifier.is_some());
        assert_eq!(link_entries.count(), 4);
    }

    #[test]
    fn a_deleted_link_is_named_as_deleted() {
        let mut ws = two_frameworks();
        let made = link_e11_j12(&mut ws);
        ws.delete_link(&made.identifier).unwrap();
        let err = ws
            .update_link(&made.identifier, &LinkChange::default())
            .unwrap_err();
        assert!(matches!(err, StoreError::NotFound(_)));
        assert!(
            err.to_string().contains("E1.1 -> J1.2) was deleted at"),
            "{err}"
        );
        assert!(
            ws.link("nope")
                .unwrap_err()
                .to_string()
                .contains("no link with identifier `nope`")
        );
    }

    #[test]
    fn an_import_logs_the_links_it_brings_and_the_links_it_takes() {
        use crate::case::Package;
        use crate::model::Side;
        let mut ws = two_frameworks();
        let made = link_e11_j12(&mut ws);
        // The employer framework again, without J1.2: its link goes with it, in the
        // import's own transaction, and the history says so.
        let mut fw = ws
            .load_framework(ws.find_framework("doc-j").unwrap().id)
            .unwrap();
        fw.items.truncate(2);
        ws.import_package(
            &Package {
                framework: fw,
                ..Package::default()
            },
            Some(Side::Employer),
        )
        .unwrap();
        let log = ws.history(&HistoryFilter::Link(made.identifier)).unwrap();
        assert_eq!(log.last().unwrap().action, "deleted");
        assert!(ws.links().unwrap().is_empty());
    }
}
