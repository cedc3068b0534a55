//! Reading OpenSALT's workbook. The `CF Item` sheet is read as the spreadsheet importer
//! reads a CSV (the same columns, `smartLevel` for the tree), so the two layouts agree;
//! `CF Doc` gives the document and `CF Association` the associations besides the tree.
use super::{ASSOCIATION_SHEET, DOC_SHEET, ITEM_SHEET};
use crate::case::csv_import::{CsvOptions, parse_csv_limited};
use crate::case::input::{check_size, stable_uri};
use crate::case::{Association, ImportError, MAX_INPUT_BYTES, NodeRef, Package};
use crate::model::AssociationType;
use calamine::{Data, Range, Reader, Xlsx};
use serde_json::{Map, Value, json};
use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use uuid::Uuid;

/// Parses an OpenSALT workbook. `options` gives what the `CF Doc` sheet leaves out (and
/// `--title`/`--creator`, which win over it).
pub fn parse_workbook(
    bytes: &[u8],
    source_name: &str,
    options: &CsvOptions,
) -> Result<Package, ImportError> {
    check_size(bytes, source_name, MAX_INPUT_BYTES)?;
    let fail = |m: String| ImportError::invalid(source_name, m);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes))
        .map_err(|e| fail(format!("not an Excel workbook (.xlsx): {e}")))?;
    let names = book.sheet_names();
    let sheet = |book: &mut Xlsx<_>, name: &str| -> Result<Option<Table>, ImportError> {
        if !names.iter().any(|n| n == name) {
            return Ok(None);
        }
        let range = book
            .worksheet_range(name)
            .map_err(|e| fail(format!("sheet `{name}`: {e}")))?;
        Ok(Some(Table::new(&range)))
    };
    let Some(items) = sheet(&mut book, ITEM_SHEET)? else {
        return Err(fail(format!(
            "no `{ITEM_SHEET}` sheet (OpenSALT's layout has `{DOC_SHEET}`, `{ITEM_SHEET}` and `{ASSOCIATION_SHEET}`; this workbook has {})",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    };
    let doc = sheet(&mut book, DOC_SHEET)?;
    let associations = sheet(&mut book, ASSOCIATION_SHEET)?;

    // The document: row 2 of `CF Doc`, by header.
    let doc_cell = |name: &str| doc.as_ref().map(|d| d.cell(1, name)).unwrap_or_default();
    let mut csv_options = options.clone();
    if options.title.is_none() && !doc_cell("title").is_empty() {
        csv_options.title = Some(doc_cell("title"));
    }
    if options.creator.is_none() && !doc_cell("creator").is_empty() {
        csv_options.creator = Some(doc_cell("creator"));
    }
    if !doc_cell("lastChangeDate").is_empty() {
        csv_options.imported_at = doc_cell("lastChangeDate");
    }
    if !doc_cell("identifier").is_empty() {
        csv_options.document_identifier = Some(doc_cell("identifier"));
    }

    let item_source = format!("{source_name} [{ITEM_SHEET}]");
    let (csv, rows_of_lines) = items.to_csv();
    let mut pkg = parse_csv_limited(&csv, &item_source, usize::MAX, &csv_options).map_err(|e| {
        match e {
            // Lines of the CSV made from the sheet are rows of the sheet.
            ImportError::Syntax {
                source_name,
                line,
                column,
                message,
            } => ImportError::Syntax {
                source_name,
                line: rows_of_lines.get(line).copied().unwrap_or(line),
                column,
                message,
            },
            other => other,
        }
    })?;
    // Rows of the tree are the sheet's rows; say "row" rather than "line".
    for w in &mut pkg.warnings {
        *w = w.replace("line ", "row ");
    }

    let fw = &mut pkg.framework;
    let mut raw = Map::new();
    raw.insert("identifier".into(), Value::from(fw.identifier.as_str()));
    raw.insert("uri".into(), Value::from(fw.uri.as_str()));
    raw.insert("title".into(), Value::from(fw.title.as_str()));
    raw.insert("creator".into(), Value::from(fw.creator.as_str()));
    if !csv_options.imported_at.is_empty() {
        raw.insert(
            "lastChangeDateTime".into(),
            Value::from(csv_options.imported_at.as_str()),
        );
    }
    for key in [
        "officialSourceURL",
        "publisher",
        "description",
        "language",
        "version",
        "adoptionStatus",
        "statusStartDate",
        "statusEndDate",
        "notes",
    ] {
        let v = doc_cell(key);
        if !v.is_empty() {
            raw.insert(key.into(), Value::from(v));
        }
    }
    let subject = doc_cell("subject");
    if !subject.is_empty() {
        let list: Vec<Value> = subject
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Value::from)
            .collect();
        raw.insert("subject".into(), Value::Array(list));
    }
    let license = doc_cell("licenseTitle");
    if !license.is_empty() {
        let id = Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("urn:crosswalk:license:{license}").as_bytes(),
        )
        .to_string();
        let uri = format!("urn:uuid:{id}");
        raw.insert(
            "licenseURI".into(),
            json!({"title": license, "identifier": id, "uri": uri}),
        );
        let mut entry = json!({"identifier": id, "uri": uri, "title": license,
                               "licenseText": doc_cell("licenseText")});
        if !csv_options.imported_at.is_empty() {
            entry["lastChangeDateTime"] = Value::from(csv_options.imported_at.as_str());
        }
        pkg.definitions = Some(json!({ "CFLicenses": [entry] }).to_string());
    }
    fw.raw = Some(Value::Object(raw).to_string());

    if let Some(table) = associations {
        let source = format!("{source_name} [{ASSOCIATION_SHEET}]");
        adopt_tree_rows(&table, &mut pkg);
        read_associations(&table, &source, &mut pkg)?;
        // In the sheet's order; the tree's associations it has no row for come last.
        let rows: HashMap<String, usize> = (1..table.rows.len())
            .map(|r| (table.cell(r, "identifier"), r))
            .filter(|(id, _)| !id.is_empty())
            .collect();
        pkg.associations
            .sort_by_key(|a| rows.get(&a.identifier).copied().unwrap_or(usize::MAX));
    }
    Ok(pkg)
}

/// What the `isChildOf` rows of `CF Association` say about the tree `smartLevel` built:
/// the identifiers of its associations, and the uris of the items and the document
/// (which `CF Item` and `CF Doc` have no column for).
fn adopt_tree_rows(table: &Table, pkg: &mut Package) {
    let mut uris: HashMap<String, String> = HashMap::new();
    let mut tree_ids: HashMap<(String, String), String> = HashMap::new();
    for row in 1..table.rows.len() {
        let cell = |name: &str| table.cell(row, name);
        for (id, uri) in [
            ("originNodeIdentifier", "originNodeURI"),
            ("destinationNodeIdentifier", "destinationNodeURI"),
        ] {
            let (id, uri) = (cell(id), cell(uri));
            if !id.is_empty() && !uri.is_empty() {
                uris.entry(id).or_insert(uri);
            }
        }
        let is_child_of =
            cell("associationType").parse::<AssociationType>() == Ok(AssociationType::IsChildOf);
        if is_child_of && !cell("identifier").is_empty() {
            tree_ids
                .entry((
                    cell("originNodeIdentifier"),
                    cell("destinationNodeIdentifier"),
                ))
                .or_insert(cell("identifier"));
        }
    }
    let fw = &mut pkg.framework;
    for item in &mut fw.items {
        if crate::case::is_made_item_uri(&item.uri, &item.identifier)
            && let Some(uri) = uris.get(&item.identifier)
        {
            item.uri = uri.clone();
        }
    }
    if fw.uri == stable_uri("document", &fw.identifier)
        && let Some(uri) = uris.get(&fw.identifier)
    {
        fw.uri = uri.clone();
        if let Some(raw) = &fw.raw
            && let Ok(Value::Object(mut doc)) = serde_json::from_str::<Value>(raw)
        {
            doc.insert("uri".into(), Value::from(uri.as_str()));
            fw.raw = Some(Value::Object(doc).to_string());
        }
    }
    let uri_of: HashMap<&str, &str> = std::iter::once((fw.identifier.as_str(), fw.uri.as_str()))
        .chain(
            fw.items
                .iter()
                .map(|i| (i.identifier.as_str(), i.uri.as_str())),
        )
        .collect();
    for a in &mut pkg.associations {
        if a.association_type != AssociationType::IsChildOf.as_str() {
            continue;
        }
        let Ok(Value::Object(mut raw)) = serde_json::from_str::<Value>(&a.raw) else {
            continue;
        };
        for (key, end) in [
            ("originNodeURI", &mut a.origin),
            ("destinationNodeURI", &mut a.destination),
        ] {
            if let Some(uri) = uri_of.get(end.identifier.as_str()) {
                end.uri = uri.to_string();
                raw[key]["uri"] = Value::from(*uri);
            }
        }
        let key = (
            a.origin.identifier.clone(),
            a.destination.identifier.clone(),
        );
        if let Some(id) = tree_ids.get(&key) {
            a.identifier = id.clone();
            raw.insert("identifier".into(), Value::from(id.as_str()));
            raw.insert("uri".into(), Value::from(stable_uri("association", id)));
        }
        a.raw = Value::Object(raw).to_string();
    }
}

/// The `CF Association` rows besides the tree (OpenSALT, too, takes the tree from
/// `smartLevel` and skips the `isChildOf` rows of items of the workbook).
fn read_associations(table: &Table, source: &str, pkg: &mut Package) -> Result<(), ImportError> {
    let fw = &pkg.framework;
    let items: HashMap<&str, usize> = fw
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.identifier.as_str(), i))
        .collect();
    let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, fw.identifier.as_bytes());
    let mut seen: HashSet<String> = pkg
        .associations
        .iter()
        .map(|a| a.identifier.clone())
        .collect();
    let mut added = Vec::new();
    for row in 1..table.rows.len() {
        let cell = |name: &str| table.cell(row, name);
        if table.rows[row].iter().all(String::is_empty) {
            continue;
        }
        let kind = cell("associationType");
        let fail = |m: String| ImportError::Syntax {
            source_name: source.to_string(),
            line: row + 1,
            column: 1,
            message: m,
        };
        // A CASE 1.1 extension type (`ext:…`) is kept as written.
        let parsed = kind.parse::<AssociationType>().ok();
        let kind = match parsed {
            Some(t) => t.as_str().to_string(),
            None if kind.starts_with("ext:") && kind.len() > 4 => kind,
            None => return Err(fail(format!("unknown associationType `{kind}`"))),
        };
        let end = |id_col: &str, uri_col: &str, code_col: &str| -> NodeRef {
            let mut identifier = cell(id_col);
            let uri = cell(uri_col);
            if identifier.is_empty() {
                identifier = uri.rsplit('/').next().unwrap_or_default().to_string();
            }
            let item = items.get(identifier.as_str()).map(|&i| &fw.items[i]);
            let uri = match (uri.is_empty(), item) {
                (false, _) => uri,
                (true, Some(it)) => it.uri.clone(),
                (true, None) if identifier == fw.identifier => fw.uri.clone(),
                (true, None) => stable_uri("node", &identifier),
            };
            let code = cell(code_col);
            let title = if !code.is_empty() {
                code
            } else if let Some(it) = item {
                if it.code.is_empty() {
                    it.statement.clone()
                } else {
                    it.code.clone()
                }
            } else {
                identifier.clone()
            };
            NodeRef {
                identifier,
                uri,
                title,
            }
        };
        let origin = end(
            "originNodeIdentifier",
            "originNodeURI",
            "originNodeHumanCodingScheme",
        );
        let destination = end(
            "destinationNodeIdentifier",
            "destinationNodeURI",
            "destinationNodeHumanCodingScheme",
        );
        if origin.identifier.is_empty() || destination.identifier.is_empty() {
            return Err(fail(
                "an association needs an origin and a destination (identifier or URI)".into(),
            ));
        }
        if parsed == Some(AssociationType::IsChildOf)
            && items.contains_key(origin.identifier.as_str())
        {
            continue;
        }
        let mut identifier = cell("identifier");
        if identifier.is_empty() {
            let name = format!("{kind}|{}|{}", origin.identifier, destination.identifier);
            identifier = Uuid::new_v5(&namespace, name.as_bytes()).to_string();
        }
        if !seen.insert(identifier.clone()) {
            continue;
        }
        let link =
            |n: &NodeRef| json!({"title": n.title, "identifier": n.identifier, "uri": n.uri});
        let mut raw = Map::new();
        raw.insert("identifier".into(), Value::from(identifier.as_str()));
        raw.insert("associationType".into(), Value::from(kind.as_str()));
        raw.insert("originNodeURI".into(), link(&origin));
        raw.insert("destinationNodeURI".into(), link(&destination));
        let group_id = cell("associationGroupIdentifier");
        let grouping = (!group_id.is_empty()).then(|| NodeRef {
            uri: stable_uri("association-grouping", &group_id),
            title: cell("associationGroupName"),
            identifier: group_id,
        });
        if let Some(g) = &grouping {
            raw.insert("CFAssociationGroupingURI".into(), link(g));
        }
        added.push(Association {
            identifier,
            association_type: kind,
            origin,
            destination,
            grouping,
            sequence_number: None,
            notes: String::new(),
            raw: Value::Object(raw).to_string(),
        });
    }
    pkg.associations.extend(added);
    Ok(())
}

/// A sheet as text: its rows from the first, header row; columns found by header name.
struct Table {
    rows: Vec<Vec<String>>,
    columns: HashMap<String, usize>,
}

impl Table {
    fn new(range: &Range<Data>) -> Self {
        // Rows and columns before the range's start are empty in the sheet.
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let mut rows: Vec<Vec<String>> = vec![Vec::new(); row0 as usize];
        for r in range.rows() {
            let mut row = vec![String::new(); col0 as usize];
            row.extend(r.iter().map(text));
            rows.push(row);
        }
        let columns = rows
            .first()
            .map(|header| {
                header
                    .iter()
                    .enumerate()
                    .filter(|(_, h)| !h.trim().is_empty())
                    .map(|(i, h)| (h.trim().to_ascii_lowercase(), i))
                    .collect()
            })
            .unwrap_or_default();
        Table { rows, columns }
    }

    /// The cell of `row` (0 is the header) in the column headed `name`, trimmed.
    fn cell(&self, row: usize, name: &str) -> String {
        self.columns
            .get(&name.to_ascii_lowercase())
            .and_then(|&c| self.rows.get(row)?.get(c))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    /// The sheet as CSV, and for each CSV line (1-based) the sheet row it starts in.
    fn to_csv(&self) -> (Vec<u8>, Vec<usize>) {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        let mut rows_of_lines = vec![0];
        for (i, row) in self.rows.iter().enumerate() {
            // A record with line breaks in it spans several lines.
            let lines = 1 + row.iter().map(|c| c.matches('\n').count()).sum::<usize>();
            rows_of_lines.extend(std::iter::repeat_n(i + 1, lines));
            // Writing to memory cannot fail.
            let _ = w.write_record(row);
        }
        (w.into_inner().unwrap_or_default(), rows_of_lines)
    }
}

/// A cell as text: numbers without a needless `.0`, dates as `YYYY-MM-DD`.
fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// An Excel serial date (days since 1899-12-30) as RFC 3339, or a date alone.
fn excel_date(serial: f64) -> String {
    let epoch = time::macros::datetime!(1899-12-30 0:00 UTC);
    let seconds = (serial * 86_400.0).round() as i64;
    let t = epoch + time::Duration::seconds(seconds);
    if seconds % 86_400 == 0 {
        t.date().to_string()
    } else {
        t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default()
    }
}
