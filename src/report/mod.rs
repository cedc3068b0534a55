//! What the session produced, for people who were not in the room: coverage, the
//! coverage matrix, gaps, the agreed crosswalk, open disputes, participants. Written as
//! Markdown, self-contained HTML and CSV (`crosswalk report`), and the links as SSSOM TSV
//! (`crosswalk export --format sssom`).
mod html;
mod links_csv;
mod markdown;
mod matrix;
mod sssom;
mod tables;

pub use html::render_html;
pub use links_csv::{
    BOM, CsvOptions, LINKS_CSV_HEADER, NO_EQUIVALENT, spreadsheet_cell, write_links_csv,
};
pub use markdown::render_markdown;
pub use matrix::{Matrix, matrices};
pub use sssom::{SssomInfo, write_sssom};
pub use tables::{coverage_csv, state_text};

use crate::model::{
    Comment, ConsensusRule, Coverage, Framework, LinkEnd, LinkStatus, Participant, SessionLink,
    Side,
};
use crate::store::{self, Workshop};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// Everything a report shows, gathered once from the workshop.
#[derive(Debug, Clone)]
pub struct ReportData {
    pub title: String,
    /// The day the report was made, `YYYY-MM-DD`.
    pub date: String,
    pub rule: ConsensusRule,
    pub participants: Vec<Participant>,
    /// The frameworks reported on, educator side first.
    pub frameworks: Vec<Framework>,
    /// Links joining the frameworks reported on, of every status.
    pub links: Vec<SessionLink>,
    /// Comment threads of the disputed and rejected links, by link identifier.
    pub threads: HashMap<String, Vec<Comment>>,
    /// Items of the frameworks reported on that were marked "no equivalent".
    pub no_equivalent: Vec<NoEquivalent>,
    pub coverage: Coverage,
    /// True when every competency counts, validated or not.
    pub all: bool,
}

impl ReportData {
    /// Gathers the report for the named frameworks (see [`frameworks_in_scope`]).
    pub fn gather(
        ws: &Workshop,
        names: &[String],
        all: bool,
        date: &str,
    ) -> store::Result<ReportData> {
        let frameworks = frameworks_in_scope(ws, names)?;
        let ids: HashSet<&str> = frameworks.iter().map(|f| f.identifier.as_str()).collect();
        let links: Vec<SessionLink> = ws
            .session_links()?
            .into_iter()
            .filter(|l| {
                ids.contains(l.link.origin.framework_identifier.as_str())
                    && ids.contains(l.link.destination.framework_identifier.as_str())
            })
            .collect();
        let mut threads = HashMap::new();
        for l in links
            .iter()
            .filter(|l| matches!(l.status, LinkStatus::Disputed | LinkStatus::Rejected))
        {
            threads.insert(l.link.identifier.clone(), ws.comments(&l.link.identifier)?);
        }
        let coverage = coverage_of(ws, &frameworks, &links, all)?;
        let no_equivalent = no_equivalents(ws, &frameworks)?;
        let titles: Vec<&str> = frameworks.iter().map(|f| f.title.as_str()).collect();
        Ok(ReportData {
            title: format!("Crosswalk report: {}", titles.join(" / ")),
            date: date.to_string(),
            rule: ws.consensus_rule()?,
            participants: ws.participants()?,
            frameworks,
            links,
            threads,
            no_equivalent,
            coverage,
            all,
        })
    }

    pub fn with_status(&self, status: LinkStatus) -> impl Iterator<Item = &SessionLink> {
        self.links.iter().filter(move |l| l.status == status)
    }

    /// A link's ends, the outcome first (links may be drawn in either direction).
    pub fn outcome_first<'a>(&self, l: &'a SessionLink) -> (&'a LinkEnd, &'a LinkEnd) {
        let employer_origin = self.frameworks.iter().any(|f| {
            f.side == Side::Employer && f.identifier == l.link.origin.framework_identifier
        });
        if employer_origin {
            (&l.link.destination, &l.link.origin)
        } else {
            (&l.link.origin, &l.link.destination)
        }
    }

    /// A sentence on how links become agreed in this workshop.
    pub fn rule_sentence(&self) -> String {
        if self.participants.is_empty() {
            "No participants are recorded, so there is no consensus process: every link counts as agreed.".into()
        } else {
            format!(
                "Consensus rule \"{}\": {}.",
                self.rule,
                self.rule.describe()
            )
        }
    }

    /// A sentence on which competencies coverage counts.
    pub fn validation_sentence(&self) -> &'static str {
        if self.all {
            "Every competency is counted, validated or not."
        } else {
            "Where employer SMEs have validated competencies of a framework, only validated competencies are counted; \
             a framework with no validations recorded counts every competency."
        }
    }
}

/// An item the room marked as having no equivalent on the other side.
#[derive(Debug, Clone, PartialEq)]
pub struct NoEquivalent {
    pub item: LinkEnd,
    pub framework_title: String,
    pub side: Side,
    /// Who marked it and when, from the history (unknown for marks made before
    /// crosswalk recorded them).
    pub by: Option<String>,
    pub at: Option<time::OffsetDateTime>,
}

/// Every item of `frameworks` marked "no equivalent", in framework and tree order.
pub fn no_equivalents(ws: &Workshop, frameworks: &[Framework]) -> store::Result<Vec<NoEquivalent>> {
    let mut out = Vec::new();
    for fw in frameworks {
        for it in fw.items.iter().filter(|it| it.no_equivalent) {
            let marked = ws
                .history(&store::HistoryFilter::Item(it.identifier.clone()))?
                .into_iter()
                .rfind(|e| e.action == "marked no equivalent");
            out.push(NoEquivalent {
                item: LinkEnd {
                    item_identifier: it.identifier.clone(),
                    item_uri: it.uri.clone(),
                    code: it.code.clone(),
                    statement: it.statement.clone(),
                    framework_identifier: fw.identifier.clone(),
                },
                framework_title: fw.title.clone(),
                side: fw.side,
                by: marked.as_ref().and_then(|e| e.actor.clone()),
                at: marked.map(|e| e.at),
            });
        }
    }
    Ok(out)
}

/// Every framework of the workshop, loaded.
pub fn all_frameworks(ws: &Workshop) -> store::Result<Vec<Framework>> {
    ws.frameworks()?
        .iter()
        .map(|f| ws.load_framework(f.id))
        .collect()
}

/// The named frameworks (by number, identifier or title); with none named, those taking
/// part in at least one link, or every framework when there are no links yet.
pub fn frameworks_in_scope(ws: &Workshop, names: &[String]) -> store::Result<Vec<Framework>> {
    let summaries = if names.is_empty() {
        let all = ws.frameworks()?;
        let linked: Vec<_> = all.iter().filter(|f| f.links > 0).cloned().collect();
        if linked.is_empty() { all } else { linked }
    } else {
        names
            .iter()
            .map(|n| ws.find_framework(n))
            .collect::<store::Result<Vec<_>>>()?
    };
    let mut frameworks = summaries
        .iter()
        .map(|f| ws.load_framework(f.id))
        .collect::<store::Result<Vec<_>>>()?;
    frameworks.dedup_by_key(|f| f.id);
    frameworks.sort_by_key(|f| (f.side != Side::Educator, f.id));
    Ok(frameworks)
}

/// Coverage of `frameworks` by the agreed links among `links` (the store works it out).
pub fn coverage_of(
    ws: &Workshop,
    frameworks: &[Framework],
    links: &[SessionLink],
    all: bool,
) -> store::Result<Coverage> {
    ws.coverage(frameworks, links, all)
}

/// Writes report.md, report.html, coverage-outcomes.csv and coverage-competencies.csv
/// into `dir` (made if missing), each atomically; returns the paths written.
pub fn write_report(dir: &Path, data: &ReportData) -> anyhow::Result<Vec<PathBuf>> {
    use anyhow::Context;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the report folder {}", dir.display()))?;
    let files = [
        ("report.md", render_markdown(data).into_bytes()),
        ("report.html", render_html(data).into_bytes()),
        (
            "coverage-outcomes.csv",
            coverage_csv(&data.coverage, Side::Educator)?,
        ),
        (
            "coverage-competencies.csv",
            coverage_csv(&data.coverage, Side::Employer)?,
        ),
    ];
    let mut written = Vec::new();
    for (name, bytes) in files {
        let path = dir.join(name);
        crate::files::write_file(&path, &bytes)?;
        written.push(path);
    }
    Ok(written)
}

/// Statements may hold newlines; a table cell shows each on one line. Control
/// characters from imported text (escape sequences, NULs) are dropped, so they reach
/// neither a terminal showing report.md nor a browser.
fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().filter(|c| !c.is_control()));
    }
    out
}

#[cfg(test)]
pub(crate) mod tests;
