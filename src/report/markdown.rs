//! The report as Markdown: the same sections as the HTML, readable as plain text.
use super::matrix::{label, matrices};
use super::tables::{
    CROSSWALK_HEADS, VERDICT_HEADS, aligned_to, coverage_cell, coverage_heading, crosswalk_rows,
    judged,
};
use super::{ReportData, one_line};
use crate::model::{LinkStatus, Side};
use std::fmt::Write;

/// A table cell: one line, with the characters Markdown would read as markup escaped.
fn cell(s: &str) -> String {
    one_line(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
}

fn row(out: &mut String, cells: &[String]) {
    let _ = writeln!(out, "| {} |", cells.join(" | "));
}

fn header(out: &mut String, names: &[&str]) {
    row(
        out,
        &names.iter().map(|n| n.to_string()).collect::<Vec<_>>(),
    );
    row(out, &vec!["---".to_string(); names.len()]);
}

pub fn render_markdown(data: &ReportData) -> String {
    let mut out = String::new();
    let o = &mut out;
    let _ = writeln!(o, "# {}\n", cell(&data.title));
    let _ = writeln!(o, "Date: {}\n\n{}\n", data.date, data.rule_sentence());

    let _ = writeln!(o, "## Participants\n");
    if data.participants.is_empty() {
        let _ = writeln!(o, "Nobody is recorded as taking part.\n");
    } else {
        header(o, &["Name", "Role"]);
        for p in &data.participants {
            row(o, &[cell(&p.name), p.role.to_string()]);
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Coverage\n\n{}\n", data.validation_sentence());
    for fw in &data.coverage.frameworks {
        let _ = writeln!(o, "### {}\n", coverage_heading(fw, &cell(&fw.title)));
        header(o, &["Item", "Statement", "Coverage", "Aligned to"]);
        for n in &fw.nodes {
            let indent = "· ".repeat(n.depth as usize);
            row(
                o,
                &[
                    format!("{indent}{}", cell(n.label())),
                    cell(&n.statement),
                    coverage_cell(n),
                    cell(&aligned_to(n)),
                ],
            );
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Gaps\n");
    for fw in &data.coverage.frameworks {
        let what = if fw.side == Side::Educator {
            "Outcomes aligned to nothing"
        } else {
            "Competencies nothing covers"
        };
        let _ = writeln!(o, "### {what}: {}\n", cell(&fw.title));
        let gaps: Vec<_> = fw.gaps().collect();
        if gaps.is_empty() {
            let _ = writeln!(o, "None.");
        }
        for n in gaps {
            let _ = writeln!(o, "- **{}** {}", cell(n.label()), cell(&n.statement));
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Competency verdicts\n");
    let judged = judged(data);
    if judged.is_empty() {
        let _ = writeln!(o, "No competency has a verdict.\n");
    } else {
        header(o, &VERDICT_HEADS);
        for cells in judged {
            row(o, &cells.iter().map(|c| cell(c)).collect::<Vec<_>>());
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Coverage matrix\n");
    let _ = writeln!(o, "{}\n", legend());
    for m in matrices(data) {
        let _ = writeln!(
            o,
            "### {} × {}\n",
            cell(&m.outcomes.title),
            cell(&m.competencies.title)
        );
        let mut names = vec!["Outcome \\ Competency".to_string()];
        names.extend(m.columns.iter().map(|c| cell(label(c))));
        row(o, &names);
        row(o, &vec!["---".to_string(); names.len()]);
        for (r, cells) in m.rows.iter().zip(&m.cells) {
            let mut line = vec![cell(label(r))];
            line.extend(
                cells
                    .iter()
                    .map(|c| c.map_or(String::new(), |l| l.status.symbol().to_string())),
            );
            row(o, &line);
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Agreed crosswalk\n");
    header(o, &CROSSWALK_HEADS);
    for cells in crosswalk_rows(data) {
        row(o, &cells.iter().map(|c| cell(c)).collect::<Vec<_>>());
    }
    o.push('\n');

    let _ = writeln!(o, "## Open disputes\n");
    let disputed: Vec<_> = data.with_status(LinkStatus::Disputed).collect();
    if disputed.is_empty() {
        let _ = writeln!(o, "None.\n");
    }
    for l in disputed {
        let (a, b) = data.outcome_first(l);
        let _ = writeln!(
            o,
            "### {} → {} ({})\n",
            cell(a.label()),
            cell(b.label()),
            l.link.association_type
        );
        let votes: Vec<String> = l
            .ballots
            .iter()
            .map(|v| format!("{} ({}): {}", cell(&v.participant), v.role, v.vote))
            .collect();
        let _ = writeln!(o, "Votes: {}\n", votes.join("; "));
        for c in data.threads.get(&l.link.identifier).into_iter().flatten() {
            let _ = writeln!(
                o,
                "- {} ({}): {}",
                cell(c.author.as_deref().unwrap_or("unattributed")),
                crate::store::format_time(c.at),
                cell(&c.text)
            );
        }
        o.push('\n');
    }
    out
}

/// The symbols the matrix uses, so status never rests on colour alone.
pub(super) fn legend() -> String {
    let marks: Vec<String> = LinkStatus::ALL
        .iter()
        .map(|s| format!("{} {}", s.symbol(), s))
        .collect();
    format!("Legend: {}; an empty cell has no link.", marks.join(", "))
}
