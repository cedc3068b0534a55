//! What the CASE package schemas allow, as tables, and the small repairs that make a
//! value fit them. The tables follow `case-v1p0-cfpackage.schema.json` (draft 4, from the
//! CASE 1.0 OpenAPI definitions) and the official CASE 1.1 `CFPackage` JSON Schema: every
//! class there has `additionalProperties: false`, so a field missing here is dropped.
use super::CaseVersion;
use crate::case::input::stable_uri;
use crate::model::AssociationType;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

pub(super) type Object = Map<String, Value>;

/// How a field's value is checked and repaired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A string; numbers and booleans are written out.
    Text,
    /// A UUID in the schema; written as `case_identifier` makes it.
    Identifier,
    /// A URI; a missing required one is made with the stable `urn:` scheme.
    Uri,
    /// RFC 3339 with a time zone; one without is taken as UTC.
    DateTime,
    /// `YYYY-MM-DD`.
    Date,
    /// An array of strings; a lone string becomes a one-element array.
    TextList,
    /// A `LinkURI` (title, identifier, uri).
    Link,
    /// An array of `LinkURI`s.
    LinkList,
    /// An integer; an integral float or a string holding one is accepted.
    Integer,
    /// A number; a string holding one is accepted.
    Number,
    /// A free object (CASE 1.1 `extensions`).
    Extensions,
    /// An association type, fixed by the association writer.
    AssociationType,
    /// A `LinkGenURI` (an association end), fixed by the association writer.
    Node,
}

/// One property of a CASE class.
#[derive(Debug, Clone, Copy)]
pub(super) struct Field {
    pub name: &'static str,
    pub kind: Kind,
    pub required: bool,
    /// Only in CASE 1.1.
    pub since_1_1: bool,
}

const fn req(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: true,
        since_1_1: false,
    }
}
const fn opt(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
        since_1_1: false,
    }
}
const fn v11(name: &'static str, kind: Kind) -> Field {
    Field {
        name,
        kind,
        required: false,
        since_1_1: true,
    }
}

use Kind::*;

/// `CFPckgDocument`.
pub(super) const DOCUMENT: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    v11("frameworkType", Text),
    v11("caseVersion", Text),
    req("creator", Text),
    req("title", Text),
    req("lastChangeDateTime", DateTime),
    opt("officialSourceURL", Text),
    opt("publisher", Text),
    opt("description", Text),
    opt("subject", TextList),
    opt("subjectURI", LinkList),
    opt("language", Text),
    opt("version", Text),
    opt("adoptionStatus", Text),
    opt("statusStartDate", Date),
    opt("statusEndDate", Date),
    opt("licenseURI", Link),
    opt("notes", Text),
    v11("extensions", Extensions),
];

/// `CFPckgItem`.
pub(super) const ITEM: &[Field] = &[
    req("identifier", Identifier),
    req("fullStatement", Text),
    opt("alternativeLabel", Text),
    opt("CFItemType", Text),
    req("uri", Uri),
    opt("humanCodingScheme", Text),
    opt("listEnumeration", Text),
    opt("abbreviatedStatement", Text),
    opt("conceptKeywords", TextList),
    opt("conceptKeywordsURI", Link),
    opt("notes", Text),
    v11("subject", TextList),
    v11("subjectURI", LinkList),
    opt("language", Text),
    opt("educationLevel", TextList),
    opt("CFItemTypeURI", Link),
    opt("licenseURI", Link),
    opt("statusStartDate", Date),
    opt("statusEndDate", Date),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

/// `CFPckgAssociation`.
pub(super) const ASSOCIATION: &[Field] = &[
    req("identifier", Identifier),
    req("associationType", AssociationType),
    opt("sequenceNumber", Integer),
    req("uri", Uri),
    req("originNodeURI", Node),
    req("destinationNodeURI", Node),
    opt("CFAssociationGroupingURI", Link),
    req("lastChangeDateTime", DateTime),
    v11("notes", Text),
    v11("extensions", Extensions),
];

const CONCEPT: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    req("title", Text),
    opt("keywords", Text),
    req("hierarchyCode", Text),
    opt("description", Text),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

const SUBJECT: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    req("title", Text),
    req("hierarchyCode", Text),
    opt("description", Text),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

const LICENSE: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    req("title", Text),
    opt("description", Text),
    req("licenseText", Text),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

const ITEM_TYPE: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    req("title", Text),
    req("description", Text),
    req("hierarchyCode", Text),
    opt("typeCode", Text),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

/// `CFAssociationGrouping`.
pub(super) const GROUPING: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    req("title", Text),
    opt("description", Text),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

/// `CFRubric`; its `CFRubricCriteria` are written by the caller.
pub(super) const RUBRIC: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    opt("title", Text),
    opt("description", Text),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

/// `CFRubricCriterion`; its `CFRubricCriterionLevels` are written by the caller.
pub(super) const RUBRIC_CRITERION: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    opt("category", Text),
    opt("description", Text),
    opt("CFItemURI", Link),
    opt("weight", Number),
    opt("position", Integer),
    opt("rubricId", Identifier),
    req("lastChangeDateTime", DateTime),
    v11("extensions", Extensions),
];

/// `CFRubricCriterionLevel`.
pub(super) const RUBRIC_LEVEL: &[Field] = &[
    req("identifier", Identifier),
    req("uri", Uri),
    opt("description", Text),
    opt("quality", Text),
    opt("score", Number),
    opt("feedback", Text),
    opt("position", Integer),
    opt("rubricCriterionId", Identifier),
    req("lastChangeDateTime", DateTime),
];

/// One list of `CFDefinitions`.
pub(super) struct DefinitionList {
    pub key: &'static str,
    pub fields: &'static [Field],
    /// The kind named in a made-up `urn:crosswalk:` URI.
    pub uri_kind: &'static str,
    /// The class as messages name it.
    pub class: &'static str,
}

pub(super) const DEFINITION_LISTS: &[DefinitionList] = &[
    DefinitionList {
        key: "CFConcepts",
        fields: CONCEPT,
        uri_kind: "concept",
        class: "CFDefinitions.CFConcepts",
    },
    DefinitionList {
        key: "CFSubjects",
        fields: SUBJECT,
        uri_kind: "subject",
        class: "CFDefinitions.CFSubjects",
    },
    DefinitionList {
        key: "CFLicenses",
        fields: LICENSE,
        uri_kind: "license",
        class: "CFDefinitions.CFLicenses",
    },
    DefinitionList {
        key: "CFItemTypes",
        fields: ITEM_TYPE,
        uri_kind: "item-type",
        class: "CFDefinitions.CFItemTypes",
    },
    DefinitionList {
        key: "CFAssociationGroupings",
        fields: GROUPING,
        uri_kind: "association-grouping",
        class: "CFDefinitions.CFAssociationGroupings",
    },
];

/// What an export bent to fit the schema, gathered into a few lines for the person.
#[derive(Debug, Default)]
pub(super) struct Notes {
    /// The version written, which decides the identifiers it accepts.
    pub version: CaseVersion,
    /// Class -> field -> how often, for fields the schema does not allow.
    dropped_fields: BTreeMap<&'static str, BTreeMap<String, usize>>,
    /// Class -> field -> how often, for values of a type the field cannot hold.
    bad_values: BTreeMap<&'static str, BTreeMap<String, usize>>,
    pub repaired_times: usize,
    pub missing_times: usize,
    /// Identifiers written as another (`old` as `new`), first few, and how many.
    mapped_identifiers: Vec<String>,
    mapped_count: usize,
    seen_mapped: HashSet<String>,
    /// `from -> to` for association types the version cannot hold.
    pub retyped: BTreeMap<String, usize>,
    pub dropped_entries: Vec<String>,
    pub generated_parents: usize,
    /// The document had no usable lastChangeDateTime.
    pub undated_document: bool,
}

/// The time written when a document has none: the start of the Unix epoch, plainly "unknown".
pub(super) const UNKNOWN_TIME: &str = "1970-01-01T00:00:00Z";

/// How many names a warning lists before "and N more".
const NAMES_SHOWN: usize = 5;

impl Notes {
    pub fn dropped_field(&mut self, class: &'static str, field: &str) {
        bump(&mut self.dropped_fields, class, field);
    }

    pub fn bad_value(&mut self, class: &'static str, field: &str) {
        bump(&mut self.bad_values, class, field);
    }

    pub fn new(version: CaseVersion) -> Self {
        Notes {
            version,
            ..Notes::default()
        }
    }

    /// The identifier `id` is written as (see [`case_identifier_for`]), noting it when it changes.
    pub fn identifier(&mut self, id: &str) -> String {
        self.written_identifier(id).into_owned()
    }

    /// [`Self::identifier`], borrowing `id` when it is written as it is.
    pub fn written_identifier<'a>(&mut self, id: &'a str) -> Cow<'a, str> {
        match case_identifier_for(id, self.version) {
            Cow::Borrowed(same) => Cow::Borrowed(same),
            Cow::Owned(new) => {
                if self.seen_mapped.insert(id.to_string()) {
                    self.mapped_count += 1;
                    if self.mapped_identifiers.len() < NAMES_SHOWN {
                        self.mapped_identifiers.push(format!("`{id}` as `{new}`"));
                    }
                }
                Cow::Owned(new)
            }
        }
    }

    pub fn retyped(&mut self, from: &str, to: &str) {
        *self.retyped.entry(format!("{from} -> {to}")).or_default() += 1;
    }

    pub fn into_warnings(self, version: CaseVersion) -> Vec<String> {
        let v = version.label();
        let mut out = Vec::new();
        if self.mapped_count > 0 {
            let more = self.mapped_count - self.mapped_identifiers.len();
            out.push(format!(
                "{} identifier(s) are not the lower-case RFC 4122 UUIDs CASE requires; written as \
                 UUIDs made from them (the same on every export): {}{}",
                self.mapped_count,
                self.mapped_identifiers.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        if !self.dropped_fields.is_empty() {
            out.push(format!(
                "left out fields CASE {v} does not allow: {}",
                describe_counts(&self.dropped_fields)
            ));
        }
        if !self.bad_values.is_empty() {
            out.push(format!(
                "left out values of a type CASE {v} does not allow there: {}",
                describe_counts(&self.bad_values)
            ));
        }
        if self.repaired_times > 0 {
            out.push(format!(
                "{} date-time(s) had no time zone; written as UTC",
                self.repaired_times
            ));
        }
        if self.undated_document {
            out.push(format!("the CFDocument had no usable lastChangeDateTime; written as {UNKNOWN_TIME} (unknown)"));
        }
        if self.missing_times > 0 {
            out.push(format!(
                "{} record(s) had no usable lastChangeDateTime; given the document's",
                self.missing_times
            ));
        }
        for (change, n) in &self.retyped {
            out.push(format!(
                "{n} association(s) written as {change}: CASE {v} has no such type"
            ));
        }
        if !self.dropped_entries.is_empty() {
            let more = self.dropped_entries.len().saturating_sub(NAMES_SHOWN);
            let shown: Vec<&str> = self
                .dropped_entries
                .iter()
                .take(NAMES_SHOWN)
                .map(String::as_str)
                .collect();
            out.push(format!(
                "left out {} record(s) missing what CASE requires: {}{}",
                self.dropped_entries.len(),
                shown.join("; "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
        if self.generated_parents > 0 {
            out.push(format!(
                "wrote {} isChildOf association(s) from the tree for items that had none",
                self.generated_parents
            ));
        }
        out
    }
}

fn bump(
    map: &mut BTreeMap<&'static str, BTreeMap<String, usize>>,
    class: &'static str,
    field: &str,
) {
    let fields = map.entry(class).or_default();
    match fields.get_mut(field) {
        Some(n) => *n += 1,
        None => {
            fields.insert(field.to_string(), 1);
        }
    }
}

fn describe_counts(map: &BTreeMap<&'static str, BTreeMap<String, usize>>) -> String {
    let parts: Vec<String> = map
        .iter()
        .flat_map(|(class, fields)| {
            fields
                .iter()
                .map(move |(f, n)| format!("{class}.{f} ({n})"))
        })
        .collect();
    parts.join(", ")
}

/// The identifier CASE gets for `id`: `id` itself when it is a lower-case RFC 4122 UUID
/// (versions 1-5, the rule of CASE 1.0's schema and the strictest of the two), the same
/// UUID in lower case when only the case is wrong, and otherwise a UUID v5 of `id` in
/// crosswalk's namespace, so the same identifier is always written the same way, in
/// every file and both CASE versions. See the module docs of `export` for why.
pub fn case_identifier(id: &str) -> Cow<'_, str> {
    if uuid_ok(id, CaseVersion::V1_0) {
        return Cow::Borrowed(id);
    }
    let lower = id.to_ascii_lowercase();
    if uuid_ok(&lower, CaseVersion::V1_0) {
        Cow::Owned(lower)
    } else {
        Cow::Owned(super::derived_uuid(&["identifier", id]))
    }
}

/// The identifier `id` is written with in `version`: kept wherever it is a lower-case RFC
/// 4122 UUID of versions 1-5, else as [`case_identifier`] makes it (lower-cased, or a UUID
/// v5 of it). The 1.1 package schema would take any 8-4-4-4-12 form, but the CASE 1.1 REST
/// service definition asks for what 1.0 asks, so one rule for both versions keeps every
/// file and every response of `crosswalk serve` valid under every definition, and both
/// exports of a framework agree. The importer applies the same mapping backwards.
pub fn case_identifier_for(id: &str, _version: CaseVersion) -> Cow<'_, str> {
    case_identifier(id)
}

/// True when the schema of `version` accepts `id` as a UUID. CASE 1.0 has a pattern
/// (lower-case hexadecimal, version 1-5, variant 8-b); CASE 1.1 has `format: uuid`,
/// which validators check as any 8-4-4-4-12 hexadecimal string.
pub(super) fn uuid_ok(id: &str, version: CaseVersion) -> bool {
    let b = id.as_bytes();
    let hex = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_hexdigit);
    let shape = b.len() == 36
        && [8, 13, 18, 23].iter().all(|&i| b[i] == b'-')
        && hex(0..8)
        && hex(9..13)
        && hex(14..18)
        && hex(19..23)
        && hex(24..36);
    match version {
        CaseVersion::V1_1 => shape,
        CaseVersion::V1_0 => {
            shape
                && !b.iter().any(u8::is_ascii_uppercase)
                && (b'1'..=b'5').contains(&b[14])
                && b"89ab".contains(&b[19])
        }
    }
}

/// A date-time as CASE wants it, or `None` when it cannot be read as one.
pub(super) fn date_time(s: &str) -> Option<Cow<'_, str>> {
    let s = s.trim();
    if OffsetDateTime::parse(s, &Rfc3339).is_ok() {
        return Some(Cow::Borrowed(s));
    }
    // Real exports write local times without a zone (`2017-05-25T18:05:33`), a space for
    // the `T`, or only a date; all are taken as UTC.
    let fixed: Cow<str> = if s.len() > 10 && s.as_bytes()[10] == b' ' {
        Cow::Owned(format!("{}T{}", &s[..10], &s[11..]))
    } else {
        Cow::Borrowed(s)
    };
    let with_zone = [
        format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond][offset_hour sign:mandatory][offset_minute]"
        ),
        format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second][offset_hour sign:mandatory][offset_minute]"
        ),
        format_description!(
            "[year]-[month]-[day]T[hour]:[minute][offset_hour sign:mandatory]:[offset_minute]"
        ),
    ];
    let parsed = with_zone
        .iter()
        .find_map(|f| OffsetDateTime::parse(&fixed, f).ok())
        .or_else(|| {
            let local = [
                format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]"),
                format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
                format_description!("[year]-[month]-[day]T[hour]:[minute]"),
            ];
            let fixed = fixed.trim_end_matches(['Z', 'z']);
            local
                .iter()
                .find_map(|f| PrimitiveDateTime::parse(fixed, f).ok())
                .or_else(|| {
                    Some(
                        Date::parse(fixed, format_description!("[year]-[month]-[day]"))
                            .ok()?
                            .midnight(),
                    )
                })
                .map(PrimitiveDateTime::assume_utc)
        })?;
    parsed.format(&Rfc3339).ok().map(Cow::Owned)
}

/// A `YYYY-MM-DD` date, or the date part of a date-time; `None` when there is none.
pub(super) fn date(s: &str) -> Option<&str> {
    let s = s.trim();
    let day = s.get(..10)?;
    let rest = &s[10..];
    let fits = rest.is_empty() || rest.starts_with(['T', 't', ' ']);
    (fits && Date::parse(day, format_description!("[year]-[month]-[day]")).is_ok()).then_some(day)
}

/// The text of a value: strings as they are, numbers and booleans written out.
pub(super) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A text field of an object, empty when missing.
pub(super) fn text_field(obj: &Object, key: &str) -> String {
    obj.get(key).and_then(text_of).unwrap_or_default()
}

/// The identifier a URI ends with (`…/CFItems/<id>`, `urn:uuid:<id>`).
pub(super) fn identifier_from_uri(uri: &str) -> &str {
    let last = uri
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default();
    last.rsplit(':').next().unwrap_or_default()
}

/// A `LinkURI` object (title, identifier, uri) from an object or a bare uri string;
/// `None` when there is no identifier to be had.
pub(super) fn link_uri(v: &Value, notes: &mut Notes) -> Option<Value> {
    let (title, identifier, uri) = match v {
        Value::Object(o) => (
            text_field(o, "title"),
            text_field(o, "identifier").trim().to_string(),
            text_field(o, "uri").trim().to_string(),
        ),
        Value::String(s) => (String::new(), String::new(), s.trim().to_string()),
        _ => return None,
    };
    let identifier = if identifier.is_empty() {
        identifier_from_uri(&uri).to_string()
    } else {
        identifier
    };
    if identifier.is_empty() {
        return None;
    }
    let identifier = notes.identifier(&identifier);
    let uri = if uri.is_empty() {
        stable_uri("node", &identifier)
    } else {
        uri
    };
    Some(link_value(title, identifier, uri))
}

/// `{title, identifier, uri}` in the order CASE lists them.
pub(super) fn link_value(title: String, identifier: String, uri: String) -> Value {
    let mut m = Object::with_capacity(3);
    m.insert("title".into(), Value::String(title));
    m.insert("identifier".into(), Value::String(identifier));
    m.insert("uri".into(), Value::String(uri));
    Value::Object(m)
}

/// An integer from a number or a string holding one.
fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                .map(|f| f as i64)
        }),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The value fitted to `kind`, or `None` when it cannot be.
fn fit(kind: Kind, v: &Value, notes: &mut Notes) -> Option<Value> {
    match kind {
        Text | Uri => text_of(v).map(Value::String),
        Identifier => Some(Value::String(notes.identifier(&text_of(v)?))),
        DateTime => {
            let s = v.as_str()?;
            match date_time(s)? {
                Cow::Borrowed(b) => Some(Value::String(b.to_string())),
                Cow::Owned(o) => {
                    notes.repaired_times += 1;
                    Some(Value::String(o))
                }
            }
        }
        Date => Some(Value::String(date(v.as_str()?)?.to_string())),
        TextList => match v {
            Value::Array(a) => Some(Value::Array(
                a.iter().filter_map(text_of).map(Value::String).collect(),
            )),
            Value::String(s) => Some(Value::Array(vec![Value::String(s.clone())])),
            _ => None,
        },
        Link => link_uri(v, notes),
        LinkList => match v {
            Value::Array(a) => Some(Value::Array(
                a.iter().filter_map(|l| link_uri(l, notes)).collect(),
            )),
            Value::Object(_) => Some(Value::Array(vec![link_uri(v, notes)?])),
            _ => None,
        },
        Integer => integer(v).map(Value::from),
        Number => match v {
            Value::Number(_) => Some(v.clone()),
            Value::String(s) => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number),
            _ => None,
        },
        Extensions => v.is_object().then(|| v.clone()),
        AssociationType | Node => Some(v.clone()),
    }
}

/// The fields of `raw` the class allows in `version`, each fitted to its kind, in the
/// order `raw` has them. Dropped fields are counted in `notes` under `class`.
pub(super) fn keep_allowed(
    raw: &Object,
    table: &[Field],
    version: CaseVersion,
    class: &'static str,
    notes: &mut Notes,
) -> Object {
    let mut out = Object::with_capacity(raw.len());
    for (key, value) in raw {
        let field = table
            .iter()
            .find(|f| f.name == key)
            .filter(|f| version == CaseVersion::V1_1 || !f.since_1_1);
        let Some(field) = field else {
            notes.dropped_field(class, key);
            continue;
        };
        match fit(field.kind, value, notes) {
            Some(v) => {
                out.insert(key.clone(), v);
            }
            None if value.is_null() => {}
            None => notes.bad_value(class, key),
        }
    }
    out
}

/// Fills the required fields still missing: a stable `urn:` URI, the document's time,
/// empty text. Identifiers and association ends are the caller's to check.
pub(super) fn fill_required(
    obj: &mut Object,
    table: &[Field],
    uri_kind: &str,
    fallback_time: &str,
    notes: &mut Notes,
) {
    for f in table.iter().filter(|f| f.required) {
        if obj.contains_key(f.name) {
            continue;
        }
        let value = match f.kind {
            Uri => {
                let id = obj
                    .get("identifier")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                stable_uri(uri_kind, id)
            }
            DateTime => {
                notes.missing_times += 1;
                fallback_time.to_string()
            }
            Text => String::new(),
            _ => continue,
        };
        obj.insert(f.name.to_string(), Value::String(value));
    }
}

/// The CASE name an association type is written with in `version`, and whether it had
/// to change. Types the version does not know are written as `isRelatedTo` (see the
/// module docs of `export`); CASE 1.1 `ext:` types are kept in 1.1.
pub(super) fn association_type(s: &str, version: CaseVersion) -> (Cow<'_, str>, bool) {
    let s = s.trim();
    if let Ok(t) = s.parse::<AssociationType>() {
        let written = written_type(t, version);
        return (Cow::Borrowed(written.as_str()), written != t);
    }
    if version == CaseVersion::V1_1 && is_extension_type(s) {
        return (Cow::Borrowed(s), false);
    }
    (Cow::Borrowed(AssociationType::IsRelatedTo.as_str()), true)
}

/// The type a link of type `t` is written as: `isTranslationOf` only exists in CASE 1.1,
/// and CASE 1.0 gets the nearest claim it can make, `isRelatedTo`.
pub(super) fn written_type(t: AssociationType, version: CaseVersion) -> AssociationType {
    if version == CaseVersion::V1_0 && !t.in_case_1_0() {
        AssociationType::IsRelatedTo
    } else {
        t
    }
}

/// `ext:` and at least one of the characters CASE 1.1 allows after it.
pub(super) fn is_extension_type(s: &str) -> bool {
    s.strip_prefix("ext:").is_some_and(|rest| {
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"|.-_".contains(&b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn uuid_rules_per_version() {
        let v4 = "a33fc64e-5c40-41e7-82c4-3d54268aa9ee";
        assert!(uuid_ok(v4, CaseVersion::V1_0) && uuid_ok(v4, CaseVersion::V1_1));
        let odd = "d0000000-0000-0000-0000-000000000000";
        assert!(!uuid_ok(odd, CaseVersion::V1_0));
        assert!(uuid_ok(odd, CaseVersion::V1_1));
        let upper = "A33FC64E-5C40-41E7-82C4-3D54268AA9EE";
        assert!(!uuid_ok(upper, CaseVersion::V1_0) && uuid_ok(upper, CaseVersion::V1_1));
        assert!(!uuid_ok("not-a-uuid", CaseVersion::V1_1));
        assert!(
            !uuid_ok("a33fc64e-5c40-41e7-c2c4-3d54268aa9ee", CaseVersion::V1_0),
            "variant c"
        );
    }

    #[test]
    fn identifiers_are_made_uuids_the_same_way_every_time() {
        let v4 = "a33fc64e-5c40-41e7-82c4-3d54268aa9ee";
        assert!(matches!(case_identifier(v4), Cow::Borrowed(_)));
        assert_eq!(case_identifier(&v4.to_uppercase()), v4);
        for odd in [
            "d0000000-0000-0000-0000-000000000000",
            "Math.Fractions",
            "",
            "a33fc64e",
        ] {
            let id = case_identifier(odd);
            assert!(uuid_ok(&id, CaseVersion::V1_0), "{odd} -> {id}");
            assert_eq!(id, case_identifier(odd), "stable");
            assert_eq!(case_identifier(&id), id, "a made identifier stays as it is");
        }
        assert_ne!(case_identifier("Math"), case_identifier("math"));
    }

    #[test]
    fn date_times_get_a_time_zone() {
        let t = |s| date_time(s).map(|c| c.into_owned());
        assert_eq!(
            t("2017-10-18T15:02:46+00:00").as_deref(),
            Some("2017-10-18T15:02:46+00:00")
        );
        assert_eq!(
            t("2017-05-25T18:05:33").as_deref(),
            Some("2017-05-25T18:05:33Z")
        );
        assert_eq!(
            t("2017-05-25 18:05:33").as_deref(),
            Some("2017-05-25T18:05:33Z")
        );
        assert_eq!(
            t("2017-05-25T18:05:33.25").as_deref(),
            Some("2017-05-25T18:05:33.25Z")
        );
        assert_eq!(
            t("2017-05-25T18:05").as_deref(),
            Some("2017-05-25T18:05:00Z")
        );
        assert_eq!(t("2017-05-25").as_deref(), Some("2017-05-25T00:00:00Z"));
        assert_eq!(
            t("2017-05-25T18:05:33+0200").as_deref(),
            Some("2017-05-25T18:05:33+02:00")
        );
        assert_eq!(t("yesterday"), None);
        assert_eq!(t("2017-13-40"), None);
        assert!(matches!(
            date_time("2017-05-25T18:05:33Z"),
            Some(Cow::Borrowed(_))
        ));
    }

    #[test]
    fn dates_keep_the_day() {
        assert_eq!(date("2020-01-31"), Some("2020-01-31"));
        assert_eq!(date("2020-01-31T10:00:00Z"), Some("2020-01-31"));
        assert_eq!(date("2020-02-31"), None);
        assert_eq!(date("2020-01-31x"), None);
        assert_eq!(date("31/01/2020"), None);
    }

    #[test]
    fn link_uris_are_completed() {
        let mut notes = Notes::new(CaseVersion::V1_0);
        let v = CaseVersion::V1_0;
        let id = "5b5f9983-eabb-4661-aca4-9e0c81046772";
        assert_eq!(
            link_uri(&json!(format!("http://x/uri/{id}")), &mut notes),
            Some(json!({"title": "", "identifier": id, "uri": format!("http://x/uri/{id}")}))
        );
        assert_eq!(
            link_uri(&json!({"identifier": id, "title": 3}), &mut notes),
            Some(json!({"title": "3", "identifier": id, "uri": format!("urn:uuid:{id}")}))
        );
        assert_eq!(link_uri(&json!({"title": "t"}), &mut notes), None);
        assert_eq!(link_uri(&json!(7), &mut notes), None);
        assert!(notes.into_warnings(v).is_empty());
    }

    #[test]
    fn fields_are_kept_fitted_or_dropped() {
        let raw = json!({
            "identifier": "d0000000-0000-0000-0000-000000000000", "CFPackageURI": {"uri": "x"},
            "title": "T", "subject": "Math", "description": null, "notes": ["x"], "caseVersion": "1.1",
            "statusStartDate": "2020-01-01T00:00:00", "lastChangeDateTime": "2020-01-01T00:00:00",
        });
        let mut notes = Notes::new(CaseVersion::V1_0);
        let out = keep_allowed(
            raw.as_object().unwrap(),
            DOCUMENT,
            CaseVersion::V1_0,
            "CFDocument",
            &mut notes,
        );
        let mapped = case_identifier("d0000000-0000-0000-0000-000000000000").into_owned();
        assert_eq!(
            Value::Object(out),
            json!({
                "identifier": mapped, "title": "T", "subject": ["Math"],
                "statusStartDate": "2020-01-01", "lastChangeDateTime": "2020-01-01T00:00:00Z",
            })
        );
        let warnings = notes.into_warnings(CaseVersion::V1_0);
        assert_eq!(warnings.len(), 4, "{warnings:#?}");
        assert_eq!(
            warnings[0],
            format!(
                "1 identifier(s) are not the lower-case RFC 4122 UUIDs CASE requires; written as \
                 UUIDs made from them (the same on every export): \
                 `d0000000-0000-0000-0000-000000000000` as `{mapped}`"
            )
        );
        assert_eq!(
            warnings[1],
            "left out fields CASE 1.0 does not allow: CFDocument.CFPackageURI (1), CFDocument.caseVersion (1)"
        );
        assert_eq!(
            warnings[2],
            "left out values of a type CASE 1.0 does not allow there: CFDocument.notes (1)"
        );
        assert_eq!(
            warnings[3],
            "1 date-time(s) had no time zone; written as UTC"
        );
    }

    #[test]
    fn association_types_per_version() {
        let t = |s, v| {
            let (name, changed) = association_type(s, v);
            (name.into_owned(), changed)
        };
        assert_eq!(
            t("IsChildOf", CaseVersion::V1_0),
            ("isChildOf".into(), false)
        );
        assert_eq!(
            t("isTranslationOf", CaseVersion::V1_0),
            ("isRelatedTo".into(), true)
        );
        assert_eq!(
            t("isTranslationOf", CaseVersion::V1_1),
            ("isTranslationOf".into(), false)
        );
        assert_eq!(
            t("ext:hasCourse", CaseVersion::V1_1),
            ("ext:hasCourse".into(), false)
        );
        assert_eq!(
            t("ext:hasCourse", CaseVersion::V1_0),
            ("isRelatedTo".into(), true)
        );
        assert_eq!(t("sameAs", CaseVersion::V1_1), ("isRelatedTo".into(), true));
        assert!(!is_extension_type("ext:") && !is_extension_type("ext:a b"));
    }

    #[test]
    fn uri_identifiers() {
        assert_eq!(identifier_from_uri("http://x/CFItems/abc"), "abc");
        assert_eq!(identifier_from_uri("http://x/CFItems/abc/"), "abc");
        assert_eq!(identifier_from_uri("urn:uuid:abc"), "abc");
        assert_eq!(identifier_from_uri(""), "");
    }
}
