//! What the CASE API serves, built from the workshop: each published framework and the
//! crosswalk exported as a CASE package by the package exporter (`crate::case`), with
//! every `uri` rewritten to resolve on this server, and indexes to answer the per-object
//! endpoints. Built per CASE version and cached until the workshop changes.
use crate::case::{self, CaseVersion, CrosswalkInfo, NodeRef};
use crate::model::LinkStatus;
use crate::store::{CROSSWALK, Workshop};
use axum::body::Bytes;
use serde_json::{Map, Value, json};
use std::collections::HashMap;
use std::sync::OnceLock;

type Object = Map<String, Value>;

/// The `CFDefinitions` lists, which are also the names of their endpoints.
pub const DEFINITION_LISTS: [&str; 5] = [
    "CFItemTypes",
    "CFSubjects",
    "CFConcepts",
    "CFLicenses",
    "CFAssociationGroupings",
];

/// One published document: its package and, made on first request, the package's bytes.
pub struct Published {
    pub package: Object,
    bytes: OnceLock<Bytes>,
}

impl Published {
    pub fn document(&self) -> &Object {
        self.package
            .get("CFDocument")
            .and_then(Value::as_object)
            .expect("every exported package has a CFDocument")
    }

    fn list(&self, key: &str) -> &[Value] {
        self.package
            .get(key)
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    fn definitions(&self, key: &str) -> &[Value] {
        self.package
            .get("CFDefinitions")
            .and_then(|d| d.get(key))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// The package as served, serialised once.
    pub fn bytes(&self) -> Bytes {
        self.bytes
            .get_or_init(|| {
                Bytes::from(serde_json::to_vec(&self.package).unwrap_or_else(|_| b"{}".to_vec()))
            })
            .clone()
    }
}

/// Everything published, for one CASE version.
pub struct Catalog {
    pub version: CaseVersion,
    /// `{public URL}/ims/case/v1p0` or `…/v1p1`.
    pub base: String,
    pub docs: Vec<Published>,
    /// CFDocument listings (the document with its `CFPackageURI`), in published order.
    pub listings: Vec<Object>,
    documents: HashMap<String, usize>,
    items: HashMap<String, (usize, usize)>,
    associations: HashMap<String, (usize, usize)>,
    /// Item identifier → associations naming it at either end.
    item_associations: HashMap<String, Vec<(usize, usize)>>,
    definitions: HashMap<(&'static str, String), (usize, usize)>,
    rubrics: HashMap<String, (usize, usize)>,
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
            }
            // A published framework since removed from the workshop is simply not served.
        }
        Ok(Self::from_packages(packages, version, base))
    }

    /// Indexes exported packages and rewrites their URIs under `base`.
    pub fn from_packages(packages: Vec<Value>, version: CaseVersion, base: &str) -> Self {
        let mut packages: Vec<Object> = packages
            .into_iter()
            .filter_map(|p| match p {
                Value::Object(o) if o.get("CFDocument").is_some_and(Value::is_object) => Some(o),
                _ => None,
            })
            .collect();
        // Where every published object lives on this server.
        let mut uris: HashMap<String, String> = HashMap::new();
        let mut add = |v: &Value, endpoint: &str| {
            if let Some(id) = v.get("identifier").and_then(Value::as_str) {
                uris.entry(id.to_string())
                    .or_insert_with(|| format!("{base}/{endpoint}/{id}"));
            }
        };
        for p in &packages {
            add(&p["CFDocument"], "CFDocuments");
            for (key, endpoint) in [
                ("CFItems", "CFItems"),
                ("CFAssociations", "CFAssociations"),
                ("CFRubrics", "CFRubrics"),
            ] {
                for v in p.get(key).and_then(Value::as_array).into_iter().flatten() {
                    add(v, endpoint);
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
                        add(v, key);
                    }
                }
            }
        }
        for p in &mut packages {
            for v in p.values_mut() {
                rebase(v, &uris);
            }
        }

        let mut catalog = Catalog {
            version,
            base: base.to_string(),
            docs: Vec::with_capacity(packages.len()),
            listings: Vec::with_capacity(packages.len()),
            documents: HashMap::new(),
            items: HashMap::new(),
            associations: HashMap::new(),
            item_associations: HashMap::new(),
            definitions: HashMap::new(),
            rubrics: HashMap::new(),
        };
        for (d, package) in packages.into_iter().enumerate() {
            let doc = Published {
                package,
                bytes: OnceLock::new(),
            };
            let document = doc.document();
            let id = text(document, "identifier").to_string();
            let mut listing = document.clone();
            listing.insert(
                "CFPackageURI".into(),
                json!({"title": text(document, "title"), "identifier": id, "uri": format!("{base}/CFPackages/{id}")}),
            );
            catalog.listings.push(listing);
            catalog.documents.entry(id).or_insert(d);
            for (i, v) in doc.list("CFItems").iter().enumerate() {
                catalog.items.entry(id_of(v)).or_insert((d, i));
            }
            for (i, v) in doc.list("CFRubrics").iter().enumerate() {
                catalog.rubrics.entry(id_of(v)).or_insert((d, i));
            }
            for (i, v) in doc.list("CFAssociations").iter().enumerate() {
                catalog.associations.entry(id_of(v)).or_insert((d, i));
                for end in ["originNodeURI", "destinationNodeURI"] {
                    if let Some(e) = v
                        .get(end)
                        .and_then(|e| e.get("identifier"))
                        .and_then(Value::as_str)
                    {
                        catalog
                            .item_associations
                            .entry(e.to_string())
                            .or_default()
                            .push((d, i));
                    }
                }
            }
            for key in DEFINITION_LISTS {
                for (i, v) in doc.definitions(key).iter().enumerate() {
                    catalog.definitions.entry((key, id_of(v))).or_insert((d, i));
                }
            }
            catalog.docs.push(doc);
        }
        catalog
    }

    pub fn document(&self, id: &str) -> Option<&Object> {
        self.documents.get(id).map(|&d| &self.listings[d])
    }

    pub fn package(&self, id: &str) -> Option<&Published> {
        self.documents.get(id).map(|&d| &self.docs[d])
    }

    /// An item outside its package: with the `CFDocumentURI` of its document.
    pub fn item(&self, id: &str) -> Option<Value> {
        let &(d, i) = self.items.get(id)?;
        Some(self.with_document(&self.docs[d].list("CFItems")[i], d))
    }

    /// An association outside its package: with the `CFDocumentURI` of its document.
    pub fn association(&self, id: &str) -> Option<Value> {
        let &(d, i) = self.associations.get(id)?;
        Some(self.with_document(&self.docs[d].list("CFAssociations")[i], d))
    }

    /// `CFItemAssociations/{id}`: the item and every association naming it, from any
    /// published document (the crosswalk's links included).
    pub fn item_associations(&self, id: &str) -> Option<Value> {
        let item = self.item(id)?;
        let associations: Vec<Value> = self
            .item_associations
            .get(id)
            .into_iter()
            .flatten()
            .map(|&(d, i)| self.docs[d].list("CFAssociations")[i].clone())
            .collect();
        Some(json!({"CFItem": item, "CFAssociations": associations}))
    }

    /// A definition (`CFItemTypes`, `CFSubjects`, ...) as it is in its package.
    pub fn definition(&self, list: &'static str, id: &str) -> Option<&Value> {
        let &(d, i) = self.definitions.get(&(list, id.to_string()))?;
        Some(&self.docs[d].definitions(list)[i])
    }

    /// A hierarchical definition and the entries below it by `hierarchyCode`
    /// (`CFItemTypes`, `CFSubjects`, `CFConcepts` answer with such a set).
    pub fn definition_set(&self, list: &'static str, id: &str) -> Option<Value> {
        let &(d, _) = self.definitions.get(&(list, id.to_string()))?;
        let first = self.definition(list, id)?.clone();
        let code = first
            .get("hierarchyCode")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let mut set = vec![first];
        if !code.is_empty() {
            let prefix = format!("{code}.");
            set.extend(
                self.docs[d]
                    .definitions(list)
                    .iter()
                    .filter(|v| {
                        v.get("hierarchyCode")
                            .and_then(Value::as_str)
                            .is_some_and(|c| c.starts_with(&prefix))
                    })
                    .cloned(),
            );
        }
        Some(json!({ list: set }))
    }

    pub fn rubric(&self, id: &str) -> Option<&Value> {
        let &(d, i) = self.rubrics.get(id)?;
        Some(&self.docs[d].list("CFRubrics")[i])
    }

    fn with_document(&self, record: &Value, d: usize) -> Value {
        let mut v = record.clone();
        let doc = self.docs[d].document();
        if let Value::Object(o) = &mut v {
            o.insert(
                "CFDocumentURI".into(),
                json!({"title": text(doc, "title"), "identifier": text(doc, "identifier"), "uri": text(doc, "uri")}),
            );
        }
        v
    }
}

/// Sets the `uri` of every record and reference whose identifier is published here.
fn rebase(v: &mut Value, uris: &HashMap<String, String>) {
    match v {
        Value::Object(o) => {
            if let Some(uri) = o
                .get("identifier")
                .and_then(Value::as_str)
                .and_then(|id| uris.get(id))
                && o.contains_key("uri")
            {
                o.insert("uri".into(), Value::String(uri.clone()));
            }
            for child in o.values_mut() {
                if child.is_object() || child.is_array() {
                    rebase(child, uris);
                }
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|c| rebase(c, uris)),
        _ => {}
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
    let mut frameworks = Vec::new();
    for f in ws.frameworks()? {
        let used = links.iter().any(|l| {
            l.origin.framework_identifier == f.identifier
                || l.destination.framework_identifier == f.identifier
        });
        if used {
            let fw = ws.load_framework(f.id)?;
            frameworks.push(NodeRef {
                identifier: fw.identifier,
                uri: fw.uri,
                title: fw.title,
            });
        }
    }
    let names: Vec<&str> = frameworks.iter().map(|f| f.title.as_str()).collect();
    let info = CrosswalkInfo {
        identifier: ws.crosswalk_identifier()?,
        title: if names.is_empty() {
            "Crosswalk".to_string()
        } else {
            format!("Crosswalk: {}", names.join(" / "))
        },
        creator: "crosswalk".into(),
        last_change: links
            .iter()
            .map(|l| l.changed)
            .max()
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH),
        frameworks,
    };
    Ok(case::export_links_case(&info, &links, version))
}
