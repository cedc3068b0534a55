//! The links as an SSSOM/TSV mapping set (Simple Standard for Sharing Ontological
//! Mappings): a `#`-prefixed YAML metadata block, then one tab-separated row per link,
//! origin as subject and destination as object.
//!
//! SSSOM wants every identifier as a CURIE. An item's CURIE uses a prefix per framework
//! that expands to its item URIs without the identifier (CASE URIs usually end in it);
//! where they do not, the prefix expands to `urn:case:<framework identifier>:`.
//! Frameworks whose URIs share one base (one publishing server) share the prefix `case`.
//! Participants become `participant:<name>` (names have no public identifiers), with
//! their names as labels. A rejected link is written with `predicate_modifier: Not`.
//! An item the room marked as having no equivalent on the other side is a row with
//! `sssom:NoTermFound` as its object, SSSOM's way to say a match was looked for and
//! there is none.
use super::NoEquivalent;
use crate::model::{AssociationType, Basis, LinkEnd, LinkStatus, SessionLink};
use std::collections::BTreeMap;
use std::io::Write;

/// What the mapping set says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct SssomInfo {
    /// The workshop's crosswalk identifier (a UUID).
    pub identifier: String,
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Framework identifier -> title, for naming prefixes.
    pub frameworks: Vec<(String, String)>,
}

/// The SKOS mapping predicate nearest to a CASE association type, read origin to destination.
pub fn predicate(t: AssociationType) -> &'static str {
    match t {
        AssociationType::ExactMatchOf | AssociationType::IsTranslationOf => "skos:exactMatch",
        // The origin is part of (or sits under) the destination: the object is broader.
        AssociationType::IsPartOf | AssociationType::IsChildOf => "skos:broadMatch",
        _ => "skos:relatedMatch",
    }
}

fn justification(basis: Basis) -> &'static str {
    match basis {
        Basis::Discussion => "semapv:ManualMappingCuration",
        Basis::Suggestion => "semapv:LexicalMatching",
        Basis::Imported => "semapv:UnspecifiedMatching",
    }
}

/// TSV has no quoting in SSSOM: tabs and line breaks become spaces.
fn tsv(s: &str) -> String {
    s.split(['\t', '\n', '\r']).collect::<Vec<_>>().join(" ")
}

/// A CURIE's local part: letters, digits, `_`, `-`, `.`; anything else becomes `_`.
fn local(s: &str) -> String {
    s.trim()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || "_-.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// "CODE statement": the identifier in the CURIE means nothing to a reader.
fn item_label(end: &LinkEnd) -> String {
    format!("{} {}", end.code, end.statement).trim().to_string()
}

/// YAML double-quoted scalar (JSON string syntax is valid there).
fn yaml(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// Prefix names and expansions for the frameworks the links touch.
struct Prefixes {
    /// Framework identifier -> prefix.
    by_framework: BTreeMap<String, String>,
    /// Prefix -> expansion.
    map: BTreeMap<String, String>,
}

impl Prefixes {
    fn new(links: &[SessionLink], none: &[NoEquivalent], info: &SssomInfo) -> Prefixes {
        let mut bases: BTreeMap<String, Option<String>> = BTreeMap::new();
        for end in links
            .iter()
            .flat_map(|l| [&l.link.origin, &l.link.destination])
            .chain(none.iter().map(|n| &n.item))
        {
            let base = end
                .item_uri
                .strip_suffix(&end.item_identifier)
                .filter(|b| !b.is_empty())
                .map(str::to_string);
            let entry = bases
                .entry(end.framework_identifier.clone())
                .or_insert_with(|| base.clone());
            if *entry != base {
                *entry = None;
            }
        }
        let mut p = Prefixes {
            by_framework: BTreeMap::new(),
            map: BTreeMap::new(),
        };
        let based: Vec<(String, String)> = bases
            .into_iter()
            .map(|(fw, base)| {
                let base = base.unwrap_or_else(|| format!("urn:case:{}:", local(&fw)));
                (fw, base)
            })
            .collect();
        for (fw, base) in &based {
            if let Some((name, _)) = p.map.iter().find(|(_, b)| *b == base) {
                p.by_framework.insert(fw.clone(), name.clone());
                continue;
            }
            // Frameworks published from one server share a base: the prefix then names
            // the server's CASE URIs, not any one framework.
            let shared = based.iter().filter(|(_, b)| b == base).count() > 1;
            let title = info
                .frameworks
                .iter()
                .find(|(id, _)| id == fw)
                .map_or("", |(_, t)| t.as_str());
            let initials: String = title
                .split_whitespace()
                .filter_map(|w| w.chars().find(|c| c.is_alphanumeric()))
                .collect();
            let stem = match initials.to_uppercase() {
                _ if shared => "case".to_string(),
                s if s.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                    s.chars().take(8).collect()
                }
                _ => "FW".to_string(),
            };
            let name = (1..)
                .map(|n| {
                    if n == 1 {
                        stem.clone()
                    } else {
                        format!("{stem}{n}")
                    }
                })
                .find(|n| !p.map.contains_key(n));
            let name = name.unwrap_or(stem);
            p.map.insert(name.clone(), base.clone());
            p.by_framework.insert(fw.clone(), name);
        }
        p
    }

    fn curie(&self, end: &LinkEnd) -> String {
        let prefix = self
            .by_framework
            .get(&end.framework_identifier)
            .map_or("FW", String::as_str);
        format!("{prefix}:{}", local(&end.item_identifier))
    }
}

pub fn write_sssom(
    links: &[SessionLink],
    no_equivalent: &[NoEquivalent],
    info: &SssomInfo,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let prefixes = Prefixes::new(links, no_equivalent, info);
    writeln!(out, "# curie_map:")?;
    let mut map = prefixes.map.clone();
    map.insert(
        "participant".into(),
        format!("urn:crosswalk:{}:participant:", local(&info.identifier)),
    );
    map.insert("semapv".into(), "https://w3id.org/semapv/vocab/".into());
    map.insert("skos".into(), "http://www.w3.org/2004/02/skos/core#".into());
    if !no_equivalent.is_empty() {
        map.insert("sssom".into(), "https://w3id.org/sssom/".into());
    }
    for (prefix, base) in &map {
        writeln!(out, "#   {prefix}: {}", yaml(base))?;
    }
    writeln!(
        out,
        "# mapping_set_id: {}",
        yaml(&format!("urn:uuid:{}", info.identifier))
    )?;
    writeln!(out, "# mapping_set_title: {}", yaml(&info.title))?;
    writeln!(
        out,
        "# license: \"https://w3id.org/sssom/license/unspecified\""
    )?;
    writeln!(out, "# mapping_date: {}", yaml(&info.date))?;
    writeln!(
        out,
        "# mapping_tool: {}",
        yaml(&format!("crosswalk {}", env!("CARGO_PKG_VERSION")))
    )?;
    let columns = [
        "subject_id",
        "subject_label",
        "predicate_id",
        "predicate_modifier",
        "object_id",
        "object_label",
        "mapping_justification",
        "author_id",
        "author_label",
        "reviewer_id",
        "reviewer_label",
        "mapping_date",
        "confidence",
        "comment",
    ];
    writeln!(out, "{}", columns.join("\t"))?;
    let person = |name: &str| format!("participant:{}", local(name));
    for l in links {
        let (link, p) = (&l.link, &l.provenance);
        let mut comment = format!(
            "CASE {}, {} alignment, {}",
            link.association_type, link.strength, l.status
        );
        if !link.note.is_empty() {
            comment += &format!(". {}", link.note);
        }
        let row = [
            prefixes.curie(&link.origin),
            item_label(&link.origin),
            predicate(link.association_type).to_string(),
            if l.status == LinkStatus::Rejected {
                "Not".into()
            } else {
                String::new()
            },
            prefixes.curie(&link.destination),
            item_label(&link.destination),
            justification(p.basis).to_string(),
            p.asserted_by.as_deref().map(person).unwrap_or_default(),
            p.asserted_by.clone().unwrap_or_default(),
            p.reviewed_by
                .iter()
                .map(|r| person(r))
                .collect::<Vec<_>>()
                .join("|"),
            p.reviewed_by.join("|"),
            crate::store::format_time(link.changed)
                .get(..10)
                .unwrap_or("")
                .to_string(),
            p.confidence.map(|c| c.to_string()).unwrap_or_default(),
            comment,
        ];
        writeln!(
            out,
            "{}",
            row.iter().map(|c| tsv(c)).collect::<Vec<_>>().join("\t")
        )?;
    }
    for n in no_equivalent {
        let row = [
            prefixes.curie(&n.item),
            item_label(&n.item),
            "skos:exactMatch".to_string(),
            String::new(),
            "sssom:NoTermFound".to_string(),
            String::new(),
            "semapv:ManualMappingCuration".to_string(),
            n.by.as_deref().map(person).unwrap_or_default(),
            n.by.clone().unwrap_or_default(),
            String::new(),
            String::new(),
            n.at.map(|t| {
                crate::store::format_time(t)
                    .get(..10)
                    .unwrap_or("")
                    .to_string()
            })
            .unwrap_or_default(),
            String::new(),
            format!(
                "no equivalent on the {} side, decided in the workshop",
                n.side.other()
            ),
        ];
        writeln!(
            out,
            "{}",
            row.iter().map(|c| tsv(c)).collect::<Vec<_>>().join("\t")
        )?;
    }
    Ok(())
}
