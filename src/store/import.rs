//! Importing a package, all of it in one transaction with its entries in the session
//! history: a framework's package adds, updates in place or removes items; a crosswalk's
//! package (no items, associations between items of the workshop) brings in links.
//!
//! A framework's own associations (the publisher's, `exactMatchOf` to another framework
//! included) stay with the framework and are exported with it; they never become
//! workshop links, so the order frameworks are imported in cannot change the links.
//! Identifiers a CASE 1.0 export had to rewrite (see `case_identifier_for`) are mapped
//! back to the workshop's on the way in, so re-importing an export lands on the same
//! framework, items and links.
use super::history::Subject;
use super::{Result, StoreError, Workshop, now_rfc3339};
use crate::case::{self, CaseVersion, Package};
use crate::model::{AssociationType, Item, Link, LinkStatus, Side, Strength};
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// How a package is imported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportOptions {
    /// The framework's side; `None` keeps the side it has (new frameworks: the package's).
    pub side: Option<Side>,
    /// Where the package came from (a file name), for the session history.
    pub source: String,
    /// Replace a framework of the workshop by a *different* document (another title and
    /// uri) that has its identifier; refused without it.
    pub replace: bool,
    /// Take the package's associations as workshop links (between items of two
    /// frameworks already in the workshop), and not its items as a framework.
    pub as_links: bool,
}

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
    /// Imports a parsed package (see [`Workshop::import_package_with`]).
    pub fn import_package(&mut self, pkg: &Package, side: Option<Side>) -> Result<ImportReport> {
        self.import_package_with(
            pkg,
            &ImportOptions {
                side,
                ..ImportOptions::default()
            },
        )
    }

    /// Imports a parsed package in one transaction, with its history: a package with
    /// items (or with neither items nor associations: a framework just started) becomes
    /// or updates a framework; a package without items but with associations (an
    /// exported crosswalk), or any package with `as_links`, brings in links.
    pub fn import_package_with(
        &mut self,
        pkg: &Package,
        options: &ImportOptions,
    ) -> Result<ImportReport> {
        let mut reports = self.import_packages_with(std::slice::from_ref(pkg), options)?;
        Ok(reports.pop().unwrap_or_default())
    }

    /// Imports several packages (a file holding an array of them) in one transaction:
    /// all of them, or (when one is refused) none.
    pub fn import_packages_with(
        &mut self,
        packages: &[Package],
        options: &ImportOptions,
    ) -> Result<Vec<ImportReport>> {
        self.in_transaction(|ws| {
            packages
                .iter()
                .map(|pkg| import_one(ws, pkg, options))
                .collect()
        })
    }
}

fn import_one(ws: &Workshop, pkg: &Package, options: &ImportOptions) -> Result<ImportReport> {
    {
        {
            let before = ws.links()?;
            let mut report = ImportReport {
                warnings: pkg.warnings.clone(),
                ..ImportReport::default()
            };
            let as_links = options.as_links || is_crosswalk(pkg);
            if as_links {
                import_links(&ws.conn, pkg, &mut report).map_err(|e| ws.err(e))?;
                if report.links_added + report.links_updated + report.links_unchanged == 0 {
                    return Err(StoreError::Refused(format!(
                        "none of the {} associations of \"{}\" joins items of two frameworks of this workshop (import the frameworks first)",
                        pkg.associations.len(),
                        pkg.framework.title
                    )));
                }
            } else {
                import_framework(ws, pkg, options, &mut report)?;
            }
            record_links(ws, &before, &options.source)?;
            if !as_links {
                let details = json!({
                    "framework": report.title,
                    "identifier": report.framework_identifier,
                    "created": report.created,
                    "added": report.added.len(),
                    "changed": report.changed.len(),
                    "removed": report.removed.len(),
                    "unchanged": report.unchanged,
                    "links removed": report.links_removed,
                    "from": options.source,
                });
                ws.record("framework imported", Subject::Workshop, details)?;
            }
            Ok(report)
        }
    }
}

/// A crosswalk's package: no items, but associations (or, with no links yet, the major
/// and minor alignment groupings a crosswalk export defines). A document with neither is
/// a framework not yet filled in, whatever else its definitions hold.
fn is_crosswalk(pkg: &Package) -> bool {
    let alignment_groupings = || {
        pkg.definitions.as_deref().is_some_and(|d| {
            d.contains("\"CFAssociationGroupings\"")
                && (d.contains("major alignment\"") || d.contains("minor alignment\""))
        })
    };
    pkg.framework.items.is_empty() && (!pkg.associations.is_empty() || alignment_groupings())
}

/// Each new link gets the `imported` basis and an "imported" entry; each link that went
/// with an item the new version of a framework dropped gets a "deleted" entry.
fn record_links(ws: &Workshop, before: &[Link], source: &str) -> Result<()> {
    let after = ws.links()?;
    let now: HashSet<&str> = after.iter().map(|l| l.identifier.as_str()).collect();
    let was: HashSet<&str> = before.iter().map(|l| l.identifier.as_str()).collect();
    for l in after
        .iter()
        .filter(|l| !was.contains(l.identifier.as_str()))
    {
        ws.conn
            .execute(
                "UPDATE links SET basis = 'imported' WHERE identifier = ?1",
                [&l.identifier],
            )
            .map_err(|e| ws.err(e))?;
        let details = json!({
            "type": l.association_type.as_str(),
            "strength": l.strength.as_str(),
            "from": source,
        });
        ws.record("imported", Subject::Link(l), details)?;
    }
    for l in before
        .iter()
        .filter(|l| !now.contains(l.identifier.as_str()))
    {
        let details = json!({
            "type": l.association_type.as_str(),
            "strength": l.strength.as_str(),
            "note": l.note,
            "reason": format!("an end item is no longer in the framework imported from {source}"),
        });
        ws.record("deleted", Subject::Link(l), details)?;
    }
    Ok(())
}

/// The framework of the workshop a package's document is: the one with its identifier,
/// or the one whose identifier a CASE export rewrote into it.
fn existing_framework(
    conn: &Connection,
    identifier: &str,
) -> rusqlite::Result<Option<(i64, String, String)>> {
    let exact = conn
        .query_row(
            "SELECT id, identifier, side FROM frameworks WHERE identifier = ?1",
            [identifier],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if exact.is_some() {
        return Ok(exact);
    }
    let mut stmt = conn.prepare("SELECT id, identifier, side FROM frameworks ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let row = row?;
        if written_forms(&row.1).any(|w| w == identifier) {
            return Ok(Some(row));
        }
    }
    Ok(None)
}

/// The identifiers a CASE export may write `id` as, where they differ from it.
fn written_forms(id: &str) -> impl Iterator<Item = String> + '_ {
    [CaseVersion::V1_0, CaseVersion::V1_1]
        .into_iter()
        .map(move |v| case::case_identifier_for(id, v).into_owned())
        .filter(move |w| w != id)
}

/// Every string under an `identifier` key in a JSON text.
fn identifiers_in(raw: &str, out: &mut Vec<String>) {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                for (k, v) in o {
                    match v {
                        Value::String(s) if k == "identifier" => out.push(s.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    if let Ok(v) = serde_json::from_str::<Value>(raw) {
        walk(&v, out);
    }
}

/// Rewrites every `identifier` a CASE export made back to the workshop's.
fn restore_identifiers(raw: &str, back: &HashMap<String, String>) -> String {
    fn walk(v: &mut Value, back: &HashMap<String, String>) -> bool {
        let mut changed = false;
        match v {
            Value::Object(o) => {
                for (k, v) in o.iter_mut() {
                    match v {
                        Value::String(s) if k == "identifier" => {
                            if let Some(original) = back.get(s.as_str()) {
                                *s = original.clone();
                                changed = true;
                            }
                        }
                        _ => changed |= walk(v, back),
                    }
                }
            }
            Value::Array(a) => {
                for v in a {
                    changed |= walk(v, back);
                }
            }
            _ => {}
        }
        changed
    }
    match serde_json::from_str::<Value>(raw) {
        Ok(mut v) => {
            if walk(&mut v, back) {
                v.to_string()
            } else {
                raw.to_string()
            }
        }
        Err(_) => raw.to_string(),
    }
}

/// The package with every identifier a CASE export rewrote from one of the stored
/// framework's given back as it was.
fn restored(pkg: &Package, stored: &Package) -> Package {
    let mut known = vec![stored.framework.identifier.clone()];
    known.extend(stored.framework.items.iter().map(|i| i.identifier.clone()));
    let raws = stored
        .framework
        .raw
        .iter()
        .chain(stored.framework.items.iter().filter_map(|i| i.raw.as_ref()))
        .chain(stored.associations.iter().map(|a| &a.raw))
        .chain(stored.definitions.iter())
        .chain(stored.rubrics.iter());
    for raw in raws {
        identifiers_in(raw, &mut known);
    }
    let mut back: HashMap<String, String> = HashMap::new();
    for id in &known {
        for w in written_forms(id) {
            back.entry(w).or_insert_with(|| id.clone());
        }
    }
    let mut pkg = pkg.clone();
    if back.is_empty() {
        return pkg;
    }
    let fix = |s: &mut String| {
        if let Some(original) = back.get(s.as_str()) {
            *s = original.clone();
        }
    };
    fix(&mut pkg.framework.identifier);
    for item in &mut pkg.framework.items {
        fix(&mut item.identifier);
        if let Some(raw) = &mut item.raw {
            *raw = restore_identifiers(raw, &back);
        }
    }
    for a in &mut pkg.associations {
        fix(&mut a.identifier);
        fix(&mut a.origin.identifier);
        fix(&mut a.destination.identifier);
        a.raw = restore_identifiers(&a.raw, &back);
    }
    for raw in [
        &mut pkg.framework.raw,
        &mut pkg.definitions,
        &mut pkg.rubrics,
    ]
    .into_iter()
    .flatten()
    {
        *raw = restore_identifiers(raw, &back);
    }
    pkg
}

/// What an association says: its identifier, type, ends, order and grouping.
fn association_meaning(raw: &str) -> Value {
    let Ok(Value::Object(a)) = serde_json::from_str::<Value>(raw) else {
        return Value::String(raw.to_string());
    };
    let end = |key: &str| match a.get(key) {
        Some(Value::Object(o)) => o
            .get("identifier")
            .cloned()
            .unwrap_or_else(|| o.get("uri").cloned().unwrap_or(Value::Null)),
        Some(other) => other.clone(),
        None => Value::Null,
    };
    let kind = a
        .get("associationType")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_ascii_lowercase();
    let sequence = a.get("sequenceNumber").map(|s| match s {
        Value::String(t) => t.trim().parse::<i64>().map_or(Value::Null, Value::from),
        other => other.clone(),
    });
    json!([
        a.get("identifier"),
        kind,
        end("originNodeURI"),
        end("destinationNodeURI"),
        sequence,
        end("CFAssociationGroupingURI"),
        a.get("notes"),
    ])
}

/// Two packages' definitions (or rubrics) say the same once white space and the order of
/// an object's fields are set aside.
fn same_json(a: Option<&str>, b: Option<&str>) -> bool {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<Value>(s).ok());
    match (parse(a), parse(b)) {
        (Some(x), Some(y)) => sorted(x) == sorted(y),
        _ => a == b,
    }
}

fn sorted(v: Value) -> Value {
    match v {
        Value::Object(o) => {
            let mut entries: Vec<(String, Value)> = o.into_iter().collect();
            entries.sort_by(|x, y| x.0.cmp(&y.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        Value::Array(a) => Value::Array(a.into_iter().map(sorted).collect()),
        other => other,
    }
}

fn import_framework(
    ws: &Workshop,
    pkg: &Package,
    options: &ImportOptions,
    report: &mut ImportReport,
) -> Result<()> {
    let wrap = |e| ws.err(e);
    let tx = &ws.conn;
    let now = now_rfc3339();
    let existing = existing_framework(tx, &pkg.framework.identifier).map_err(wrap)?;
    let stored = match &existing {
        Some((id, ..)) => Some(ws.load_package(*id)?),
        None => None,
    };
    // A new framework is written as it is (not copied: it may hold a million items).
    let mut pkg = match &stored {
        Some(stored) => Cow::Owned(restored(pkg, stored)),
        None => Cow::Borrowed(pkg),
    };
    // An item the file gives no uri (a workbook has no column for it) keeps the one the
    // workshop has.
    if let Some(stored) = &stored {
        let uris: HashMap<&str, &str> = stored
            .framework
            .items
            .iter()
            .map(|i| (i.identifier.as_str(), i.uri.as_str()))
            .collect();
        for item in &mut pkg.to_mut().framework.items {
            if case::is_made_item_uri(&item.uri, &item.identifier)
                && let Some(uri) = uris.get(item.identifier.as_str())
            {
                item.uri = uri.to_string();
            }
        }
    }
    let fw = &pkg.framework;
    if let Some(stored) = &stored {
        let old = &stored.framework;
        let differs = |a: &str, b: &str| a.trim() != b.trim();
        if !options.replace && differs(&old.title, &fw.title) && differs(&old.uri, &fw.uri) {
            return Err(StoreError::Refused(format!(
                "the workshop's framework `{}` is another document: its title is \"{}\" here and \"{}\" in the file, its uri {} here and {} in the file; import with --replace to replace it",
                old.identifier, old.title, fw.title, old.uri, fw.uri
            )));
        }
    }
    let side = options
        .side
        .or_else(|| existing.as_ref().and_then(|(_, _, s)| s.parse().ok()))
        .unwrap_or(fw.side);
    let new_document = case::document_meaning(fw);
    let time_of = |doc: &Value| {
        doc.get("lastChangeDateTime")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let new_time = time_of(&new_document);
    let old_time = stored
        .as_ref()
        .map(|s| time_of(&case::document_meaning(&s.framework)))
        .unwrap_or_default();
    let framework_id = match (&existing, &stored) {
        (Some((id, ..)), Some(stored)) => {
            let same_document = case::document_meaning(&stored.framework) == new_document
                && stored.framework.uri == fw.uri;
            if same_document {
                tx.execute(
                    "UPDATE frameworks SET side = ?1, imported_at = ?2 WHERE id = ?3",
                    params![side.as_str(), now, id],
                )
                .map_err(wrap)?;
            } else {
                tx.execute(
                    "UPDATE frameworks SET uri = ?1, title = ?2, creator = ?3, side = ?4, raw = ?5,
                            imported_at = ?6 WHERE id = ?7",
                    params![fw.uri, fw.title, fw.creator, side.as_str(), fw.raw, now, id],
                )
                .map_err(wrap)?;
            }
            if !same_json(stored.definitions.as_deref(), pkg.definitions.as_deref()) {
                tx.execute(
                    "UPDATE frameworks SET definitions = ?1 WHERE id = ?2",
                    params![pkg.definitions, id],
                )
                .map_err(wrap)?;
            }
            if !same_json(stored.rubrics.as_deref(), pkg.rubrics.as_deref()) {
                tx.execute(
                    "UPDATE frameworks SET rubrics = ?1 WHERE id = ?2",
                    params![pkg.rubrics, id],
                )
                .map_err(wrap)?;
            }
            *id
        }
        _ => {
            tx.execute(
                "INSERT INTO frameworks (identifier, uri, title, creator, side, raw, definitions, rubrics, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![fw.identifier, fw.uri, fw.title, fw.creator, side.as_str(), fw.raw, pkg.definitions, pkg.rubrics, now],
            )
            .map_err(wrap)?;
            tx.last_insert_rowid()
        }
    };
    report.framework_identifier = fw.identifier.clone();
    report.title = fw.title.clone();
    report.side = Some(side);
    report.created = existing.is_none();

    // What the workshop holds now: identifier -> (row id, item, parent identifier).
    let mut row_ids: HashMap<String, i64> = {
        let mut stmt = tx
            .prepare("SELECT identifier, id FROM items WHERE framework_id = ?1")
            .map_err(wrap)?;
        let rows = stmt
            .query_map([framework_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(wrap)?;
        rows.collect::<rusqlite::Result<_>>().map_err(wrap)?
    };
    let old_items: HashMap<&str, (&Item, Option<&str>)> = stored
        .as_ref()
        .map(|s| {
            let items = &s.framework.items;
            items
                .iter()
                .map(|it| {
                    let parent = it.parent.map(|p| items[p].identifier.as_str());
                    (it.identifier.as_str(), (it, parent))
                })
                .collect()
        })
        .unwrap_or_default();

    let mut insert = tx
        .prepare_cached(
            "INSERT INTO items (framework_id, identifier, uri, code, statement, abbreviated, item_type, keywords,
                                list_enumeration, language, position, depth, parent_position, raw)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )
        .map_err(wrap)?;
    let mut update = tx
        .prepare_cached(
            "UPDATE items SET uri = ?2, code = ?3, statement = ?4, abbreviated = ?5, item_type = ?6, keywords = ?7,
                              list_enumeration = ?8, language = ?9, position = ?10, depth = ?11,
                              parent_position = ?12, raw = ?13
             WHERE id = ?1",
        )
        .map_err(wrap)?;
    let mut place = tx
        .prepare_cached(
            "UPDATE items SET position = ?2, depth = ?3, parent_position = ?4 WHERE id = ?1",
        )
        .map_err(wrap)?;
    for (position, item) in fw.items.iter().enumerate() {
        let keywords = serde_json::to_string(&item.keywords).unwrap_or_else(|_| "[]".into());
        let parent = item.parent.map(|p| p as i64);
        match row_ids.remove(&item.identifier) {
            None => {
                insert
                    .execute(params![
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
                    ])
                    .map_err(wrap)?;
                report.added.push(label(item));
            }
            Some(row_id) => {
                let new_parent = item.parent.map(|p| fw.items[p].identifier.as_str());
                let same_text = old_items
                    .get(item.identifier.as_str())
                    .is_some_and(|(old, _)| {
                        old.uri == item.uri
                            && case::item_meaning(old, &old_time)
                                == case::item_meaning(item, &new_time)
                    });
                let same_place = old_items
                    .get(item.identifier.as_str())
                    .is_some_and(|(_, p)| *p == new_parent);
                if same_text {
                    // Kept as stored: fields CASE has no place for (CFDocumentURI, ...)
                    // survive a re-import of an export that could not carry them.
                    place
                        .execute(params![row_id, position as i64, item.depth as i64, parent])
                        .map_err(wrap)?;
                } else {
                    update
                        .execute(params![
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
                        ])
                        .map_err(wrap)?;
                }
                if same_text && same_place {
                    report.unchanged += 1;
                } else {
                    report.changed.push(label(item));
                }
            }
        }
    }
    // Whatever is left was not in the new package.
    let mut removed: Vec<(String, i64)> = row_ids.into_iter().collect();
    removed.sort_by_key(|(_, id)| *id);
    for (identifier, row_id) in removed {
        report.links_removed += tx
            .query_row(
                "SELECT COUNT(*) FROM links WHERE origin_id = ?1 OR destination_id = ?1",
                [row_id],
                |r| r.get::<_, i64>(0),
            )
            .map_err(wrap)? as usize;
        tx.execute("DELETE FROM items WHERE id = ?1", [row_id])
            .map_err(wrap)?;
        let code = old_items
            .get(identifier.as_str())
            .map(|(it, _)| it.code.clone())
            .unwrap_or_default();
        report
            .removed
            .push(if code.is_empty() { identifier } else { code });
    }

    let same_associations = stored.as_ref().is_some_and(|s| {
        s.associations.len() == pkg.associations.len()
            && s.associations
                .iter()
                .zip(&pkg.associations)
                .all(|(a, b)| association_meaning(&a.raw) == association_meaning(&b.raw))
    });
    if !same_associations {
        tx.execute(
            "DELETE FROM package_associations WHERE framework_id = ?1",
            [framework_id],
        )
        .map_err(wrap)?;
        let mut keep = tx
            .prepare_cached(
                "INSERT INTO package_associations (framework_id, position, raw) VALUES (?1, ?2, ?3)",
            )
            .map_err(wrap)?;
        for (position, a) in pkg.associations.iter().enumerate() {
            keep.execute(params![framework_id, position as i64, a.raw])
                .map_err(wrap)?;
        }
    }
    Ok(())
}

/// Finds items of the workshop by identifier, or by an identifier a CASE export wrote
/// for one (the index of those is built only when first needed).
struct ItemFinder<'c> {
    conn: &'c Connection,
    written: Option<HashMap<String, (i64, i64)>>,
}

impl ItemFinder<'_> {
    fn find(&mut self, identifier: &str) -> rusqlite::Result<Option<(i64, i64)>> {
        let exact = self
            .conn
            .prepare_cached("SELECT id, framework_id FROM items WHERE identifier = ?1 LIMIT 1")?
            .query_row([identifier], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if exact.is_some() {
            return Ok(exact);
        }
        if self.written.is_none() {
            let mut map = HashMap::new();
            let mut stmt = self
                .conn
                .prepare("SELECT identifier, id, framework_id FROM items")?;
            let rows = stmt.query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?;
            for row in rows {
                let (id, row_id, fw) = row?;
                for w in written_forms(&id) {
                    map.entry(w).or_insert((row_id, fw));
                }
            }
            self.written = Some(map);
        }
        Ok(self
            .written
            .as_ref()
            .and_then(|m| m.get(identifier).copied()))
    }
}

/// Associations whose two ends are items of two different frameworks in the workshop
/// become links (an exported crosswalk re-imports to the same links).
fn import_links(
    conn: &Connection,
    pkg: &Package,
    report: &mut ImportReport,
) -> rusqlite::Result<()> {
    let mut finder = ItemFinder {
        conn,
        written: None,
    };
    let now = now_rfc3339();
    let one_point_zero = pkg.case_version.trim() != "1.1";
    let (mut hierarchy, mut unknown, mut outside) = (0, 0, 0);
    for a in &pkg.associations {
        let Ok(kind) = a.association_type.parse::<AssociationType>() else {
            unknown += 1;
            continue;
        };
        if kind == AssociationType::IsChildOf {
            hierarchy += 1;
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
            finder.find(&a.origin.identifier)?,
            finder.find(&a.destination.identifier)?,
        ) else {
            outside += 1;
            continue;
        };
        if of == df {
            outside += 1;
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
        let by_identifier: Option<(i64, String)> = conn
            .query_row(
                "SELECT id, association_type FROM links WHERE identifier = ?1",
                [&a.identifier],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, old_kind)) = by_identifier {
            // CASE 1.0 has no isTranslationOf: its export wrote isRelatedTo, which says
            // less, not something else, so the link keeps its type.
            let kind = if one_point_zero
                && kind == AssociationType::IsRelatedTo
                && old_kind == AssociationType::IsTranslationOf.as_str()
            {
                AssociationType::IsTranslationOf
            } else {
                kind
            };
            let n = conn.execute(
                "UPDATE links SET association_type = ?2, strength = ?3,
                        note = CASE WHEN ?4 = '' THEN note ELSE ?4 END, changed = ?5
                 WHERE id = ?1 AND (association_type != ?2 OR strength != ?3 OR (?4 != '' AND note != ?4))",
                params![id, kind.as_str(), strength.as_str(), a.notes, now],
            )?;
            report.links_updated += n;
            report.links_unchanged += 1 - n;
            continue;
        }
        let pair_taken: bool = conn.query_row(
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
        conn.execute(
            "INSERT INTO links (identifier, origin_id, destination_id, association_type, note, strength, created, changed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)",
            params![a.identifier, origin, destination, kind.as_str(), a.notes, strength.as_str(), now],
        )?;
        report.links_added += 1;
    }
    if hierarchy > 0 {
        report.warnings.push(format!(
            "{hierarchy} isChildOf association(s) left out: isChildOf places an item in its own framework's tree and is not an alignment link"
        ));
    }
    if unknown > 0 {
        report.warnings.push(format!(
            "{unknown} association(s) of a type crosswalk does not know were left out"
        ));
    }
    if outside > 0 {
        report.warnings.push(format!(
            "{outside} association(s) do not join items of two frameworks of this workshop and were left out"
        ));
    }
    Ok(())
}
