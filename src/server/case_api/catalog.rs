//! What the CASE API serves, built from the workshop: each published framework and the
//! crosswalk exported as a CASE package by the package exporter (`crate::case`), with
//! every `uri` rewritten to resolve on this server, and indexes to answer the per-object
//! endpoints. Built per CASE version and cached until the workshop changes.
use crate::case::{self, CaseVersion};
use crate::model::LinkStatus;
use crate::store::{CROSSWALK, Workshop};
use axum::body::Bytes;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value, json};
use std::collections::HashMap;

type Object = Map<String, Value>;

/// The `CFDefinitions` lists, which are also the names of their endpoints.
pub const DEFINITION_LISTS: [&str; 5] = [
    "CFItemTypes",
    "CFSubjects",
    "CFConcepts",
    "CFLicenses",
    "CFAssociationGroupings",
];

/// One published document: its CFDocument and the package as served, serialised once.
pub struct Published {
    document: Object,
    bytes: Bytes,
}

impl Published {
    pub fn document(&self) -> &Object {
        &self.document
    }

    /// The package as served.
    pub fn bytes(&self) -> Bytes {
        self.bytes.clone()
    }
}

/// A record of a package: where its JSON is in the package's bytes. One string per
/// package rather than a tree of small values keeps a 20,000-item catalog small and
/// quick to make and to drop.
struct Record {
    doc: usize,
    span: std::ops::Range<usize>,
    /// `hierarchyCode`, for the definition sets.
    code: Box<str>,
}

/// Everything published, for one CASE version.
pub struct Catalog {
    pub version: CaseVersion,
    /// `{public URL}/ims/case/v1p0` or `…/v1p1`.
    pub base: String,
    pub docs: Vec<Published>,
    /// CFDocument listings (the document with its `CFPackageURI`), in published order.
    pub listings: Vec<Object>,
    /// Each document's `CFDocumentURI` reference, serialised.
    document_refs: Vec<String>,
    documents: HashMap<String, usize>,
    items: HashMap<String, Record>,
    associations: Vec<Record>,
    association_ids: HashMap<String, usize>,
    /// Item identifier → associations naming it at either end.
    item_associations: HashMap<String, Vec<usize>>,
    /// Per definition list, in package order, and by identifier.
    definitions: HashMap<&'static str, Vec<Record>>,
    definition_ids: HashMap<(&'static str, String), usize>,
    rubrics: HashMap<String, Record>,
}

impl Catalog {
    /// Exports what `ws` publishes, for `version`, with URIs under `base`.
    pub fn build(
        ws: &mut Workshop,
        version: CaseVersion,
        base: &str,
    ) -> crate::store::Result<Self> {
        let published = ws.published()?;
        let frameworks = ws.frameworks()?;
        let mut packages = Vec::new();
        for name in &published {
            if name == CROSSWALK {
                packages.push(crosswalk_package(ws, version)?);
            } else if let Some(f) = frameworks.iter().find(|f| &f.identifier == name) {
                let pkg = ws.load_package(f.id)?;
                packages.push(case::export_framework(&pkg, version));
                if pkg.framework.items.len() > 1_000 {
                    drop_elsewhere(pkg);
                }
            }
            // A published framework since removed from the workshop is simply not served.
        }
        Ok(Self::from_packages(packages, version, base))
    }

    /// Indexes exported packages and rewrites their URIs under `base`.
    pub fn from_packages(packages: Vec<Value>, version: CaseVersion, base: &str) -> Self {
        let packages: Vec<Object> = packages
            .into_iter()
            .filter_map(|p| match p {
                Value::Object(o) if o.get("CFDocument").is_some_and(Value::is_object) => Some(o),
                _ => None,
            })
            .collect();
        // Where every published object lives on this server: its endpoint by identifier.
        let mut map: HashMap<&str, &'static str> = HashMap::new();
        fn add<'a>(map: &mut HashMap<&'a str, &'static str>, v: &'a Value, endpoint: &'static str) {
            if let Some(id) = v.get("identifier").and_then(Value::as_str) {
                map.entry(id).or_insert(endpoint);
            }
        }
        for p in &packages {
            add(&mut map, &p["CFDocument"], "CFDocuments");
            for (key, endpoint) in RECORD_LISTS {
                for v in p.get(key).and_then(Value::as_array).into_iter().flatten() {
                    add(&mut map, v, endpoint);
                }
            }
            if let Some(defs) = p.get("CFDefinitions").and_then(Value::as_object) {
                for key in DEFINITION_LISTS {
                    for v in defs
                        .get(key)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        add(&mut map, v, key);
                    }
                }
            }
        }
        let uris = Uris { base, map };

        let mut catalog = Catalog {
            version,
            base: base.to_string(),
            docs: Vec::with_capacity(packages.len()),
            listings: Vec::with_capacity(packages.len()),
            document_refs: Vec::with_capacity(packages.len()),
            documents: HashMap::new(),
            items: HashMap::new(),
            associations: Vec::new(),
            association_ids: HashMap::new(),
            item_associations: HashMap::new(),
            definitions: HashMap::new(),
            definition_ids: HashMap::new(),
            rubrics: HashMap::new(),
        };
        for (d, package) in packages.iter().enumerate() {
            catalog.add_package(d, package, &uris);
        }
        drop(uris);
        drop_elsewhere(packages);
        catalog
    }

    /// Serialises a package record by record, indexing each, and the whole from the parts.
    fn add_package(&mut self, d: usize, package: &Object, uris: &Uris) {
        let base = &self.base;
        let document = match serde_json::to_value(uris.rebased(&package["CFDocument"])) {
            Ok(Value::Object(o)) => o,
            _ => Object::new(),
        };
        let id = text(&document, "identifier").to_string();
        let mut listing = document.clone();
        listing.insert(
            "CFPackageURI".into(),
            json!({"title": text(&document, "title"), "identifier": id, "uri": format!("{base}/CFPackages/{id}")}),
        );
        self.listings.push(listing);
        self.document_refs.push(
            json!({"title": text(&document, "title"), "identifier": id, "uri": text(&document, "uri")})
                .to_string(),
        );
        self.documents.entry(id).or_insert(d);

        let mut out: Vec<u8> = Vec::with_capacity(1 << 16);
        out.push(b'{');
        for (n, (key, value)) in package.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(Value::String(key.clone()).to_string().as_bytes());
            out.push(b':');
            match (key.as_str(), value) {
                ("CFItems" | "CFAssociations" | "CFRubrics", Value::Array(list)) => {
                    out.push(b'[');
                    for (i, v) in list.iter().enumerate() {
                        if i > 0 {
                            out.push(b',');
                        }
                        self.record(d, key, v, &mut out, uris);
                    }
                    out.push(b']');
                }
                ("CFDefinitions", Value::Object(defs)) => {
                    out.push(b'{');
                    for (n, (list, value)) in defs.iter().enumerate() {
                        if n > 0 {
                            out.push(b',');
                        }
                        out.extend_from_slice(Value::String(list.clone()).to_string().as_bytes());
                        out.push(b':');
                        match (DEFINITION_LISTS.iter().find(|l| *l == list), value) {
                            (Some(list), Value::Array(entries)) => {
                                out.push(b'[');
                                for (i, v) in entries.iter().enumerate() {
                                    if i > 0 {
                                        out.push(b',');
                                    }
                                    self.definition_record(d, list, v, &mut out, uris);
                                }
                                out.push(b']');
                            }
                            (_, other) => {
                                write(other, &mut out, uris);
                            }
                        }
                    }
                    out.push(b'}');
                }
                (_, other) => {
                    write(other, &mut out, uris);
                }
            }
        }
        out.push(b'}');
        self.docs.push(Published {
            document,
            bytes: Bytes::from(out),
        });
    }

    /// Writes one item, association or rubric into the package and indexes it.
    fn record(&mut self, doc: usize, list: &str, v: &Value, out: &mut Vec<u8>, uris: &Uris) {
        let id = id_of(v);
        let record = Record {
            doc,
            span: write(v, out, uris),
            code: "".into(),
        };
        match list {
            "CFItems" => {
                self.items.entry(id).or_insert(record);
            }
            "CFRubrics" => {
                self.rubrics.entry(id).or_insert(record);
            }
            _ => {
                let n = self.associations.len();
                for end in ["originNodeURI", "destinationNodeURI"] {
                    if let Some(e) = v
                        .get(end)
                        .and_then(|e| e.get("identifier"))
                        .and_then(Value::as_str)
                    {
                        self.item_associations
                            .entry(e.to_string())
                            .or_default()
                            .push(n);
                    }
                }
                self.associations.push(record);
                self.association_ids.entry(id).or_insert(n);
            }
        }
    }

    fn definition_record(
        &mut self,
        doc: usize,
        list: &'static str,
        v: &Value,
        out: &mut Vec<u8>,
        uris: &Uris,
    ) {
        let span = write(v, out, uris);
        let code = v
            .get("hierarchyCode")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .into();
        let entries = self.definitions.entry(list).or_default();
        self.definition_ids
            .entry((list, id_of(v)))
            .or_insert(entries.len());
        entries.push(Record { doc, span, code });
    }

    /// A record's JSON, out of its package's bytes.
    fn json(&self, r: &Record) -> &str {
        std::str::from_utf8(&self.docs[r.doc].bytes[r.span.clone()]).unwrap_or("{}")
    }

    pub fn document(&self, id: &str) -> Option<&Object> {
        self.documents.get(id).map(|&d| &self.listings[d])
    }

    pub fn package(&self, id: &str) -> Option<&Published> {
        self.documents.get(id).map(|&d| &self.docs[d])
    }

    /// An item outside its package: with the `CFDocumentURI` of its document.
    pub fn item(&self, id: &str) -> Option<String> {
        self.items.get(id).map(|r| self.with_document(r))
    }

    /// An association outside its package: with the `CFDocumentURI` of its document.
    pub fn association(&self, id: &str) -> Option<String> {
        let &n = self.association_ids.get(id)?;
        Some(self.with_document(&self.associations[n]))
    }

    /// `CFItemAssociations/{id}`: the item and every association naming it, from any
    /// published document (the crosswalk's links included).
    pub fn item_associations(&self, id: &str) -> Option<String> {
        let item = self.item(id)?;
        let associations: Vec<&str> = self
            .item_associations
            .get(id)
            .into_iter()
            .flatten()
            .map(|&n| self.json(&self.associations[n]))
            .collect();
        Some(format!(
            r#"{{"CFItem":{item},"CFAssociations":[{}]}}"#,
            associations.join(",")
        ))
    }

    /// A definition (`CFAssociationGroupings`, `CFLicenses`) as it is in its package.
    pub fn definition(&self, list: &'static str, id: &str) -> Option<&str> {
        let &n = self.definition_ids.get(&(list, id.to_string()))?;
        Some(self.json(&self.definitions[list][n]))
    }

    /// A hierarchical definition and the entries of its document below it by
    /// `hierarchyCode` (`CFItemTypes`, `CFSubjects`, `CFConcepts` answer with such a set).
    pub fn definition_set(&self, list: &'static str, id: &str) -> Option<String> {
        let &n = self.definition_ids.get(&(list, id.to_string()))?;
        let entries = &self.definitions[list];
        let first = &entries[n];
        let mut set: Vec<&str> = vec![self.json(first)];
        if !first.code.is_empty() {
            let prefix = format!("{}.", first.code);
            set.extend(
                entries
                    .iter()
                    .filter(|e| e.doc == first.doc && e.code.starts_with(&prefix))
                    .map(|e| self.json(e)),
            );
        }
        Some(format!(r#"{{"{list}":[{}]}}"#, set.join(",")))
    }

    pub fn rubric(&self, id: &str) -> Option<&str> {
        self.rubrics.get(id).map(|r| self.json(r))
    }

    /// The record with `"CFDocumentURI": {...}` added as its last field.
    fn with_document(&self, record: &Record) -> String {
        let json = self.json(record);
        let body = json.strip_suffix('}').unwrap_or(json);
        let sep = if body.trim_end().ends_with('{') {
            ""
        } else {
            ","
        };
        format!(
            r#"{body}{sep}"CFDocumentURI":{}}}"#,
            self.document_refs[record.doc]
        )
    }
}

/// Frees a large tree of values on another thread, off the request's path (freeing a
/// 20,000-item package takes longer than serialising it).
fn drop_elsewhere<T: Send + 'static>(value: T) {
    if std::thread::Builder::new()
        .name("catalog-drop".into())
        .spawn(move || drop(value))
        .is_err()
    {
        // No thread to be had: it is freed here when the closure is dropped.
    }
}

/// Serialises `v`, rebased, at the end of `out`; where it is.
fn write(v: &Value, out: &mut Vec<u8>, uris: &Uris) -> std::ops::Range<usize> {
    let start = out.len();
    // Writing JSON into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, &uris.rebased(v));
    start..out.len()
}

/// The package lists of records, with their endpoints.
const RECORD_LISTS: [(&str, &str); 3] = [
    ("CFItems", "CFItems"),
    ("CFAssociations", "CFAssociations"),
    ("CFRubrics", "CFRubrics"),
];

/// Where the objects published here live, to write their `uri`s: an object (record or
/// reference) whose identifier is published here gets `{base}/{endpoint}/{identifier}`.
struct Uris<'a> {
    base: &'a str,
    map: HashMap<&'a str, &'static str>,
}

impl Uris<'_> {
    fn rebased<'v>(&'v self, value: &'v Value) -> Rebased<'v> {
        Rebased { value, uris: self }
    }
}

/// A value serialised with its `uri`s rewritten, written straight out (no copy of the tree).
struct Rebased<'a> {
    value: &'a Value,
    uris: &'a Uris<'a>,
}

struct Uri<'a>(&'a str, &'static str, &'a str);

impl Serialize for Uri<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&format_args!("{}/{}/{}", self.0, self.1, self.2))
    }
}

impl Serialize for Rebased<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.value {
            Value::Object(o) => {
                let here = o
                    .get("identifier")
                    .and_then(Value::as_str)
                    .and_then(|id| self.uris.map.get(id).map(|e| (id, *e)));
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o {
                    match here {
                        Some((id, endpoint)) if k == "uri" => {
                            map.serialize_entry(k, &Uri(self.uris.base, endpoint, id))?
                        }
                        _ => map.serialize_entry(k, &self.uris.rebased(v))?,
                    }
                }
                map.end()
            }
            Value::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a {
                    seq.serialize_element(&self.uris.rebased(v))?;
                }
                seq.end()
            }
            other => other.serialize(s),
        }
    }
}

fn text<'a>(o: &'a Object, key: &str) -> &'a str {
    o.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn id_of(v: &Value) -> String {
    v.get("identifier")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The crosswalk document: the agreed links as one package of associations, as
/// `crosswalk export` writes it.
fn crosswalk_package(ws: &mut Workshop, version: CaseVersion) -> crate::store::Result<Value> {
    let links: Vec<crate::model::Link> = ws
        .session_links()?
        .into_iter()
        .filter(|l| l.status == LinkStatus::Agreed)
        .map(|l| l.link)
        .collect();
    // As `crosswalk export` writes it: the same document, identity and titles.
    let info = ws.crosswalk_info(&links, None, "crosswalk".into())?;
    let short = ws.abbreviated_statements(&links)?;
    Ok(case::export_links_case_titled(&info, &links, version, &short).0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "0a1b2c3d-0000-4000-8000-000000000000";
    const ITEM: &str = "0a1b2c3d-0000-4000-8000-000000000001";
    const LINK_DOC: &str = "0a1b2c3d-0000-4000-8000-000000000010";

    fn catalog() -> Catalog {
        let framework = json!({
            "CFDocument": {"identifier": DOC, "uri": "https://elsewhere/doc", "title": "F", "creator": "c"},
            "CFItems": [{"identifier": ITEM, "uri": "https://elsewhere/item", "fullStatement": "S",
                         "CFItemTypeURI": {"identifier": "t1", "uri": "https://elsewhere/t1", "title": "Domain"}}],
            "CFAssociations": [{"identifier": "a1", "uri": "https://elsewhere/a1", "associationType": "isChildOf",
                                "originNodeURI": {"identifier": ITEM, "uri": "https://elsewhere/item", "title": "S"},
                                "destinationNodeURI": {"identifier": DOC, "uri": "https://elsewhere/doc", "title": "F"}}],
            "CFDefinitions": {"CFItemTypes": [{"identifier": "t1", "uri": "https://elsewhere/t1", "title": "Domain"}],
                              "CFConcepts": [
                                  {"identifier": "c1", "uri": "u", "hierarchyCode": "1"},
                                  {"identifier": "c11", "uri": "u", "hierarchyCode": "1.1"},
                                  {"identifier": "c2", "uri": "u", "hierarchyCode": "2"},
                                  {"identifier": "c10", "uri": "u", "hierarchyCode": "10"}]},
        });
        let links = json!({
            "CFDocument": {"identifier": LINK_DOC, "uri": "x", "title": "Crosswalk", "creator": "c"},
            "CFItems": [],
            "CFAssociations": [{"identifier": "a2", "uri": "x", "associationType": "exactMatchOf",
                                "originNodeURI": {"identifier": ITEM, "uri": "https://elsewhere/item", "title": "S"},
                                "destinationNodeURI": {"identifier": "far", "uri": "https://far/away", "title": "Far"}}],
        });
        Catalog::from_packages(
            vec![framework, links],
            CaseVersion::V1_1,
            "http://h/ims/case/v1p1",
        )
    }

    fn parse(s: &str) -> Value {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn uris_of_objects_published_here_are_rewritten_and_others_kept() {
        let c = catalog();
        let pkg: Value = serde_json::from_slice(&c.package(DOC).unwrap().bytes()).unwrap();
        assert_eq!(
            pkg["CFDocument"]["uri"],
            format!("http://h/ims/case/v1p1/CFDocuments/{DOC}")
        );
        assert_eq!(
            pkg["CFItems"][0]["uri"],
            format!("http://h/ims/case/v1p1/CFItems/{ITEM}")
        );
        assert_eq!(
            pkg["CFItems"][0]["CFItemTypeURI"]["uri"],
            "http://h/ims/case/v1p1/CFItemTypes/t1"
        );
        assert_eq!(
            pkg["CFAssociations"][0]["destinationNodeURI"]["uri"],
            format!("http://h/ims/case/v1p1/CFDocuments/{DOC}")
        );
        let links: Value = serde_json::from_slice(&c.package(LINK_DOC).unwrap().bytes()).unwrap();
        assert_eq!(
            links["CFAssociations"][0]["destinationNodeURI"]["uri"], "https://far/away",
            "not published here"
        );
        assert_eq!(
            c.document(DOC).unwrap()["CFPackageURI"]["uri"],
            format!("http://h/ims/case/v1p1/CFPackages/{DOC}")
        );
    }

    #[test]
    fn records_outside_their_package_name_their_document() {
        let c = catalog();
        let item = parse(&c.item(ITEM).unwrap());
        assert_eq!(item["fullStatement"], "S");
        assert_eq!(
            item["CFDocumentURI"],
            json!({"title": "F", "identifier": DOC, "uri": format!("http://h/ims/case/v1p1/CFDocuments/{DOC}")})
        );
        assert_eq!(
            parse(&c.association("a2").unwrap())["CFDocumentURI"]["identifier"],
            LINK_DOC
        );
        let set = parse(&c.item_associations(ITEM).unwrap());
        let ids: Vec<&str> = set["CFAssociations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["identifier"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["a1", "a2"], "its tree and the crosswalk's link");
        assert!(
            c.item(DOC).is_none() && c.association(ITEM).is_none(),
            "each endpoint finds its own kind"
        );
    }

    #[test]
    fn a_definition_set_is_the_entry_and_those_below_it() {
        let c = catalog();
        let set = parse(&c.definition_set("CFConcepts", "c1").unwrap());
        let ids: Vec<&str> = set["CFConcepts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["identifier"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            ["c1", "c11"],
            "not 2, nor 10 (a code starting with 1 but not below it)"
        );
        assert_eq!(
            parse(c.definition("CFItemTypes", "t1").unwrap())["title"],
            "Domain"
        );
        assert!(c.definition("CFSubjects", "t1").is_none());
    }
}
