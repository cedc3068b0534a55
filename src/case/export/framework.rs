//! A framework back as a CASE package: every imported field the schema allows, the
//! model's fields written over the imported ones, nothing the schema refuses.
//!
//! One code path builds every record, whether the package is wanted as a JSON value
//! ([`export_framework`], for the CASE REST API) or written to a file as it is built
//! ([`write_framework`], for a workshop's framework of any size): both serialise a
//! [`FrameworkSource`] record by record, and only a light index of the nodes (written
//! identifier, uri, title, parent) is held for all items.
use super::schema::{
    self, ASSOCIATION, DEFINITION_LISTS, DOCUMENT, DefinitionList, Field, ITEM, Notes, Object,
    RUBRIC, RUBRIC_CRITERION, RUBRIC_LEVEL, UNKNOWN_TIME, link_value, text_field,
};
use super::source::{FrameworkSource, Records};
use super::{CaseVersion, derived_uuid};
use crate::case::MAX_INPUT_BYTES;
use crate::case::input::stable_uri;
use crate::case::{Association, NodeRef, Package};
use crate::model::{AssociationType, Framework, Item};
use serde::ser::{Error as _, SerializeMap, Serializer};
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;
use std::rc::Rc;

/// A framework back as a CASE package, its imported fields kept.
pub fn export_framework(pkg: &Package, version: CaseVersion) -> Value {
    export_framework_with_warnings(pkg, version).0
}

/// [`export_framework`], with what was bent to fit the schema: fields left out, times
/// given a zone, identifiers the version refuses written as UUIDs made from them (see
/// [`super::case_identifier_for`]).
///
/// - The document and each item start from the JSON they were imported with (`raw`);
///   fields the class does not allow in `version` are left out (`CFPackageURI`,
///   `CFDocumentURI`, OpenSALT's `CFItemAssociationURI`, …), and the model's fields
///   (identifier, uri, title, creator, fullStatement, humanCodingScheme, CFItemType, …)
///   are written over the imported ones. OpenSALT's `educationalLevel` becomes CASE's
///   `educationLevel`.
/// - Items come in the model's pre-order.
/// - Associations are the imported ones (`isChildOf` included), normalised: the type in
///   CASE's spelling, ends completed from the package's nodes, times with a zone. No
///   association is invented for an item that had none (it stays at the top level on
///   re-import, in the same place); only a framework that came with no associations at
///   all (built from a tree) gets its tree as `isChildOf` associations, with each item's
///   place among its siblings as `sequenceNumber` and a UUID v5 identifier.
/// - `CFDefinitions` and `CFRubrics` (rubrics, criteria, levels) are the imported ones,
///   normalised the same way.
pub fn export_framework_with_warnings(pkg: &Package, version: CaseVersion) -> (Value, Vec<String>) {
    let mut notes = Notes::new(version);
    let value = serialize_framework(pkg, version, &mut notes, serde_json::value::Serializer)
        .expect("a package in memory always serialises to a JSON value");
    (value, notes.into_warnings(version))
}

/// The package [`export_framework_with_warnings`] makes from `source`, written to `out`
/// as it is built, byte for byte as `serde_json::to_string_pretty` writes that value
/// with every control character escaped ([`crate::text::escape_json_controls`]) and a
/// final newline. Memory stays that of the node index, however many items there are.
/// Returns the warnings; `out` is flushed.
///
/// A package larger than crosswalk imports ([`MAX_INPUT_BYTES`]) is refused: the writing
/// stops with an error there, as it does when the source (a read from the workshop) or
/// `out` fails; what was written by then is not a package.
pub fn write_framework<S: FrameworkSource>(
    source: &S,
    version: CaseVersion,
    out: impl Write,
) -> std::io::Result<Vec<String>> {
    write_framework_limited(source, version, out, MAX_INPUT_BYTES)
}

/// [`write_framework`] with the size limit given, so tests need not write a huge package.
fn write_framework_limited<S: FrameworkSource>(
    source: &S,
    version: CaseVersion,
    out: impl Write,
    limit: usize,
) -> std::io::Result<Vec<String>> {
    let mut notes = Notes::new(version);
    let limited = Limited {
        inner: out,
        left: limit,
        limit,
    };
    // serde_json writes in small pieces: buffer them before the escaper looks at them.
    let mut escaped = crate::text::JsonEscaper::new(limited);
    let mut buffered = std::io::BufWriter::with_capacity(64 * 1024, &mut escaped);
    let mut json = serde_json::Serializer::pretty(&mut buffered);
    serialize_framework(source, version, &mut notes, &mut json)?;
    buffered.write_all(b"\n")?;
    buffered.flush()?;
    drop(buffered);
    escaped.finish()?;
    Ok(notes.into_warnings(version))
}

/// A writer that refuses to write more than `limit` bytes in all.
struct Limited<W> {
    inner: W,
    left: usize,
    limit: usize,
}

impl<W: Write> Write for Limited<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if buf.len() > self.left {
            return Err(std::io::Error::other(format!(
                "the package is larger than {} MiB, the most crosswalk imports; not written",
                self.limit / (1024 * 1024)
            )));
        }
        let n = self.inner.write(buf)?;
        self.left -= n;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The package, serialised into `ser` one record at a time: the document, each item,
/// each association, then the definitions and rubrics.
fn serialize_framework<Src: FrameworkSource, S: Serializer>(
    source: &Src,
    version: CaseVersion,
    notes: &mut Notes,
    ser: S,
) -> Result<S::Ok, S::Error> {
    let fw = source.framework();
    let has_associations = source.has_associations().map_err(S::Error::custom)?;
    // The index of every node, filled as the items are written (they come before the
    // associations that need it), so the items are read once.
    let mut nodes = Nodes::new(fw, !has_associations, notes);
    let doc = document(fw, nodes.identifier(Node::Document), version, notes);
    let doc_time = doc
        .get("lastChangeDateTime")
        .and_then(Value::as_str)
        .unwrap_or(UNKNOWN_TIME)
        .to_string();

    let mut package = ser.serialize_map(None)?;
    package.serialize_entry("CFDocument", &doc)?;
    drop(doc);

    package.serialize_key("CFItems")?;
    source
        .with_items(|items| {
            let mut i = 0;
            let written = items.map(|it| {
                let it = it?;
                nodes.add_item(i, &it, notes);
                let obj = item(
                    &it,
                    nodes.identifier(Node::Item(i)),
                    version,
                    &doc_time,
                    notes,
                );
                // A tree's isChildOf carries its item's time.
                nodes.keep_time(i, obj.get("lastChangeDateTime").and_then(Value::as_str));
                i += 1;
                Ok::<_, Src::Error>(obj)
            });
            package.serialize_value(&Records::new(written))
        })
        .map_err(S::Error::custom)??;

    package.serialize_key("CFAssociations")?;
    if has_associations {
        source
            .with_associations(|list| {
                let kept = list.filter_map(|a| match a {
                    Ok(a) => association(&a, version, &nodes, &doc_time, notes).map(Ok),
                    Err(e) => Some(Err(e)),
                });
                package.serialize_value(&Records::new(kept))
            })
            .map_err(S::Error::custom)??;
    } else {
        // A framework that came with no associations at all (built from a tree, not a
        // package) gets its tree as isChildOf associations. One that came with
        // associations gets exactly those: an item that had no parent association keeps
        // having none, so its place does not change on re-import.
        let tree = TreeAssociations::new(&nodes, &doc_time, notes);
        package.serialize_value(&Records::new(tree.map(Ok::<_, Src::Error>)))?;
    }

    if let Some(defs) = source
        .definitions()
        .and_then(|d| definitions(d, version, &doc_time, notes))
    {
        package.serialize_entry("CFDefinitions", &defs)?;
    }
    if let Some(rubrics) = source
        .rubrics()
        .and_then(|r| rubrics(r, version, &doc_time, notes))
    {
        package.serialize_entry("CFRubrics", &rubrics)?;
    }
    package.end()
}

/// The tree as `isChildOf` associations, each item under its parent (or the document)
/// with its place among its siblings as `sequenceNumber`.
struct TreeAssociations<'a> {
    nodes: &'a Nodes,
    doc_time: &'a str,
    notes: &'a mut Notes,
    next: usize,
    /// Children met so far under each item, and (last) under the document.
    children_seen: Vec<i64>,
}

impl<'a> TreeAssociations<'a> {
    fn new(nodes: &'a Nodes, doc_time: &'a str, notes: &'a mut Notes) -> Self {
        TreeAssociations {
            children_seen: vec![0; nodes.items() + 1],
            nodes,
            doc_time,
            notes,
            next: 0,
        }
    }
}

impl Iterator for TreeAssociations<'_> {
    type Item = Object;

    fn next(&mut self) -> Option<Object> {
        let i = self.next;
        if i >= self.nodes.items() {
            return None;
        }
        self.next += 1;
        let parent = self.nodes.parent(i);
        let slot = match parent {
            Node::Item(p) => p,
            Node::Document => self.nodes.items(),
        };
        self.children_seen[slot] += 1;
        self.notes.generated_parents += 1;
        let time = self.nodes.time(i).unwrap_or(self.doc_time);
        Some(tree_association(
            self.nodes,
            i,
            parent,
            self.children_seen[slot],
            time,
        ))
    }
}

/// The imported `CFRubrics`, each rubric, criterion and level fitted to its class;
/// `None` when they are not an array.
fn rubrics(
    raw: &str,
    version: CaseVersion,
    doc_time: &str,
    notes: &mut Notes,
) -> Option<Vec<Value>> {
    let Ok(Value::Array(list)) = serde_json::from_str::<Value>(raw) else {
        return None;
    };
    let level = |v: &Value, notes: &mut Notes| {
        record(
            v,
            RUBRIC_LEVEL,
            None,
            "CFRubricCriterionLevels",
            version,
            doc_time,
            notes,
        )
    };
    let criterion = |v: &Value, notes: &mut Notes| {
        record(
            v,
            RUBRIC_CRITERION,
            Some(("CFRubricCriterionLevels", &level)),
            "CFRubricCriteria",
            version,
            doc_time,
            notes,
        )
    };
    Some(
        list.iter()
            .filter_map(|r| {
                record(
                    r,
                    RUBRIC,
                    Some(("CFRubricCriteria", &criterion)),
                    "CFRubrics",
                    version,
                    doc_time,
                    notes,
                )
            })
            .collect(),
    )
}

type Nested<'a> = &'a dyn Fn(&Value, &mut Notes) -> Option<Value>;

/// One rubric record: its fields fitted to `table`, its nested list (`key`) written with
/// `nested`, its required fields filled; `None` without an identifier.
fn record(
    v: &Value,
    table: &[Field],
    nested: Option<(&str, Nested)>,
    class: &'static str,
    version: CaseVersion,
    doc_time: &str,
    notes: &mut Notes,
) -> Option<Value> {
    let Value::Object(raw) = v else {
        notes
            .dropped_entries
            .push(format!("a {class} entry that is not an object"));
        return None;
    };
    let mut fields = raw.clone();
    let children = nested.and_then(|(key, _)| fields.shift_remove(key));
    let mut obj = schema::keep_allowed(&fields, table, version, class, notes);
    if obj
        .get("identifier")
        .and_then(Value::as_str)
        .is_none_or(|id| id.trim().is_empty())
    {
        notes
            .dropped_entries
            .push(format!("a {class} entry without an identifier"));
        return None;
    }
    schema::fill_required(&mut obj, table, "rubric", doc_time, notes);
    if let (Some((key, write)), Some(Value::Array(list))) = (nested, children) {
        let kept: Vec<Value> = list.iter().filter_map(|c| write(c, notes)).collect();
        obj.insert(key.to_string(), Value::Array(kept));
    }
    Some(Value::Object(obj))
}

/// What an item says, as CASE 1.1 would write it (times without a zone given one, fields
/// CASE has no place for left out), with its own identifier: two items that export the
/// same way mean the same, whatever the text they were imported from. An item's time
/// that is its document's (`document_time`, as [`document_meaning`] writes it) is left
/// out: an export gives it to items that had none.
pub fn item_meaning(it: &Item, document_time: &str) -> Value {
    let mut notes = Notes::new(CaseVersion::V1_1);
    let mut obj = item(
        it,
        &it.identifier,
        CaseVersion::V1_1,
        document_time,
        &mut notes,
    );
    if obj.get("lastChangeDateTime").and_then(Value::as_str) == Some(document_time) {
        obj.shift_remove("lastChangeDateTime");
    }
    Value::Object(obj)
}

/// What a document says, as [`item_meaning`] for items.
pub fn document_meaning(fw: &Framework) -> Value {
    let mut notes = Notes::new(CaseVersion::V1_1);
    Value::Object(document(fw, &fw.identifier, CaseVersion::V1_1, &mut notes))
}

/// The JSON object `raw` holds; empty when there is none.
fn parse_object(raw: Option<&str>) -> Object {
    match raw.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(o))) => o,
        _ => Object::new(),
    }
}

fn put(obj: &mut Object, key: &str, value: impl Into<String>) {
    obj.insert(key.to_string(), Value::String(value.into()));
}

/// Writes the model's value, or leaves the field out when the model has none.
fn put_or_remove(obj: &mut Object, key: &str, value: &str) {
    if value.is_empty() {
        obj.shift_remove(key);
    } else {
        put(obj, key, value);
    }
}

/// The CFDocument; `identifier` is the one it is written with (see `case_identifier`).
fn document(fw: &Framework, identifier: &str, version: CaseVersion, notes: &mut Notes) -> Object {
    let raw = parse_object(fw.raw.as_deref());
    let mut doc = schema::keep_allowed(&raw, DOCUMENT, version, "CFDocument", notes);
    put(&mut doc, "identifier", identifier);
    put(
        &mut doc,
        "uri",
        if fw.uri.is_empty() {
            stable_uri("document", &fw.identifier)
        } else {
            fw.uri.clone()
        },
    );
    if version == CaseVersion::V1_1 {
        put(&mut doc, "caseVersion", "1.1");
    }
    if !fw.title.is_empty() {
        put(&mut doc, "title", &fw.title);
    }
    if !fw.creator.is_empty() {
        put(&mut doc, "creator", &fw.creator);
    }
    if !doc.contains_key("lastChangeDateTime") {
        notes.undated_document = true;
        put(&mut doc, "lastChangeDateTime", UNKNOWN_TIME);
    }
    schema::fill_required(&mut doc, DOCUMENT, "document", UNKNOWN_TIME, notes);
    doc
}

/// An item; `identifier` is the one it is written with (see `case_identifier`).
fn item(
    it: &Item,
    identifier: &str,
    version: CaseVersion,
    doc_time: &str,
    notes: &mut Notes,
) -> Object {
    let mut raw = parse_object(it.raw.as_deref());
    // OpenSALT writes `educationalLevel`; CASE calls it `educationLevel`.
    if let Some(level) = raw.shift_remove("educationalLevel") {
        raw.entry("educationLevel").or_insert(level);
    }
    let mut obj = schema::keep_allowed(&raw, ITEM, version, "CFItems", notes);
    put(&mut obj, "identifier", identifier);
    put(&mut obj, "fullStatement", &it.statement);
    put(&mut obj, "uri", item_uri(it));
    put_or_remove(&mut obj, "humanCodingScheme", &it.code);
    put_or_remove(&mut obj, "abbreviatedStatement", &it.abbreviated);
    put_or_remove(&mut obj, "CFItemType", &it.item_type);
    put_or_remove(&mut obj, "listEnumeration", &it.list_enumeration);
    put_or_remove(&mut obj, "language", &it.language);
    if it.keywords.is_empty() {
        obj.shift_remove("conceptKeywords");
    } else {
        let words = it.keywords.iter().cloned().map(Value::String).collect();
        obj.insert("conceptKeywords".into(), Value::Array(words));
    }
    schema::fill_required(&mut obj, ITEM, "item", doc_time, notes);
    obj
}

fn item_uri(it: &Item) -> String {
    if it.uri.is_empty() {
        stable_uri("item", &it.identifier)
    } else {
        it.uri.clone()
    }
}

/// The document or an item of the package.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Document,
    Item(usize),
}

/// The light index of a package's nodes an export keeps for all of them: it finds the
/// node an association end names (by identifier, in any letter case, by uri) and knows
/// what each node is written with (identifier, uri, title) and, for a tree, each item's
/// parent and time.
struct Nodes {
    /// The identifiers written (see `case_identifier`), uris and LinkURI titles: the
    /// document's, then the items'.
    written: Vec<Rc<str>>,
    uris: Vec<Rc<str>>,
    titles: Vec<Box<str>>,
    /// Whether a tree's isChildOf associations are written, from `parents` and `times`.
    tree: bool,
    /// Each item's parent; empty when no tree is written.
    parents: Vec<Option<u32>>,
    /// Each item's lastChangeDateTime as written; kept only when a tree is written.
    times: Vec<Option<Box<str>>>,
    /// The identifiers as imported, in node order.
    ids: Vec<Rc<str>>,
    exact: HashMap<Rc<str>, Node>,
    /// `ids` in lower case, made the first time an identifier is not found as it is
    /// (real packages rarely need it, and it costs a string per item).
    folded: std::cell::OnceCell<HashMap<Box<str>, Node>>,
    by_uri: HashMap<Rc<str>, Node>,
}

impl Nodes {
    /// The index of `fw`'s document, its items to come with [`Nodes::add_item`]; `tree`
    /// keeps what a tree's isChildOf associations need.
    fn new(fw: &Framework, tree: bool, notes: &mut Notes) -> Self {
        let mut nodes = Nodes {
            written: Vec::new(),
            uris: Vec::new(),
            titles: Vec::new(),
            tree,
            parents: Vec::new(),
            times: Vec::new(),
            ids: Vec::new(),
            exact: HashMap::new(),
            folded: std::cell::OnceCell::new(),
            by_uri: HashMap::new(),
        };
        nodes.add(Node::Document, &fw.identifier, &fw.uri, &fw.title, notes);
        nodes
    }

    /// Item `i` (in pre-order, after those before it): a LinkURI calls it by its code,
    /// or by its statement when it has none.
    fn add_item(&mut self, i: usize, it: &Item, notes: &mut Notes) {
        let title = if it.code.is_empty() {
            &it.statement
        } else {
            &it.code
        };
        self.add(Node::Item(i), &it.identifier, &it.uri, title, notes);
        if self.tree {
            self.parents.push(it.parent.map(|p| p as u32));
        }
    }

    fn add(&mut self, node: Node, id: &str, uri: &str, title: &str, notes: &mut Notes) {
        let id: Rc<str> = id.into();
        self.written.push(match notes.written_identifier(&id) {
            Cow::Borrowed(_) => id.clone(),
            Cow::Owned(new) => new.into(),
        });
        let uri: Option<Rc<str>> = (!uri.is_empty()).then(|| uri.into());
        self.uris.push(match (&uri, node) {
            (Some(u), _) => u.clone(),
            (None, Node::Document) => stable_uri("document", &id).into(),
            (None, Node::Item(_)) => stable_uri("item", &id).into(),
        });
        self.titles.push(title.into());
        self.ids.push(id.clone());
        self.exact.entry(id).or_insert(node);
        if let Some(uri) = uri {
            self.by_uri.entry(uri).or_insert(node);
        }
    }

    /// How many items there are.
    fn items(&self) -> usize {
        self.written.len() - 1
    }

    fn resolve(&self, identifier: &str, uri: &str) -> Option<Node> {
        if !identifier.is_empty() {
            if let Some(&n) = self.exact.get(identifier) {
                return Some(n);
            }
            let folded = self.folded.get_or_init(|| {
                let mut folded = HashMap::new();
                for (k, id) in self.ids.iter().enumerate() {
                    let node = if k == 0 {
                        Node::Document
                    } else {
                        Node::Item(k - 1)
                    };
                    folded.entry(id.to_lowercase().into()).or_insert(node);
                }
                folded
            });
            if let Some(&n) = folded.get(identifier.to_lowercase().as_str()) {
                return Some(n);
            }
        }
        (!uri.is_empty())
            .then(|| self.by_uri.get(uri).copied())
            .flatten()
    }

    fn index(node: Node) -> usize {
        match node {
            Node::Document => 0,
            Node::Item(i) => i + 1,
        }
    }

    /// The identifier the node is written with.
    fn identifier(&self, node: Node) -> &str {
        &self.written[Self::index(node)]
    }

    /// What a LinkURI calls the node: the document's title; an item's code, or statement.
    fn title(&self, node: Node) -> &str {
        &self.titles[Self::index(node)]
    }

    fn uri(&self, node: Node) -> String {
        self.uris[Self::index(node)].to_string()
    }

    fn link(&self, node: Node) -> Value {
        link_value(
            self.title(node).to_string(),
            self.identifier(node).to_string(),
            self.uri(node),
        )
    }

    /// The node item `i` is a child of in the tree.
    fn parent(&self, i: usize) -> Node {
        self.parents[i].map_or(Node::Document, |p| Node::Item(p as usize))
    }

    /// Keeps item `i`'s time when a tree is written (items come in order).
    fn keep_time(&mut self, i: usize, time: Option<&str>) {
        if !self.parents.is_empty() {
            debug_assert_eq!(self.times.len(), i);
            self.times.push(time.map(Into::into));
        }
    }

    fn time(&self, i: usize) -> Option<&str> {
        self.times.get(i).and_then(|t| t.as_deref())
    }
}

/// An association end (`LinkGenURI`) completed from the package: a node of the package
/// named with the identifier it is written with, a missing title and uri taken from the
/// node; an end outside the package kept as given, its identifier taken from its uri when
/// missing. `None` when no identifier can be had.
fn node_link(v: Option<&Value>, version: CaseVersion, nodes: &Nodes) -> Option<Value> {
    let (title, identifier, uri, target_type) = match v? {
        Value::Object(o) => (
            text_field(o, "title"),
            text_field(o, "identifier").trim().to_string(),
            text_field(o, "uri").trim().to_string(),
            o.get("targetType").and_then(Value::as_str),
        ),
        Value::String(s) => (String::new(), String::new(), s.trim().to_string(), None),
        _ => return None,
    };
    let mut node = nodes.resolve(&identifier, &uri);
    let mut identifier = identifier;
    if node.is_none() && identifier.is_empty() {
        // CASE URIs end with the identifier (the importer matches them the same way).
        identifier = schema::identifier_from_uri(&uri).to_string();
        node = nodes.resolve(&identifier, "");
    }
    // A node of the package is named as it is written; anything else as it was given
    // (any string is a valid LinkGenURI identifier).
    if let Some(n) = node {
        identifier = nodes.identifier(n).to_string();
    }
    if identifier.is_empty() {
        return None;
    }
    let title = match (title.is_empty(), node) {
        (true, Some(n)) => nodes.title(n).to_string(),
        _ => title,
    };
    let uri = match (uri.is_empty(), node) {
        (false, _) => uri,
        (true, Some(n)) => nodes.uri(n),
        (true, None) => stable_uri("node", &identifier),
    };
    let mut link = link_value(title, identifier, uri);
    if version == CaseVersion::V1_1
        && let Some(t) = target_type.filter(|t| *t == "CASE" || schema::is_extension_type(t))
        && let Value::Object(m) = &mut link
    {
        m.insert("targetType".into(), Value::String(t.to_string()));
    }
    Some(link)
}

/// The association as the model read it, for when its raw JSON is missing or broken.
fn association_from_model(a: &Association) -> Object {
    let mut obj = Object::new();
    if a.identifier.is_empty() {
        return obj;
    }
    let node = |n: &NodeRef| link_value(n.title.clone(), n.identifier.clone(), n.uri.clone());
    put(&mut obj, "identifier", &a.identifier);
    put(&mut obj, "associationType", &a.association_type);
    if let Some(seq) = a.sequence_number {
        obj.insert("sequenceNumber".into(), seq.into());
    }
    obj.insert("originNodeURI".into(), node(&a.origin));
    obj.insert("destinationNodeURI".into(), node(&a.destination));
    if let Some(g) = &a.grouping {
        obj.insert("CFAssociationGroupingURI".into(), node(g));
    }
    if !a.notes.is_empty() {
        put(&mut obj, "notes", &a.notes);
    }
    obj
}

/// An imported association, normalised; `None` when CASE could not hold it.
fn association(
    a: &Association,
    version: CaseVersion,
    nodes: &Nodes,
    doc_time: &str,
    notes: &mut Notes,
) -> Option<Object> {
    let raw = match serde_json::from_str::<Value>(&a.raw) {
        Ok(Value::Object(o)) => o,
        _ => association_from_model(a),
    };
    let mut obj = schema::keep_allowed(&raw, ASSOCIATION, version, "CFAssociations", notes);
    let identifier = obj
        .get("identifier")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default()
        .to_string();
    if identifier.is_empty() {
        notes
            .dropped_entries
            .push("an association without an identifier".into());
        return None;
    }
    let Some(kind) = obj
        .get("associationType")
        .and_then(schema::text_of)
        .filter(|k| !k.trim().is_empty())
    else {
        notes
            .dropped_entries
            .push(format!("association `{identifier}` has no associationType"));
        return None;
    };
    let (written, changed) = schema::association_type(&kind, version);
    if changed {
        notes.retyped(kind.trim(), &written);
    }
    put(&mut obj, "associationType", written);
    for key in ["originNodeURI", "destinationNodeURI"] {
        let Some(link) = node_link(obj.get(key), version, nodes) else {
            notes
                .dropped_entries
                .push(format!("association `{identifier}` has no usable {key}"));
            return None;
        };
        obj.insert(key.into(), link);
    }
    schema::fill_required(&mut obj, ASSOCIATION, "association", doc_time, notes);
    Some(obj)
}

/// The `isChildOf` association placing item `child` under `parent` as its `sequence`th child.
fn tree_association(
    nodes: &Nodes,
    child: usize,
    parent: Node,
    sequence: i64,
    time: &str,
) -> Object {
    let child_id = nodes.identifier(Node::Item(child));
    let identifier = derived_uuid(&[
        "isChildOf",
        nodes.identifier(Node::Document),
        child_id,
        nodes.identifier(parent),
    ]);
    let mut obj = Object::with_capacity(8);
    put(&mut obj, "identifier", &identifier);
    put(&mut obj, "uri", stable_uri("association", &identifier));
    put(
        &mut obj,
        "associationType",
        AssociationType::IsChildOf.as_str(),
    );
    obj.insert("sequenceNumber".into(), sequence.into());
    obj.insert("originNodeURI".into(), nodes.link(Node::Item(child)));
    obj.insert("destinationNodeURI".into(), nodes.link(parent));
    put(&mut obj, "lastChangeDateTime", time);
    obj
}

/// The imported `CFDefinitions`, each list normalised; `None` when they are not an object.
fn definitions(
    raw: &str,
    version: CaseVersion,
    doc_time: &str,
    notes: &mut Notes,
) -> Option<Object> {
    let Ok(Value::Object(raw)) = serde_json::from_str::<Value>(raw) else {
        return None;
    };
    let mut out = Object::new();
    for (key, value) in &raw {
        if let Some(list) = DEFINITION_LISTS.iter().find(|l| l.key == key) {
            match value {
                Value::Array(entries) => {
                    let kept = entries
                        .iter()
                        .filter_map(|e| definition(e, list, version, doc_time, notes))
                        .collect();
                    out.insert(key.clone(), Value::Array(kept));
                }
                Value::Null => {}
                _ => notes.bad_value("CFDefinitions", key),
            }
        } else if key == "extensions" && version == CaseVersion::V1_1 && value.is_object() {
            out.insert(key.clone(), value.clone());
        } else {
            notes.dropped_field("CFDefinitions", key);
        }
    }
    Some(out)
}

fn definition(
    entry: &Value,
    list: &DefinitionList,
    version: CaseVersion,
    doc_time: &str,
    notes: &mut Notes,
) -> Option<Value> {
    let Value::Object(raw) = entry else {
        notes
            .dropped_entries
            .push(format!("a {} entry that is not an object", list.class));
        return None;
    };
    let mut obj = schema::keep_allowed(raw, list.fields, version, list.class, notes);
    if obj
        .get("identifier")
        .and_then(Value::as_str)
        .is_none_or(|id| id.trim().is_empty())
    {
        notes
            .dropped_entries
            .push(format!("a {} entry without an identifier", list.class));
        return None;
    }
    schema::fill_required(&mut obj, list.fields, list.uri_kind, doc_time, notes);
    Some(Value::Object(obj))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::case_identifier;
    use serde_json::json;

    /// The identifier an export writes for `id`.
    fn w(id: &str) -> String {
        case_identifier(id).into_owned()
    }

    fn item(id: &str, code: &str, depth: u16, parent: Option<usize>) -> Item {
        Item {
            identifier: id.into(),
            uri: format!("https://ex.org/{id}"),
            code: code.into(),
            statement: format!("Statement {code}"),
            depth,
            parent,
            ..Item::default()
        }
    }

    /// A(0) { B(1) C(2) } D(3): a framework as a spreadsheet import builds it.
    fn tree_only() -> Package {
        Package {
            framework: Framework {
                identifier: "0a1b2c3d-0000-4000-8000-000000000000".into(),
                uri: "https://ex.org/doc".into(),
                title: "Tree".into(),
                items: vec![
                    item("a", "A", 0, None),
                    item("b", "A.1", 1, Some(0)),
                    item("c", "A.2", 1, Some(0)),
                    item("d", "D", 0, None),
                ],
                ..Framework::default()
            },
            ..Package::default()
        }
    }

    #[test]
    fn a_tree_without_associations_gets_is_child_of_in_order() {
        let pkg = tree_only();
        let (v, warnings) = export_framework_with_warnings(&pkg, CaseVersion::V1_1);
        let assoc = v["CFAssociations"].as_array().unwrap();
        let summary: Vec<(String, String, i64)> = assoc
            .iter()
            .map(|a| {
                (
                    a["originNodeURI"]["identifier"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    a["destinationNodeURI"]["title"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    a["sequenceNumber"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (w("a"), "Tree".to_string(), 1),
                (w("b"), "A".into(), 1),
                (w("c"), "A".into(), 2),
                (w("d"), "Tree".into(), 2)
            ]
        );
        assert_eq!(
            v,
            export_framework(&pkg, CaseVersion::V1_1),
            "the same tree exports the same way"
        );
        assert!(
            warnings.iter().any(|w| w.contains("wrote 4 isChildOf")),
            "{warnings:?}"
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("no usable lastChangeDateTime; written as 1970")),
            "{warnings:?}"
        );
        assert_eq!(v["CFItems"][0]["lastChangeDateTime"], UNKNOWN_TIME);
        assert_eq!(
            v["CFDocument"]["creator"], "",
            "required, so written even when empty"
        );
    }

    #[test]
    fn a_package_larger_than_crosswalk_imports_is_not_written() {
        let pkg = tree_only();
        let mut all = Vec::new();
        write_framework(&pkg, CaseVersion::V1_1, &mut all).unwrap();
        let mut exact = Vec::new();
        write_framework_limited(&pkg, CaseVersion::V1_1, &mut exact, all.len()).unwrap();
        assert_eq!(exact, all, "a package of exactly the limit is written");
        let err = write_framework_limited(&pkg, CaseVersion::V1_1, Vec::new(), all.len() - 1)
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("larger than 0 MiB, the most crosswalk imports"),
            "{err}"
        );
    }

    #[test]
    fn model_fields_win_over_raw_ones() {
        let mut pkg = tree_only();
        let it = &mut pkg.framework.items[1];
        it.raw = Some(
            json!({"identifier": "b", "fullStatement": "old", "humanCodingScheme": "OLD", "CFDocumentURI": "x",
                   "educationalLevel": "06", "conceptKeywords": "x, y", "lastChangeDateTime": "2020-01-01T10:00:00"})
            .to_string(),
        );
        it.keywords = vec!["x".into(), "y".into()];
        let (v, warnings) = export_framework_with_warnings(&pkg, CaseVersion::V1_0);
        assert_eq!(
            v["CFItems"][1],
            json!({"identifier": w("b"), "fullStatement": "Statement A.1", "humanCodingScheme": "A.1",
                   "conceptKeywords": ["x", "y"], "lastChangeDateTime": "2020-01-01T10:00:00Z",
                   "educationLevel": ["06"], "uri": "https://ex.org/b"})
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("CFItems.CFDocumentURI (1)")),
            "{warnings:?}"
        );
    }

    #[test]
    fn imported_associations_are_completed_and_kept() {
        let mut pkg = tree_only();
        let raw = |v: Value| Association {
            raw: v.to_string(),
            ..Association::default()
        };
        pkg.associations = vec![
            // b under a, given by uri only, type in another letter case.
            raw(
                json!({"identifier": "c3d2c2d0-1111-4111-8111-111111111111", "associationType": "IsChildOf",
                       "originNodeURI": "https://ex.org/b", "destinationNodeURI": {"identifier": "a"},
                       "sequenceNumber": "1", "CFDocumentURI": "x", "lastChangeDateTime": "2020-01-01"}),
            ),
            raw(
                json!({"identifier": "c3d2c2d0-2222-4222-8222-222222222222", "associationType": "isTranslationOf",
                       "originNodeURI": {"identifier": "d", "uri": "https://ex.org/d", "title": "D", "targetType": "CASE"},
                       "destinationNodeURI": {"identifier": "far", "uri": "https://elsewhere/far", "title": "Far"},
                       "notes": "n"}),
            ),
            raw(json!({"associationType": "isChildOf"})),
        ];
        let (v, warnings) = export_framework_with_warnings(&pkg, CaseVersion::V1_0);
        let assoc = v["CFAssociations"].as_array().unwrap();
        assert_eq!(
            assoc[0],
            json!({"identifier": "c3d2c2d0-1111-4111-8111-111111111111", "associationType": "isChildOf",
                   "originNodeURI": {"title": "A.1", "identifier": w("b"), "uri": "https://ex.org/b"},
                   "destinationNodeURI": {"title": "A", "identifier": w("a"), "uri": "https://ex.org/a"},
                   "sequenceNumber": 1, "lastChangeDateTime": "2020-01-01T00:00:00Z",
                   "uri": "urn:uuid:c3d2c2d0-1111-4111-8111-111111111111"})
        );
        assert_eq!(assoc[1]["associationType"], "isRelatedTo");
        assert_eq!(assoc[1]["originNodeURI"]["identifier"], w("d"));
        assert_eq!(
            assoc[1]["destinationNodeURI"]["identifier"], "far",
            "outside the package: as given"
        );
        assert!(
            assoc[1].get("notes").is_none()
                && assoc[1]["originNodeURI"].get("targetType").is_none()
        );
        // b had its parent; a, c and d had none in the package and are given none.
        assert_eq!(assoc.len(), 2);
        assert!(
            warnings
                .iter()
                .any(|m| m.contains(&format!("`b` as `{}`", w("b")))),
            "{warnings:#?}"
        );
        assert!(
            !warnings
                .iter()
                .any(|m| m.contains("isChildOf association(s) from the tree"))
        );
        assert!(warnings.iter().any(|w| w == "left out 1 record(s) missing what CASE requires: an association without an identifier"), "{warnings:#?}");
        assert!(
            warnings.iter().any(
                |w| w.starts_with("1 association(s) written as isTranslationOf -> isRelatedTo")
            )
        );

        let v = export_framework(&pkg, CaseVersion::V1_1);
        let a = &v["CFAssociations"][1];
        assert_eq!(
            (a["associationType"].as_str(), a["notes"].as_str()),
            (Some("isTranslationOf"), Some("n"))
        );
        assert_eq!(a["originNodeURI"]["targetType"], "CASE");
    }

    #[test]
    fn definitions_are_normalised() {
        let mut pkg = tree_only();
        pkg.definitions = Some(
            json!({"CFItemTypes": [
                {"identifier": "5b5f9983-eabb-4661-aca4-9e0c81046772", "title": "Cluster", "description": null,
                 "hierarchyCode": "1", "lastChangeDateTime": "2017-02-14T20:34:39", "extra": 1},
                {"title": "no identifier"}, 4],
              "CFSubjects": null, "Other": []})
            .to_string(),
        );
        let (v, warnings) = export_framework_with_warnings(&pkg, CaseVersion::V1_0);
        assert_eq!(
            v["CFDefinitions"],
            json!({"CFItemTypes": [{
                "identifier": "5b5f9983-eabb-4661-aca4-9e0c81046772", "title": "Cluster", "hierarchyCode": "1",
                "lastChangeDateTime": "2017-02-14T20:34:39Z",
                "uri": "urn:uuid:5b5f9983-eabb-4661-aca4-9e0c81046772", "description": ""}]})
        );
        assert!(warnings.iter().any(|w| w.contains("CFDefinitions.Other (1), CFDefinitions.CFItemTypes.extra (1)")), "{warnings:#?}");
        assert!(
            warnings.iter().any(|w| w.contains("left out 2 record(s)")),
            "{warnings:#?}"
        );
    }
}
