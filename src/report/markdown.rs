//! The report as Markdown: the same sections as the HTML, readable as plain text.
use super::matrix::{Level, cell_text, label, matrices};
use super::tables::{
    CROSSWALK_HEADS, NO_EQUIVALENT_HEADS, VERDICT_HEADS, aligned_to, coverage_cell,
    coverage_heading, crosswalk_rows, judged, no_equivalent_rows, votes_text,
};
use super::{ReportData, one_line};
use crate::model::{LinkStatus, Side};
use std::fmt::Write;

/// The `##` sections, in order, for the contents list.
const SECTIONS: [&str; 9] = [
    "Participants",
    "Coverage",
    "Gaps",
    "No equivalent",
    "Competency verdicts",
    "Coverage matrix",
    "Agreed crosswalk",
    "Open disputes",
    "Rejected links",
];

/// A table cell: one line (control characters dropped), with the characters Markdown
/// would read as markup escaped: `\`, `|`, and `<`/`>` as entities, so imported text
/// can open neither an HTML tag nor a block quote in a renderer.
fn cell(s: &str) -> String {
    one_line(s)
        .replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// "**CODE** statement".
fn item(code: &str, statement: &str) -> String {
    format!("**{}** {}", cell(code), cell(statement))
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
    let _ = writeln!(
        o,
        "Date: {}\n\n{}\n",
        cell(&data.date),
        cell(&data.rule_sentence())
    );

    let _ = writeln!(o, "Contents:\n");
    for (n, title) in SECTIONS.iter().enumerate() {
        let anchor = title.to_lowercase().replace(' ', "-");
        let _ = writeln!(o, "{}. [{title}](#{anchor})", n + 1);
    }
    o.push('\n');

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
                    cell(&coverage_cell(n)),
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
            let _ = writeln!(o, "- {}", item(n.label(), &n.statement));
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## No equivalent\n");
    let rows = no_equivalent_rows(data);
    if rows.is_empty() {
        let _ = writeln!(
            o,
            "No item was marked as having no equivalent on the other side.\n"
        );
    } else {
        let _ = writeln!(
            o,
            "Decided in the session: these items have no equivalent on the other side. \
             They are neither counted in coverage nor listed as gaps.\n"
        );
        header(o, &NO_EQUIVALENT_HEADS);
        for cells in rows {
            row(o, &cells.iter().map(|c| cell(c)).collect::<Vec<_>>());
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
        if m.level == Level::Domains {
            let _ = writeln!(
                o,
                "By domain: the competencies make {} columns, too many for a page; each cell \
                 holds the links between any items of the two domains.\n",
                m.leaf_columns
            );
        }
        let mut names = vec!["Outcome \\ Competency".to_string()];
        names.extend(m.columns.iter().map(|c| cell(label(c))));
        row(o, &names);
        row(o, &vec!["---".to_string(); names.len()]);
        for (r, cells) in m.rows.iter().zip(&m.cells) {
            let mut line = vec![cell(label(r))];
            line.extend(cells.iter().map(|links| cell_text(links)));
            row(o, &line);
        }
        o.push('\n');
        for c in &m.columns {
            let _ = writeln!(o, "- {}", item(label(c), &c.statement));
        }
        o.push('\n');
    }

    let _ = writeln!(o, "## Agreed crosswalk\n");
    header(o, &CROSSWALK_HEADS);
    for r in crosswalk_rows(data) {
        let mut cells = vec![
            item(&r.outcome.0, &r.outcome.1),
            item(&r.competency.0, &r.competency.1),
        ];
        cells.extend(r.cells.iter().map(|c| cell(c)));
        row(o, &cells);
    }
    o.push('\n');

    let _ = writeln!(o, "## Open disputes\n");
    threads(o, data, LinkStatus::Disputed, "None.");
    let _ = writeln!(o, "## Rejected links\n");
    threads(o, data, LinkStatus::Rejected, "None.");
    out
}

/// The disputed or rejected links with their votes and comment threads (the reasons).
fn threads(o: &mut String, data: &ReportData, status: LinkStatus, none: &str) {
    let links: Vec<_> = data.with_status(status).collect();
    if links.is_empty() {
        let _ = writeln!(o, "{none}\n");
    }
    for l in links {
        let (a, b) = data.outcome_first(l);
        let _ = writeln!(
            o,
            "### {} → {} ({})\n",
            cell(a.label()),
            cell(b.label()),
            l.link.association_type
        );
        let _ = writeln!(
            o,
            "{} — {}\n",
            item(a.label(), &a.statement),
            item(b.label(), &b.statement)
        );
        let _ = writeln!(o, "Votes: {}\n", cell(&votes_text(l)));
        let thread = data.threads.get(&l.link.identifier);
        if thread.is_none_or(|t| t.is_empty()) {
            let _ = writeln!(o, "No reason was given.\n");
            continue;
        }
        for c in thread.into_iter().flatten() {
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
}

/// The symbols the matrix uses, so status never rests on colour alone.
pub(super) fn legend() -> String {
    let marks: Vec<String> = LinkStatus::ALL
        .iter()
        .map(|s| format!("{} {}", s.symbol(), s))
        .collect();
    format!(
        "Legend: {}; a number after the mark counts the links in the cell, which shows the most pressing status; an empty cell has no link.",
        marks.join(", ")
    )
}
