//! Importing a package: one transaction that adds, updates in place, or removes items,
//! and brings in associations that join two frameworks of the workshop as links.
use super::{Result, StoreError, Workshop, now_rfc3339};
use crate::case::Package;
use crate::model::{AssociationType, Item, LinkStatus, Side, Strength};
use rusqlite::{OptionalExtension, Transaction, params};
use std::collections::HashMap;

/// What an import did, for the person who ran it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportReport {
    pub framework_identifier: String,
    pub title: String,
    pub side: Option<Side>,
    /// True when the framework was new to the workshop.
    pub created: bool,
    /// Items named by code (or identifier) in each list.
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    pub links_added: usize,
    pub links_updated: usize,
    /// Associations that matched a link the workshop already had, as it was.
    pub links_unchanged: usize,
    /// Links that went with removed items.
    pub links_removed: usize,
    pub warnings: Vec<String>,
}

impl ImportReport {
    /// A few lines a person reads after `crosswalk import`.
    pub fn summary(&self) -> String {
        let mut out = String::new();
        if !self.framework_identifier.is_empty() {
            out += &format!(
                "{} \"{}\" ({}, {}): {} added, {} changed, {} removed, {} unchanged\n",
                if self.created { "imported" } else { "updated" },
                self.title,
                self.framework_identifier,
                self.side.map_or("", |s| s.as_str()),
                self.added.len(),
                self.changed.len(),
                self.removed.len(),
                self.unchanged
            );
        }
        for (label, list) in [
            ("added", &self.added),
            ("changed", &self.changed),
            ("removed", &self.removed),
        ] {
            if !list.is_empty() && list.len() <= 20 && !self.created {
                out += &format!("  {label}: {}\n", list.join(", "));
            }
        }
        out += &format!(
            "links: {} added, {} updated, {} already there, {} removed with their items\n",
            self.links_added, self.links_updated, self.links_unchanged, self.links_removed
        );
        for w in &self.warnings {
            out += &format!("warning: {w}\n");
        }
        out
    }
}

fn label(item: &Item) -> String {
    if item.code.is_empty() {
        item.identifier.clone()
    } else {
        item.code.clone()
    }
}

impl Workshop {
    /// Imports a parsed package. A package with items becomes (or updates) a framework;
    /// a package without items (an exported crosswalk) only brings in links.
    /// `side` of `None` keeps the side a framework already has.
    pub fn import_package(&mut self, pkg: &Package, side: Option<Side>) -> Result<ImportReport> {
        let path = self.path.display().to_string();
        let wrap = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(wrap)?;
        let mut report = ImportReport {
            warnings: pkg.warnings.clone(),
            ..ImportReport::default()
        };
        if !pkg.framework.items.is_empty() {
            import_framework(&tx, pkg, side, &mut report).map_err(wrap)?;
        }
        import_links(&tx, pkg, &mut report).map_err(wrap)?;
        if pkg.framework.items.is_empty()
            && report.links_added + report.links_updated + report.links_unchanged == 0
        {
            // Nothing to keep: say so rather than report an empty success.
            return Err(StoreError::Refused(format!(
                "the package \"{}\" has no items, and none of its {} associations joins two frameworks of this workshop",
                pkg.framework.title,
                pkg.associations.len()
            )));
        }
        tx.commit().map_err(wrap)?;
        Ok(report)
    }
}

fn import_framework(
    tx: &Transaction,
    pkg: &Package,
    side: Option<Side>,
    report: &mut ImportReport,
) -> rusqlite::Result<()> {
    let fw = &pkg.framework;
    let now = now_rfc3339();
    let existing: Option<(i64, String)> = tx
        .query_row(
            "SELECT id, side FROM frameworks WHERE identifier = ?1",
            [&fw.identifier],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let side = side
        .or_else(|| existing.as_ref().and_then(|(_, s)| s.parse().ok()))
        .unwrap_or(fw.side);
    let framework_id = match &existing {
        Some((id, _)) => {
            tx.execute(
                "UPDATE frameworks SET uri = ?1, title = ?2, creator = ?3, side = ?4, raw = ?5,
                        definitions = ?6, imported_at = ?7 WHERE id = ?8",
                params![
                    fw.uri,
                    fw.title,
                    fw.creator,
                    side.as_str(),
                    fw.raw,
                    pkg.definitions,
                    now,
                    id
                ],
            )?;
            *id
        }
        None => {
            tx.execute(
                "INSERT INTO frameworks (identifier, uri, title, creator, side, raw, definitions, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![fw.identifier, fw.uri, fw.title, fw.creator, side.as_str(), fw.raw, pkg.definitions, now],
            )?;
            tx.last_insert_rowid()
        }
    };
    report.framework_identifier = fw.identifier.clone();
    report.title = fw.title.clone();
    report.side = Some(side);
    report.created = existing.is_none();

    // What the workshop holds now: identifier -> (row id, fields that make a change).
    type Old = (
        i64,
        String,
        String,
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
    );
    let mut old: HashMap<String, Old> = HashMap::new();
    {
        let mut stmt = tx.prepare(
            "SELECT identifier, id, code, statement, item_type, keywords, list_enumeration, raw, parent_position
             FROM items WHERE framework_id = ?1",
        )?;
        let rows = stmt.query_map([framework_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                (
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                    r.get(8)?,
                ),
            ))
        })?;
        for row in rows {
            let (id, fields) = row?;
            old.insert(id, fields);
        }
    }
    let old_parent_ids: HashMap<i64, String> = {
        // Parent positions are per import; compare parents by identifier instead.
        let mut stmt =
            tx.prepare("SELECT position, identifier FROM items WHERE framework_id = ?1")?;
        let rows = stmt.query_map([framework_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };

    let mut insert = tx.prepare_cached(
        "INSERT INTO items (framework_id, identifier, uri, code, statement, abbreviated, item_type, keywords,
                            list_enumeration, language, position, depth, parent_position, raw)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE items SET uri = ?2, code = ?3, statement = ?4, abbreviated = ?5, item_type = ?6, keywords = ?7,
                          list_enumeration = ?8, language = ?9, position = ?10, depth = ?11,
                          parent_position = ?12, raw = ?13
         WHERE id = ?1",
    )?;
    for (position, item) in fw.items.iter().enumerate() {
        let keywords = serde_json::to_string(&item.keywords).unwrap_or_else(|_| "[]".into());
        let parent = item.parent.map(|p| p as i64);
        match old.remove(&item.identifier) {
            None => {
                insert.execute(params![
                    framework_id,
                    item.identifier,
                    item.uri,
                    item.code,
                    item.statement,
                    item.abbreviated,
                    item.item_type,
                    keywords,
                    item.list_enumeration,
                    item.language,
                    position as i64,
                    item.depth as i64,
                    parent,
                    item.raw
                ])?;
                report.added.push(label(item));
            }
            Some((
                row_id,
                code,
                statement,
                item_type,
                old_keywords,
                list_enum,
                raw,
                old_parent,
            )) => {
                let old_parent_id = old_parent.and_then(|p| old_parent_ids.get(&p));
                let new_parent_id = item.parent.map(|p| &fw.items[p].identifier);
                let same = code == item.code
                    && statement == item.statement
                    && item_type == item.item_type
                    && old_keywords == keywords
                    && list_enum == item.list_enumeration
                    && raw == item.raw
                    && old_parent_id == new_parent_id;
                update.execute(params![
                    row_id,
                    item.uri,
                    item.code,
                    item.statement,
                    item.abbreviated,
                    item.item_type,
                    keywords,
                    item.list_enumeration,
                    item.language,
                    position as i64,
                    item.depth as i64,
                    parent,
                    item.raw
                ])?;
                if same {
                    report.unchanged += 1;
                } else {
                    report.changed.push(label(item));
                }
            }
        }
    }
    // Whatever is left was not in the new package.
    let mut removed: Vec<_> = old.into_iter().collect();
    removed.sort_by_key(|(_, f)| f.0);
    for (identifier, (row_id, code, ..)) in removed {
        report.links_removed += tx.query_row(
            "SELECT COUNT(*) FROM links WHERE origin_id = ?1 OR destination_id = ?1",
            [row_id],
            |r| r.get::<_, i64>(0),
        )? as usize;
        tx.execute("DELETE FROM items WHERE id = ?1", [row_id])?;
        report
            .removed
            .push(if code.is_empty() { identifier } else { code });
    }

    tx.execute(
        "DELETE FROM package_associations WHERE framework_id = ?1",
        [framework_id],
    )?;
    let mut keep = tx.prepare_cached(
        "INSERT INTO package_associations (framework_id, position, raw) VALUES (?1, ?2, ?3)",
    )?;
    for (position, a) in pkg.associations.iter().enumerate() {
        keep.execute(params![framework_id, position as i64, a.raw])?;
    }
    Ok(())
}

/// Associations whose two ends are items of two different frameworks in the workshop
/// become links (an exported crosswalk re-imports to the same links).
fn import_links(
    tx: &Transaction,
    pkg: &Package,
    report: &mut ImportReport,
) -> rusqlite::Result<()> {
    let mut find =
        tx.prepare_cached("SELECT id, framework_id FROM items WHERE identifier = ?1 LIMIT 1")?;
    let mut locate = |identifier: &str| -> rusqlite::Result<Option<(i64, i64)>> {
        find.query_row([identifier], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()
    };
    let now = now_rfc3339();
    for a in &pkg.associations {
        let Ok(kind) = a.association_type.parse::<AssociationType>() else {
            continue;
        };
        if kind == AssociationType::IsChildOf {
            continue;
        }
        // A link exported as not agreed (crosswalk's own export says so) is not brought in:
        // a workshop would count it agreed, and an import never agrees a link.
        if let Some(status) = crate::case::written_status(a).filter(|s| *s != LinkStatus::Agreed) {
            report.warnings.push(format!(
                "association {} is marked {status} in the file; not imported as a link (an import never agrees a link)",
                a.identifier
            ));
            continue;
        }
        let (Some((origin, of)), Some((destination, df))) = (
            locate(&a.origin.identifier)?,
            locate(&a.destination.identifier)?,
        ) else {
            continue;
        };
        if of == df {
            continue;
        }
        // Strength travels in the association grouping ("... minor alignment").
        let strength = match &a.grouping {
            Some(g)
                if g.title
                    .to_ascii_lowercase()
                    .trim_end()
                    .ends_with("minor alignment") =>
            {
                Strength::Minor
            }
            _ => Strength::Major,
        };
        let by_identifier: Option<i64> = tx
            .query_row(
                "SELECT id FROM links WHERE identifier = ?1",
                [&a.identifier],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(id) = by_identifier {
            let n = tx.execute(
                "UPDATE links SET association_type = ?2, strength = ?3,
                        note = CASE WHEN ?4 = '' THEN note ELSE ?4 END, changed = ?5
                 WHERE id = ?1 AND (association_type != ?2 OR strength != ?3 OR (?4 != '' AND note != ?4))",
                params![id, kind.as_str(), strength.as_str(), a.notes, now],
            )?;
            report.links_updated += n;
            report.links_unchanged += 1 - n;
            continue;
        }
        let pair_taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM links WHERE (origin_id = ?1 AND destination_id = ?2)
                                                  OR (origin_id = ?2 AND destination_id = ?1))",
            [origin, destination],
            |r| r.get(0),
        )?;
        if pair_taken {
            report.warnings.push(format!(
                "association {} joins two items that are already linked; kept the existing link",
                a.identifier
            ));
            continue;
        }
        tx.execute(
            "INSERT INTO links (identifier, origin_id, destination_id, association_type, note, strength, created, changed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![a.identifier, origin, destination, kind.as_str(), a.notes, strength.as_str(), now],
        )?;
        report.links_added += 1;
    }
    Ok(())
}
