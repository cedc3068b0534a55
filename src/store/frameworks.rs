//! Reading frameworks and naming items.
use super::{Result, StoreError, Workshop};
use crate::case::{Association, AssociationRows, FrameworkSource, ItemRows, Package};
use crate::model::{Framework, Item, LinkEnd, Side};
use rusqlite::{OptionalExtension, params};
use std::borrow::Cow;

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
        let titles = all
            .iter()
            .flat_map(|f| [f.title.as_str(), f.identifier.as_str()]);
        Err(StoreError::NotFound(format!(
            "no framework named `{name}` in the workshop{}; it holds: {}",
            did_you_mean(name, titles),
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
            .prepare_cached(ITEMS_IN_ORDER)
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([framework_id], item_from_row)
            .map_err(|e| self.err(e))?;
        fw.items = rows
            .collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))?;
        Ok(fw)
    }

    /// The framework as a package again: items, every association it came with, definitions.
    pub fn load_package(&self, framework_id: i64) -> Result<Package> {
        let stored = self.stored_framework(framework_id)?;
        let framework = self.load_framework(framework_id)?;
        let associations = stored.with_associations(|rows| {
            rows.map(|a| a.map(Cow::into_owned))
                .collect::<Result<Vec<_>>>()
        })??;
        Ok(Package {
            framework,
            associations,
            definitions: stored.definitions,
            rubrics: stored.rubrics,
            ..Package::default()
        })
    }

    /// The framework ready to be read row by row (see [`StoredFramework`]).
    pub fn stored_framework(&self, framework_id: i64) -> Result<StoredFramework<'_>> {
        let framework = self.framework_header(framework_id)?;
        let (definitions, rubrics) = self
            .conn
            .query_row(
                "SELECT definitions, rubrics FROM frameworks WHERE id = ?1",
                [framework_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        Ok(StoredFramework {
            ws: self,
            framework,
            definitions,
            rubrics,
        })
    }

    /// Finds an item by identifier or by code, anywhere in the workshop. Codes match
    /// exactly first, then without regard to case when that names one item; a name that
    /// matches nothing is answered with the nearest codes.
    pub fn find_item(&self, name: &str) -> Result<FoundItem> {
        let found = self.items_named(
            name,
            "WHERE i.identifier = ?1 COLLATE NOCASE OR i.code = ?1
             ORDER BY i.identifier = ?1 COLLATE NOCASE DESC",
        )?;
        // Only on a miss: the case-blind code match has no index to use.
        let found = if found.is_empty() {
            self.items_named(name, "WHERE i.code = ?1 COLLATE NOCASE")?
        } else {
            found
        };
        if found.is_empty() {
            let codes = self.near_codes(name)?;
            return Err(StoreError::NotFound(format!(
                "no item with identifier or code `{name}` in the workshop{}",
                did_you_mean(name, codes.iter().map(String::as_str))
            )));
        }
        pick_item(name, found)
    }

    fn items_named(&self, name: &str, filter: &str) -> Result<Vec<(FoundItem, String)>> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT i.id, i.framework_id, i.identifier, i.uri, i.code, i.statement, f.identifier, f.title
                 FROM items i JOIN frameworks f ON f.id = i.framework_id {filter}"
            ))
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
        Ok(found)
    }

    /// Every distinct code, for suggesting near misses (only after a name matched nothing).
    fn near_codes(&self, name: &str) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare("SELECT DISTINCT code FROM items WHERE code <> '' AND abs(length(code) - length(?1)) <= 2")
            .map_err(|e| self.err(e))?;
        let codes = stmt
            .query_map([name.trim()], |r| r.get(0))
            .map_err(|e| self.err(e))?
            .collect::<rusqlite::Result<Vec<String>>>()
            .map_err(|e| self.err(e))?;
        Ok(codes)
    }

    /// Marks an item as having no equivalent on the other side (or clears the mark), and
    /// records the change in the history in the same transaction. Setting the mark it
    /// already has changes nothing and records nothing.
    pub fn set_no_equivalent(
        &mut self,
        framework_id: i64,
        item_identifier: &str,
        on: bool,
    ) -> Result<()> {
        self.in_transaction(|ws| {
            let code: Option<String> = ws
                .conn
                .query_row(
                    "SELECT code FROM items WHERE framework_id = ?1 AND identifier = ?2",
                    params![framework_id, item_identifier],
                    |r| r.get(0),
                )
                .optional()
                .map_err(|e| ws.err(e))?;
            let Some(code) = code else {
                return Err(StoreError::NotFound(format!(
                    "no item `{item_identifier}` in framework {framework_id}"
                )));
            };
            let changed = ws
                .conn
                .execute(
                    "UPDATE items SET no_equivalent = ?1
                     WHERE framework_id = ?2 AND identifier = ?3 AND no_equivalent != ?1",
                    params![on, framework_id, item_identifier],
                )
                .map_err(|e| ws.err(e))?;
            if changed == 0 {
                return Ok(());
            }
            let label = if code.is_empty() {
                item_identifier
            } else {
                &code
            };
            let subject = super::history::Subject::Item {
                identifier: item_identifier,
                label,
            };
            let action = if on {
                "marked no equivalent"
            } else {
                "no equivalent mark cleared"
            };
            ws.record(action, subject, serde_json::json!({}))
        })
    }
}

const ITEMS_IN_ORDER: &str =
    "SELECT identifier, uri, code, statement, abbreviated, item_type, keywords,
        list_enumeration, language, depth, parent_position, no_equivalent, raw
 FROM items WHERE framework_id = ?1 ORDER BY position";

/// An item row, as [`ITEMS_IN_ORDER`] selects it.
fn item_from_row(r: &rusqlite::Row) -> rusqlite::Result<Item> {
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
}

/// A framework of the workshop read for an export one row at a time, so that a
/// framework of any size is written without being loaded whole. Read it inside
/// [`Workshop::snapshot`] (or `begin_snapshot`), so that every pass sees the same rows.
pub struct StoredFramework<'w> {
    ws: &'w Workshop,
    /// The framework's own fields, without its items.
    framework: Framework,
    definitions: Option<String>,
    rubrics: Option<String>,
}

impl FrameworkSource for StoredFramework<'_> {
    type Error = StoreError;

    fn framework(&self) -> &Framework {
        &self.framework
    }

    fn definitions(&self) -> Option<&str> {
        self.definitions.as_deref()
    }

    fn rubrics(&self) -> Option<&str> {
        self.rubrics.as_deref()
    }

    fn has_associations(&self) -> Result<bool> {
        self.ws
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM package_associations WHERE framework_id = ?1)",
                [self.framework.id],
                |r| r.get(0),
            )
            .map_err(|e| self.ws.err(e))
    }

    fn with_items<'s, R>(&'s self, f: impl FnOnce(ItemRows<'_, 's, StoreError>) -> R) -> Result<R> {
        let ws = self.ws;
        let mut stmt = ws
            .conn
            .prepare_cached(ITEMS_IN_ORDER)
            .map_err(|e| ws.err(e))?;
        let rows = stmt
            .query_map([self.framework.id], item_from_row)
            .map_err(|e| ws.err(e))?;
        Ok(f(
            &mut rows.map(|r| r.map(Cow::Owned).map_err(|e| ws.err(e)))
        ))
    }

    fn with_associations<'s, R>(
        &'s self,
        f: impl FnOnce(AssociationRows<'_, 's, StoreError>) -> R,
    ) -> Result<R> {
        let ws = self.ws;
        let mut stmt = ws
            .conn
            .prepare_cached(
                "SELECT raw FROM package_associations WHERE framework_id = ?1 ORDER BY position",
            )
            .map_err(|e| ws.err(e))?;
        let rows = stmt
            .query_map([self.framework.id], |r| {
                Ok(Association {
                    raw: r.get(0)?,
                    ..Association::default()
                })
            })
            .map_err(|e| ws.err(e))?;
        Ok(f(
            &mut rows.map(|r| r.map(Cow::Owned).map_err(|e| ws.err(e)))
        ))
    }
}

/// One item from the matches for `name`: an identifier wins; several codes are ambiguous.
fn pick_item(name: &str, found: Vec<(FoundItem, String)>) -> Result<FoundItem> {
    match found.as_slice() {
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

/// ", did you mean `X`?" naming up to three candidates within two edits (case aside)
/// of `name`, nearest first; empty when none is near.
fn did_you_mean<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let want = name.trim().to_lowercase();
    let mut near: Vec<(usize, &str)> = candidates
        .filter_map(|c| {
            let d = strsim::levenshtein(&want, &c.to_lowercase());
            (d <= 2.min(want.chars().count() / 2).max(1)).then_some((d, c))
        })
        .collect();
    near.sort();
    near.dedup_by(|a, b| a.1 == b.1);
    let names: Vec<String> = near.iter().take(3).map(|(_, c)| format!("`{c}`")).collect();
    match names.len() {
        0 => String::new(),
        _ => format!("; did you mean {}?", names.join(" or ")),
    }
}
