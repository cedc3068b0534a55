//! The crosswalk as a workbook people review in Excel: one row per link with both items'
//! codes and statements, the type and strength, its status, the votes, the note and the
//! comment thread.
use super::MAX_CELL_CHARS;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};

/// One link, as the review sheet shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewRow {
    pub origin_framework: String,
    pub origin_code: String,
    pub origin_statement: String,
    pub association_type: String,
    pub strength: String,
    pub destination_framework: String,
    pub destination_code: String,
    pub destination_statement: String,
    /// agreed, proposed, disputed or rejected.
    pub status: String,
    pub accepts: usize,
    pub disputes: usize,
    pub rejects: usize,
    /// Who voted what: `Ana (faculty): accept; Sam (employer-sme): dispute`.
    pub votes: String,
    pub note: String,
    /// The comment thread, one comment a line.
    pub comments: String,
    pub link_identifier: String,
}

const COLUMNS: [(&str, f64); 16] = [
    ("origin framework", 18.0),
    ("origin code", 12.0),
    ("origin statement", 50.0),
    ("type", 14.0),
    ("strength", 9.0),
    ("destination framework", 18.0),
    ("destination code", 12.0),
    ("destination statement", 50.0),
    ("status", 10.0),
    ("accepts", 8.0),
    ("disputes", 8.0),
    ("rejects", 8.0),
    ("votes", 30.0),
    ("note", 30.0),
    ("comments", 40.0),
    ("link identifier", 38.0),
];

/// A further sheet of text: a header row, then rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextSheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

/// The review workbook: a `Links` sheet, its header frozen and filterable, then `more`
/// sheets (the coverage tables). Text is written as text (never a formula), cut to what
/// an Excel cell holds.
pub fn export_review_workbook(
    title: &str,
    rows: &[ReviewRow],
    more: &[TextSheet],
) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| e.to_string())?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(title),
    );
    let sheet = book
        .add_worksheet()
        .set_name("Links")
        .map_err(|e| e.to_string())?;
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let err = |e: rust_xlsxwriter::XlsxError| e.to_string();
    for (col, (name, width)) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *name, &bold)
            .map_err(err)?;
        sheet.set_column_width(col as u16, *width).map_err(err)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| "too many links for a sheet".to_string())?;
        let texts = [
            &r.origin_framework,
            &r.origin_code,
            &r.origin_statement,
            &r.association_type,
            &r.strength,
            &r.destination_framework,
            &r.destination_code,
            &r.destination_statement,
            &r.status,
        ];
        for (col, text) in texts.into_iter().enumerate() {
            sheet
                .write_string_with_format(row, col as u16, fit(text), &wrap)
                .map_err(err)?;
        }
        for (col, n) in [(9, r.accepts), (10, r.disputes), (11, r.rejects)] {
            sheet.write_number(row, col, n as f64).map_err(err)?;
        }
        for (col, text) in [
            (12, &r.votes),
            (13, &r.note),
            (14, &r.comments),
            (15, &r.link_identifier),
        ] {
            sheet
                .write_string_with_format(row, col, fit(text), &wrap)
                .map_err(err)?;
        }
    }
    sheet.set_freeze_panes(1, 0).map_err(err)?;
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    sheet
        .autofilter(0, 0, last_row, COLUMNS.len() as u16 - 1)
        .map_err(err)?;
    for extra in more {
        let sheet = book
            .add_worksheet()
            .set_name(&extra.name)
            .map_err(|e| format!("sheet `{}`: {e}", extra.name))?;
        for (r, cells) in extra.rows.iter().enumerate() {
            let row = u32::try_from(r).map_err(|_| "too many rows for a sheet".to_string())?;
            for (c, text) in cells.iter().enumerate() {
                let col = u16::try_from(c).map_err(|_| "too many columns".to_string())?;
                if r == 0 {
                    sheet
                        .write_string_with_format(row, col, fit(text), &bold)
                        .map_err(err)?;
                } else if !text.is_empty() {
                    sheet.write_string(row, col, fit(text)).map_err(err)?;
                }
            }
        }
        if !extra.rows.is_empty() {
            sheet.set_freeze_panes(1, 0).map_err(err)?;
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// The text, cut (with an ellipsis) to what one cell holds.
fn fit(text: &str) -> String {
    if text.chars().count() <= MAX_CELL_CHARS {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(MAX_CELL_CHARS - 1).collect();
    cut.push('\u{2026}');
    cut
}
