//! Generated frameworks for benchmarks: realistic shapes at any size.
#![allow(dead_code)]

use serde_json::{Value, json};

fn uuid_for(prefix: &str, n: usize) -> String {
    uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        format!("{prefix}/{n}").as_bytes(),
    )
    .to_string()
}

/// The vocabulary generated statements are drawn from.
pub const WORDS: &[&str] = &[
    "apply",
    "safety",
    "procedures",
    "communicate",
    "clients",
    "electrical",
    "systems",
    "assess",
    "community",
    "health",
    "document",
    "records",
    "maintain",
    "equipment",
    "analyze",
    "data",
    "troubleshoot",
    "circuits",
    "advocate",
    "resources",
    "plan",
    "outreach",
    "inspect",
    "transformers",
    "teamwork",
    "ethics",
    "referral",
];

/// A CASE package of `n` items: domains of up to 100 items each, codes like `P.12.34`.
pub fn package_json(prefix: &str, n: usize) -> String {
    let doc_id = uuid_for(prefix, usize::MAX);
    let doc_uri = format!("https://bench.example/{doc_id}");
    let mut items = Vec::with_capacity(n);
    let mut assocs = Vec::with_capacity(n);
    let mut domain = (0, String::new(), String::new());
    for i in 0..n {
        let id = uuid_for(prefix, i);
        let uri = format!("https://bench.example/{id}");
        let is_domain = i % 100 == 0;
        let code = if is_domain {
            format!("{prefix}.{}", i / 100 + 1)
        } else {
            format!("{prefix}.{}.{}", i / 100 + 1, i % 100)
        };
        let statement: Vec<&str> = (0..12)
            .map(|k| WORDS[(i * 7 + k * 3) % WORDS.len()])
            .collect();
        items.push(json!({
            "identifier": id, "uri": uri, "fullStatement": statement.join(" "),
            "humanCodingScheme": code, "CFItemType": if is_domain { "Domain" } else { "Competency" },
            "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
        }));
        let (parent_id, parent_uri, seq) = if is_domain {
            domain = (i, id.clone(), uri.clone());
            (doc_id.clone(), doc_uri.clone(), i / 100 + 1)
        } else {
            (domain.1.clone(), domain.2.clone(), i - domain.0)
        };
        assocs.push(json!({
            "identifier": uuid_for(&format!("{prefix}-a"), i), "uri": format!("https://bench.example/a/{i}"),
            "associationType": "isChildOf", "sequenceNumber": seq,
            "originNodeURI": {"title": code, "identifier": id, "uri": uri},
            "destinationNodeURI": {"title": "parent", "identifier": parent_id, "uri": parent_uri},
            "lastChangeDateTime": "2026-01-01T00:00:00+00:00",
        }));
    }
    let package: Value = json!({
        "CFDocument": {"identifier": doc_id, "uri": doc_uri, "title": format!("Bench framework {prefix}"),
                       "creator": "bench", "lastChangeDateTime": "2026-01-01T00:00:00+00:00"},
        "CFItems": items,
        "CFAssociations": assocs,
    });
    package.to_string()
}
