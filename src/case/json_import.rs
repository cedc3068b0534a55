//! Reading CASE 1.0 and 1.1 JSON packages (`CFPackage`), as real exports write them:
//! lenient about what the schema leaves open or real tools bend, strict about what
//! crosswalk needs (identifiers, statements, a hierarchy without cycles).
//!
//! The text is parsed once by serde_json into the few fields crosswalk reads ([`wire`]);
//! the JSON of the document, each item and each association is kept as imported (white
//! space between tokens removed) from their places in the text ([`scan`]).
mod scan;
mod wire;

use super::hierarchy::{self, ParentLink, ParentRef};
use super::input::{check_size, stable_uri, strip_bom};
use super::{Association, ImportError, MAX_INPUT_BYTES, NodeRef, Package};
use crate::model::{AssociationType, Framework, Item};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use wire::{Array, Link, Object, Text};

/// How strictly a package is read.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Refuse what is otherwise accepted with a warning: two items with one identifier.
    pub strict: bool,
}

/// Parses a CASE 1.0 or 1.1 JSON package. `source_name` names the file in messages.
/// A file holding an array of packages is refused here; see [`parse_packages`].
pub fn parse_package(bytes: &[u8], source_name: &str) -> Result<Package, ImportError> {
    parse_package_limited(bytes, source_name, MAX_INPUT_BYTES)
}

/// Parses a file holding one CASE package, or a JSON array of them (as some servers and
/// archives deliver several at once), in file order.
pub fn parse_packages(
    bytes: &[u8],
    source_name: &str,
    options: ParseOptions,
) -> Result<Vec<Package>, ImportError> {
    check_size(bytes, source_name, MAX_INPUT_BYTES)?;
    let text = strip_bom(bytes);
    let start = text
        .iter()
        .position(|b| !b" \t\r\n".contains(b))
        .unwrap_or(text.len());
    if text.get(start) != Some(&b'[') {
        return parse_one(bytes, source_name, MAX_INPUT_BYTES, options).map(|p| vec![p]);
    }
    // The whole text must be JSON before its elements are read one by one.
    let as_text = std::str::from_utf8(text).map_err(|e| {
        let (line, column) = scan::line_column(text, e.valid_up_to());
        ImportError::Syntax {
            source_name: source_name.to_string(),
            line,
            column,
            message: "the file is not UTF-8 text (CASE JSON must be UTF-8)".to_string(),
        }
    })?;
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(as_text) {
        return Err(syntax_error(source_name, &e));
    }
    let elements = scan::array_elements(as_text).map_err(|offset| {
        let (line, column) = scan::line_column(text, offset);
        ImportError::Syntax {
            source_name: source_name.to_string(),
            line,
            column,
            message: format!(
                "recursion limit exceeded: arrays and objects nested more than {} deep",
                scan::MAX_NESTING
            ),
        }
    })?;
    if elements.is_empty() {
        return Err(ImportError::invalid(
            source_name,
            "the file holds an empty array: no CASE package in it",
        ));
    }
    let mut packages = Vec::with_capacity(elements.len());
    for (index, range) in elements.into_iter().enumerate() {
        let name = format!("{source_name} [package {}]", index + 1);
        let part = as_text.get(range.clone()).unwrap_or_default();
        let package = parse_one(part.as_bytes(), &name, MAX_INPUT_BYTES, options).map_err(|e| {
            // Places inside the element are given as places in the file.
            let (line0, column0) = scan::line_column(text, range.start);
            match e {
                ImportError::Syntax {
                    line,
                    column,
                    message,
                    ..
                } => ImportError::Syntax {
                    source_name: name.clone(),
                    column: if line == 1 {
                        column + column0 - 1
                    } else {
                        column
                    },
                    line: line + line0 - 1,
                    message,
                },
                other => other,
            }
        })?;
        packages.push(package);
    }
    Ok(packages)
}

/// serde_json's error as an [`ImportError::Syntax`], without its own " at line L column C".
fn syntax_error(source_name: &str, e: &serde_json::Error) -> ImportError {
    let message = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    ImportError::Syntax {
        source_name: source_name.to_string(),
        line: e.line(),
        column: e.column(),
        message: message
            .strip_suffix(&position)
            .unwrap_or(&message)
            .to_string(),
    }
}

/// [`parse_package`] with the size limit given, so tests need not build a huge input.
pub(crate) fn parse_package_limited(
    bytes: &[u8],
    source_name: &str,
    limit: usize,
) -> Result<Package, ImportError> {
    parse_one(bytes, source_name, limit, ParseOptions::default())
}

fn parse_one(
    bytes: &[u8],
    source_name: &str,
    limit: usize,
    options: ParseOptions,
) -> Result<Package, ImportError> {
    check_size(bytes, source_name, limit)?;
    let bytes = strip_bom(bytes);
    let syntax_at = |offset: usize, message: String| {
        let (line, column) = scan::line_column(bytes, offset);
        ImportError::Syntax {
            source_name: source_name.to_string(),
            line,
            column,
            message,
        }
    };
    let text = std::str::from_utf8(bytes).map_err(|e| {
        syntax_at(
            e.valid_up_to(),
            "the file is not UTF-8 text (CASE JSON must be UTF-8)".to_string(),
        )
    })?;
    let top: Object<wire::Package> =
        serde_json::from_str(text).map_err(|e| syntax_error(source_name, &e))?;
    let spans = scan::spans(text).map_err(|offset| {
        syntax_at(
            offset,
            format!(
                "recursion limit exceeded: arrays and objects nested more than {} deep",
                scan::MAX_NESTING
            ),
        )
    })?;
    let fail = |message: String| ImportError::invalid(source_name, message);

    let mut root = match top {
        Object::Is(root) => root,
        Object::Missing => return Err(fail("the file holds no JSON value".to_string())),
        Object::Not(kind) => {
            return Err(fail(format!(
                "expected a CASE package (a JSON object with CFDocument, CFItems and CFAssociations, or an array of them), found {kind}"
            )));
        }
    };
    // Some services wrap the package: { "CFPackage": { "CFDocument": ... } }.
    if !root.keys.iter().any(|k| k == "CFDocument")
        && let Some(wrapped) = root.wrapped.take()
        && let Object::Is(inner) = *wrapped
    {
        root = inner;
    }
    let document = match root.document {
        Object::Is(d) => d,
        Object::Not(kind) => return Err(fail(format!("CFDocument is {kind}, not an object"))),
        Object::Missing => {
            let keys: Vec<String> = root.keys.iter().map(|k| format!("`{k}`")).collect();
            return Err(fail(format!(
                "not a CASE package: there is no CFDocument (top-level keys: {})",
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    hierarchy::list_some(&keys)
                }
            )));
        }
    };
    let raw = |range: Option<&std::ops::Range<usize>>| range.map(|r| scan::minify(text, r.clone()));

    let case_version = document.case_version.trimmed();
    let mut framework = read_document(document).map_err(fail)?;
    framework.raw = raw(spans.document.as_ref());
    let mut warnings = Vec::new();

    // Items, in file order.
    let raw_items = array_field(root.items, "CFItems").map_err(fail)?;
    let mut items = Vec::with_capacity(raw_items.len());
    let mut kept_sources: Vec<usize> = Vec::with_capacity(raw_items.len());
    for (index, item) in raw_items.into_iter().enumerate() {
        let mut item = read_item(item, index).map_err(fail)?;
        item.raw = raw(spans.items.get(index));
        items.push(item);
    }
    // Two items under one identifier: the first is kept, the others named and left out.
    let mut first_of: HashMap<String, usize> = HashMap::with_capacity(items.len());
    let mut duplicates: Vec<String> = Vec::new();
    let mut kept = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        if item.identifier == framework.identifier {
            return Err(fail(format!(
                "item CFItems[{index}] has the identifier of the CFDocument, `{}`",
                item.identifier
            )));
        }
        match first_of.get(&item.identifier) {
            Some(&first) => {
                let first_item: &Item = &kept[first];
                duplicates.push(format!(
                    "CFItems[{index}] {} duplicates CFItems[{}] {}",
                    hierarchy::describe_with_statement(&item),
                    kept_sources[first],
                    hierarchy::describe_with_statement(first_item)
                ));
            }
            None => {
                first_of.insert(item.identifier.clone(), kept.len());
                kept_sources.push(index);
                kept.push(item);
            }
        }
    }
    let items = kept;
    if !duplicates.is_empty() {
        if options.strict {
            return Err(fail(format!(
                "{} item(s) repeat the identifier of an earlier item (refused with --strict): {}",
                duplicates.len(),
                hierarchy::list_some(&duplicates)
            )));
        }
        warnings.push(format!(
            "{} item(s) repeat the identifier of an earlier item; the first was kept and these were not imported: {}",
            duplicates.len(),
            hierarchy::list_some(&duplicates)
        ));
    }
    let by_identifier: HashMap<&str, usize> = items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.identifier.as_str(), i))
        .collect();
    let resolver = Resolver::new(&framework, &items, by_identifier);

    // Associations: all kept; isChildOf also builds the hierarchy.
    let raw_associations = array_field(root.associations, "CFAssociations").map_err(fail)?;
    let mut associations = Vec::with_capacity(raw_associations.len());
    let mut links = Vec::new();
    let mut outside_count = 0;
    let mut outside_names: Vec<String> = Vec::new();
    let mut outside_seen: HashSet<String> = HashSet::new();
    for (index, association) in raw_associations.into_iter().enumerate() {
        let mut a = read_association(association, index).map_err(fail)?;
        a.raw = raw(spans.associations.get(index)).unwrap_or_default();
        let origin = resolver.resolve(&a.origin);
        let destination = resolver.resolve(&a.destination);
        if origin.is_none() || destination.is_none() {
            outside_count += 1;
            for (end, found) in [(&a.origin, origin), (&a.destination, destination)] {
                let name = if end.identifier.is_empty() {
                    &end.uri
                } else {
                    &end.identifier
                };
                if found.is_none() && outside_seen.insert(name.clone()) {
                    outside_names.push(format!("`{name}`"));
                }
            }
        }
        let is_child_of =
            a.association_type.parse::<AssociationType>() == Ok(AssociationType::IsChildOf);
        if is_child_of && let Some(Node::Item(child)) = origin {
            let parent = match destination {
                Some(Node::Document) => ParentRef::Top,
                Some(Node::Item(p)) => ParentRef::Item(p),
                None => ParentRef::Unknown(if a.destination.identifier.is_empty() {
                    a.destination.uri.clone()
                } else {
                    a.destination.identifier.clone()
                }),
            };
            links.push(ParentLink {
                child,
                parent,
                sequence: a.sequence_number,
            });
        }
        associations.push(a);
    }
    if outside_count > 0 {
        warnings.push(format!(
            "{outside_count} association(s) point outside the package; they are kept as they are (not in the package: {})",
            hierarchy::list_some(&outside_names)
        ));
    }

    let definitions = raw(spans.definitions.as_ref());
    let rubrics = raw(spans.rubrics.as_ref());
    let (items, mut tree_warnings) = hierarchy::arrange(items, &links, source_name, true)?;
    warnings.append(&mut tree_warnings);
    framework.items = items;
    Ok(Package {
        framework,
        associations,
        definitions,
        rubrics,
        case_version,
        warnings,
    })
}

/// What an association's end refers to inside the package.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Node {
    Document,
    Item(usize),
}

/// Finds the node an association names: by identifier, then by identifier in any letter
/// case, then by uri. The fallback indexes are built only when first needed.
struct Resolver<'a> {
    document_identifier: &'a str,
    document_uri: &'a str,
    items: &'a [Item],
    exact: HashMap<&'a str, usize>,
    folded: OnceCell<HashMap<String, usize>>,
    by_uri: OnceCell<HashMap<&'a str, usize>>,
}

impl<'a> Resolver<'a> {
    fn new(document: &'a Framework, items: &'a [Item], exact: HashMap<&'a str, usize>) -> Self {
        Resolver {
            document_identifier: &document.identifier,
            document_uri: &document.uri,
            items,
            exact,
            folded: OnceCell::new(),
            by_uri: OnceCell::new(),
        }
    }

    fn resolve(&self, node: &NodeRef) -> Option<Node> {
        let id = node.identifier.as_str();
        if !id.is_empty() {
            if id == self.document_identifier {
                return Some(Node::Document);
            }
            if let Some(&i) = self.exact.get(id) {
                return Some(Node::Item(i));
            }
            if id.eq_ignore_ascii_case(self.document_identifier) {
                return Some(Node::Document);
            }
            let folded = self.folded.get_or_init(|| {
                let mut map = HashMap::with_capacity(self.items.len());
                for (i, item) in self.items.iter().enumerate() {
                    map.entry(item.identifier.to_lowercase()).or_insert(i);
                }
                map
            });
            if let Some(&i) = folded.get(&id.to_lowercase()) {
                return Some(Node::Item(i));
            }
        }
        if !node.uri.is_empty() {
            if node.uri == self.document_uri {
                return Some(Node::Document);
            }
            let by_uri = self.by_uri.get_or_init(|| {
                let mut map = HashMap::with_capacity(self.items.len());
                for (i, item) in self.items.iter().enumerate() {
                    map.entry(item.uri.as_str()).or_insert(i);
                }
                map
            });
            if let Some(&i) = by_uri.get(node.uri.as_str()) {
                return Some(Node::Item(i));
            }
        }
        None
    }
}

/// A top-level array such as `CFItems`; missing or null reads as empty.
fn array_field<T>(array: Array<T>, key: &str) -> Result<Vec<T>, String> {
    match array {
        Array::Missing => Ok(Vec::new()),
        Array::Is(values) => Ok(values),
        Array::Not(kind) => Err(format!("{key} is {kind}, not an array")),
    }
}

/// A required text field, trimmed; missing, null or blank fails naming `what()` and the field.
fn required(value: &Text, key: &str, what: impl Fn() -> String) -> Result<String, String> {
    required_as_is(value, key, what).map(|t| t.trim().to_string())
}

/// A required text field exactly as written (a publisher's statement comes back byte for
/// byte); missing, null or blank fails naming `what()` and the field.
fn required_as_is(value: &Text, key: &str, what: impl Fn() -> String) -> Result<String, String> {
    let text = value.as_str().to_string();
    if text.trim().is_empty() {
        let state = match value {
            Text::Missing | Text::Other(wire::NULL) => "has no",
            Text::Str(_) => "has an empty",
            _ => "has no text in",
        };
        return Err(format!("{} {state} `{key}`", what()));
    }
    Ok(text)
}

fn read_document(doc: wire::Document) -> Result<Framework, String> {
    let identifier = required(&doc.identifier, "identifier", || {
        "the CFDocument".to_string()
    })?;
    let title = required_as_is(&doc.title, "title", || {
        format!("the CFDocument `{identifier}`")
    })?;
    let mut uri = doc.uri.0.trimmed();
    if uri.is_empty() {
        uri = stable_uri("document", &identifier);
    }
    Ok(Framework {
        identifier,
        uri,
        title,
        creator: doc.creator.into_string(),
        ..Framework::default()
    })
}

fn read_item(item: Object<wire::Item>, index: usize) -> Result<Item, String> {
    let item = match item {
        Object::Is(item) => item,
        Object::Missing => return Err(format!("CFItems[{index}] is null, not an object")),
        Object::Not(kind) => return Err(format!("CFItems[{index}] is {kind}, not an object")),
    };
    let identifier = required(&item.identifier, "identifier", || {
        format!("the item CFItems[{index}]")
    })?;
    let statement = required_as_is(&item.full_statement, "fullStatement", || {
        format!("item `{identifier}` (CFItems[{index}])")
    })?;
    let mut uri = item.uri.0.trimmed();
    if uri.is_empty() {
        uri = stable_uri("item", &identifier);
    }
    let mut item_type = item.item_type.into_string();
    if item_type.trim().is_empty() {
        item_type = item.item_type_link.0.into_string();
    }
    Ok(Item {
        identifier,
        uri,
        code: item.code.into_string(),
        statement,
        abbreviated: item.abbreviated.into_string(),
        item_type,
        keywords: item.keywords.0,
        list_enumeration: item.list_enumeration.into_string(),
        language: item.language.into_string(),
        ..Item::default()
    })
}

/// A LinkURI / LinkGenURI; `None` when missing or null.
fn node_ref(link: Link, key: &str, what: &dyn Fn() -> String) -> Result<Option<NodeRef>, String> {
    let node = match link {
        Link::Missing => return Ok(None),
        Link::Object {
            identifier,
            uri,
            title,
        } => NodeRef {
            identifier: identifier.trimmed(),
            uri: uri.trimmed(),
            title: title.into_string(),
        },
        Link::Uri(uri) => NodeRef {
            uri: uri.trim().to_string(),
            ..NodeRef::default()
        },
        Link::Other(kind) => return Err(format!("{}: `{key}` is {kind}, not an object", what())),
    };
    if node.identifier.is_empty() && node.uri.is_empty() {
        return Err(format!(
            "{}: `{key}` has neither an identifier nor a uri",
            what()
        ));
    }
    Ok(Some(node))
}

fn read_association(
    association: Object<wire::Association>,
    index: usize,
) -> Result<Association, String> {
    let a = match association {
        Object::Is(a) => a,
        Object::Missing => return Err(format!("CFAssociations[{index}] is null, not an object")),
        Object::Not(kind) => {
            return Err(format!("CFAssociations[{index}] is {kind}, not an object"));
        }
    };
    let identifier = required(&a.identifier, "identifier", || {
        format!("the association CFAssociations[{index}]")
    })?;
    let what = || format!("association `{identifier}` (CFAssociations[{index}])");
    let association_type = required(&a.association_type, "associationType", what)?;
    let end = |link: Link, key: &str| -> Result<NodeRef, String> {
        let mut node =
            node_ref(link, key, &what)?.ok_or_else(|| format!("{} has no `{key}`", what()))?;
        if node.identifier.is_empty() {
            // CASE URIs end with the identifier; take it so the end can still be matched.
            node.identifier = node.uri.rsplit('/').next().unwrap_or_default().to_string();
        }
        Ok(node)
    };
    let origin = end(a.origin, "originNodeURI")?;
    let destination = end(a.destination, "destinationNodeURI")?;
    Ok(Association {
        grouping: node_ref(a.grouping, "CFAssociationGroupingURI", &what)
            .ok()
            .flatten(),
        sequence_number: a.sequence_number.0,
        notes: a.notes.into_string(),
        raw: String::new(),
        identifier,
        association_type,
        origin,
        destination,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn package(items: Value, associations: Value) -> Vec<u8> {
        json!({
            "CFDocument": {"identifier": "doc", "title": "Doc", "creator": "Me"},
            "CFItems": items,
            "CFAssociations": associations,
        })
        .to_string()
        .into_bytes()
    }

    fn child(id: &str, origin: &str, destination: &str, seq: Option<i64>) -> Value {
        let mut a = json!({
            "identifier": id,
            "associationType": "isChildOf",
            "originNodeURI": {"identifier": origin, "uri": format!("u:{origin}"), "title": ""},
            "destinationNodeURI": {"identifier": destination, "uri": format!("u:{destination}"), "title": ""},
        });
        if let Some(s) = seq {
            a["sequenceNumber"] = json!(s);
        }
        a
    }

    fn err(bytes: &[u8]) -> String {
        parse_package(bytes, "p.json").unwrap_err().to_string()
    }

    #[test]
    fn reads_fields_and_keeps_raw_text_in_order() {
        let bytes = package(
            json!([{
                "identifier": "i1", "fullStatement": "Do things", "humanCodingScheme": "A.1",
                "zField": 1, "abbreviatedStatement": "Things", "CFItemType": "Competency",
                "conceptKeywords": "alpha; beta,gamma ,", "listEnumeration": "1.", "language": "en"
            }]),
            json!([child("a1", "i1", "doc", None)]),
        );
        let p = parse_package(&bytes, "p.json").unwrap();
        let it = &p.framework.items[0];
        assert_eq!(
            (
                it.code.as_str(),
                it.statement.as_str(),
                it.abbreviated.as_str(),
                it.item_type.as_str()
            ),
            ("A.1", "Do things", "Things", "Competency")
        );
        assert_eq!(it.keywords, ["alpha", "beta", "gamma"]);
        assert_eq!(
            (it.list_enumeration.as_str(), it.language.as_str()),
            ("1.", "en")
        );
        assert_eq!(it.uri, "urn:crosswalk:item:i1");
        assert_eq!(
            it.raw.as_deref(),
            Some(
                r#"{"identifier":"i1","fullStatement":"Do things","humanCodingScheme":"A.1","zField":1,"abbreviatedStatement":"Things","CFItemType":"Competency","conceptKeywords":"alpha; beta,gamma ,","listEnumeration":"1.","language":"en"}"#
            )
        );
        assert_eq!(p.framework.uri, "urn:crosswalk:document:doc");
        assert_eq!(
            p.framework.raw.as_deref(),
            Some(r#"{"identifier":"doc","title":"Doc","creator":"Me"}"#)
        );
        assert_eq!(p.framework.creator, "Me");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.definitions, None);
    }

    #[test]
    fn raw_text_is_the_imported_text_without_white_space() {
        let text = "{ \"CFDocument\" : {\"identifier\": \"d\",\r\n \"title\":\"T  \\/ x\"},\n\
                    \"CFItems\": [ {\"identifier\" : \"i\", \"fullStatement\": \"a  b\",\n \"n\": 1.50E1,\n\
                    \"conceptKeywords\": [\"k1\", 2]} ],\n\
                    \"CFDefinitions\": {\"CFConcepts\": [ ] } }";
        let p = parse_package(text.as_bytes(), "p.json").unwrap();
        assert_eq!(
            p.framework.raw.as_deref(),
            Some(r#"{"identifier":"d","title":"T  \/ x"}"#)
        );
        assert_eq!(p.framework.title, "T  / x");
        let item = &p.framework.items[0];
        assert_eq!(
            item.raw.as_deref(),
            Some(
                r#"{"identifier":"i","fullStatement":"a  b","n":1.50E1,"conceptKeywords":["k1",2]}"#
            )
        );
        assert_eq!(item.keywords, ["k1", "2"]);
        assert_eq!(p.definitions.as_deref(), Some(r#"{"CFConcepts":[]}"#));
    }

    #[test]
    fn association_fields_and_letter_case() {
        let mut a = child("a1", "I1", "DOC", Some(4));
        a["associationType"] = json!("IsChildOf");
        a["notes"] = json!("why");
        a["CFAssociationGroupingURI"] =
            json!({"identifier": "g", "uri": "u:g", "title": "Minor alignment"});
        let bytes = package(
            json!([{"identifier": "i1", "fullStatement": "s"}]),
            json!([a]),
        );
        let p = parse_package(&bytes, "p.json").unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        let a = &p.associations[0];
        assert_eq!(a.association_type, "IsChildOf");
        assert_eq!(a.sequence_number, Some(4));
        assert_eq!(a.notes, "why");
        assert_eq!(
            a.grouping.as_ref().map(|g| g.title.as_str()),
            Some("Minor alignment")
        );
        assert_eq!(
            a.origin,
            NodeRef {
                identifier: "I1".into(),
                uri: "u:I1".into(),
                title: String::new()
            }
        );
    }

    #[test]
    fn ends_given_only_by_uri_are_matched_by_uri() {
        let bytes = package(
            json!([{"identifier": "p", "uri": "http://x/p", "fullStatement": "s"},
                   {"identifier": "c", "uri": "http://x/c", "fullStatement": "s"}]),
            json!([
                {"identifier": "a1", "associationType": "isChildOf", "originNodeURI": "http://x/c",
                 "destinationNodeURI": {"uri": "http://x/p"}},
                child("a2", "p", "doc", None),
            ]),
        );
        let p = parse_package(&bytes, "p.json").unwrap();
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        assert_eq!(p.framework.items[1].parent, Some(0));
        assert_eq!(p.associations[0].origin.identifier, "c");
    }

    #[test]
    fn required_fields_are_named() {
        let with_items = |items: Value| err(&package(items, json!([])));
        assert_eq!(
            with_items(json!([{"fullStatement": "s"}])),
            "p.json: the item CFItems[0] has no `identifier`"
        );
        assert_eq!(
            with_items(
                json!([{"identifier": "ok", "fullStatement": "s"}, {"identifier": " ", "fullStatement": "s"}])
            ),
            "p.json: the item CFItems[1] has an empty `identifier`"
        );
        assert_eq!(
            with_items(json!([{"identifier": "x1", "fullStatement": null}])),
            "p.json: item `x1` (CFItems[0]) has no `fullStatement`"
        );
        assert_eq!(
            with_items(json!([{"identifier": "x1", "fullStatement": ""}])),
            "p.json: item `x1` (CFItems[0]) has an empty `fullStatement`"
        );
        assert_eq!(
            with_items(json!([7])),
            "p.json: CFItems[0] is a number, not an object"
        );
        assert_eq!(
            with_items(json!({})),
            "p.json: CFItems is an object, not an array"
        );
        assert_eq!(
            err(br#"{"CFDocument": {"identifier": "d"}}"#),
            "p.json: the CFDocument `d` has no `title`"
        );
        assert_eq!(
            err(br#"{"CFDocument": {"title": "d"}}"#),
            "p.json: the CFDocument has no `identifier`"
        );
        let assoc = |a: Value| err(&package(json!([]), json!([a])));
        assert_eq!(
            assoc(
                json!({"identifier": "a", "originNodeURI": {"identifier": "x"}, "destinationNodeURI": {"identifier": "y"}})
            ),
            "p.json: association `a` (CFAssociations[0]) has no `associationType`"
        );
        assert_eq!(
            assoc(
                json!({"identifier": "a", "associationType": "isChildOf", "destinationNodeURI": {"identifier": "y"}})
            ),
            "p.json: association `a` (CFAssociations[0]) has no `originNodeURI`"
        );
        assert_eq!(
            assoc(
                json!({"identifier": "a", "associationType": "isChildOf", "originNodeURI": {"identifier": "y"}, "destinationNodeURI": {"title": "t"}})
            ),
            "p.json: association `a` (CFAssociations[0]): `destinationNodeURI` has neither an identifier nor a uri"
        );
        assert_eq!(
            assoc(json!({"associationType": "isChildOf"})),
            "p.json: the association CFAssociations[0] has no `identifier`"
        );
    }

    #[test]
    fn not_a_package() {
        assert_eq!(
            err(b"[1, 2]"),
            "p.json: expected a CASE package (a JSON object with CFDocument, CFItems and CFAssociations, or an array of them), found an array"
        );
        assert_eq!(
            err(br#"{"a": 1, "b": 2}"#),
            "p.json: not a CASE package: there is no CFDocument (top-level keys: `a`, `b`)"
        );
        assert_eq!(
            err(br#"{"CFDocument": []}"#),
            "p.json: CFDocument is an array, not an object"
        );
        // A wrapped package is unwrapped.
        let p = parse_package(
            br#"{"CFPackage": {"CFDocument": {"identifier": "d", "title": "T"}}}"#,
            "p.json",
        )
        .unwrap();
        assert_eq!(p.framework.title, "T");
        assert!(p.framework.items.is_empty());
    }

    #[test]
    fn an_array_of_packages_reads_each_in_order_and_places_errors_in_the_file() {
        let one = String::from_utf8(package(
            json!([{"identifier": "i1", "fullStatement": "  two  spaces\n"}]),
            json!([]),
        ))
        .unwrap();
        let two = r#"{"CFDocument": {"identifier": "d2", "title": "Second"}}"#;
        let text = format!("[\n{one},\n  {two}\n]");
        let all = parse_packages(text.as_bytes(), "p.json", ParseOptions::default()).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].framework.items[0].statement, "  two  spaces\n");
        assert_eq!(
            (
                all[1].framework.title.as_str(),
                all[1].framework.items.len()
            ),
            ("Second", 0)
        );
        let bad = format!("[\n{one},\n  {{\"CFDocument\": {{\"title\": \"x\"}}}}\n]");
        let e = parse_packages(bad.as_bytes(), "p.json", ParseOptions::default())
            .unwrap_err()
            .to_string();
        assert_eq!(e, "p.json [package 2]: the CFDocument has no `identifier`");
        let e = parse_packages(b"[]", "p.json", ParseOptions::default())
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "p.json: the file holds an empty array: no CASE package in it"
        );
    }

    #[test]
    fn nested_wrappers_are_unwrapped_once_within_a_small_stack() {
        let depth = scan::MAX_NESTING - 1;
        let text = format!(
            "{}{}",
            r#"{"CFPackage":"#.repeat(depth),
            "{}".to_string() + &"}".repeat(depth)
        );
        let run = move || {
            parse_package(text.as_bytes(), "p.json")
                .unwrap_err()
                .to_string()
        };
        let message = std::thread::Builder::new()
            .stack_size(1024 * 1024)
            .spawn(run)
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(
            message,
            "p.json: not a CASE package: there is no CFDocument (top-level keys: `CFPackage`)"
        );
        let text = format!(
            "{}{}",
            r#"{"CFPackage":"#.repeat(depth + 1),
            "{}".to_string() + &"}".repeat(depth + 1)
        );
        let e = parse_package(text.as_bytes(), "p.json").unwrap_err();
        assert!(matches!(e, ImportError::Syntax { line: 1, .. }), "{e}");
        assert!(e.to_string().contains("recursion limit exceeded"), "{e}");
    }

    #[test]
    fn size_limit_is_checked_before_parsing() {
        let bytes = package(json!([]), json!([]));
        assert!(parse_package_limited(&bytes, "p.json", bytes.len()).is_ok());
        let e = parse_package_limited(&bytes, "p.json", bytes.len() - 1)
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            format!(
                "p.json: the file is {} bytes; the largest accepted is {} bytes",
                bytes.len(),
                bytes.len() - 1
            )
        );
        // Not even JSON: the size is refused first.
        let e = parse_package_limited(b"not json at all", "p.json", 4).unwrap_err();
        assert!(matches!(e, ImportError::Invalid { .. }), "{e}");
    }

    #[test]
    fn duplicates_and_document_identifier_clash() {
        let items = json!([
            {"identifier": "a", "fullStatement": "s"}, {"identifier": "b", "fullStatement": "s"},
            {"identifier": "a", "fullStatement": "s"}
        ]);
        let p = parse_package(&package(items.clone(), json!([])), "p.json").unwrap();
        assert_eq!(p.framework.items.len(), 2);
        assert_eq!(
            p.warnings[0],
            "1 item(s) repeat the identifier of an earlier item; the first was kept and these were not imported: \
              CFItems[2] `a` \u{201c}s\u{201d} duplicates CFItems[0] `a` \u{201c}s\u{201d}"
        );
        let strict = parse_packages(
            &package(items, json!([])),
            "p.json",
            ParseOptions { strict: true },
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            strict,
            "p.json: 1 item(s) repeat the identifier of an earlier item (refused with --strict): \
             CFItems[2] `a` \u{201c}s\u{201d} duplicates CFItems[0] `a` \u{201c}s\u{201d}"
        );
        assert_eq!(
            err(&package(
                json!([{"identifier": "doc", "fullStatement": "s"}]),
                json!([])
            )),
            "p.json: item CFItems[0] has the identifier of the CFDocument, `doc`"
        );
    }

    #[test]
    fn outside_references_are_kept_with_one_warning() {
        let mut assoc = vec![child("c1", "i1", "doc", None)];
        for n in 0..8 {
            assoc.push(json!({
                "identifier": format!("x{n}"), "associationType": "exactMatchOf",
                "originNodeURI": {"identifier": "i1", "uri": "u:i1", "title": ""},
                "destinationNodeURI": {"identifier": format!("far{n}"), "uri": format!("u:far{n}"), "title": ""}
            }));
        }
        let p = parse_package(
            &package(
                json!([{"identifier": "i1", "fullStatement": "s"}]),
                json!(assoc),
            ),
            "p.json",
        )
        .unwrap();
        assert_eq!(p.associations.len(), 9);
        assert_eq!(
            p.warnings,
            [
                "8 association(s) point outside the package; they are kept as they are (not in the package: `far0`, `far1`, `far2`, `far3`, `far4` and 3 more)"
            ]
        );
    }
}
