//! Coverage as CSV (one row per item of every framework on one side), and the cell
//! texts the Markdown and HTML reports share.
use super::ReportData;
use super::links_csv::safe_record;
use crate::model::{
    Coverage, FrameworkCoverage, LeafState, LinkStatus, NodeCoverage, Side, format_percent,
};

/// Columns of the agreed-crosswalk table; the first two hold a code and its statement.
pub(super) const CROSSWALK_HEADS: [&str; 8] = [
    "Outcome",
    "Competency",
    "Type",
    "Strength",
    "Note",
    "Asserted by",
    "Basis",
    "Reviewed by",
];

/// One agreed link, outcome first, as plain texts each format escapes.
pub(super) struct CrosswalkRow {
    /// (code, statement) of each end.
    pub outcome: (String, String),
    pub competency: (String, String),
    /// Type, strength, note, asserted by, basis, reviewed by.
    pub cells: [String; 6],
}

/// The agreed links, outcome first.
pub(super) fn crosswalk_rows(data: &ReportData) -> Vec<CrosswalkRow> {
    data.with_status(LinkStatus::Agreed)
        .map(|l| {
            let (a, b) = data.outcome_first(l);
            let p = &l.provenance;
            CrosswalkRow {
                outcome: (a.label().to_string(), a.statement.clone()),
                competency: (b.label().to_string(), b.statement.clone()),
                cells: [
                    l.link.association_type.to_string(),
                    l.link.strength.to_string(),
                    l.link.note.clone(),
                    p.asserted_by.clone().unwrap_or_default(),
                    p.basis.to_string(),
                    p.reviewed_by.join(", "),
                ],
            }
        })
        .collect()
}

/// Columns of the "no equivalent" table.
pub(super) const NO_EQUIVALENT_HEADS: [&str; 4] = ["Item", "Statement", "Framework", "Marked"];

/// One row per item marked "no equivalent": code, statement, framework, who and when.
pub(super) fn no_equivalent_rows(data: &ReportData) -> Vec<[String; 4]> {
    data.no_equivalent
        .iter()
        .map(|n| {
            let when = n.at.map(|t| {
                crate::store::format_time(t)
                    .chars()
                    .take(10)
                    .collect::<String>()
            });
            let marked = match (&n.by, when) {
                (Some(b), Some(w)) => format!("{b}, {w}"),
                (None, Some(w)) => w,
                (Some(b), None) => b.clone(),
                (None, None) => "before the history recorded it".to_string(),
            };
            [
                n.item.label().to_string(),
                n.item.statement.clone(),
                format!("{} ({} side)", n.framework_title, n.side),
                marked,
            ]
        })
        .collect()
}

/// "Sam (employer-sme): dispute; Fay (facilitator): reject".
pub(super) fn votes_text(l: &crate::model::SessionLink) -> String {
    let votes: Vec<String> = l
        .ballots
        .iter()
        .map(|v| format!("{} ({}): {}", v.participant, v.role, v.vote))
        .collect();
    if votes.is_empty() {
        "none".to_string()
    } else {
        votes.join("; ")
    }
}

/// Columns of the competency verdicts table.
pub(super) const VERDICT_HEADS: [&str; 4] = ["Competency", "Statement", "Standing", "Verdicts"];

/// One row per judged competency: code, statement, its standing, and every expert's
/// verdict with their comment.
pub(super) fn judged(data: &ReportData) -> Vec<[String; 4]> {
    data.coverage
        .frameworks
        .iter()
        .flat_map(|fw| &fw.nodes)
        .filter_map(|n| {
            let v = n.judgement.as_ref()?;
            let standing = if v.contested {
                "verdicts differ: not counted".to_string()
            } else {
                v.verdict.words().to_string()
            };
            let each: Vec<String> = v
                .verdicts
                .iter()
                .map(|e| {
                    let who = match (&e.by, e.role) {
                        (Some(b), Some(r)) => format!("{b} ({r})"),
                        (Some(b), None) => b.clone(),
                        _ => "unnamed".to_string(),
                    };
                    let comment = if e.comment.is_empty() {
                        String::new()
                    } else {
                        format!(": \u{201c}{}\u{201d}", e.comment)
                    };
                    format!("{who}: {}{comment}", e.verdict.words())
                })
                .collect();
            Some([
                n.label().to_string(),
                n.statement.clone(),
                standing,
                each.join("; "),
            ])
        })
        .collect()
}

/// "Title (educator side): 3 of 4 outcomes covered (75%)", with the title as `title`
/// (escaped by the caller for its format).
pub(super) fn coverage_heading(fw: &FrameworkCoverage, title: &str) -> String {
    let noun = match fw.side {
        Side::Educator => "outcomes",
        Side::Employer => "competencies",
    };
    format!(
        "{title} ({} side): {} of {} {noun} covered ({})",
        fw.side,
        fw.covered,
        fw.counted,
        format_percent(fw.percent)
    )
}

/// "J1.1 (exactMatchOf, major); J2.3 (isRelatedTo, minor)".
pub(super) fn aligned_to(n: &NodeCoverage) -> String {
    n.alignments
        .iter()
        .map(|a| format!("{} ({}, {})", a.partner, a.association_type, a.strength))
        .collect::<Vec<_>>()
        .join("; ")
}

/// "3 of 4 (75%)"; a leaf reads "covered", "gap", "no equivalent", or for a competency
/// not counted, why (see [`state_text`]).
pub(super) fn coverage_cell(n: &NodeCoverage) -> String {
    state_text(n).unwrap_or_else(|| {
        format!(
            "{} of {} ({})",
            n.covered,
            n.counted,
            format_percent(n.percent)
        )
    })
}

/// A leaf's state in words, with its verdict: "covered; validated (Sam)", "gap",
/// "not counted: needs revision (Sam): name the benefit programs", "not counted: no
/// verdict yet", "not counted: verdicts differ: …". `None` for a grouping node.
pub fn state_text(n: &NodeCoverage) -> Option<String> {
    let state = n.state?;
    let verdict = n.judgement.as_ref().map(|v| v.describe());
    Some(match (state, verdict) {
        (LeafState::NotValidated, None) => "not counted: no verdict yet".to_string(),
        (LeafState::NotValidated, Some(v)) => format!("not counted: {v}"),
        (s, Some(v)) => format!("{}; {v}", s.as_str()),
        (s, None) => s.as_str().to_string(),
    })
}

/// Coverage of one side's frameworks as CSV for a spreadsheet: a UTF-8 BOM first and
/// formula-looking cells made text, as the links CSV (see `links_csv`).
pub fn coverage_csv(coverage: &Coverage, side: Side) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(super::BOM.to_vec());
    w.write_record([
        "framework",
        "code",
        "identifier",
        "depth",
        "kind",
        "state",
        "covered",
        "counted",
        "percent",
        "aligned_to",
        "statement",
        "verdict",
        "verdict comment",
        "verdicts",
    ])?;
    for fw in coverage.frameworks.iter().filter(|f| f.side == side) {
        for n in &fw.nodes {
            let verdict_cells = verdict_cells(n);
            safe_record(
                &mut w,
                &[
                    fw.title.as_str(),
                    &n.code,
                    &n.identifier,
                    &n.depth.to_string(),
                    if n.is_leaf() { "leaf" } else { "group" },
                    n.state.map_or("", |s| s.as_str()),
                    &n.covered.to_string(),
                    &n.counted.to_string(),
                    &n.percent.map_or(String::new(), |p| format!("{p:.1}")),
                    &aligned_to(n),
                    &n.statement,
                    &verdict_cells[0],
                    &verdict_cells[1],
                    &verdict_cells[2],
                ],
            )?;
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// The coverage CSV's verdict cells: the standing (or "contested"), its comment, and
/// every expert's verdict.
fn verdict_cells(n: &NodeCoverage) -> [String; 3] {
    let Some(v) = &n.judgement else {
        return Default::default();
    };
    let standing = if v.contested {
        "contested".to_string()
    } else {
        v.verdict.to_string()
    };
    let each: Vec<String> = v
        .verdicts
        .iter()
        .map(|e| {
            let who = e.by.as_deref().unwrap_or("unnamed");
            if e.comment.is_empty() {
                format!("{who}: {}", e.verdict)
            } else {
                format!("{who}: {} ({})", e.verdict, e.comment)
            }
        })
        .collect();
    [standing, v.comment.clone(), each.join("; ")]
}
