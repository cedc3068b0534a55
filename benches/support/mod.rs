//! Generated frameworks for benchmarks: realistic shapes at any size.
#![allow(dead_code)]

use crosswalk::case::{Association, NodeRef, Package};
use crosswalk::model::{Framework, Item, Side};
use crosswalk::store::Workshop;
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

/// `n` items in three levels: 20 domains, 10 clusters each, leaves under the clusters.
pub fn screen_framework(prefix: &str, side: Side, n: usize) -> Framework {
    let per_cluster = (n / 200).max(1);
    let mut items = Vec::with_capacity(n);
    let (mut domain, mut cluster) = (0, 0);
    for i in 0..n {
        let slot = i % (per_cluster * 10 + 11);
        let (depth, parent) = match slot {
            0 => (0, None),
            s if (s - 1) % (per_cluster + 1) == 0 => (1, Some(domain)),
            _ => (2, Some(cluster)),
        };
        match depth {
            0 => domain = i,
            1 => cluster = i,
            _ => {}
        }
        let words: Vec<&str> = (0..14)
            .map(|k| WORDS[(i * 7 + k * 5 + k * k) % WORDS.len()])
            .collect();
        let statement = words.join(" ");
        items.push(Item {
            identifier: format!("{prefix}-{i:05}"),
            uri: format!("https://bench.example/{prefix}/{i}"),
            code: format!("{prefix}.{}.{}", i / 100, i % 100),
            raw: Some(format!(r#"{{"identifier":"{prefix}-{i:05}","fullStatement":"{statement}","CFItemType":"Competency"}}"#)),
            statement,
            item_type: "Competency".into(),
            depth,
            parent,
            ..Item::default()
        });
    }
    Framework {
        identifier: format!("{prefix}-framework"),
        uri: format!("https://bench.example/{prefix}"),
        title: format!("Bench framework {prefix}"),
        side,
        items,
        ..Framework::default()
    }
}

/// A workshop file with two `n`-item frameworks (educator EDU, employer EMP) and `n / 10`
/// links between them: the screen at workshop scale.
pub fn build_workshop(path: &std::path::Path, n: usize) {
    let mut ws = Workshop::open(path).expect("open");
    for (prefix, side) in [("EDU", Side::Educator), ("EMP", Side::Employer)] {
        let pkg = Package {
            framework: screen_framework(prefix, side, n),
            ..Package::default()
        };
        ws.import_package(&pkg, Some(side)).expect("import");
    }
    // Links arrive as one crosswalk package (one transaction), as `crosswalk import` would.
    let associations = (0..n / 10)
        .map(|k| Association {
            identifier: format!("link-{k}"),
            association_type: "exactMatchOf".into(),
            origin: NodeRef {
                identifier: format!("EDU-{:05}", (k * 7) % n),
                ..NodeRef::default()
            },
            destination: NodeRef {
                identifier: format!("EMP-{:05}", (k * 13) % n),
                ..NodeRef::default()
            },
            ..Association::default()
        })
        .collect();
    let report = ws
        .import_package(
            &Package {
                associations,
                ..Package::default()
            },
            None,
        )
        .expect("links");
    assert_eq!(report.links_added, n / 10);
}
