//! Reading frameworks and naming items.
use super::{Result, StoreError, Workshop};
use crate::case::{Association, Package};
use crate::model::{Framework, Item, LinkEnd, Side};
use rusqlite::{OptionalExtension, params};

/// One line of `crosswalk frameworks`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkSummary {
    pub id: i64,
    pub identifier: String,
    pub title: String,
    pub creator: String,
    pub side: Side,
    pub items: usize,
    pub links: usize,
}

/// An item found by name, with the row id links refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundItem {
    pub row_id: i64,
    pub framework_id: i64,
    pub end: LinkEnd,
}

/// A framework row: id, identifier, title, creator, side, item count, link count.
pub(super) fn summary_from_row(r: &rusqlite::Row) -> rusqlite::Result<FrameworkSummary> {
    Ok(FrameworkSummary {
        id: r.get(0)?,
        identifier: r.get(1)?,
        title: r.get(2)?,
        creator: r.get(3)?,
        side: r.get::<_, String>(4)?.parse().unwrap_or_default(),
        items: r.get::<_, i64>(5)? as usize,
        links: r.get::<_, i64>(6)? as usize,
    })
}

impl Workshop {
    pub fn frameworks(&self) -> Result<Vec<FrameworkSummary>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT f.id, f.identifier, f.title, f.creator, f.side,
                        (SELECT COUNT(*) FROM items i WHERE i.framework_id = f.id),
                        -- Two indexed counts; an OR join would scan every link per framework.
                        (SELECT COUNT(*) FROM links l JOIN items i ON i.id = l.origin_id
                          WHERE i.framework_id = f.id)
                      + (SELECT COUNT(*) FROM links l JOIN items i ON i.id = l.destination_id
                          WHERE i.framework_id = f.id)
                 FROM frameworks f ORDER BY f.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], summary_from_row)
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// Finds a framework by row number, identifier or title (case-insensitive).
    pub fn find_framework(&self, name: &str) -> Result<FrameworkSummary> {
        let all = self.frameworks()?;
        let name = name.trim();
        let hit = |f: &&FrameworkSummary| {
            f.id.to_string() == name
                || f.identifier.eq_ignore_ascii_case(name)
                || f.title.eq_ignore_ascii_case(name)
        };
        if let Some(f) = all.iter().find(hit) {
            return Ok(f.clone());
        }
        let known: Vec<String> = all
            .iter()
            .map(|f| format!("{} ({})", f.title, f.identifier))
            .collect();
        Err(StoreError::NotFound(format!(
            "no framework named `{name}` in the workshop; it holds: {}",
            if known.is_empty() {
                "nothing yet".to_string()
            } else {
                known.join("; ")
            }
        )))
    }

    pub fn set_side(&mut self, framework_id: i64, side: Side) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE frameworks SET side = ?1 WHERE id = ?2",
                params![side.as_str(), framework_id],
            )
            .map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "no framework with id {framework_id}"
            )));
        }
        Ok(())
    }

    /// The framework's own fields, without its items.
    pub(super) fn framework_header(&self, framework_id: i64) -> Result<Framework> {
        self
            .conn
            .query_row(
                "SELECT id, identifier, uri, title, creator, side, raw FROM frameworks WHERE id = ?1",
                [framework_id],
                |r| {
                    Ok(Framework {
                        id: r.get(0)?,
                        identifier: r.get(1)?,
                        uri: r.get(2)?,
                        title: r.get(3)?,
                        creator: r.get(4)?,
                        side: r.get::<_, String>(5)?.parse().unwrap_or_default(),
                        raw: r.get(6)?,
                        items: Vec::new(),
                    })
                },
            )
            .optional()
            .map_err(|e| self.err(e))?
            .ok_or_else(|| StoreError::NotFound(format!("no framework with id {framework_id}")))
    }

    /// The framework with its items in pre-order.
    pub fn load_framework(&self, framework_id: i64) -> Result<Framework> {
        let mut fw = self.framework_header(framework_id)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT identifier, uri, code, statement, abbreviated, item_type, keywords,
                        list_enumeration, language, depth, parent_position, no_equivalent, raw
                 FROM items WHERE framework_id = ?1 ORDER BY position",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([framework_id], |r| {
                Ok(Item {
                    identifier: r.get(0)?,
                    uri: r.get(1)?,
                    code: r.get(2)?,
                    statement: r.get(3)?,
                    abbreviated: r.get(4)?,
                    item_type: r.get(5)?,
                    keywords: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
                    list_enumeration: r.get(7)?,
                    language: r.get(8)?,
                    depth: r.get::<_, i64>(9)? as u16,
                    parent: r.get::<_, Option<i64>>(10)?.map(|p| p as usize),
                    no_equivalent: r.get(11)?,
                    raw: r.get(12)?,
                })
            })
            .map_err(|e| self.err(e))?;
        fw.items = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(fw)
    }

    /// The framework as a package again: items, every association it came with, definitions.
    pub fn load_package(&self, framework_id: i64) -> Result<Package> {
        let framework = self.load_framework(framework_id)?;
        let (definitions, rubrics) = self
            .conn
            .query_row(
                "SELECT definitions, rubrics FROM frameworks WHERE id = ?1",
                [framework_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare(
                "SELECT raw FROM package_associations WHERE framework_id = ?1 ORDER BY position",
            )
            .map_err(|e| self.err(e))?;
        let raws = stmt
            .query_map([framework_id], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        let associations = raws
            .into_iter()
            .map(|raw| Association {
                raw,
                ..Association::default()
            })
            .collect();
        Ok(Package {
            framework,
            associations,
            definitions,
            rubrics,
            ..Package::default()
        })
    }

    /// Finds an item by identifier or by code, anywhere in the workshop.
    pub fn find_item(&self, name: &str) -> Result<FoundItem> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT i.id, i.framework_id, i.identifier, i.uri, i.code, i.statement, f.identifier, f.title
                 FROM items i JOIN frameworks f ON f.id = i.framework_id
                 WHERE i.identifier = ?1 COLLATE NOCASE OR i.code = ?1
                 ORDER BY i.identifier = ?1 COLLATE NOCASE DESC",
            )
            .map_err(|e| self.err(e))?;
        let found = stmt
            .query_map([name.trim()], |r| {
                Ok((
                    FoundItem {
                        row_id: r.get(0)?,
                        framework_id: r.get(1)?,
                        end: LinkEnd {
                            item_identifier: r.get(2)?,
                            item_uri: r.get(3)?,
                            code: r.get(4)?,
                            statement: r.get(5)?,
                            framework_identifier: r.get(6)?,
                        },
                    },
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(|e| self.err(e))?;
        match found.as_slice() {
            [] => Err(StoreError::NotFound(format!(
                "no item with identifier or code `{name}` in the workshop"
            ))),
            [(only, _)] => Ok(only.clone()),
            [(first, _), ..] if first.end.item_identifier.eq_ignore_ascii_case(name.trim()) => {
                Ok(first.clone())
            }
            many => Err(StoreError::Refused(format!(
                "`{name}` names {} items; use an identifier instead: {}",
                many.len(),
                many.iter()
                    .map(|(f, title)| format!("{} in {title}", f.end.item_identifier))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }

    /// Marks an item as having no equivalent on the other side (or clears the mark).
    pub fn set_no_equivalent(
        &mut self,
        framework_id: i64,
        item_identifier: &str,
        on: bool,
    ) -> Result<()> {
        let n = self
            .conn
            .execute(
                "UPDATE items SET no_equivalent = ?1 WHERE framework_id = ?2 AND identifier = ?3",
                params![on, framework_id, item_identifier],
            )
            .map_err(|e| self.err(e))?;
        if n == 0 {
            return Err(StoreError::NotFound(format!(
                "no item `{item_identifier}` in framework {framework_id}"
            )));
        }
        Ok(())
    }
}
