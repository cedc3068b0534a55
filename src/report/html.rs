//! The report as one self-contained HTML page: inline CSS, no scripts, printable.
//! Every piece of text from the workshop is escaped (control characters dropped).
//! Status marks are symbols with a legend (and a tint), never colour alone.
//!
//! Printing (Chromium to PDF, Letter): pages are US Letter with margins set in `@page`;
//! the coverage matrix is on landscape pages of its own (a named page), at a width that
//! fits [`MAX_LEAF_COLUMNS`](super::matrix::MAX_LEAF_COLUMNS) columns, wider pairs
//! being shown by domain; headings keep with what follows and no section forces a page
//! break, so no page holds a lone sentence; codes never wrap; every code in a table
//! has its statement beside it or in the key under the matrix.
use super::markdown::legend;
use super::matrix::{Level, Matrix, cell_mark, cell_text, label, matrices};
use super::tables::{
    CROSSWALK_HEADS, NO_EQUIVALENT_HEADS, VERDICT_HEADS, aligned_to, coverage_cell,
    coverage_heading, crosswalk_rows, judged, no_equivalent_rows, votes_text,
};
use super::{ReportData, one_line};
use crate::model::{LinkStatus, SessionLink, Side};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values; control characters
/// (escape sequences, NULs from imported text) are dropped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
@page { size: letter portrait; margin: 0.6in 0.55in; }
@page matrix { size: letter landscape; margin: 0.45in 0.4in; }
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #111; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #888; margin-top: 2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 0.2em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
.code { white-space: nowrap; font-weight: 600; }
.pct { text-align: right; }
nav.contents ol { columns: 2; }
section.matrix { page: matrix; }
table.matrix { table-layout: fixed; width: 100%; font-size: 7.5pt; }
table.matrix th.outcome { width: 34%; font-weight: normal; }
table.matrix td { text-align: center; padding: 0.1em 0; }
table.matrix thead th.col { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; padding: 0.3em 0; text-align: left; }
ol.key { columns: 3; font-size: 7pt; padding-left: 0; list-style: none; }
ol.key li { break-inside: avoid; }
.agreed { background: #d9f2d9; } .proposed { background: #fff6cc; } .disputed { background: #ffd9b3; } .rejected { background: #eee; color: #555; }
.gap { font-weight: bold; }
.muted { color: #555; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10pt; }
  h2, h3 { break-after: avoid; }
  table { break-inside: auto; }
  tr, li { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
";

fn tr(out: &mut String, cells: &[String]) {
    out.push_str("<tr>");
    for c in cells {
        out.push_str(c);
    }
    out.push_str("</tr>\n");
}

fn td(text: &str) -> String {
    format!("<td>{}</td>", esc(&one_line(text)))
}

/// A cell with a code (kept on one line) and its statement.
fn td_item(code: &str, statement: &str) -> String {
    format!(
        "<td><span class=\"code\">{}</span> {}</td>",
        esc(code),
        esc(&one_line(statement))
    )
}

fn heads(out: &mut String, names: &[&str]) {
    out.push_str("<thead><tr>");
    for n in names {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(n));
    }
    out.push_str("</tr></thead>\n");
}

/// The sections, in order: (id, title). The contents list is made from it.
const SECTIONS: [(&str, &str); 9] = [
    ("participants", "Participants"),
    ("coverage", "Coverage"),
    ("gaps", "Gaps"),
    ("no-equivalent", "No equivalent"),
    ("verdicts", "Competency verdicts"),
    ("matrix", "Coverage matrix"),
    ("crosswalk", "Agreed crosswalk"),
    ("disputes", "Open disputes"),
    ("rejected", "Rejected links"),
];

fn section(o: &mut String, id: &str) {
    let title = SECTIONS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or(id, |(_, t)| t);
    let _ = writeln!(o, "<h2 id=\"{id}\">{}</h2>", esc(title));
}

pub fn render_html(data: &ReportData) -> String {
    let mut out = String::new();
    let o = &mut out;
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n<p>Date: <time>{date}</time></p>\n<p>{rule}</p>\n",
        title = esc(&data.title),
        date = esc(&data.date),
        rule = esc(&data.rule_sentence())
    );
    o.push_str("<nav class=\"contents\" id=\"contents\"><h2>Contents</h2>\n<ol>\n");
    for (id, title) in SECTIONS {
        let _ = writeln!(o, "<li><a href=\"#{id}\">{}</a></li>", esc(title));
    }
    o.push_str("</ol></nav>\n");

    section(o, "participants");
    if data.participants.is_empty() {
        o.push_str("<p>Nobody is recorded as taking part.</p>\n");
    } else {
        o.push_str("<table id=\"participants-table\">\n");
        heads(o, &["Name", "Role"]);
        for p in &data.participants {
            tr(o, &[td(&p.name), td(p.role.as_str())]);
        }
        o.push_str("</table>\n");
    }

    section(o, "coverage");
    let _ = writeln!(o, "<p>{}</p>", esc(data.validation_sentence()));
    for (i, fw) in data.coverage.frameworks.iter().enumerate() {
        let _ = writeln!(o, "<h3>{}</h3>", coverage_heading(fw, &esc(&fw.title)));
        let _ = writeln!(o, "<table id=\"coverage-{i}\" class=\"coverage\">");
        heads(o, &["Item", "Statement", "Coverage", "Aligned to"]);
        for n in &fw.nodes {
            let gap = if n.state == Some(crate::model::LeafState::Gap) {
                " class=\"gap\""
            } else {
                ""
            };
            tr(
                o,
                &[
                    format!(
                        "<th scope=\"row\" class=\"code\" style=\"padding-left: {}em\">{}</th>",
                        0.45 + n.depth as f32 * 1.2,
                        esc(n.label())
                    ),
                    td(&n.statement),
                    format!(
                        "<td class=\"pct\"><span{gap}>{}</span></td>",
                        esc(&coverage_cell(n))
                    ),
                    td(&aligned_to(n)),
                ],
            );
        }
        o.push_str("</table>\n");
    }

    section(o, "gaps");
    for fw in &data.coverage.frameworks {
        let what = if fw.side == Side::Educator {
            "Outcomes aligned to nothing"
        } else {
            "Competencies nothing covers"
        };
        let _ = writeln!(o, "<h3>{what}: {}</h3>", esc(&fw.title));
        let gaps: Vec<_> = fw.gaps().collect();
        if gaps.is_empty() {
            o.push_str("<p>None.</p>\n");
            continue;
        }
        o.push_str("<ul>\n");
        for n in gaps {
            let _ = writeln!(
                o,
                "<li><span class=\"code\">{}</span> {}</li>",
                esc(n.label()),
                esc(&one_line(&n.statement))
            );
        }
        o.push_str("</ul>\n");
    }

    section(o, "no-equivalent");
    let rows = no_equivalent_rows(data);
    if rows.is_empty() {
        o.push_str("<p>No item was marked as having no equivalent on the other side.</p>\n");
    } else {
        o.push_str(
            "<p>Decided in the session: these items have no equivalent on the other side. \
             They are neither counted in coverage nor listed as gaps.</p>\n\
             <table id=\"no-equivalent-table\">\n",
        );
        heads(o, &NO_EQUIVALENT_HEADS);
        for [code, statement, framework, marked] in rows {
            tr(
                o,
                &[
                    format!("<td class=\"code\">{}</td>", esc(&code)),
                    td(&statement),
                    td(&framework),
                    td(&marked),
                ],
            );
        }
        o.push_str("</table>\n");
    }

    section(o, "verdicts");
    let rows = judged(data);
    if rows.is_empty() {
        o.push_str("<p>No competency has a verdict.</p>\n");
    } else {
        o.push_str("<table id=\"verdicts-table\">\n");
        heads(o, &VERDICT_HEADS);
        for [code, statement, standing, verdicts] in rows {
            tr(
                o,
                &[
                    format!("<td class=\"code\">{}</td>", esc(&code)),
                    td(&statement),
                    td(&standing),
                    td(&verdicts),
                ],
            );
        }
        o.push_str("</table>\n");
    }

    o.push_str("<section class=\"matrix\">\n");
    section(o, "matrix");
    let _ = writeln!(o, "<p>{}</p>", esc(&legend()));
    for (i, m) in matrices(data).iter().enumerate() {
        matrix_html(o, i, m);
    }
    o.push_str("</section>\n");

    section(o, "crosswalk");
    o.push_str("<table id=\"crosswalk-table\">\n");
    heads(o, &CROSSWALK_HEADS);
    for row in crosswalk_rows(data) {
        let mut cells = vec![
            td_item(&row.outcome.0, &row.outcome.1),
            td_item(&row.competency.0, &row.competency.1),
        ];
        cells.extend(row.cells.iter().map(|c| td(c)));
        tr(o, &cells);
    }
    o.push_str("</table>\n");

    section(o, "disputes");
    threads(o, data, LinkStatus::Disputed, "No link is disputed.");
    section(o, "rejected");
    threads(o, data, LinkStatus::Rejected, "No link was rejected.");

    o.push_str("</body>\n</html>\n");
    out
}

/// The disputed or rejected links, each with its votes and its comment thread (the reasons).
fn threads(o: &mut String, data: &ReportData, status: LinkStatus, none: &str) {
    let links: Vec<&SessionLink> = data.with_status(status).collect();
    if links.is_empty() {
        let _ = writeln!(o, "<p>{none}</p>");
    }
    for l in links {
        let (a, b) = data.outcome_first(l);
        let _ = writeln!(
            o,
            "<h3><span class=\"code\">{}</span> → <span class=\"code\">{}</span> ({})</h3>",
            esc(a.label()),
            esc(b.label()),
            l.link.association_type
        );
        let _ = writeln!(
            o,
            "<p class=\"muted\">{} — {}</p>",
            esc(&one_line(&a.statement)),
            esc(&one_line(&b.statement))
        );
        let _ = writeln!(o, "<p>Votes: {}</p>", esc(&votes_text(l)));
        let thread = data.threads.get(&l.link.identifier);
        if thread.is_none_or(|t| t.is_empty()) {
            o.push_str("<p class=\"muted\">No reason was given.</p>\n");
            continue;
        }
        o.push_str("<ul class=\"thread\">\n");
        for c in thread.into_iter().flatten() {
            let _ = writeln!(
                o,
                "<li><strong>{}</strong> <span class=\"muted\">{}</span>: {}</li>",
                esc(c.author.as_deref().unwrap_or("unattributed")),
                esc(&crate::store::format_time(c.at)),
                esc(&c.text)
            );
        }
        o.push_str("</ul>\n");
    }
}

/// One matrix: outcomes (code and statement) down, competency codes across, the
/// covered share of each column under it, and the key of competency statements.
fn matrix_html(o: &mut String, i: usize, m: &Matrix) {
    let _ = writeln!(
        o,
        "<h3>{} × {}</h3>",
        esc(&m.outcomes.title),
        esc(&m.competencies.title)
    );
    if m.level == Level::Domains {
        let _ = writeln!(
            o,
            "<p>The competencies make {} columns, too many for a printed page, so this matrix \
             is by domain: each cell holds the links between any items of the two domains \
             (the most pressing status, and how many links when there are several). The \
             coverage tables give every competency.</p>",
            m.leaf_columns
        );
    }
    let _ = writeln!(o, "<table id=\"matrix-{i}\" class=\"matrix\">");
    o.push_str("<thead><tr><th scope=\"col\" class=\"outcome\">Outcome \\ Competency</th>");
    for c in &m.columns {
        let _ = write!(
            o,
            "<th scope=\"col\" class=\"col\" title=\"{}\">{}</th>",
            esc(&one_line(&c.statement)),
            esc(label(c))
        );
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for (r, cells) in m.rows.iter().zip(&m.cells) {
        let mut line = vec![format!(
            "<th scope=\"row\" class=\"outcome\"><span class=\"code\">{}</span> {}</th>",
            esc(label(r)),
            esc(&one_line(&r.statement))
        )];
        line.extend(cells.iter().map(|links| match cell_mark(links) {
            None => "<td></td>".to_string(),
            Some((s, _)) => {
                let kinds: Vec<String> = links
                    .iter()
                    .map(|l| {
                        format!(
                            "{}: {}, {}",
                            l.status, l.link.association_type, l.link.strength
                        )
                    })
                    .collect();
                format!(
                    "<td class=\"{s}\" title=\"{}\">{}</td>",
                    esc(&kinds.join("; ")),
                    cell_text(links)
                )
            }
        }));
        tr(o, &line);
    }
    o.push_str("</tbody>\n</table>\n");
    o.push_str("<ol class=\"key\">\n");
    for c in &m.columns {
        let _ = writeln!(
            o,
            "<li><span class=\"code\">{}</span> {}</li>",
            esc(label(c)),
            esc(&one_line(&c.statement))
        );
    }
    o.push_str("</ol>\n");
}
