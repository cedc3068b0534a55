//! Coverage as CSV (one row per item of every framework on one side), and the cell
//! texts the Markdown and HTML reports share.
use super::ReportData;
use super::links_csv::safe_record;
use crate::model::{Coverage, FrameworkCoverage, LinkStatus, NodeCoverage, Side, format_percent};

/// Columns of the agreed-crosswalk table.
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

/// One row of plain cell texts per agreed link, outcome first; each format escapes them.
pub(super) fn crosswalk_rows(data: &ReportData) -> Vec<[String; 8]> {
    data.with_status(LinkStatus::Agreed)
        .map(|l| {
            let (a, b) = data.outcome_first(l);
            let p = &l.provenance;
            [
                a.label().to_string(),
                b.label().to_string(),
                l.link.association_type.to_string(),
                l.link.strength.to_string(),
                l.link.note.clone(),
                p.asserted_by.clone().unwrap_or_default(),
                p.basis.to_string(),
                p.reviewed_by.join(", "),
            ]
        })
        .collect()
}

/// "J1.1 (exactMatchOf, major); J2.3 (isRelatedTo, minor)".
pub(super) fn aligned_to(n: &NodeCoverage) -> String {
    n.alignments
        .iter()
        .map(|a| format!("{} ({}, {})", a.partner, a.association_type, a.strength))
        .collect::<Vec<_>>()
        .join("; ")
}

/// "3 of 4 (75%)"; a leaf reads "covered", "gap", "no equivalent" or "not validated".
pub(super) fn coverage_cell(n: &NodeCoverage) -> String {
    match n.state {
        Some(state) => state.as_str().to_string(),
        None => format!(
            "{} of {} ({})",
            n.covered,
            n.counted,
            format_percent(n.percent)
        ),
    }
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
    ])?;
    for fw in coverage.frameworks.iter().filter(|f| f.side == side) {
        for n in &fw.nodes {
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
                ],
            )?;
        }
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}
