//! The crosswalk as CSV for review in a spreadsheet: one row per link with its status,
//! the current votes and who reviewed it, frameworks by title, and one row per item the
//! room marked as having no equivalent on the other side.
//!
//! Spreadsheets are where these files are opened, so two things are done for them:
//! a UTF-8 byte-order mark first (without it Excel on Windows reads UTF-8 as a legacy
//! code page and garbles every accent; `--no-bom` leaves it out), and every cell that
//! starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, as
//! OWASP recommends against CSV (formula) injection: a note typed as `=HYPERLINK(...)`
//! is shown as text instead of being run.
use super::NoEquivalent;
use crate::model::SessionLink;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::Write;

/// The header of [`write_links_csv`].
pub const LINKS_CSV_HEADER: [&str; 17] = [
    "link identifier",
    "status",
    "origin framework",
    "origin code",
    "origin statement",
    "association type",
    "strength",
    "destination framework",
    "destination code",
    "destination statement",
    "note",
    "votes",
    "reviewed by",
    "asserted by",
    "basis",
    "created",
    "changed",
];

/// The status cell of a "no equivalent" row.
pub const NO_EQUIVALENT: &str = "no equivalent";

/// The UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A cell as a spreadsheet may safely read it: text starting with a character that
/// would make it a formula gets a leading `'` (OWASP's CSV injection advice).
pub fn spreadsheet_cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes one CSV record with every cell made safe for a spreadsheet.
pub(super) fn safe_record<W: Write, S: AsRef<str>>(
    w: &mut csv::Writer<W>,
    cells: &[S],
) -> csv::Result<()> {
    w.write_record(
        cells
            .iter()
            .map(|c| spreadsheet_cell(c.as_ref()).into_owned()),
    )
}

/// Options of [`write_links_csv`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark (for Excel).
    pub bom: bool,
}

/// Writes the links (and "no equivalent" decisions) as CSV. `titles` maps framework
/// identifiers to titles; times are RFC 3339 in UTC. A "no equivalent" row names the
/// item in the origin columns, has the status `no equivalent`, and gives who marked it
/// and when as its `asserted by` and `changed`, when the history knows.
pub fn write_links_csv(
    links: &[SessionLink],
    no_equivalent: &[NoEquivalent],
    titles: &HashMap<String, String>,
    options: CsvOptions,
    mut out: impl Write,
) -> csv::Result<()> {
    if options.bom {
        out.write_all(BOM)?;
    }
    let mut w = csv::Writer::from_writer(out);
    w.write_record(LINKS_CSV_HEADER)?;
    let title = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_string());
    let time = crate::store::format_time;
    for sl in links {
        let (l, p) = (&sl.link, &sl.provenance);
        let votes: Vec<String> = sl
            .ballots
            .iter()
            .map(|b| format!("{} ({}): {}", b.participant, b.role, b.vote))
            .collect();
        safe_record(
            &mut w,
            &[
                l.identifier.clone(),
                sl.status.to_string(),
                title(&l.origin.framework_identifier),
                l.origin.code.clone(),
                l.origin.statement.clone(),
                l.association_type.to_string(),
                l.strength.to_string(),
                title(&l.destination.framework_identifier),
                l.destination.code.clone(),
                l.destination.statement.clone(),
                l.note.clone(),
                votes.join("; "),
                p.reviewed_by.join("; "),
                p.asserted_by.clone().unwrap_or_default(),
                p.basis.to_string(),
                time(l.created),
                time(l.changed),
            ],
        )?;
    }
    for n in no_equivalent {
        safe_record(
            &mut w,
            &[
                String::new(),
                NO_EQUIVALENT.to_string(),
                n.framework_title.clone(),
                n.item.code.clone(),
                n.item.statement.clone(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                format!("no equivalent on the {} side", n.side.other()),
                String::new(),
                String::new(),
                n.by.clone().unwrap_or_default(),
                String::new(),
                String::new(),
                n.at.map(time).unwrap_or_default(),
            ],
        )?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_would_run_as_formulas_are_made_text() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(spreadsheet_cell(bad), format!("'{bad}"));
        }
        for fine in ["", "a=b", "CHW.C.1", "'quoted", " =x"] {
            assert_eq!(spreadsheet_cell(fine), fine);
        }
    }
}
