//! Links drafted before the session, read from a CSV file (`crosswalk import-links`).
//! Every row is checked before anything is written; a real run adds all new links in
//! one transaction, or none when any row is wrong.
use super::{NewLink, Result, StoreError, Workshop};
use crate::model::{AssociationType, Basis, Strength};
use std::collections::HashSet;

/// One row of the file, as read (line numbers count the header as line 1).
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRow {
    pub line: u64,
    pub origin: String,
    pub destination: String,
    pub new: NewLink,
}

/// What importing the file does (or, on a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DraftReport {
    /// Rows that add a link.
    pub added: Vec<DraftRow>,
    /// Rows whose two items are already linked (in the workshop or earlier in the file).
    pub already_there: Vec<DraftRow>,
    /// Rows that cannot be used, each with its line and why.
    pub problems: Vec<Problem>,
}

impl DraftReport {
    pub fn summary(&self, dry_run: bool) -> String {
        let verb = if dry_run { "would add" } else { "added" };
        let mut out = String::new();
        for row in &self.added {
            out += &format!(
                "line {}: {verb} {} -> {}\n",
                row.line, row.origin, row.destination
            );
        }
        for row in &self.already_there {
            out += &format!(
                "line {}: already linked: {} -> {}\n",
                row.line, row.origin, row.destination
            );
        }
        for (line, why) in &self.problems {
            out += &format!("line {line}: {why}\n");
        }
        out += &format!(
            "{}: {} {verb}, {} already there, {} with problems\n",
            if dry_run {
                "dry run, nothing written"
            } else {
                "links imported"
            },
            self.added.len(),
            self.already_there.len(),
            self.problems.len()
        );
        out
    }
}

/// A row that cannot be used: its line and why.
pub type Problem = (u64, String);

/// Finds a column by any of its names, ignoring case, spaces, underscores and hyphens.
fn column(headers: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    headers
        .iter()
        .position(|h| names.iter().any(|n| norm(h) == norm(n)))
}

/// Reads the rows: `origin` and `destination` (codes or identifiers) are required;
/// `type`, `note`, `strength`, `confidence` and `author` are optional.
pub fn parse_drafts(
    bytes: &[u8],
    name: &str,
) -> std::result::Result<(Vec<DraftRow>, Vec<Problem>), String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers = reader
        .headers()
        .map_err(|e| format!("{name}: {e}"))?
        .clone();
    let find = |names: &[&str]| column(&headers, names);
    let (Some(o), Some(d)) = (
        find(&["origin", "from", "outcome", "subject"]),
        find(&["destination", "to", "competency", "object"]),
    ) else {
        return Err(format!(
            "{name}: needs `origin` and `destination` columns (item codes or identifiers); found: {}",
            headers.iter().collect::<Vec<_>>().join(", ")
        ));
    };
    let (t, n, s, c, a) = (
        find(&["type", "association type", "associationType"]),
        find(&["note", "rationale", "comment"]),
        find(&["strength"]),
        find(&["confidence"]),
        find(&["author", "asserted by"]),
    );
    // A file that says a link was disputed or rejected (an edited export, say) must not
    // bring it in as a draft, which a workshop without participants counts as agreed.
    let status = find(&["status"]);
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    for record in reader.records() {
        let record = record.map_err(|e| format!("{name}: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: Option<usize>| {
            i.and_then(|i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_string()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let parsed = (|| -> std::result::Result<NewLink, String> {
            match cell(status).to_ascii_lowercase().as_str() {
                "" | "proposed" | "agreed" => {}
                other => {
                    return Err(format!(
                        "status `{other}`: only links still to be agreed are drafted; an import never agrees a link"
                    ));
                }
            }
            let association_type = match cell(t).as_str() {
                "" => None,
                ty => {
                    let t = ty.parse::<AssociationType>()?;
                    if let Some(why) = t.link_type_refusal() {
                        return Err(why.to_string());
                    }
                    Some(t)
                }
            };
            let strength = match cell(s).as_str() {
                "" => Strength::Major,
                st => st.parse()?,
            };
            let confidence = match cell(c).as_str() {
                "" => None,
                v => Some(
                    v.parse::<f64>()
                        .ok()
                        .filter(|v| (0.0..=1.0).contains(v))
                        .ok_or_else(|| format!("confidence `{v}` is not a number from 0 to 1"))?,
                ),
            };
            let author = cell(a);
            Ok(NewLink {
                origin: cell(Some(o)),
                destination: cell(Some(d)),
                association_type,
                note: cell(n),
                strength,
                basis: Basis::Imported,
                confidence,
                asserted_by: (!author.is_empty()).then_some(author),
            })
        })();
        match parsed {
            Ok(new) if new.origin.is_empty() || new.destination.is_empty() => {
                problems.push((line, "origin and destination are both needed".to_string()))
            }
            Ok(new) => rows.push(DraftRow {
                line,
                origin: new.origin.clone(),
                destination: new.destination.clone(),
                new,
            }),
            Err(why) => problems.push((line, why)),
        }
    }
    Ok((rows, problems))
}

impl Workshop {
    /// Sorts the rows into new links, links already there, and rows naming unknown
    /// items; unless `dry_run`, then adds the new links in one transaction. A real run
    /// with any problem row writes nothing (the report says which lines to fix).
    pub fn import_drafts(
        &mut self,
        rows: Vec<DraftRow>,
        mut problems: Vec<Problem>,
        dry_run: bool,
    ) -> Result<DraftReport> {
        let mut report = DraftReport::default();
        let mut seen: HashSet<(i64, i64)> = HashSet::new();
        for row in rows {
            let ends = (
                self.find_item(&row.origin),
                self.find_item(&row.destination),
            );
            let (o, d) = match ends {
                (Ok(o), Ok(d)) => (o, d),
                (o, d) => {
                    let why: Vec<String> = [o.err(), d.err()]
                        .into_iter()
                        .flatten()
                        .map(|e| e.to_string())
                        .collect();
                    problems.push((row.line, why.join("; ")));
                    continue;
                }
            };
            if o.framework_id == d.framework_id {
                problems.push((
                    row.line,
                    format!(
                        "{} and {} are in the same framework",
                        row.origin, row.destination
                    ),
                ));
                continue;
            }
            let pair = (o.row_id.min(d.row_id), o.row_id.max(d.row_id));
            if !seen.insert(pair)
                || self
                    .link_between(&o.end.item_identifier, &d.end.item_identifier)?
                    .is_some()
            {
                report.already_there.push(row);
            } else {
                // Name the items exactly, so a code shared by two frameworks cannot mislead.
                let new = NewLink {
                    origin: o.end.item_identifier,
                    destination: d.end.item_identifier,
                    ..row.new.clone()
                };
                report.added.push(DraftRow { new, ..row });
            }
        }
        problems.sort();
        report.problems = problems;
        if dry_run {
            return Ok(report);
        }
        if !report.problems.is_empty() {
            return Err(StoreError::Refused(format!(
                "nothing imported; fix these lines (--dry-run lists every row):\n{}",
                report
                    .problems
                    .iter()
                    .map(|(l, why)| format!("line {l}: {why}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            )));
        }
        self.in_transaction(|ws| {
            report
                .added
                .iter()
                .try_for_each(|row| ws.create_link_here(&row.new).map(|_| ()))
        })?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_drafts;
    use crate::model::{Basis, HistoryEntry};
    use crate::store::HistoryFilter;
    use crate::store::session::test_support::two_frameworks;

    const FILE: &str = "Origin,Destination,Type,Note,Strength,Confidence\n\
        E1.1,J1.1,isRelatedTo,from the syllabus,minor,0.8\n\
        E1.1,NOPE,,,,\n\
        e-12,j-12,,,,\n\
        E1.1,J1.1,,,,\n\
        E1.2,J1.2,sameAs,,,\n";

    #[test]
    fn a_dry_run_sorts_rows_and_writes_nothing() {
        let mut ws = two_frameworks();
        let (rows, problems) = parse_drafts(FILE.as_bytes(), "drafts.csv").unwrap();
        assert_eq!(problems.len(), 1, "{problems:?}");
        let report = ws
            .import_drafts(rows.clone(), problems.clone(), true)
            .unwrap();
        let lines = |rows: &[super::DraftRow]| rows.iter().map(|r| r.line).collect::<Vec<_>>();
        assert_eq!(lines(&report.added), [2, 4]);
        assert_eq!(lines(&report.already_there), [5]);
        let bad: Vec<_> = report.problems.iter().map(|(l, _)| *l).collect();
        assert_eq!(bad, [3, 6]);
        assert!(report.problems[0].1.contains("NOPE"));
        assert!(
            report.summary(true).contains(
                "dry run, nothing written: 2 would add, 1 already there, 2 with problems"
            )
        );
        assert!(ws.links().unwrap().is_empty());
        // A real run with problems writes nothing either.
        assert!(
            ws.import_drafts(rows, problems, false)
                .unwrap_err()
                .to_string()
                .contains("line 3:")
        );
        assert!(ws.links().unwrap().is_empty());
    }

    #[test]
    fn a_real_run_adds_every_new_link_with_its_provenance() {
        let mut ws = two_frameworks();
        let good: String = FILE
            .lines()
            .take(2)
            .chain(FILE.lines().skip(3).take(1))
            .map(|l| format!("{l}\n"))
            .collect();
        let (rows, problems) = parse_drafts(good.as_bytes(), "drafts.csv").unwrap();
        let report = ws.import_drafts(rows, problems, false).unwrap();
        assert_eq!(report.added.len(), 2);
        let links = ws.session_links().unwrap();
        assert_eq!(links.len(), 2);
        let first = links.iter().find(|l| l.link.origin.code == "E1.1").unwrap();
        assert_eq!(
            (first.provenance.basis, first.provenance.confidence),
            (Basis::Imported, Some(0.8))
        );
        assert_eq!(first.link.note, "from the syllabus");
        let log: Vec<HistoryEntry> = ws.history(&HistoryFilter::All).unwrap();
        assert!(
            log.iter()
                .filter(|e| e.action != "framework imported")
                .all(|e| e.action == "created" && e.details["basis"] == "imported")
        );
        let err = parse_drafts(b"a,b\n1,2\n", "x.csv").unwrap_err();
        assert!(err.contains("needs `origin` and `destination`"), "{err}");
    }
}
