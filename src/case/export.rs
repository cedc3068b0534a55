//! Writing CASE: the crosswalk's links as a CASE package, and a framework back as a
//! CASE package. (The links as CSV are in `report::links_csv`.)
//!
//! What every export here holds to:
//!
//! - **Strictly valid CASE** for the version asked for, checked against the CASE 1.0
//!   package schema and the official CASE 1.1 `CFPackage` JSON Schema (tests/export.rs).
//!   Fields the schema does not allow are left out, date-times get a time zone, and
//!   required fields are filled; [`export_framework_with_warnings`] says what was bent.
//! - **Deterministic**: the same input gives the same bytes; nothing reads the clock, and
//!   every identifier crosswalk makes is a UUID v5 of what it names.
//! - **CASE 1.0 vs 1.1.** A 1.0 package association allows nothing beyond its eight
//!   fields, so a link's rationale note is not written in 1.0; 1.1 writes it as `notes`,
//!   and the strength also as `extensions.alignmentStrength`. In both, the strength
//!   travels as the association grouping ("… — major alignment" / "… — minor alignment"),
//!   which the importer reads back. `isTranslationOf` exists only in 1.1: a 1.0 export
//!   writes such a link as `isRelatedTo`, the nearest claim 1.0 can make (true of a
//!   translation, and it keeps the link in the file rather than losing it); the CLI can
//!   say so from [`export_links_case_with_warnings`]. Re-importing that 1.0 file into
//!   the workshop it came from keeps the `isTranslationOf`; elsewhere it gives an
//!   `isRelatedTo` link.
//! - **Status.** An association states a relationship as fact, so links the room has not
//!   agreed are written only when asked, and then say so: a grouping per status and
//!   strength, `extensions.crosswalkStatus` in 1.1, and in 1.0 only with the caller's
//!   explicit consent ([`export_session_links_case`]); [`written_status`] reads it back.
//! - **Identifiers.** Both schemas want a UUID wherever a record names itself (document,
//!   item, association, definition, `LinkURI`). CASE 1.1 takes any 8-4-4-4-12
//!   hexadecimal form; CASE 1.0's pattern is stricter (lower-case, RFC 4122 version 1-5,
//!   variant 8-b), and real frameworks carry `d0000000-0000-0000-0000-000000000000` or,
//!   from spreadsheets, `Math.Fractions`. A file a strict consumer refuses is of no use,
//!   so an identifier is written as [`case_identifier_for`] makes it for the version: as
//!   it is wherever the version allows, else lower-cased when only the case is wrong,
//!   else a UUID v5 of the identifier (the same in both versions). That is a pure
//!   function, so an item gets the same identifier in every export and wherever it is
//!   named: its record, the `isChildOf` ends, `CFItemTypeURI`s, and the ends of the
//!   crosswalk's links, so the framework export and the crosswalk export agree. The
//!   warnings list the mappings; items keep their `uri`. The importer applies the
//!   mapping backwards (`store::import`), so an export re-imports onto the same
//!   framework, items and links.
mod framework;
mod schema;
mod source;

pub use framework::{
    document_meaning, export_framework, export_framework_with_warnings, item_meaning,
    write_framework,
};
pub use schema::{case_identifier, case_identifier_for};
pub use source::{AssociationRows, FrameworkSource, ItemRows};

use super::NodeRef;
use super::input::stable_uri;
use crate::model::{Link, LinkEnd, LinkStatus, SessionLink, Strength};
use schema::{Notes, Object, link_value, written_type};
use serde_json::Value;
use std::collections::HashMap;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

/// Which CASE version an export follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseVersion {
    #[default]
    V1_0,
    V1_1,
}

impl CaseVersion {
    /// `1.0` or `1.1`.
    pub fn label(self) -> &'static str {
        match self {
            CaseVersion::V1_0 => "1.0",
            CaseVersion::V1_1 => "1.1",
        }
    }
}

/// What the exported crosswalk `CFDocument` says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct CrosswalkInfo {
    /// The workshop's crosswalk identifier (a UUID, the same on every export).
    pub identifier: String,
    pub title: String,
    pub creator: String,
    /// The frameworks the links join.
    pub frameworks: Vec<NodeRef>,
    pub last_change: OffsetDateTime,
}

/// A CASE package holding one `CFAssociation` per link, every link taken as agreed.
pub fn export_links_case(info: &CrosswalkInfo, links: &[Link], version: CaseVersion) -> Value {
    export_links_case_with_warnings(info, links, version).0
}

/// [`export_links_case`], with what the person should know about the file: links
/// written as another type than they have, link identifiers written as UUIDs made from
/// them because CASE refuses them as they are.
pub fn export_links_case_with_warnings(
    info: &CrosswalkInfo,
    links: &[Link],
    version: CaseVersion,
) -> (Value, Vec<String>) {
    export_links_case_titled(info, links, version, &HashMap::new())
}

/// [`export_links_case_with_warnings`], titling each end whose item has an
/// `abbreviatedStatement` (by item identifier in `abbreviated`) with it.
pub fn export_links_case_titled(
    info: &CrosswalkInfo,
    links: &[Link],
    version: CaseVersion,
    abbreviated: &HashMap<String, String>,
) -> (Value, Vec<String>) {
    let agreed: Vec<(&Link, LinkStatus)> = links.iter().map(|l| (l, LinkStatus::Agreed)).collect();
    write_links(info, &agreed, version, abbreviated)
}

/// Links of any status as a CASE package. A CASE association states a relationship as
/// fact, so a link the room has not agreed must say so:
///
/// - every association sits in a grouping per status and strength ("… — disputed,
///   major alignment"; agreed links keep the plain "… — major alignment" groupings);
/// - CASE 1.1 also writes the status as `extensions.crosswalkStatus` on each
///   association and grouping;
/// - CASE 1.0 has no place a consumer reads for it, so a 1.0 export holding links that
///   are not agreed is refused unless `plain_associations` says the person knows they
///   will read as plain associations.
///
/// crosswalk's own import reads the status back ([`written_status`]) and never brings
/// in as a link one that was not agreed.
pub fn export_session_links_case(
    info: &CrosswalkInfo,
    links: &[SessionLink],
    version: CaseVersion,
    plain_associations: bool,
    abbreviated: &HashMap<String, String>,
) -> Result<(Value, Vec<String>), String> {
    let open: Vec<&SessionLink> = links
        .iter()
        .filter(|l| l.status != LinkStatus::Agreed)
        .collect();
    if version == CaseVersion::V1_0 && !open.is_empty() && !plain_associations {
        let counts: Vec<String> = LinkStatus::ALL
            .iter()
            .filter(|s| **s != LinkStatus::Agreed)
            .filter_map(|s| {
                let n = open.iter().filter(|l| l.status == *s).count();
                (n > 0).then(|| format!("{n} {s}"))
            })
            .collect();
        return Err(format!(
            "{} of the {} links to export are not agreed ({}); CASE 1.0 has no place for a \
             link's status, so every consumer would read them as plain, agreed associations. \
             Export --case-version 1.1 (which carries the status), export only agreed links, \
             or pass --plain-associations to write them as plain associations anyway",
            open.len(),
            links.len(),
            counts.join(", ")
        ));
    }
    let pairs: Vec<(&Link, LinkStatus)> = links.iter().map(|l| (&l.link, l.status)).collect();
    Ok(write_links(info, &pairs, version, abbreviated))
}

/// The extension key that carries a link's status in CASE 1.1.
const STATUS_EXTENSION: &str = "crosswalkStatus";

/// The status an exported association says its link had, when it says one: its
/// `extensions.crosswalkStatus` (CASE 1.1), or else its grouping's title ("… —
/// disputed, major alignment"). `None` for any other association.
pub fn written_status(a: &super::Association) -> Option<LinkStatus> {
    let raw: Option<Value> = serde_json::from_str(&a.raw).ok();
    let from_extension = raw.as_ref().and_then(|v| {
        v.get("extensions")?
            .get(STATUS_EXTENSION)?
            .as_str()?
            .parse()
            .ok()
    });
    from_extension.or_else(|| {
        let title = a.grouping.as_ref()?.title.as_str();
        LinkStatus::ALL
            .iter()
            .copied()
            .filter(|s| *s != LinkStatus::Agreed)
            .find(|s| title.contains(&format!(" — {s}, ")))
    })
}

fn write_links(
    info: &CrosswalkInfo,
    links: &[(&Link, LinkStatus)],
    version: CaseVersion,
    abbreviated: &HashMap<String, String>,
) -> (Value, Vec<String>) {
    let mut notes = Notes::new(version);
    let changed = format_time(info.last_change);
    let document_identifier = notes.identifier(&info.identifier);

    // The two groupings of agreed links always; one per other status and strength in use.
    let mut kinds: Vec<(LinkStatus, Strength)> = vec![
        (LinkStatus::Agreed, Strength::Major),
        (LinkStatus::Agreed, Strength::Minor),
    ];
    for status in LinkStatus::ALL.iter().copied() {
        for strength in [Strength::Major, Strength::Minor] {
            let used = links
                .iter()
                .any(|(l, s)| *s == status && l.strength == strength);
            if used && !kinds.contains(&(status, strength)) {
                kinds.push((status, strength));
            }
        }
    }
    let groupings: Vec<Object> = kinds
        .iter()
        .map(|&(status, strength)| grouping(info, status, strength, &changed, version))
        .collect();
    // Each association points at its grouping with the same LinkURI; made once.
    let grouping_refs: Vec<Value> = groupings
        .iter()
        .map(|g| {
            let text = |k: &str| {
                g.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            link_value(text("title"), text("identifier"), text("uri"))
        })
        .collect();

    let fields = if version == CaseVersion::V1_1 { 10 } else { 8 };
    let mut associations = Vec::with_capacity(links.len());
    for &(link, status) in links {
        let identifier = notes.identifier(&link.identifier);
        let written = written_type(link.association_type, version);
        if written != link.association_type {
            notes.retyped(link.association_type.as_str(), written.as_str());
        }
        let mut a = Object::with_capacity(fields);
        let uri = urn(&identifier, "association");
        a.insert("identifier".into(), Value::String(identifier));
        a.insert("uri".into(), Value::String(uri));
        a.insert(
            "associationType".into(),
            Value::String(written.as_str().into()),
        );
        for (key, end) in [
            ("originNodeURI", &link.origin),
            ("destinationNodeURI", &link.destination),
        ] {
            let short = abbreviated.get(&end.item_identifier).map(String::as_str);
            a.insert(key.into(), end_ref(end, version, short));
        }
        let slot = kinds
            .iter()
            .position(|k| *k == (status, link.strength))
            .unwrap_or(0);
        a.insert(
            "CFAssociationGroupingURI".into(),
            grouping_refs[slot].clone(),
        );
        a.insert(
            "lastChangeDateTime".into(),
            Value::String(format_time(link.changed)),
        );
        if version == CaseVersion::V1_1 {
            if !link.note.is_empty() {
                a.insert("notes".into(), Value::String(link.note.clone()));
            }
            let mut ext = Object::with_capacity(2);
            ext.insert(
                "alignmentStrength".into(),
                Value::String(link.strength.as_str().into()),
            );
            ext.insert(
                STATUS_EXTENSION.into(),
                Value::String(status.as_str().into()),
            );
            a.insert("extensions".into(), Value::Object(ext));
        }
        associations.push(Value::Object(a));
    }

    let mut doc = Object::new();
    let document_uri = urn(&document_identifier, "crosswalk");
    doc.insert("identifier".into(), Value::String(document_identifier));
    doc.insert("uri".into(), Value::String(document_uri));
    if version == CaseVersion::V1_1 {
        doc.insert("caseVersion".into(), Value::String("1.1".into()));
    }
    doc.insert("creator".into(), Value::String(info.creator.clone()));
    doc.insert("title".into(), Value::String(info.title.clone()));
    doc.insert("lastChangeDateTime".into(), Value::String(changed));
    let all_agreed = links.iter().all(|(_, s)| *s == LinkStatus::Agreed);
    doc.insert(
        "description".into(),
        Value::String(describe_crosswalk(info, links, all_agreed)),
    );
    doc.insert("language".into(), Value::String("en".into()));
    doc.insert("adoptionStatus".into(), Value::String("Draft".into()));

    let mut definitions = Object::new();
    definitions.insert(
        "CFAssociationGroupings".into(),
        Value::Array(groupings.into_iter().map(Value::Object).collect()),
    );

    let mut package = Object::new();
    package.insert("CFDocument".into(), Value::Object(doc));
    package.insert("CFItems".into(), Value::Array(Vec::new()));
    package.insert("CFAssociations".into(), Value::Array(associations));
    package.insert("CFDefinitions".into(), Value::Object(definitions));
    (Value::Object(package), notes.into_warnings(version))
}

/// The association grouping of one status and strength: its identifier a UUID v5 of the
/// crosswalk's, so it stays the same on every export (agreed groupings keep the
/// identifiers they had before statuses were written).
fn grouping(
    info: &CrosswalkInfo,
    status: LinkStatus,
    strength: Strength,
    changed: &str,
    version: CaseVersion,
) -> Object {
    let identifier = if status == LinkStatus::Agreed {
        derived_uuid(&["crosswalk", &info.identifier, "grouping", strength.as_str()])
    } else {
        derived_uuid(&[
            "crosswalk",
            &info.identifier,
            "grouping",
            strength.as_str(),
            status.as_str(),
        ])
    };
    let mut g = Object::new();
    g.insert("identifier".into(), Value::String(identifier.clone()));
    g.insert(
        "uri".into(),
        Value::String(stable_uri("association-grouping", &identifier)),
    );
    let title = if status == LinkStatus::Agreed {
        format!("{} — {} alignment", info.title, strength.as_str())
    } else {
        format!("{} — {status}, {} alignment", info.title, strength.as_str())
    };
    g.insert("title".into(), Value::String(title));
    let meaning = match strength {
        Strength::Major => "the origin prepares for the destination in full or in large part",
        Strength::Minor => "the origin prepares for the destination in a small part",
    };
    let standing = match status {
        LinkStatus::Agreed => String::new(),
        s => format!(
            " NOT AGREED: the workshop left these links {s}; they are not part of the agreed crosswalk."
        ),
    };
    g.insert(
        "description".into(),
        Value::String(format!(
            "Links of {} alignment: {meaning}.{standing}",
            strength.as_str()
        )),
    );
    g.insert(
        "lastChangeDateTime".into(),
        Value::String(changed.to_string()),
    );
    if version == CaseVersion::V1_1 {
        let mut ext = Object::new();
        ext.insert(
            "alignmentStrength".into(),
            Value::String(strength.as_str().into()),
        );
        ext.insert(
            STATUS_EXTENSION.into(),
            Value::String(status.as_str().into()),
        );
        g.insert("extensions".into(), Value::Object(ext));
    }
    g
}

/// The document's description: which frameworks the links join.
fn describe_crosswalk(
    info: &CrosswalkInfo,
    links: &[(&Link, LinkStatus)],
    all_agreed: bool,
) -> String {
    let mut names: Vec<String> = info
        .frameworks
        .iter()
        .map(|f| format!("\u{201c}{}\u{201d} ({})", f.title, f.identifier))
        .collect();
    if names.is_empty() {
        // No framework named: those the links join, by identifier, in order of first use.
        let mut seen: Vec<&str> = Vec::new();
        for (l, _) in links {
            for f in [
                &l.origin.framework_identifier,
                &l.destination.framework_identifier,
            ] {
                if !f.is_empty() && !seen.contains(&f.as_str()) {
                    seen.push(f);
                }
            }
        }
        names = seen.iter().map(|f| format!("framework {f}")).collect();
    }
    let joined = match names.as_slice() {
        [] => "frameworks of a crosswalk workshop".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let status = if all_agreed {
        "Every link here was agreed in the workshop."
    } else {
        "Not every link here was agreed: a grouping's title (and, in CASE 1.1, \
         extensions.crosswalkStatus) says which are proposed, disputed or rejected."
    };
    format!(
        "Alignment links between {joined}. Each association's CFAssociationGroupingURI \
         gives its strength (major or minor alignment). {status}"
    )
}

/// `urn:uuid:<id>` for a lower-case UUID (the common case, made with one allocation),
/// otherwise the importer's stable URI for `kind`.
fn urn(id: &str, kind: &str) -> String {
    if schema::uuid_ok(id, CaseVersion::V1_1) && !id.bytes().any(|b| b.is_ascii_uppercase()) {
        let mut uri = String::with_capacity(9 + id.len());
        uri.push_str("urn:uuid:");
        uri.push_str(id);
        uri
    } else {
        stable_uri(kind, id)
    }
}

/// How long a statement may run in an association end's title.
const END_TITLE_CHARS: usize = 80;

/// An end of a link as a LinkURI of the real item, named with the identifier the
/// framework's own export gives it in `version` (so the two files agree; the importer
/// maps it back), titled by its `abbreviatedStatement` when it has one, else by its code
/// and the start of its statement.
fn end_ref(end: &LinkEnd, version: CaseVersion, abbreviated: Option<&str>) -> Value {
    let statement = crate::case::hierarchy::shorten(&end.statement, END_TITLE_CHARS);
    let title = match (end.code.is_empty(), statement.is_empty()) {
        _ if abbreviated.is_some_and(|a| !a.trim().is_empty()) => {
            abbreviated.unwrap_or_default().to_string()
        }
        (false, false) => format!("{} {statement}", end.code),
        (false, true) => end.code.clone(),
        (true, false) => statement,
        (true, true) => end.item_identifier.clone(),
    };
    let identifier = schema::case_identifier_for(&end.item_identifier, version).into_owned();
    let uri = if end.item_uri.is_empty() {
        urn(&identifier, "item")
    } else {
        end.item_uri.clone()
    };
    link_value(title, identifier, uri)
}

/// The identifier of the crosswalk between these frameworks: a UUID v5 of their
/// identifiers (in any order), so the same crosswalk has the same identity in every
/// workshop and on every export.
pub fn crosswalk_identifier(frameworks: &[&str]) -> String {
    let mut ids: Vec<&str> = frameworks.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut parts = vec!["crosswalk"];
    parts.extend(ids);
    derived_uuid(&parts)
}

/// RFC 3339 in UTC to the second, `Z` for the zone.
fn format_time(t: OffsetDateTime) -> String {
    let mut out = Vec::with_capacity(20);
    write_time(&mut out, t);
    String::from_utf8(out).unwrap_or_default()
}

fn write_time(out: &mut Vec<u8>, t: OffsetDateTime) {
    let t = t.to_offset(time::UtcOffset::UTC);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    if t.format_into(out, &Rfc3339).is_err() {
        // Years outside 0000-9999 cannot be written in RFC 3339.
        out.clear();
        out.extend_from_slice(b"1970-01-01T00:00:00Z");
    }
}

/// A UUID v5 of `parts`, in a namespace of crosswalk's own, as lower-case text.
fn derived_uuid(parts: &[&str]) -> String {
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:crosswalk");
    Uuid::new_v5(&namespace, parts.join("\n").as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AssociationType;
    use serde_json::json;
    use time::macros::datetime;

    fn link(n: usize, kind: AssociationType, strength: Strength, note: &str) -> Link {
        let end = |side: &str| LinkEnd {
            item_identifier: derived_uuid(&[side, &n.to_string()]),
            item_uri: String::new(),
            code: format!("{side}.{n}"),
            statement: format!("{side} statement {n}"),
            framework_identifier: format!("{side}-framework"),
        };
        Link {
            identifier: derived_uuid(&["link", &n.to_string()]),
            origin: end("EDU"),
            destination: end("EMP"),
            association_type: kind,
            note: note.into(),
            strength,
            created: datetime!(2024-03-01 09:30:00.5 +02:00),
            changed: datetime!(2024-03-02 10:00:00 UTC),
        }
    }

    fn info() -> CrosswalkInfo {
        CrosswalkInfo {
            identifier: "0f7c6a57-3c5b-4f0e-9d0e-6f4c7d3b2a10".into(),
            title: "Nursing crosswalk".into(),
            creator: "Workshop".into(),
            frameworks: Vec::new(),
            last_change: datetime!(2024-03-02 10:00:00 UTC),
        }
    }

    #[test]
    fn times_are_utc_seconds_with_z() {
        assert_eq!(
            format_time(datetime!(2024-03-01 09:30:00.5 +02:00)),
            "2024-03-01T07:30:00Z"
        );
        assert_eq!(
            format_time(OffsetDateTime::new_utc(
                time::Date::MIN,
                time::Time::MIDNIGHT
            )),
            "1970-01-01T00:00:00Z"
        );
    }

    #[test]
    fn urns_match_the_importers_stable_uris() {
        let id = "6b0c7e0e-8f52-4a4c-9d55-0e9e0d3c1a01";
        assert_eq!(urn(id, "item"), format!("urn:uuid:{id}"));
        assert_eq!(urn(&id.to_uppercase(), "item"), format!("urn:uuid:{id}"));
        assert_eq!(urn("CHW 1", "item"), "urn:crosswalk:item:CHW%201");
    }

    #[test]
    fn derived_identifiers_are_stable_v5() {
        let a = derived_uuid(&["x", "y"]);
        assert_eq!(a, derived_uuid(&["x", "y"]));
        assert_ne!(a, derived_uuid(&["xy"]));
        assert_eq!(Uuid::parse_str(&a).unwrap().get_version_num(), 5);
    }

    #[test]
    fn an_association_per_link_with_its_grouping() {
        let links = [
            link(1, AssociationType::ExactMatchOf, Strength::Major, "why"),
            link(2, AssociationType::IsTranslationOf, Strength::Minor, ""),
        ];
        let (v, warnings) = export_links_case_with_warnings(&info(), &links, CaseVersion::V1_0);
        assert_eq!(
            warnings,
            [
                "1 association(s) written as isTranslationOf -> isRelatedTo: CASE 1.0 has no such type"
            ]
        );
        let groupings = &v["CFDefinitions"]["CFAssociationGroupings"];
        assert_eq!(groupings[0]["title"], "Nursing crosswalk — major alignment");
        assert_eq!(groupings[1]["title"], "Nursing crosswalk — minor alignment");
        let a = &v["CFAssociations"][1];
        assert_eq!(a["associationType"], "isRelatedTo");
        assert_eq!(
            a["CFAssociationGroupingURI"]["identifier"],
            groupings[1]["identifier"]
        );
        assert_eq!(
            a["CFAssociationGroupingURI"]["title"],
            groupings[1]["title"]
        );
        assert_eq!(a["uri"], format!("urn:uuid:{}", links[1].identifier));
        assert_eq!(
            a["originNodeURI"],
            json!({"title": "EDU.2 EDU statement 2", "identifier": links[1].origin.item_identifier,
                   "uri": format!("urn:uuid:{}", links[1].origin.item_identifier)})
        );
        assert_eq!(a["lastChangeDateTime"], "2024-03-02T10:00:00Z");
        assert!(
            v["CFAssociations"][0].get("notes").is_none(),
            "CASE 1.0 has no notes on associations"
        );
        assert!(v["CFDocument"].get("caseVersion").is_none());
        let desc = v["CFDocument"]["description"].as_str().unwrap();
        assert!(
            desc.contains("framework EDU-framework and framework EMP-framework"),
            "{desc}"
        );

        let v = export_links_case(&info(), &links, CaseVersion::V1_1);
        assert_eq!(v["CFDocument"]["caseVersion"], "1.1");
        assert_eq!(v["CFAssociations"][0]["notes"], "why");
        assert_eq!(v["CFAssociations"][1]["associationType"], "isTranslationOf");
        assert_eq!(
            v["CFAssociations"][1]["extensions"],
            json!({"alignmentStrength": "minor", "crosswalkStatus": "agreed"})
        );
        assert!(
            v["CFAssociations"][1].get("notes").is_none(),
            "an empty note is not written"
        );
    }

    #[test]
    fn end_titles_are_code_and_a_shortened_statement() {
        let mut l = link(1, AssociationType::ExactMatchOf, Strength::Major, "");
        l.origin.statement = "word ".repeat(400);
        l.destination.code.clear();
        let v = export_links_case(&info(), &[l], CaseVersion::V1_1);
        let title = v["CFAssociations"][0]["originNodeURI"]["title"]
            .as_str()
            .unwrap();
        assert!(title.starts_with("EDU.1 word word"), "{title}");
        assert!(
            title.ends_with('\u{2026}') && title.chars().count() <= 86,
            "{title}"
        );
        assert_eq!(
            v["CFAssociations"][0]["destinationNodeURI"]["title"],
            "EMP statement 1"
        );
    }

    #[test]
    fn an_abbreviated_statement_titles_its_end() {
        let l = link(1, AssociationType::ExactMatchOf, Strength::Major, "");
        let short = HashMap::from([(l.origin.item_identifier.clone(), "Short name".to_string())]);
        let (v, _) = export_links_case_titled(&info(), &[l], CaseVersion::V1_0, &short);
        assert_eq!(
            v["CFAssociations"][0]["originNodeURI"]["title"],
            "Short name"
        );
        assert_eq!(
            v["CFAssociations"][0]["destinationNodeURI"]["title"],
            "EMP.1 EMP statement 1"
        );
    }

    #[test]
    fn crosswalk_identity_comes_from_its_frameworks() {
        let a = crosswalk_identifier(&["edu", "emp"]);
        assert_eq!(a, crosswalk_identifier(&["emp", "edu"]));
        assert_ne!(a, crosswalk_identifier(&["edu", "other"]));
        assert_eq!(Uuid::parse_str(&a).unwrap().get_version_num(), 5);
    }

    #[test]
    fn description_names_the_frameworks() {
        let mut i = info();
        let fw = |t: &str, id: &str| NodeRef {
            identifier: id.into(),
            uri: String::new(),
            title: t.into(),
        };
        i.frameworks = vec![
            fw("Nursing ADN", "a"),
            fw("RN role", "b"),
            fw("LPN role", "c"),
        ];
        let d = describe_crosswalk(&i, &[], true);
        assert!(
            d.starts_with(
                "Alignment links between “Nursing ADN” (a), “RN role” (b) and “LPN role” (c)."
            ),
            "{d}"
        );
        i.frameworks.clear();
        assert!(
            describe_crosswalk(&i, &[], true)
                .starts_with("Alignment links between frameworks of a crosswalk workshop.")
        );
    }
}
