//! Suggestions for a whole framework at once, as CSV or JSON, for preparing a session.
use super::{Context, Index, Suggestion};
use crate::model::Framework;
use serde_json::{Value, json};
use std::io::Write;

/// Suggestions for every leaf of `query`, in framework order, against `index`.
pub fn suggest_all(
    index: &Index,
    query: &Framework,
    k: usize,
    ctx: &Context,
) -> Vec<(usize, Vec<Suggestion>)> {
    (0..query.items.len())
        .filter(|&i| query.is_leaf(i))
        .map(|i| (i, index.suggest(query, i, k, ctx)))
        .collect()
}

/// The CSV header; one row per suggestion, items without any have no row.
pub const CSV_HEADER: [&str; 9] = [
    "item_code",
    "item_identifier",
    "rank",
    "candidate_code",
    "candidate_identifier",
    "score",
    "matched_words",
    "item_statement",
    "candidate_statement",
];

pub fn write_csv(
    query: &Framework,
    candidates: &Framework,
    results: &[(usize, Vec<Suggestion>)],
    out: impl Write,
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    w.write_record(CSV_HEADER)?;
    for (item, suggestions) in results {
        let it = &query.items[*item];
        for (rank, s) in suggestions.iter().enumerate() {
            let c = &candidates.items[s.item_index];
            // Opened in spreadsheets too: formula-looking cells are made text (OWASP).
            let cells = [
                it.code.as_str(),
                &it.identifier,
                &(rank + 1).to_string(),
                &c.code,
                &c.identifier,
                &format!("{:.4}", s.score),
                &s.matched_words.join(" "),
                &it.statement,
                &c.statement,
            ];
            w.write_record(
                cells
                    .map(crate::report::spreadsheet_cell)
                    .iter()
                    .map(|c| c.as_bytes()),
            )?;
        }
    }
    w.flush()?;
    Ok(())
}

/// `{"framework": .., "against": .., "items": [{item, suggestions: [..]}]}`; every leaf
/// is listed, with an empty list when nothing matched.
pub fn to_json(
    query: &Framework,
    candidates: &Framework,
    results: &[(usize, Vec<Suggestion>)],
) -> Value {
    let items: Vec<Value> = results
        .iter()
        .map(|(item, suggestions)| {
            let it = &query.items[*item];
            let list: Vec<Value> = suggestions
                .iter()
                .enumerate()
                .map(|(rank, s)| {
                    let c = &candidates.items[s.item_index];
                    json!({
                        "rank": rank + 1,
                        "identifier": c.identifier,
                        "code": c.code,
                        "statement": c.statement,
                        "score": (s.score * 1e4).round() / 1e4,
                        "matchedWords": s.matched_words,
                    })
                })
                .collect();
            json!({
                "identifier": it.identifier,
                "code": it.code,
                "statement": it.statement,
                "suggestions": list,
            })
        })
        .collect();
    json!({
        "framework": {"identifier": query.identifier, "title": query.title},
        "against": {"identifier": candidates.identifier, "title": candidates.title},
        "items": items,
    })
}
