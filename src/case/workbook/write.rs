//! Writing a framework as OpenSALT's workbook, the columns OpenSALT's own export writes.
use super::{
    ASSOCIATION_COLUMNS, ASSOCIATION_SHEET, DOC_COLUMNS, DOC_SHEET, ITEM_COLUMNS, ITEM_SHEET,
    MAX_CELL_CHARS,
};
use crate::case::Package;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use serde_json::{Map, Value};
use std::collections::HashMap;

type Object = Map<String, Value>;

/// The framework as an OpenSALT workbook: `CF Doc`, `CF Item` (in tree order, with
/// `smartLevel`) and `CF Association` (every association the framework came with).
/// The same framework always gives the same bytes. Fails naming the item whose text is
/// longer than an Excel cell holds.
pub fn export_workbook(pkg: &Package) -> Result<Vec<u8>, String> {
    let mut book = Workbook::new();
    // A fixed creation time, so the file depends only on the framework.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| e.to_string())?;
    book.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&created)
            .set_title(pkg.framework.title.as_str()),
    );
    let header = Format::new().set_bold();
    let fw = &pkg.framework;
    let doc = parse(fw.raw.as_deref());

    let sheet = named(&mut book, DOC_SHEET)?;
    write_header(sheet, &DOC_COLUMNS, &header)?;
    let license_id = doc
        .get("licenseURI")
        .and_then(|l| l.get("identifier"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let license_text = licence_text(pkg.definitions.as_deref(), &license_id);
    for (col, name) in DOC_COLUMNS.iter().enumerate() {
        let value = match *name {
            "identifier" => fw.identifier.clone(),
            "creator" => fw.creator.clone(),
            "title" => fw.title.clone(),
            "lastChangeDate" => text(&doc, "lastChangeDateTime"),
            "subject" => list(&doc, "subject", "|"),
            "licenseTitle" => link_title(&doc, "licenseURI"),
            "licenseText" => license_text.clone(),
            other => text(&doc, other),
        };
        cell(sheet, 1, col, &value, "the document")?;
    }

    let sheet = named(&mut book, ITEM_SHEET)?;
    write_header(sheet, &ITEM_COLUMNS, &header)?;
    let levels = smart_levels(pkg);
    for (i, it) in fw.items.iter().enumerate() {
        let raw = parse(it.raw.as_deref());
        let what = if it.code.is_empty() {
            format!("item `{}`", it.identifier)
        } else {
            format!("item `{}` ({})", it.identifier, it.code)
        };
        for (col, name) in ITEM_COLUMNS.iter().enumerate() {
            let value = match *name {
                "identifier" => it.identifier.clone(),
                "fullStatement" => it.statement.clone(),
                "humanCodingScheme" => it.code.clone(),
                "smartLevel" => levels[i].clone(),
                "listEnumeration" => it.list_enumeration.clone(),
                "abbreviatedStatement" => it.abbreviated.clone(),
                "conceptKeywords" => it.keywords.join(", "),
                "language" => it.language.clone(),
                "educationLevel" => {
                    let level = list(&raw, "educationLevel", ",");
                    if level.is_empty() {
                        list(&raw, "educationalLevel", ",")
                    } else {
                        level
                    }
                }
                "CFItemType" => it.item_type.clone(),
                "license" => link_title(&raw, "licenseURI"),
                other => text(&raw, other),
            };
            cell(sheet, i + 1, col, &value, &what)?;
        }
    }

    let sheet = named(&mut book, ASSOCIATION_SHEET)?;
    write_header(sheet, &ASSOCIATION_COLUMNS, &header)?;
    let codes: HashMap<&str, &str> = fw
        .items
        .iter()
        .map(|it| (it.identifier.as_str(), it.code.as_str()))
        .collect();
    for (row, a) in pkg.associations.iter().enumerate() {
        let raw = parse(Some(&a.raw));
        let end = |key: &str, field: &str| -> String {
            match raw.get(key) {
                Some(Value::Object(o)) => o
                    .get(field)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                Some(Value::String(uri)) if field == "uri" => uri.clone(),
                _ => String::new(),
            }
        };
        let code = |key: &str| {
            let id = end(key, "identifier");
            codes
                .get(id.as_str())
                .map(|c| c.to_string())
                .unwrap_or_default()
        };
        let what = format!("association `{}`", text(&raw, "identifier"));
        for (col, name) in ASSOCIATION_COLUMNS.iter().enumerate() {
            let value = match *name {
                "identifier" => text(&raw, "identifier"),
                "originNodeURI" => end("originNodeURI", "uri"),
                "originNodeIdentifier" => end("originNodeURI", "identifier"),
                "originNodeHumanCodingScheme" => code("originNodeURI"),
                "associationType" => text(&raw, "associationType"),
                "destinationNodeURI" => end("destinationNodeURI", "uri"),
                "destinationNodeIdentifier" => end("destinationNodeURI", "identifier"),
                "destinationNodeHumanCodingScheme" => code("destinationNodeURI"),
                "associationGroupIdentifier" => end("CFAssociationGroupingURI", "identifier"),
                "associationGroupName" => end("CFAssociationGroupingURI", "title"),
                _ => String::new(),
            };
            cell(sheet, row + 1, col, &value, &what)?;
        }
    }
    book.save_to_buffer().map_err(|e| e.to_string())
}

/// OpenSALT's `smartLevel` of each item: `1.2.3`, from the tree.
fn smart_levels(pkg: &Package) -> Vec<String> {
    let items = &pkg.framework.items;
    let mut levels: Vec<String> = Vec::with_capacity(items.len());
    let mut children = vec![0usize; items.len() + 1];
    let top = items.len();
    for it in items {
        let slot = it.parent.unwrap_or(top);
        children[slot] += 1;
        let n = children[slot];
        let level = match it.parent {
            Some(p) => format!("{}.{n}", levels[p]),
            None => n.to_string(),
        };
        levels.push(level);
    }
    levels
}

fn named<'b>(book: &'b mut Workbook, name: &str) -> Result<&'b mut Worksheet, String> {
    book.add_worksheet()
        .set_name(name)
        .map_err(|e| e.to_string())
}

fn write_header(sheet: &mut Worksheet, columns: &[&str], bold: &Format) -> Result<(), String> {
    for (col, name) in columns.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *name, bold)
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Writes `value` as text (never a formula); an empty value leaves the cell empty.
fn cell(
    sheet: &mut Worksheet,
    row: usize,
    col: usize,
    value: &str,
    what: &str,
) -> Result<(), String> {
    if value.is_empty() {
        return Ok(());
    }
    if value.chars().count() > MAX_CELL_CHARS {
        return Err(format!(
            "{what}: a text of {} characters does not fit in an Excel cell (at most {MAX_CELL_CHARS})",
            value.chars().count()
        ));
    }
    let row = u32::try_from(row).map_err(|_| format!("{what}: too many rows for a sheet"))?;
    sheet
        .write_string(row, col as u16, value)
        .map(|_| ())
        .map_err(|e: XlsxError| format!("{what}: {e}"))
}

fn parse(raw: Option<&str>) -> Object {
    match raw.map(serde_json::from_str::<Value>) {
        Some(Ok(Value::Object(o))) => o,
        _ => Object::new(),
    }
}

fn text(obj: &Object, key: &str) -> String {
    match obj.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn list(obj: &Object, key: &str, separator: &str) -> String {
    match obj.get(key) {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(separator),
        _ => text(obj, key),
    }
}

fn link_title(obj: &Object, key: &str) -> String {
    obj.get(key)
        .and_then(|l| l.get("title"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// The text of the licence `identifier` among the definitions' `CFLicenses`.
fn licence_text(definitions: Option<&str>, identifier: &str) -> String {
    let defs = parse(definitions);
    defs.get("CFLicenses")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .find(|l| l.get("identifier").and_then(Value::as_str) == Some(identifier))
        .and_then(|l| l.get("licenseText"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}
