//! Ranking behaviour on tiny hand-made frameworks.
use super::*;
use crate::model::{Framework, Item, Link, LinkEnd};

fn leaf(id: &str, statement: &str) -> Item {
    Item {
        identifier: id.into(),
        statement: statement.into(),
        ..Item::default()
    }
}

fn flat(items: Vec<Item>) -> Framework {
    Framework {
        items,
        ..Framework::default()
    }
}

/// (identifier, statement) of an item.
type Spec<'a> = (&'a str, &'a str);

/// A domain header followed by its children.
fn tree(domains: &[(&str, &str, &[Spec])]) -> Framework {
    let mut items = Vec::new();
    for (id, statement, children) in domains {
        let parent = items.len();
        items.push(leaf(id, statement));
        for (cid, cs) in children.iter() {
            items.push(Item {
                depth: 1,
                parent: Some(parent),
                ..leaf(cid, cs)
            });
        }
    }
    flat(items)
}

fn ranked(index: &Index, query: &Framework, item: usize, ctx: &Context) -> Vec<usize> {
    index
        .suggest(query, item, 10, ctx)
        .iter()
        .map(|s| s.item_index)
        .collect()
}

#[test]
fn bm25_matches_the_hand_computed_score() {
    // Three documents of lengths 2, 3, 2 (average 7/3); k1 = 1.2, b = 0.75.
    let jobs = flat(vec![
        leaf("d0", "transformer inspection"),
        leaf("d1", "transformer maintenance schedule"),
        leaf("d2", "client greeting"),
    ]);
    let course = flat(vec![leaf("q", "Inspect transformers")]);
    let top = Index::build(&jobs).suggest(&course, 0, 5, &Context::empty());
    assert_eq!(top.iter().map(|s| s.item_index).collect::<Vec<_>>(), [0, 1]);
    // idf(inspect) = ln(1 + 2.5/1.5) = ln(8/3); idf(transform) = ln(1 + 1.5/2.5) = ln(1.6).
    // Best possible = (ln(8/3) + ln 1.6) * 2.2. d0 has both words once with length
    // factor 1.2 * (0.25 + 0.75 * 2 / (7/3)) = 15/14, so its share is 1 / (1 + 15/14) = 14/29.
    assert!(
        (top[0].score - 14.0 / 29.0).abs() < 1e-6,
        "{}",
        top[0].score
    );
    // d1 has "transform" only, length factor 1.2 * (0.25 + 0.75 * 3 / (7/3)) = 51/35.
    let d1 = 1.6f64.ln() / (64.0f64 / 15.0).ln() * (1.0 / (1.0 + 51.0 / 35.0));
    assert!((top[1].score - d1).abs() < 1e-6, "{} vs {d1}", top[1].score);
    assert_eq!(top[0].matched_words, ["inspect", "transformers"]);
    assert_eq!(top[1].matched_words, ["transformers"]);
}

#[test]
fn ties_go_to_framework_order_and_results_repeat_exactly() {
    let jobs = flat(vec![
        leaf("a", "Greet clients"),
        leaf("b", "Record vital signs"),
        leaf("c", "Record vital signs"),
        leaf("d", "Record vital signs"),
    ]);
    let course = flat(vec![leaf("q", "Take and record vital signs")]);
    let first = Index::build(&jobs).suggest(&course, 0, 5, &Context::empty());
    assert_eq!(
        first.iter().map(|s| s.item_index).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    for _ in 0..3 {
        assert_eq!(
            Index::build(&jobs).suggest(&course, 0, 5, &Context::empty()),
            first
        );
    }
    // Switching fuzzy matching off (a zero factor) must not list a candidate twice.
    let no_fuzzy = Params {
        fuzzy_weight: 0.0,
        ..Params::default()
    };
    let plain = Index::build_with(&jobs, no_fuzzy).suggest(&course, 0, 5, &Context::empty());
    assert_eq!(
        plain.iter().map(|s| s.item_index).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    // Top-k selection keeps the earliest of equal candidates.
    let two = Index::build(&jobs).suggest(&course, 0, 2, &Context::empty());
    assert_eq!(two.iter().map(|s| s.item_index).collect::<Vec<_>>(), [1, 2]);
}

#[test]
fn only_leaves_are_suggested_and_domain_words_count_a_little() {
    let jobs = tree(&[
        (
            "d1",
            "Electrical safety",
            &[
                ("c1", "Lock out circuits"),
                ("c2", "Wear protective equipment"),
            ],
        ),
        (
            "d2",
            "Customer service",
            &[("c3", "Explain electrical safety to customers")],
        ),
    ]);
    let course = flat(vec![leaf("q", "Follow electrical safety rules")]);
    let top = Index::build(&jobs).suggest(&course, 0, 10, &Context::empty());
    let order: Vec<usize> = top.iter().map(|s| s.item_index).collect();
    assert!(
        !order.contains(&0) && !order.contains(&3),
        "domain headers suggested: {order:?}"
    );
    // c3 says "electrical safety" itself; c1 and c2 only inherit it from their header.
    assert_eq!(order, [4, 1, 2]);
    assert_eq!(top[1].matched_words, ["electrical", "safety"]);
}

#[test]
fn rejected_and_linked_pairs_are_never_suggested() {
    let jobs = flat(vec![
        leaf("j1", "Record vital signs"),
        leaf("j2", "Record client notes"),
    ]);
    let course = flat(vec![leaf("q", "Record vital signs and notes")]);
    let index = Index::build(&jobs);
    assert_eq!(ranked(&index, &course, 0, &Context::empty()), [0, 1]);
    let rejected = vec![("j1".to_string(), "q".to_string())];
    let ctx = Context::new(&course, &jobs, &[], &rejected);
    assert_eq!(ranked(&index, &course, 0, &ctx), [1]);
    let link = link_between("q", "j2");
    let ctx = Context::new(&course, &jobs, &[link], &rejected);
    assert!(ranked(&index, &course, 0, &ctx).is_empty());
}

#[test]
fn candidates_in_a_domain_siblings_linked_into_are_boosted() {
    let jobs = tree(&[
        (
            "d1",
            "Records",
            &[("j1", "Keep client records"), ("j2", "Keep client notes")],
        ),
        (
            "d2",
            "Outreach",
            &[("j3", "Keep client contacts"), ("j4", "Visit client homes")],
        ),
    ]);
    let course = tree(&[(
        "cd",
        "Documentation",
        &[("q1", "Visit homes"), ("q2", "Keep client files")],
    )]);
    let index = Index::build(&jobs);
    let score = |list: &[Suggestion], item: usize| {
        list.iter().find(|s| s.item_index == item).map(|s| s.score)
    };
    let before = index.suggest(&course, 2, 5, &Context::empty());
    assert_eq!(before[0].item_index, 1, "{before:?}");
    // q1 is linked to j4 in Outreach: for its sibling q2, Outreach's j3 gains 20 %; j4 itself
    // (most likely covered by q1) and the other domain's j1, j2 stay as they were.
    let ctx = Context::new(&course, &jobs, &[link_between("q1", "j4")], &[]);
    let after = index.suggest(&course, 2, 5, &ctx);
    assert_eq!(after[0].item_index, 4, "{after:?}");
    for item in [1, 2, 5] {
        assert_eq!(score(&after, item), score(&before, item), "{item}");
    }
    let (b, a) = (score(&before, 4).unwrap(), score(&after, 4).unwrap());
    assert!(
        (a - b * (1.0 + Params::default().domain_boost)).abs() < 1e-12,
        "{b} -> {a}"
    );
    // The linked pair itself is not suggested again.
    assert!(
        index
            .suggest(&course, 1, 5, &ctx)
            .iter()
            .all(|s| s.item_index != 5)
    );
}

#[test]
fn fuzzy_variants_match_what_the_stemmer_keeps_apart() {
    let jobs = flat(vec![
        leaf("j1", "Workplace safety"),
        leaf("j2", "Client intake"),
    ]);
    let course = flat(vec![leaf("q", "Work safe")]);
    let top = Index::build(&jobs).suggest(&course, 0, 5, &Context::empty());
    assert_eq!(top.len(), 1);
    assert_eq!(top[0].item_index, 0);
    assert_eq!(top[0].matched_words, ["safe~safety"]);
    assert!(top[0].score > 0.0 && top[0].score < 0.5);
}

#[test]
fn bad_input_gives_a_sensible_list_and_no_nan() {
    let jobs = flat(vec![
        leaf("j1", ""),
        leaf("j2", "健康教育を行う"),
        leaf("j3", "التثقيف الصحي للمجتمع"),
        Item {
            code: "X.1".into(),
            ..leaf("j4", "")
        },
        leaf("j5", "Provide health education"),
        leaf("j6", "the of and"),
    ]);
    let course = flat(vec![
        leaf("e", ""),
        leaf("cjk", "健康教育"),
        leaf("ar", "التثقيف الصحي"),
        Item {
            code: "CHW.2.3".into(),
            ..leaf("code", "")
        },
        leaf("stop", "to be or not to be"),
        leaf("en", "Health education"),
    ]);
    let index = Index::build(&jobs);
    let all: Vec<Vec<Suggestion>> = (0..course.items.len())
        .map(|i| index.suggest(&course, i, 5, &Context::empty()))
        .collect();
    assert!(
        all.iter()
            .flatten()
            .all(|s| s.score.is_finite() && s.score > 0.0)
    );
    assert!(all[0].is_empty() && all[4].is_empty());
    assert_eq!(all[1].first().map(|s| s.item_index), Some(1));
    assert_eq!(all[2].first().map(|s| s.item_index), Some(2));
    assert!(
        all[3].is_empty(),
        "a code alone matches nothing here: {:?}",
        all[3]
    );
    assert_eq!(all[5].first().map(|s| s.item_index), Some(4));
    // Out of range, k = 0, empty index: empty lists.
    assert!(index.suggest(&course, 99, 5, &Context::empty()).is_empty());
    assert!(index.suggest(&course, 5, 0, &Context::empty()).is_empty());
    let empty = Index::build(&Framework::default());
    assert!(empty.is_empty() && empty.suggest(&course, 5, 5, &Context::empty()).is_empty());
    let blank = Index::build(&flat(vec![leaf("b", "")]));
    assert!(blank.suggest(&course, 5, 5, &Context::empty()).is_empty());
}

#[test]
fn report_lists_every_leaf_in_csv_and_json() {
    let jobs = flat(vec![leaf("j1", "Record vital signs")]);
    let course = tree(&[(
        "d",
        "Clinical",
        &[("q1", "Record vital signs"), ("q2", "Sing")],
    )]);
    let index = Index::build(&jobs);
    let results = report::suggest_all(&index, &course, 3, &Context::empty());
    assert_eq!(results.iter().map(|r| r.0).collect::<Vec<_>>(), [1, 2]);
    let mut csv = Vec::new();
    report::write_csv(&course, &jobs, &results, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        csv.lines().nth(1).unwrap().starts_with(",q1,1,,j1,"),
        "{csv}"
    );
    let json = report::to_json(&course, &jobs, &results);
    assert_eq!(json["items"].as_array().unwrap().len(), 2);
    assert_eq!(json["items"][0]["suggestions"][0]["identifier"], "j1");
    assert_eq!(json["items"][1]["suggestions"].as_array().unwrap().len(), 0);
}

fn link_between(origin: &str, destination: &str) -> Link {
    let end = |id: &str| LinkEnd {
        item_identifier: id.into(),
        ..LinkEnd::default()
    };
    Link {
        identifier: format!("{origin}-{destination}"),
        origin: end(origin),
        destination: end(destination),
        association_type: crate::model::AssociationType::ExactMatchOf,
        note: String::new(),
        strength: Default::default(),
        created: time::OffsetDateTime::UNIX_EPOCH,
        changed: time::OffsetDateTime::UNIX_EPOCH,
    }
}

#[test]
fn a_quoted_code_matches_but_the_query_code_does_not() {
    let code = |c: &str, id: &str, s: &str| Item {
        code: c.into(),
        ..leaf(id, s)
    };
    let jobs = flat(vec![
        code("T0001", "j1", "Reads meters"),
        code("CHW.C.1", "j2", "Greets members"),
    ]);
    let course = flat(vec![
        code("CHW.1", "q1", "Covers task T0001 in the lab"),
        code("CHW.2", "q2", ""),
    ]);
    let index = Index::build(&jobs);
    let top = index.suggest(&course, 0, 5, &Context::empty());
    assert_eq!(top.len(), 1);
    assert_eq!(
        (top[0].item_index, top[0].matched_words.as_slice()),
        (0, ["t0001".to_string()].as_slice())
    );
    assert!(
        index.suggest(&course, 1, 5, &Context::empty()).is_empty(),
        "code prefix `chw` matched"
    );
}

#[test]
fn the_csv_makes_formula_looking_cells_text() {
    let query = flat(vec![leaf("q1", "=HYPERLINK(\"http://example.invalid\")")]);
    let candidates = flat(vec![leaf("c1", "@SUM(A1) safety")]);
    let results = vec![(
        0,
        vec![super::Suggestion {
            item_index: 0,
            score: 0.5,
            matched_words: vec!["-x".into()],
        }],
    )];
    let mut out = Vec::new();
    super::report::write_csv(&query, &candidates, &results, &mut out).unwrap();
    let mut r = csv::Reader::from_reader(out.as_slice());
    let row = r.records().next().unwrap().unwrap();
    let cells: Vec<&str> = row.iter().collect();
    assert!(
        cells.contains(&"'=HYPERLINK(\"http://example.invalid\")"),
        "{cells:?}"
    );
    assert!(cells.contains(&"'@SUM(A1) safety"), "{cells:?}");
    assert!(cells.contains(&"'-x"), "{cells:?}");
    assert!(!cells.iter().any(|c| c.starts_with(['=', '+', '-', '@'])));
}
