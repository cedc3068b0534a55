//! Alignment links: create, change, delete, list. One transaction each, holding the
//! change and its entry in the session history.
use super::frameworks::FoundItem;
use super::history::Subject;
use super::{Result, StoreError, Workshop, format_time, now_rfc3339, parse_time};
use crate::model::rules::Act;
use crate::model::{AssociationType, Basis, Link, LinkEnd, Side, Strength};
use rusqlite::{OptionalExtension, Row, params};
use serde_json::{Value, json};

/// A link to be drawn; items are named by identifier or code.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NewLink {
    pub origin: String,
    pub destination: String,
    pub association_type: Option<AssociationType>,
    pub note: String,
    pub strength: Strength,
    /// On what grounds the link is drawn (default: discussion in the room).
    pub basis: Basis,
    /// How sure the asserter is, 0 to 1.
    pub confidence: Option<f64>,
    /// Who asserts the link; `None` means the acting participant, if any.
    pub asserted_by: Option<String>,
}

/// What to change on a link; `None` leaves a field as it is.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LinkChange {
    pub association_type: Option<AssociationType>,
    pub note: Option<String>,
    pub strength: Option<Strength>,
}

/// A link edited: as it was, as it is, and its revision now.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkEdit {
    pub before: Link,
    pub after: Link,
    pub revision: i64,
}

const LINK_COLUMNS: &str =
    "l.identifier, l.association_type, l.note, l.strength, l.created, l.changed,
    o.identifier, o.uri, o.code, o.statement, fo.identifier,
    d.identifier, d.uri, d.code, d.statement, fd.identifier
    FROM links l
    JOIN items o ON o.id = l.origin_id JOIN frameworks fo ON fo.id = o.framework_id
    JOIN items d ON d.id = l.destination_id JOIN frameworks fd ON fd.id = d.framework_id";

/// A `Link` from the first 16 columns of a `LINK_COLUMNS` row.
pub(super) fn link_from_row(r: &Row) -> rusqlite::Result<Link> {
    let end = |base: usize| -> rusqlite::Result<LinkEnd> {
        Ok(LinkEnd {
            item_identifier: r.get(base)?,
            item_uri: r.get(base + 1)?,
            code: r.get(base + 2)?,
            statement: r.get(base + 3)?,
            framework_identifier: r.get(base + 4)?,
        })
    };
    Ok(Link {
        identifier: r.get(0)?,
        association_type: r
            .get::<_, String>(1)?
            .parse()
            .unwrap_or(AssociationType::IsRelatedTo),
        note: r.get(2)?,
        strength: r.get::<_, String>(3)?.parse().unwrap_or_default(),
        created: parse_time(&r.get::<_, String>(4)?),
        changed: parse_time(&r.get::<_, String>(5)?),
        origin: end(6)?,
        destination: end(11)?,
    })
}

impl Workshop {
    /// Every link, ordered by origin and destination position, so output is stable.
    pub fn links(&self) -> Result<Vec<Link>> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} ORDER BY fo.id, o.position, fd.id, d.position, l.identifier"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], link_from_row).map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    pub fn link(&self, identifier: &str) -> Result<Link> {
        let sql = format!("SELECT {LINK_COLUMNS} WHERE l.identifier = ?1");
        self.conn
            .query_row(&sql, [identifier.trim()], link_from_row)
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| self.missing_link(identifier.trim()))
    }

    /// The link joining these two items, in either direction.
    pub fn link_between(&self, a: &str, b: &str) -> Result<Option<Link>> {
        let (a, b) = (self.find_item(a)?, self.find_item(b)?);
        let sql = format!(
            "SELECT {LINK_COLUMNS} WHERE (l.origin_id = ?1 AND l.destination_id = ?2)
                                      OR (l.origin_id = ?2 AND l.destination_id = ?1)"
        );
        self.conn
            .query_row(&sql, [a.row_id, b.row_id], link_from_row)
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Draws a new link. Refused when the items are in one framework or already linked.
    pub fn create_link(&mut self, new: &NewLink) -> Result<Link> {
        self.in_transaction(|ws| ws.create_link_here(new))
    }

    /// Draws several links in one transaction (one outcome to several competencies):
    /// all of them, or none when any is refused (already linked, not allowed, ...).
    pub fn create_links(&mut self, new: &[NewLink]) -> Result<Vec<Link>> {
        self.in_transaction(|ws| new.iter().map(|n| ws.create_link_here(n)).collect())
    }

    /// [`Workshop::create_link`] inside a transaction the caller holds.
    pub(super) fn create_link_here(&self, new: &NewLink) -> Result<Link> {
        self.allow(Act::DrawLink, "drawing a link")?;
        if let Some(why) = new.association_type.and_then(|t| t.link_type_refusal()) {
            return Err(StoreError::Refused(why.to_string()));
        }
        if let Some(c) = new.confidence.filter(|c| !(0.0..=1.0).contains(c)) {
            return Err(StoreError::Refused(format!(
                "confidence {c} is outside 0 to 1"
            )));
        }
        let now = time::OffsetDateTime::now_utc()
            .replace_nanosecond(0)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
        let (origin, destination) = self.outcome_first(
            self.find_item(&new.origin)?,
            self.find_item(&new.destination)?,
        )?;
        let link = Link {
            identifier: uuid::Uuid::new_v4().to_string(),
            origin: origin.end,
            destination: destination.end,
            association_type: new
                .association_type
                .unwrap_or(AssociationType::ExactMatchOf),
            note: new.note.clone(),
            strength: new.strength,
            created: now,
            changed: now,
        };
        let asserted_by = new
            .asserted_by
            .clone()
            .or_else(|| self.actor.as_ref().map(|p| p.name.clone()));
        self.store_link(&link, new.basis, new.confidence, asserted_by.as_deref())?;
        let mut details =
            json!({"type": link.association_type.as_str(), "strength": link.strength.as_str()});
        if !link.note.is_empty() {
            details["note"] = json!(link.note);
        }
        if new.basis != Basis::Discussion {
            details["basis"] = json!(new.basis.as_str());
        }
        if let Some(c) = new.confidence {
            details["confidence"] = json!(c);
        }
        self.record("created", Subject::Link(&link), details)?;
        Ok(link)
    }

    /// Stores a link exactly as given, its identifier and timestamps kept (undo, import).
    /// A link deleted earlier comes back with the provenance it had.
    pub fn insert_link(&mut self, link: &Link) -> Result<()> {
        self.allow(Act::DrawLink, "drawing a link")?;
        let (o, d) = (
            self.find_item(&link.origin.item_identifier)?,
            self.find_item(&link.destination.item_identifier)?,
        );
        let turned;
        let link = if self.outcome_first(o, d)?.0.end.item_identifier != link.origin.item_identifier
        {
            turned = Link {
                origin: link.destination.clone(),
                destination: link.origin.clone(),
                ..link.clone()
            };
            &turned
        } else {
            link
        };
        self.in_transaction(|ws| {
            let gone = ws
                .deletion_of(&link.identifier)?
                .map(|(_, _, details)| details);
            let was = |key: &str| {
                gone.as_ref()
                    .and_then(|d| d.get(key))
                    .cloned()
                    .unwrap_or(Value::Null)
            };
            let basis = was("basis")
                .as_str()
                .and_then(|b| b.parse().ok())
                .unwrap_or_default();
            ws.store_link(
                link,
                basis,
                was("confidence").as_f64(),
                was("asserted_by").as_str(),
            )?;
            let action = if gone.is_some() {
                "restored"
            } else {
                "created"
            };
            ws.record(
                action,
                Subject::Link(link),
                json!({"type": link.association_type.as_str(), "strength": link.strength.as_str()}),
            )
        })
    }

    /// The row itself, after the checks every new link passes.
    fn store_link(
        &self,
        link: &Link,
        basis: Basis,
        confidence: Option<f64>,
        asserted_by: Option<&str>,
    ) -> Result<()> {
        let origin = self.find_item(&link.origin.item_identifier)?;
        let destination = self.find_item(&link.destination.item_identifier)?;
        if origin.framework_id == destination.framework_id {
            return Err(StoreError::Refused(format!(
                "{} and {} are in the same framework; a link joins an item of one framework to an item of another",
                origin.end.label(),
                destination.end.label()
            )));
        }
        if let Some(existing) = self.link_between(
            &origin.end.item_identifier,
            &destination.end.item_identifier,
        )? {
            return Err(StoreError::Refused(format!(
                "{} and {} are already linked ({}, link {})",
                existing.origin.label(),
                existing.destination.label(),
                existing.association_type,
                existing.identifier
            )));
        }
        self.conn
            .execute(
                "INSERT INTO links (identifier, origin_id, destination_id, association_type, note, strength, created, changed,
                                    basis, confidence, asserted_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                params![
                    link.identifier,
                    origin.row_id,
                    destination.row_id,
                    link.association_type.as_str(),
                    link.note,
                    link.strength.as_str(),
                    format_time(link.created),
                    format_time(link.changed),
                    basis.as_str(),
                    confidence,
                    asserted_by,
                ],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// Retypes, re-notes or re-weights a link as it is now; returns it as it then is.
    /// Each field that really changes gets its own history entry (retyped, noted, reweighted).
    pub fn update_link(&mut self, identifier: &str, change: &LinkChange) -> Result<Link> {
        Ok(self.edit_link(identifier, None, change)?.after)
    }

    /// [`Workshop::update_link`], refused when `seen` (the revision the editor read) is no
    /// longer the link's: someone changed it since, and their change must not be lost.
    pub fn edit_link(
        &mut self,
        identifier: &str,
        seen: Option<i64>,
        change: &LinkChange,
    ) -> Result<LinkEdit> {
        self.allow(Act::EditLink, "changing a link")?;
        self.in_transaction(|ws| {
            let before = ws.link(identifier)?;
            let revision = ws.check_revision(&before, seen)?;
            let mut link = before.clone();
            if let Some(t) = change.association_type {
                if let Some(why) = t.link_type_refusal() {
                    return Err(StoreError::Refused(why.to_string()));
                }
                link.association_type = t;
            }
            if let Some(note) = &change.note {
                link.note = note.clone();
            }
            if let Some(s) = change.strength {
                link.strength = s;
            }
            let fields = [
                ("retyped", "type", before.association_type.as_str(), link.association_type.as_str()),
                ("noted", "note", before.note.as_str(), link.note.as_str()),
                ("reweighted", "strength", before.strength.as_str(), link.strength.as_str()),
            ];
            if fields.iter().all(|f| f.2 == f.3) {
                return Ok(LinkEdit { after: link, before, revision });
            }
            let changed = now_rfc3339();
            ws.conn
                .execute(
                    "UPDATE links SET association_type = ?1, note = ?2, strength = ?3, changed = ?4,
                                      revision = revision + 1
                     WHERE identifier = ?5",
                    params![link.association_type.as_str(), link.note, link.strength.as_str(), changed, link.identifier],
                )
                .map_err(|e| ws.err(e))?;
            for (action, key, was, now) in fields.into_iter().filter(|f| f.2 != f.3) {
                ws.record(action, Subject::Link(&link), json!({key: [was, now]}))?;
            }
            link.changed = parse_time(&changed);
            Ok(LinkEdit { before, after: link, revision: revision + 1 })
        })
    }

    /// A link's revision: 1 when drawn, one more with every edit.
    pub fn link_revision(&self, identifier: &str) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT revision FROM links WHERE identifier = ?1",
                [identifier.trim()],
                |r| r.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| self.missing_link(identifier.trim()))
    }

    /// The link's revision, or the refusal naming who changed it since `seen`.
    fn check_revision(&self, link: &Link, seen: Option<i64>) -> Result<i64> {
        let revision = self.link_revision(&link.identifier)?;
        match seen {
            Some(seen) if seen != revision => {
                let last = self
                    .history(&super::HistoryFilter::Link(link.identifier.clone()))?
                    .pop();
                let what = last.map_or_else(String::new, |e| {
                    format!(
                        ": {}{} at {}",
                        e.describe(),
                        e.actor.map(|a| format!(" by {a}")).unwrap_or_default(),
                        format_time(e.at)
                    )
                });
                Err(StoreError::Stale(format!(
                    "{} -> {} was changed since you opened it{what}; nothing was overwritten",
                    link.origin.label(),
                    link.destination.label()
                )))
            }
            _ => Ok(revision),
        }
    }

    /// The two ends in the direction every link runs: the educator item (outcome) first,
    /// the employer item (competency) second, whichever order they were given in.
    fn outcome_first(&self, a: FoundItem, b: FoundItem) -> Result<(FoundItem, FoundItem)> {
        let side = |id: i64| -> Result<Side> {
            self.conn
                .query_row("SELECT side FROM frameworks WHERE id = ?1", [id], |r| {
                    r.get::<_, String>(0)
                })
                .map(|s| s.parse().unwrap_or_default())
                .map_err(|e| self.err(e))
        };
        let reversed =
            side(a.framework_id)? == Side::Employer && side(b.framework_id)? == Side::Educator;
        Ok(if reversed { (b, a) } else { (a, b) })
    }

    /// Deletes a link and returns it, so it can be put back. Its votes and comments stay
    /// (they name the link by identifier), and come back with it on undo.
    pub fn delete_link(&mut self, identifier: &str) -> Result<Link> {
        self.remove_link(identifier, None)
    }

    /// [`Workshop::delete_link`], refused when the link changed since revision `seen`.
    pub fn remove_link(&mut self, identifier: &str, seen: Option<i64>) -> Result<Link> {
        self.allow(Act::DeleteLink, "deleting a link")?;
        self.in_transaction(|ws| {
            let link = ws.link(identifier)?;
            ws.check_revision(&link, seen)?;
            let (basis, confidence, asserted_by): (String, Option<f64>, Option<String>) = ws
                .conn
                .query_row(
                    "SELECT basis, confidence, asserted_by FROM links WHERE identifier = ?1",
                    [&link.identifier],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(|e| ws.err(e))?;
            ws.conn
                .execute(
                    "DELETE FROM links WHERE identifier = ?1",
                    [&link.identifier],
                )
                .map_err(|e| ws.err(e))?;
            // Everything needed to put it back as it was, provenance included.
            let details = json!({
                "type": link.association_type.as_str(),
                "strength": link.strength.as_str(),
                "note": link.note,
                "basis": basis,
                "confidence": confidence,
                "asserted_by": asserted_by,
            });
            ws.record("deleted", Subject::Link(&link), details)?;
            Ok(link)
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Side;
    use crate::store::session::test_support::{link_e11_j12, two_frameworks};
    use crate::store::{HistoryFilter, LinkChange, NewLink, StoreError};

    fn note(text: &str) -> LinkChange {
        LinkChange {
            note: Some(text.into()),
            ..LinkChange::default()
        }
    }

    #[test]
    fn several_links_are_drawn_all_or_none() {
        let mut ws = two_frameworks();
        let to = |d: &str| NewLink {
            origin: "E1.1".into(),
            destination: d.into(),
            note: "one note for all".into(),
            ..NewLink::default()
        };
        ws.create_link(&to("J1.2")).unwrap();
        let before = ws.history(&HistoryFilter::All).unwrap().len();
        let e = ws.create_links(&[to("J1.1"), to("J1.2")]).unwrap_err();
        assert!(e.to_string().contains("already linked"), "{e}");
        assert_eq!(ws.links().unwrap().len(), 1, "J1.1 was not linked either");
        assert_eq!(ws.history(&HistoryFilter::All).unwrap().len(), before);
        // Several actions in one step: a failure takes back what came before it.
        let e = ws
            .in_one_step(|ws| {
                ws.create_link(&to("J1.1"))?;
                ws.create_link(&to("J1.2"))
            })
            .unwrap_err();
        assert!(e.to_string().contains("already linked"), "{e}");
        assert_eq!(ws.links().unwrap().len(), 1, "J1.1 was taken back");
        assert_eq!(ws.history(&HistoryFilter::All).unwrap().len(), before);
        let made = ws.create_links(&[to("J1.1"), to("J1")]).unwrap();
        assert_eq!(made.len(), 2);
        assert!(made.iter().all(|l| l.note == "one note for all"));
        assert_eq!(ws.links().unwrap().len(), 3);
    }

    #[test]
    fn links_run_from_outcome_to_competency_whatever_order_they_are_given_in() {
        let mut ws = two_frameworks();
        // Competency first, as a screen with the employer framework on the left would.
        let made = ws
            .create_link(&NewLink {
                origin: "J1.2".into(),
                destination: "E1.1".into(),
                ..NewLink::default()
            })
            .unwrap();
        assert_eq!(
            (made.origin.code.as_str(), made.destination.code.as_str()),
            ("E1.1", "J1.2")
        );
        assert_eq!(ws.link(&made.identifier).unwrap(), made);
        // Put back reversed (an undo from an older screen): stored the right way round.
        ws.delete_link(&made.identifier).unwrap();
        let mut reversed = made.clone();
        std::mem::swap(&mut reversed.origin, &mut reversed.destination);
        ws.insert_link(&reversed).unwrap();
        assert_eq!(ws.link(&made.identifier).unwrap().origin.code, "E1.1");
    }

    #[test]
    fn a_framework_changing_side_turns_its_links_around_and_says_so() {
        let mut ws = two_frameworks();
        let made = link_e11_j12(&mut ws);
        let e = ws.find_framework("doc-e").unwrap().id;
        let j = ws.find_framework("doc-j").unwrap().id;
        ws.set_side(e, Side::Employer).unwrap();
        ws.set_side(j, Side::Educator).unwrap();
        let now = ws.link(&made.identifier).unwrap();
        assert_eq!(
            (now.origin.code.as_str(), now.destination.code.as_str()),
            ("J1.2", "E1.1")
        );
        let log = ws.history(&HistoryFilter::Link(made.identifier)).unwrap();
        let last = log.last().unwrap();
        assert_eq!(last.action, "turned around");
        assert_eq!(last.details["origin"], "J1.2");
    }

    #[test]
    fn an_edit_from_an_older_copy_is_refused_and_the_newer_note_kept() {
        let mut ws = two_frameworks();
        let made = link_e11_j12(&mut ws);
        let seen = ws.link_revision(&made.identifier).unwrap();
        // Someone else re-notes it (the CLI acts on the current row).
        let edit = ws
            .edit_link(&made.identifier, None, &note("newer"))
            .unwrap();
        assert_eq!((edit.before.note.as_str(), edit.revision), ("", seen + 1));
        // The screen opened before that writes its older copy: refused, nothing lost.
        let err = ws
            .edit_link(&made.identifier, Some(seen), &note("older"))
            .unwrap_err();
        assert!(matches!(err, StoreError::Stale(_)), "{err}");
        assert!(err.to_string().contains("note: \"\" -> \"newer\""), "{err}");
        assert_eq!(ws.link(&made.identifier).unwrap().note, "newer");
        assert!(matches!(
            ws.remove_link(&made.identifier, Some(seen)),
            Err(StoreError::Stale(_))
        ));
        // From the current revision both go through.
        ws.edit_link(&made.identifier, Some(seen + 1), &note("agreed"))
            .unwrap();
        ws.remove_link(&made.identifier, Some(seen + 2)).unwrap();
        // A change that changes nothing keeps the revision.
        let again = ws
            .create_link(&NewLink {
                origin: "E1.1".into(),
                destination: "J1.2".into(),
                ..NewLink::default()
            })
            .unwrap();
        let r = ws.link_revision(&again.identifier).unwrap();
        ws.edit_link(&again.identifier, Some(r), &note("")).unwrap();
        assert_eq!(ws.link_revision(&again.identifier).unwrap(), r);
    }
}
