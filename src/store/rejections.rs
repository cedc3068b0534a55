//! Suggested alignments turned down in the room: kept so they are never suggested again.
//! Pairs are of item identifiers, stored as given; either order names the same pair.
//! Rejecting and un-rejecting are recorded in the session history.
use super::history::Subject;
use super::{Result, Workshop, now_rfc3339, parse_time};
use rusqlite::{OptionalExtension, params};
use time::OffsetDateTime;

/// A suggestion turned down: the item it was made for and the candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub origin_identifier: String,
    pub destination_identifier: String,
    pub rejected_at: OffsetDateTime,
}

impl Workshop {
    /// Remembers that `destination` is not to be suggested for `origin` (nor the reverse),
    /// and records it in the history in the same transaction. Rejecting a pair twice
    /// keeps (and records) the first time.
    pub fn reject_suggestion(&mut self, origin: &str, destination: &str) -> Result<()> {
        self.in_transaction(|ws| {
            let added = ws
                .conn
                .execute(
                    "INSERT INTO rejected_suggestions (origin_identifier, destination_identifier, rejected_at)
                     SELECT ?1, ?2, ?3 WHERE NOT EXISTS (SELECT 1 FROM rejected_suggestions
                        WHERE (origin_identifier = ?1 AND destination_identifier = ?2)
                           OR (origin_identifier = ?2 AND destination_identifier = ?1))",
                    params![origin, destination, now_rfc3339()],
                )
                .map_err(|e| ws.err(e))?;
            if added == 0 {
                return Ok(());
            }
            ws.record_pair("suggestion rejected", origin, destination)
        })
    }

    /// Forgets a rejection, in either order (recorded in the history); false when the
    /// pair was not rejected.
    pub fn unreject_suggestion(&mut self, origin: &str, destination: &str) -> Result<bool> {
        self.in_transaction(|ws| {
            let gone = ws
                .conn
                .execute(
                    "DELETE FROM rejected_suggestions
                     WHERE (origin_identifier = ?1 AND destination_identifier = ?2)
                        OR (origin_identifier = ?2 AND destination_identifier = ?1)",
                    params![origin, destination],
                )
                .map_err(|e| ws.err(e))?;
            if gone > 0 {
                ws.record_pair("suggestion rejection withdrawn", origin, destination)?;
            }
            Ok(gone > 0)
        })
    }

    /// A history entry about two items, named by their codes where they have them.
    fn record_pair(&self, action: &str, origin: &str, destination: &str) -> Result<()> {
        let label = |identifier: &str| -> Result<String> {
            let code: Option<String> = self
                .conn
                .query_row(
                    "SELECT code FROM items WHERE identifier = ?1 AND code != '' LIMIT 1",
                    [identifier],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| self.err(e))?;
            Ok(code.unwrap_or_else(|| identifier.to_string()))
        };
        let (o, d) = (label(origin)?, label(destination)?);
        let subject = Subject::Pair {
            origin: (origin, &o),
            destination: (destination, &d),
        };
        self.record(action, subject, serde_json::json!({}))
    }

    /// True when the pair was rejected, in either order.
    pub fn is_rejected(&self, a: &str, b: &str) -> Result<bool> {
        self.conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM rejected_suggestions
                 WHERE (origin_identifier = ?1 AND destination_identifier = ?2)
                    OR (origin_identifier = ?2 AND destination_identifier = ?1))",
                params![a, b],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))
    }

    /// Every rejection, oldest first.
    pub fn rejected_suggestions(&self) -> Result<Vec<Rejection>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT origin_identifier, destination_identifier, rejected_at
                 FROM rejected_suggestions ORDER BY rejected_at, origin_identifier, destination_identifier",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Rejection {
                    origin_identifier: r.get(0)?,
                    destination_identifier: r.get(1)?,
                    rejected_at: parse_time(&r.get::<_, String>(2)?),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The rejected pairs as the suggestion engine reads them.
    pub fn rejected_pairs(&self) -> Result<Vec<(String, String)>> {
        Ok(self
            .rejected_suggestions()?
            .into_iter()
            .map(|r| (r.origin_identifier, r.destination_identifier))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Workshop;

    #[test]
    fn rejections_are_kept_once_in_either_order_and_can_be_undone() {
        let mut ws = Workshop::open_in_memory().unwrap();
        assert!(ws.rejected_suggestions().unwrap().is_empty());
        ws.reject_suggestion("o1", "d1").unwrap();
        ws.reject_suggestion("o1", "d1").unwrap();
        ws.reject_suggestion("d1", "o1").unwrap();
        ws.reject_suggestion("o2", "d1").unwrap();
        assert_eq!(
            ws.rejected_pairs().unwrap(),
            [
                ("o1".to_string(), "d1".to_string()),
                ("o2".to_string(), "d1".to_string())
            ]
        );
        assert!(ws.is_rejected("d1", "o1").unwrap());
        assert!(ws.unreject_suggestion("d1", "o1").unwrap());
        assert!(!ws.unreject_suggestion("d1", "o1").unwrap());
        assert!(!ws.is_rejected("o1", "d1").unwrap());
        assert_eq!(ws.rejected_suggestions().unwrap().len(), 1);
        // Each real change is in the history, once.
        let log: Vec<String> = ws
            .history(&crate::store::HistoryFilter::Item("d1".into()))
            .unwrap()
            .iter()
            .map(|e| e.describe())
            .collect();
        assert_eq!(
            log,
            [
                "suggestion rejected o1 -> d1",
                "suggestion rejected o2 -> d1",
                "suggestion rejection withdrawn d1 -> o1"
            ]
        );
    }

    #[test]
    fn rejections_survive_reopening_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        Workshop::open(&path)
            .unwrap()
            .reject_suggestion("a", "b")
            .unwrap();
        let ws = Workshop::open(&path).unwrap();
        let all = ws.rejected_suggestions().unwrap();
        assert_eq!(all.len(), 1);
        assert!(all[0].rejected_at > time::OffsetDateTime::UNIX_EPOCH);
    }
}
