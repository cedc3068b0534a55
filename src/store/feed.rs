//! The change feed: what other processes (screens, the command line, the server) changed
//! in the workshop since this handle last looked. Every change is written with its entry
//! in the append-only history, so the history is the feed; `PRAGMA data_version` says
//! at almost no cost whether anyone else committed at all, so an idle poll reads nothing.
use super::{Result, Workshop};
use crate::model::HistoryEntry;

/// Where a reader of the feed has got to.
#[derive(Debug, Clone)]
pub struct ChangeFeed {
    data_version: i64,
    last_seen: i64,
}

/// One new history entry, and whether this handle wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedEntry {
    pub entry: HistoryEntry,
    pub own: bool,
}

/// What an entry changed, so a front end re-reads that and nothing else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Touch {
    /// A link, its votes or its comments (by link identifier).
    Link(String),
    /// An item's verdict or mark (by item identifier).
    Item(String),
    /// Who takes part.
    Participants,
    /// Suggestions turned down or taken back.
    Suggestions,
    /// Anything else (settings, frameworks imported or moved): read it all again.
    Workshop,
}

impl Touch {
    pub fn of(entry: &HistoryEntry) -> Touch {
        if let Some(link) = &entry.link_identifier {
            return Touch::Link(link.clone());
        }
        if let Some(item) = &entry.item_identifier {
            return Touch::Item(item.clone());
        }
        if entry.action.starts_with("participant") {
            return Touch::Participants;
        }
        if entry.action.starts_with("suggestion") {
            return Touch::Suggestions;
        }
        Touch::Workshop
    }
}

impl ChangeFeed {
    /// A feed starting now: only what is committed from here on is new.
    pub fn new(ws: &Workshop) -> Result<ChangeFeed> {
        Ok(ChangeFeed {
            data_version: ws.data_version()?,
            last_seen: ws.last_history_id()?,
        })
    }

    /// The entries committed since the last poll, oldest first; `None` when no other
    /// connection committed anything (one pragma, no table read). `Some` with no entries
    /// means something changed that the history does not describe: read it all again.
    pub fn poll(&mut self, ws: &Workshop) -> Result<Option<Vec<FeedEntry>>> {
        let version = ws.data_version()?;
        if version == self.data_version {
            return Ok(None);
        }
        self.data_version = version;
        let entries = ws.history_after(self.last_seen)?;
        if let Some(last) = entries.last() {
            self.last_seen = last.id;
        }
        let mut written = ws.written.borrow_mut();
        let own: std::collections::HashSet<i64> = written.drain(..).collect();
        Ok(Some(
            entries
                .into_iter()
                .map(|entry| FeedEntry {
                    own: own.contains(&entry.id),
                    entry,
                })
                .collect(),
        ))
    }
}

impl Workshop {
    /// Changes whenever another connection commits to the file (SQLite's own counter).
    pub fn data_version(&self) -> Result<i64> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }

    pub fn last_history_id(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(id), 0) FROM history", [], |r| r.get(0))
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use super::{ChangeFeed, Touch};
    use crate::model::{Role, Vote};
    use crate::store::{NewLink, Workshop};

    fn two_handles() -> (tempfile::TempDir, Workshop, Workshop) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.sqlite");
        let mut a = Workshop::open(&path).unwrap();
        crate::store::session::test_support::add_two_frameworks(&mut a);
        let b = Workshop::open(&path).unwrap();
        (dir, a, b)
    }

    #[test]
    fn a_change_through_one_handle_reaches_the_other_through_its_feed() {
        let (_dir, mut a, mut b) = two_handles();
        let mut feed = ChangeFeed::new(&b).unwrap();
        assert_eq!(feed.poll(&b).unwrap(), None, "nothing happened yet");

        let link = a
            .create_link(&NewLink {
                origin: "E1.1".into(),
                destination: "J1.2".into(),
                ..NewLink::default()
            })
            .unwrap();
        let seen = feed.poll(&b).unwrap().expect("a's commit is seen");
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].entry.action, "created");
        assert!(!seen[0].own);
        assert_eq!(
            Touch::of(&seen[0].entry),
            Touch::Link(link.identifier.clone())
        );
        assert_eq!(feed.poll(&b).unwrap(), None, "read once only");

        // b's own changes are not news to b, and do not move b's data version.
        b.add_participant("Ana", Role::Faculty).unwrap();
        assert_eq!(feed.poll(&b).unwrap(), None);
        a.add_participant("Sam", Role::EmployerSme).unwrap();
        a.act_as(Some("Sam")).unwrap();
        a.vote(&link.identifier, Vote::Dispute, Some("only touched on"))
            .unwrap();
        let seen = feed.poll(&b).unwrap().unwrap();
        let actions: Vec<(&str, bool)> = seen
            .iter()
            .map(|e| (e.entry.action.as_str(), e.own))
            .collect();
        assert_eq!(
            actions,
            [
                ("participant added", true),
                ("participant added", false),
                ("vote", false),
                ("status changed", false)
            ]
        );
        assert_eq!(seen[2].entry.actor.as_deref(), Some("Sam"));
    }
}
