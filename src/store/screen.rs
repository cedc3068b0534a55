//! Reads shaped for the alignment screen, which opens on two large frameworks at once:
//! items with only the fields it shows, links with their items' positions, and the
//! framework list without counts.
use super::frameworks::summary_from_row;
use super::links::link_from_row;
use super::{FrameworkSummary, Result, Workshop};
use crate::model::{Framework, HistoryEntry, Item, Link};
use rusqlite::params;

/// A link between two frameworks, with the position of its item in each.
#[derive(Debug, Clone, PartialEq)]
pub struct PlacedLink {
    pub link: Link,
    /// Position of the item in the first and in the second framework asked for.
    pub positions: [usize; 2],
    /// The link's revision, which an edit from the screen names (see `Workshop::edit_link`).
    pub revision: i64,
}

impl Workshop {
    /// Every framework, without counting items and links (`items` and `links` are 0):
    /// what the screen needs to find the remembered pair, at no cost.
    pub fn framework_heads(&self) -> Result<Vec<FrameworkSummary>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, identifier, title, creator, side, 0, 0 FROM frameworks ORDER BY id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], summary_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The framework with its items in pre-order, holding what the screen shows: identifier,
    /// code, statement, type, keywords, hierarchy, the no-equivalent mark. The rest (uri,
    /// abbreviated statement, list enumeration, language, raw JSON) is left empty.
    pub fn load_framework_for_screen(&self, framework_id: i64) -> Result<Framework> {
        let mut fw = self.framework_header(framework_id)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT identifier, code, statement, item_type, keywords, depth, parent_position,
                        no_equivalent
                 FROM items WHERE framework_id = ?1 ORDER BY position",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([framework_id], |r| {
                let keywords: String = r.get(4)?;
                Ok(Item {
                    identifier: r.get(0)?,
                    code: r.get(1)?,
                    statement: r.get(2)?,
                    item_type: r.get(3)?,
                    keywords: if keywords == "[]" {
                        Vec::new()
                    } else {
                        serde_json::from_str(&keywords).unwrap_or_default()
                    },
                    depth: r.get::<_, i64>(5)? as u16,
                    parent: r.get::<_, Option<i64>>(6)?.map(|p| p as usize),
                    no_equivalent: r.get(7)?,
                    ..Item::default()
                })
            })
            .map_err(|e| self.err(e))?;
        fw.items = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(fw)
    }

    /// The links joining an item of framework `a` to an item of framework `b`, either way
    /// round. CROSS JOIN keeps SQLite on the links table first, finding items by key; left
    /// to choose, it scans every item of both frameworks.
    pub fn links_between_frameworks(&self, a: i64, b: i64) -> Result<Vec<PlacedLink>> {
        self.placed_links(a, b, "1 = 1", "")
    }

    /// One link as [`Workshop::links_between_frameworks`] gives it, or `None` when it is
    /// gone or does not join these two frameworks: what a live screen reads for a change.
    pub fn placed_link(&self, a: i64, b: i64, identifier: &str) -> Result<Option<PlacedLink>> {
        Ok(self
            .placed_links(a, b, "l.identifier = ?3", identifier)?
            .pop())
    }

    fn placed_links(&self, a: i64, b: i64, condition: &str, key: &str) -> Result<Vec<PlacedLink>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT l.identifier, l.association_type, l.note, l.strength, l.created, l.changed,
                        o.identifier, o.uri, o.code, o.statement, fo.identifier,
                        d.identifier, d.uri, d.code, d.statement, fd.identifier,
                        o.framework_id, o.position, d.position, l.revision
                 FROM links l
                 CROSS JOIN items o CROSS JOIN items d
                 JOIN frameworks fo ON fo.id = o.framework_id JOIN frameworks fd ON fd.id = d.framework_id
                 WHERE o.id = l.origin_id AND d.id = l.destination_id AND {condition}
                   AND ((o.framework_id = ?1 AND d.framework_id = ?2) OR (o.framework_id = ?2 AND d.framework_id = ?1))
                 ORDER BY l.id"
            ))
            .map_err(|e| self.err(e))?;
        let bind: &[&dyn rusqlite::ToSql] = if key.is_empty() {
            &[&a, &b]
        } else {
            &[&a, &b, &key]
        };
        let rows = stmt
            .query_map(bind, |r| {
                let link = link_from_row(r)?;
                let (origin_fw, op, dp) = (
                    r.get::<_, i64>(16)?,
                    r.get::<_, i64>(17)? as usize,
                    r.get::<_, i64>(18)? as usize,
                );
                let positions = if origin_fw == a { [op, dp] } else { [dp, op] };
                Ok(PlacedLink {
                    link,
                    positions,
                    revision: r.get(19)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The positions of a framework's items marked "no equivalent".
    pub fn marked_items(&self, framework_id: i64) -> Result<Vec<usize>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT position FROM items WHERE framework_id = ?1 AND no_equivalent ORDER BY position",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([framework_id], |r| r.get::<_, i64>(0).map(|p| p as usize))
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// The changes to a link or item (by identifier) after history entry `after` made by
    /// someone other than `me`, oldest first: what an undo would throw away of other
    /// people's work.
    pub fn changes_by_others_since(
        &self,
        subject: &str,
        after: i64,
        me: Option<&str>,
    ) -> Result<Vec<HistoryEntry>> {
        let me = match me {
            Some(name) => Some(self.participant(name)?.id),
            None => None,
        };
        let ids: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT h.id FROM history h
                 WHERE (h.link_identifier = ?1 OR h.item_identifier = ?1) AND h.id > ?2
                   AND h.participant_id IS NOT ?3
                 ORDER BY h.id",
            )
            .and_then(|mut stmt| {
                stmt.query_map(params![subject, after, me], |r| r.get(0))?
                    .collect()
            })
            .map_err(|e| self.err(e))?;
        let mut entries = Vec::with_capacity(ids.len());
        for id in ids {
            entries.extend(self.history_where("h.id = ?1", id)?);
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use crate::case::Package;
    use crate::model::{Framework, Item, Side};
    use crate::store::{NewLink, Workshop};

    fn fw(id: &str, side: Side) -> Framework {
        let item = |code: &str, depth, parent| Item {
            identifier: format!("{id}-{code}"),
            uri: format!("u:{id}-{code}"),
            code: code.into(),
            statement: format!("statement {code}"),
            depth,
            parent,
            raw: Some("{}".into()),
            ..Item::default()
        };
        Framework {
            identifier: id.into(),
            title: id.into(),
            side,
            items: vec![
                item("A", 0, None),
                item("A.1", 1, Some(0)),
                item("B", 0, None),
            ],
            ..Framework::default()
        }
    }

    #[test]
    fn screen_reads_match_the_general_ones() {
        let mut ws = Workshop::open_in_memory().unwrap();
        for (id, side) in [
            ("L", Side::Educator),
            ("R", Side::Employer),
            ("X", Side::Employer),
        ] {
            ws.import_package(
                &Package {
                    framework: fw(id, side),
                    ..Package::default()
                },
                Some(side),
            )
            .unwrap();
        }
        for (o, d) in [("R-B", "L-A.1"), ("L-B", "R-A"), ("L-A", "X-A")] {
            ws.create_link(&NewLink {
                origin: o.into(),
                destination: d.into(),
                ..NewLink::default()
            })
            .unwrap();
        }
        let general = ws.load_framework(1).unwrap();
        let screen = ws.load_framework_for_screen(1).unwrap();
        assert_eq!(screen.items.len(), general.items.len());
        for (a, b) in screen.items.iter().zip(&general.items) {
            let shown = crate::model::Item {
                uri: String::new(),
                abbreviated: String::new(),
                list_enumeration: String::new(),
                language: String::new(),
                raw: None,
                ..b.clone()
            };
            assert_eq!(a, &shown);
        }
        let heads = ws.framework_heads().unwrap();
        assert_eq!(
            heads.iter().map(|f| &f.identifier).collect::<Vec<_>>(),
            ["L", "R", "X"]
        );
        let placed = ws.links_between_frameworks(1, 2).unwrap();
        assert_eq!(placed.len(), 2);
        assert_eq!(
            placed[0].positions,
            [1, 2],
            "R-B -> L-A.1, positions given as (L, R)"
        );
        assert_eq!(placed[1].positions, [2, 0]);
    }
}
