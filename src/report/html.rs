//! The report as one self-contained HTML page: inline CSS, no scripts, printable.
//! Every piece of text from the workshop is escaped. Status marks are symbols with a
//! legend (and a tint), never colour alone.
use super::markdown::legend;
use super::matrix::{label, matrices};
use super::tables::{
    CROSSWALK_HEADS, VERDICT_HEADS, aligned_to, coverage_cell, coverage_heading, crosswalk_rows,
    judged,
};
use super::{ReportData, one_line};
use crate::model::{LinkStatus, Side};
use std::fmt::Write;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 70em; padding: 0 1em; color: #111; line-height: 1.4; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #888; margin-top: 2em; } h3 { font-size: 1.05em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; font-size: 0.9em; }
th, td { border: 1px solid #999; padding: 0.2em 0.45em; text-align: left; vertical-align: top; }
th { background: #eee; }
.pct { text-align: right; white-space: nowrap; }
table.matrix td { text-align: center; min-width: 1.4em; }
table.matrix thead th { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
table.matrix thead th:first-child { writing-mode: horizontal-tb; transform: none; }
.agreed { background: #d9f2d9; } .proposed { background: #fff6cc; } .disputed { background: #ffd9b3; } .rejected { background: #eee; color: #555; }
.gap { font-weight: bold; }
.muted { color: #555; }
@media print { body { margin: 0; max-width: none; } h2 { break-before: page; } table { break-inside: auto; } tr { break-inside: avoid; } }
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

fn heads(out: &mut String, names: &[&str]) {
    out.push_str("<thead><tr>");
    for n in names {
        let _ = write!(out, "<th scope=\"col\">{}</th>", esc(n));
    }
    out.push_str("</tr></thead>\n");
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

    o.push_str("<h2 id=\"participants\">Participants</h2>\n");
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

    let _ = writeln!(
        o,
        "<h2 id=\"coverage\">Coverage</h2>\n<p>{}</p>",
        esc(data.validation_sentence())
    );
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
                        "<th scope=\"row\" style=\"padding-left: {}em\">{}</th>",
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

    o.push_str("<h2 id=\"gaps\">Gaps</h2>\n");
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
                "<li><strong>{}</strong> {}</li>",
                esc(n.label()),
                esc(&one_line(&n.statement))
            );
        }
        o.push_str("</ul>\n");
    }

    o.push_str("<h2 id=\"verdicts\">Competency verdicts</h2>\n");
    let rows = judged(data);
    if rows.is_empty() {
        o.push_str("<p>No competency has a verdict.</p>\n");
    } else {
        o.push_str("<table id=\"verdicts-table\">\n");
        heads(o, &VERDICT_HEADS);
        for cells in rows {
            tr(o, &cells.iter().map(|c| td(c)).collect::<Vec<_>>());
        }
        o.push_str("</table>\n");
    }

    let _ = writeln!(
        o,
        "<h2 id=\"matrix\">Coverage matrix</h2>\n<p>{}</p>",
        esc(&legend())
    );
    for (i, m) in matrices(data).iter().enumerate() {
        let _ = writeln!(
            o,
            "<h3>{} × {}</h3>",
            esc(&m.outcomes.title),
            esc(&m.competencies.title)
        );
        let _ = writeln!(o, "<table id=\"matrix-{i}\" class=\"matrix\">");
        o.push_str("<thead><tr><th scope=\"col\">Outcome \\ Competency</th>");
        for c in &m.columns {
            let _ = write!(
                o,
                "<th scope=\"col\" title=\"{}\">{}</th>",
                esc(&one_line(&c.statement)),
                esc(label(c))
            );
        }
        o.push_str("</tr></thead>\n");
        for (r, cells) in m.rows.iter().zip(&m.cells) {
            let mut line = vec![format!(
                "<th scope=\"row\" title=\"{}\">{}</th>",
                esc(&one_line(&r.statement)),
                esc(label(r))
            )];
            line.extend(cells.iter().map(|c| match c {
                None => "<td></td>".to_string(),
                Some(l) => format!(
                    "<td class=\"{s}\" title=\"{s}: {t}, {st}\">{sym}</td>",
                    s = l.status,
                    t = l.link.association_type,
                    st = l.link.strength,
                    sym = l.status.symbol()
                ),
            }));
            tr(o, &line);
        }
        o.push_str("</table>\n");
    }

    o.push_str("<h2 id=\"crosswalk\">Agreed crosswalk</h2>\n<table id=\"crosswalk-table\">\n");
    heads(o, &CROSSWALK_HEADS);
    for cells in crosswalk_rows(data) {
        tr(o, &cells.iter().map(|c| td(c)).collect::<Vec<_>>());
    }
    o.push_str("</table>\n");

    o.push_str("<h2 id=\"disputes\">Open disputes</h2>\n");
    let disputed: Vec<_> = data.with_status(LinkStatus::Disputed).collect();
    if disputed.is_empty() {
        o.push_str("<p>None.</p>\n");
    }
    for l in disputed {
        let (a, b) = data.outcome_first(l);
        let _ = writeln!(
            o,
            "<h3>{} → {} ({})</h3>",
            esc(a.label()),
            esc(b.label()),
            l.link.association_type
        );
        let votes: Vec<String> = l
            .ballots
            .iter()
            .map(|v| format!("{} ({}): {}", v.participant, v.role, v.vote))
            .collect();
        let _ = writeln!(o, "<p>Votes: {}</p>", esc(&votes.join("; ")));
        o.push_str("<ul class=\"thread\">\n");
        for c in data.threads.get(&l.link.identifier).into_iter().flatten() {
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
    o.push_str("</body>\n</html>\n");
    out
}
