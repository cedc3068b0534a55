//! Reading a framework from a spreadsheet saved as CSV: OpenSALT's import layout
//! (`Identifier, fullStatement, Human Coding Scheme, sequenceNumber, ..., Is Child Of,
//! IsPartOf, replacedBy, Exemplar, hasSkillLevel, IsRelatedTo`) or a simple one
//! (`identifier, parent, code, statement, type`, optionally `keywords, abbreviated, sequence`).
use super::hierarchy::{self, ParentLink, ParentRef};
use super::input::{check_size, stable_uri, strip_bom};
use super::{Association, ImportError, MAX_INPUT_BYTES, NodeRef, Package};
use crate::model::{AssociationType, Framework, Item};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use uuid::Uuid;

/// Parses a framework from a spreadsheet (CSV). `source_name` names the file in messages.
///
/// The document's title is the file name without its extension, and its identifier a
/// UUID v5 of that title, so importing the same file again updates the framework in place
/// (a caller that changes the title afterwards keeps the identifier). Rows without an
/// identifier get a UUID v5 of the document identifier and their code (or line).
pub fn parse_csv(bytes: &[u8], source_name: &str) -> Result<Package, ImportError> {
    parse_csv_limited(bytes, source_name, MAX_INPUT_BYTES, &CsvOptions::default())
}

/// What a spreadsheet does not say about its framework, given by the person importing it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CsvOptions {
    /// The document's title (default: the file name without its extension).
    pub title: Option<String>,
    /// The document's creator (default: none).
    pub creator: Option<String>,
    /// When the framework was imported, RFC 3339: the document's `lastChangeDateTime`
    /// (and so every item's without one of its own). Empty leaves it unset.
    pub imported_at: String,
    /// The document's identifier, when the file names it (a workbook's `CF Doc`);
    /// otherwise one is made from the file name.
    pub document_identifier: Option<String>,
}

/// [`parse_csv`] with the document's title, creator and time given.
pub fn parse_csv_with(
    bytes: &[u8],
    source_name: &str,
    options: &CsvOptions,
) -> Result<Package, ImportError> {
    parse_csv_limited(bytes, source_name, MAX_INPUT_BYTES, options)
}

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Field {
    Identifier,
    Uri,
    Statement,
    Code,
    Parent,
    Type,
    Keywords,
    Abbreviated,
    Sequence,
    ListEnumeration,
    Language,
    /// OpenSALT's `smartLevel`: `1.2.3` is the third child of the second child of the
    /// first top-level item.
    SmartLevel,
    Notes,
    EducationLevel,
    License,
    LastChange,
    Association(AssociationType),
}

/// Header names, lower case without spaces, underscores, hyphens or dots.
fn field_of(header: &str) -> Option<Field> {
    let name: String = header
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect();
    let field = match name.as_str() {
        "identifier" | "id" | "itemidentifier" | "cfitemidentifier" | "guid" | "uuid" => {
            Field::Identifier
        }
        "uri" | "itemuri" => Field::Uri,
        "fullstatement" | "statement" | "statementtext" | "text" => Field::Statement,
        "humancodingscheme" | "code" | "hcs" | "codingscheme" | "humancode" => Field::Code,
        "parent" | "ischildof" | "childof" | "parentidentifier" | "parentid" | "parentcode" => {
            Field::Parent
        }
        "type" | "cfitemtype" | "itemtype" => Field::Type,
        "keywords" | "conceptkeywords" | "keyword" => Field::Keywords,
        "abbreviated" | "abbreviatedstatement" | "shortstatement" => Field::Abbreviated,
        "sequence" | "sequencenumber" | "seq" | "order" => Field::Sequence,
        "listenumeration" | "enumeration" => Field::ListEnumeration,
        "language" | "lang" => Field::Language,
        "smartlevel" | "level" => Field::SmartLevel,
        "notes" | "note" => Field::Notes,
        "educationlevel" | "educationallevel" | "gradelevel" | "grades" => Field::EducationLevel,
        "license" | "licence" | "licensetitle" => Field::License,
        "lastchangedatetime" | "lastchangedate" | "lastchange" => Field::LastChange,
        other => {
            // `isExactMatchOf` is OpenSALT's column for `exactMatchOf`.
            let other = if other == "isexactmatchof" {
                "exactmatchof"
            } else {
                other
            };
            return AssociationType::ALL
                .into_iter()
                .filter(|t| *t != AssociationType::IsChildOf)
                .find(|t| t.as_str().eq_ignore_ascii_case(other))
                .map(Field::Association);
        }
    };
    Some(field)
}

/// The separator of the header line: commas unless semicolons or tabs are more frequent
/// (spreadsheets in many locales save with semicolons).
fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [(b',', 0usize), (b';', 0), (b'\t', 0)];
    let mut quoted = false;
    for &b in bytes {
        if b == b'\n' && !quoted {
            break;
        }
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(slot) = counts.iter_mut().find(|(d, _)| *d == b) {
            slot.1 += 1;
        }
    }
    counts
        .iter()
        .fold((b',', 0), |best, &c| if c.1 > best.1 { c } else { best })
        .0
}

/// Line numbers from byte offsets. The csv crate's own line count goes wrong after blank
/// lines and with CRLF (its record offsets may point at the line ending before the record),
/// so count newlines up to the first byte of the record instead.
struct Lines<'a> {
    bytes: &'a [u8],
    cursor: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Lines {
            bytes,
            cursor: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record whose reported offset is `byte`.
    fn line_of(&mut self, byte: u64) -> usize {
        let mut start = usize::try_from(byte)
            .unwrap_or(usize::MAX)
            .min(self.bytes.len());
        while matches!(self.bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.cursor {
            (self.cursor, self.line) = (0, 1);
        }
        let between = self.bytes.get(self.cursor..start).unwrap_or_default();
        self.line += between.iter().filter(|&&b| b == b'\n').count();
        self.cursor = start;
        self.line
    }
}

fn csv_error(source_name: &str, lines: &mut Lines<'_>, e: csv::Error) -> ImportError {
    let field = match e.kind() {
        csv::ErrorKind::Utf8 { err, .. } => Some(err.field()),
        _ => None,
    };
    match e.position() {
        Some(pos) => ImportError::Syntax {
            source_name: source_name.to_string(),
            line: lines.line_of(pos.byte()),
            column: field.map_or(1, |f| f + 1),
            message: match e.kind() {
                csv::ErrorKind::Utf8 { .. } => {
                    "the text is not UTF-8 (save the spreadsheet as CSV UTF-8)".to_string()
                }
                _ => e.to_string(),
            },
        },
        None => ImportError::invalid(source_name, e.to_string()),
    }
}

/// One data row, before the hierarchy is built.
struct Row {
    line: usize,
    smart_level: String,
    parent: String,
    sequence: Option<i64>,
    /// Association cells: (type, column, values).
    links: Vec<(AssociationType, usize, Vec<String>)>,
}

/// The deterministic namespace of identifiers crosswalk makes for spreadsheet imports.
fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"urn:crosswalk:csv-import")
}

/// Refuses a quoted cell that is never closed: the csv reader would take the rest of the
/// file as that one cell, silently. Names the line and column where the cell opens.
fn check_quotes(bytes: &[u8], delimiter: u8, source_name: &str) -> Result<(), ImportError> {
    let (mut line, mut column) = (1usize, 1usize);
    let mut i = 0;
    let mut field_start = true;
    while let Some(&b) = bytes.get(i) {
        if field_start && b == b'"' {
            let (open_line, open_column) = (line, column);
            i += 1;
            column += 1;
            loop {
                match bytes.get(i) {
                    None => {
                        return Err(ImportError::Syntax {
                            source_name: source_name.to_string(),
                            line: open_line,
                            column: open_column,
                            message: "a quoted cell opens here and is never closed (an unbalanced `\"`); \
                                      the rest of the file would be read as this one cell"
                                .to_string(),
                        });
                    }
                    Some(b'"') if bytes.get(i + 1) == Some(&b'"') => {
                        i += 2;
                        column += 2;
                    }
                    Some(b'"') => {
                        i += 1;
                        column += 1;
                        break;
                    }
                    Some(b'\n') => {
                        i += 1;
                        line += 1;
                        column = 1;
                    }
                    Some(_) => {
                        i += 1;
                        column += 1;
                    }
                }
            }
            field_start = false;
            continue;
        }
        field_start = b == delimiter || b == b'\n' || (b == b'\r' && field_start);
        if b == b'\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
        i += 1;
    }
    Ok(())
}

pub(super) fn parse_csv_limited(
    bytes: &[u8],
    source_name: &str,
    limit: usize,
    options: &CsvOptions,
) -> Result<Package, ImportError> {
    check_size(bytes, source_name, limit)?;
    let bytes = strip_bom(bytes);
    let delimiter = sniff_delimiter(bytes);
    check_quotes(bytes, delimiter, source_name)?;
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        // Cells are trimmed one by one: a statement keeps its text as written.
        .trim(csv::Trim::Headers)
        .has_headers(true)
        .from_reader(bytes);
    let mut lines = Lines::new(bytes);
    let headers = reader
        .headers()
        .map_err(|e| csv_error(source_name, &mut lines, e))?
        .clone();
    if headers.iter().all(str::is_empty) {
        return Err(ImportError::invalid(
            source_name,
            "the file is empty: expected a header line",
        ));
    }

    // Which column holds what; the first of two columns for one field wins.
    let mut columns: HashMap<Field, usize> = HashMap::new();
    let mut unused = Vec::new();
    let mut repeated = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        match field_of(h) {
            Some(f) if columns.contains_key(&f) => repeated.push(format!("`{h}`")),
            Some(f) => {
                columns.insert(f, i);
            }
            None if h.is_empty() => {}
            None => unused.push(format!("`{h}`")),
        }
    }
    let Some(&statement_col) = columns.get(&Field::Statement) else {
        let found: Vec<String> = headers
            .iter()
            .filter(|h| !h.is_empty())
            .map(|h| format!("`{h}`"))
            .collect();
        return Err(ImportError::invalid(
            source_name,
            format!(
                "line 1: no statement column (expected `fullStatement` or `statement`; the header line has {})",
                found.join(", ")
            ),
        ));
    };
    let header_name = |col: usize| headers.get(col).unwrap_or_default().to_string();

    let mut warnings = Vec::new();
    if !unused.is_empty() {
        warnings.push(format!("column(s) not read: {}", unused.join(", ")));
    }
    if !repeated.is_empty() {
        warnings.push(format!(
            "column(s) repeating an earlier one, not read: {}",
            repeated.join(", ")
        ));
    }

    let stem = Path::new(source_name)
        .file_stem()
        .map(|s| s.to_string_lossy().trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Imported framework".to_string());
    // The identifier comes from the file name, so a re-import with another --title
    // still updates the same framework.
    let given = options
        .document_identifier
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty());
    let document_uuid = Uuid::new_v5(&namespace(), given.unwrap_or(&stem).as_bytes());
    let document_identifier = given.map_or_else(|| document_uuid.to_string(), str::to_string);
    let title = options
        .title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or(stem);

    let mut items: Vec<Item> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    let mut lines_of: HashMap<String, usize> = HashMap::new();
    let mut generated_from_code: HashSet<String> = HashSet::new();
    let mut bad_sequences = Vec::new();
    let mut assoc_cols: Vec<(AssociationType, usize)> = columns
        .iter()
        .filter_map(|(f, &c)| match f {
            Field::Association(t) => Some((*t, c)),
            _ => None,
        })
        .collect();
    assoc_cols.sort_by_key(|&(_, c)| c);

    for record in reader.records() {
        let record = record.map_err(|e| csv_error(source_name, &mut lines, e))?;
        if record.iter().all(str::is_empty) {
            continue;
        }
        let line = record.position().map_or(0, |p| lines.line_of(p.byte()));
        let cell_as_is = |f: Field| {
            columns
                .get(&f)
                .and_then(|&c| record.get(c))
                .unwrap_or_default()
        };
        let cell = |f: Field| cell_as_is(f).trim().to_string();

        let statement = cell_as_is(Field::Statement).to_string();
        if statement.trim().is_empty() {
            return Err(ImportError::Syntax {
                source_name: source_name.to_string(),
                line,
                column: statement_col + 1,
                message: format!(
                    "the `{}` cell is empty; every row needs a statement",
                    header_name(statement_col)
                ),
            });
        }
        let code = cell(Field::Code);
        let mut identifier = cell(Field::Identifier);
        if identifier.is_empty() {
            let name = if !code.is_empty() && generated_from_code.insert(code.clone()) {
                format!("code:{code}")
            } else {
                format!("line:{line}")
            };
            identifier = Uuid::new_v5(&document_uuid, name.as_bytes()).to_string();
        }
        if identifier == document_identifier {
            return Err(ImportError::invalid(
                source_name,
                format!("line {line}: the identifier `{identifier}` is the document's own"),
            ));
        }
        if let Some(first) = lines_of.insert(identifier.clone(), line) {
            let column = columns.get(&Field::Identifier).map_or(1, |c| c + 1);
            return Err(ImportError::Syntax {
                source_name: source_name.to_string(),
                line,
                column,
                message: format!("duplicate identifier `{identifier}` (first on line {first})"),
            });
        }
        let smart_level = cell(Field::SmartLevel);
        let mut sequence_text = cell(Field::Sequence);
        if sequence_text.is_empty() {
            sequence_text = smart_level
                .rsplit('.')
                .next()
                .unwrap_or_default()
                .to_string();
        }
        let sequence = if sequence_text.is_empty() {
            None
        } else {
            let parsed = sequence_text.parse::<i64>().ok().or_else(|| {
                sequence_text
                    .parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
                    .map(|f| f as i64)
            });
            if parsed.is_none() {
                let col = columns.get(&Field::Sequence).copied().unwrap_or(0);
                bad_sequences.push(format!(
                    "line {line} `{}`: `{sequence_text}`",
                    header_name(col)
                ));
            }
            parsed
        };
        let mut uri = cell(Field::Uri);
        if uri.is_empty() {
            uri = stable_uri("item", &identifier);
        }
        let links = assoc_cols
            .iter()
            .filter_map(|&(t, c)| {
                let values: Vec<String> = record
                    .get(c)
                    .unwrap_or_default()
                    .split([',', ';', '\n', '|'])
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(String::from)
                    .collect();
                (!values.is_empty()).then_some((t, c, values))
            })
            .collect();
        let raw = item_raw(
            &identifier,
            &cell(Field::Notes),
            &cell(Field::EducationLevel),
            &cell(Field::License),
            &cell(Field::LastChange),
        );
        items.push(Item {
            raw,
            identifier,
            uri,
            code,
            statement,
            abbreviated: cell(Field::Abbreviated),
            item_type: cell(Field::Type),
            keywords: split_keywords(&cell(Field::Keywords)),
            list_enumeration: cell(Field::ListEnumeration),
            language: cell(Field::Language),
            ..Item::default()
        });
        rows.push(Row {
            line,
            smart_level,
            parent: cell(Field::Parent),
            sequence,
            links,
        });
    }
    if items.is_empty() {
        return Err(ImportError::invalid(
            source_name,
            "the file has a header line but no rows of items",
        ));
    }
    if !bad_sequences.is_empty() {
        warnings.push(format!(
            "{} sequence number(s) are not whole numbers and were left out: {}",
            bad_sequences.len(),
            hierarchy::list_some(&bad_sequences)
        ));
    }

    // Names a cell may use for an item: its identifier, else its code.
    let mut by_identifier: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    let mut by_code: HashMap<&str, usize> = HashMap::with_capacity(items.len());
    let mut shared_codes: HashSet<&str> = HashSet::new();
    for (i, item) in items.iter().enumerate() {
        by_identifier.insert(item.identifier.as_str(), i);
        if item.code.is_empty() {
            continue;
        }
        if let Some(first) = by_code.insert(item.code.as_str(), i) {
            by_code.insert(item.code.as_str(), first);
            shared_codes.insert(item.code.as_str());
        }
    }
    let mut ambiguous = Vec::new();
    let mut find = |name: &str, line: usize| -> Option<usize> {
        if let Some(&i) = by_identifier.get(name) {
            return Some(i);
        }
        let i = by_code.get(name).copied()?;
        if shared_codes.contains(name) {
            ambiguous.push(format!("`{name}` on line {line}"));
        }
        Some(i)
    };

    let by_level: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.smart_level.is_empty())
        .map(|(i, r)| (r.smart_level.as_str(), i))
        .collect();
    let mut links = Vec::with_capacity(rows.len());
    let mut dangling = Vec::new();
    let mut related: Vec<(usize, AssociationType, Target)> = Vec::new();
    for (child, row) in rows.iter().enumerate() {
        let level_parent = row
            .smart_level
            .rsplit_once('.')
            .map(|(up, _)| up)
            .filter(|up| !up.is_empty());
        let parent = if row.parent.is_empty()
            && let Some(up) = level_parent
        {
            by_level.get(up).map_or_else(
                || ParentRef::Unknown(format!("smartLevel {up}")),
                |&p| ParentRef::Item(p),
            )
        } else if row.parent.is_empty() || row.parent == document_identifier {
            ParentRef::Top
        } else {
            find(&row.parent, row.line)
                .map_or_else(|| ParentRef::Unknown(row.parent.clone()), ParentRef::Item)
        };
        links.push(ParentLink {
            child,
            parent,
            sequence: row.sequence,
        });
        for (kind, col, values) in &row.links {
            for v in values {
                match find(v, row.line) {
                    Some(target) => related.push((child, *kind, Target::Item(target))),
                    None => {
                        dangling.push(format!("line {} `{}`: `{v}`", row.line, header_name(*col)));
                        related.push((child, *kind, Target::Outside(v.clone())));
                    }
                }
            }
        }
    }
    if !ambiguous.is_empty() {
        warnings.push(format!(
            "{} reference(s) name a code that several rows share; the first such row was taken: {}",
            ambiguous.len(),
            hierarchy::list_some(&ambiguous)
        ));
    }
    if !dangling.is_empty() {
        warnings.push(format!(
            "{} association cell value(s) name no item of this file; kept as associations to a node outside it: {}",
            dangling.len(),
            hierarchy::list_some(&dangling)
        ));
    }

    // Associations, as a CASE package would carry them: isChildOf first, row by row.
    let document_uri = stable_uri("document", &document_identifier);
    let document_node = NodeRef {
        identifier: document_identifier.clone(),
        uri: document_uri.clone(),
        title: title.clone(),
    };
    let node = |i: usize| {
        let it = &items[i];
        let title = if it.code.is_empty() {
            it.statement.clone()
        } else {
            it.code.clone()
        };
        NodeRef {
            identifier: it.identifier.clone(),
            uri: it.uri.clone(),
            title,
        }
    };
    let mut associations = Vec::with_capacity(links.len() + related.len());
    let mut seen = HashSet::new();
    for link in &links {
        let destination = match link.parent {
            ParentRef::Item(p) => node(p),
            _ => document_node.clone(),
        };
        associations.push(association(
            &document_uuid,
            AssociationType::IsChildOf,
            node(link.child),
            destination,
            link.sequence,
        ));
    }
    for (origin, kind, destination) in related {
        let end = match &destination {
            Target::Item(i) => node(*i),
            Target::Outside(v) => outside_node(v),
        };
        if seen.insert((origin, kind, end.identifier.clone())) {
            associations.push(association(&document_uuid, kind, node(origin), end, None));
        }
    }

    let (items, mut tree_warnings) = hierarchy::arrange(items, &links, source_name, false)?;
    warnings.append(&mut tree_warnings);
    let creator = options.creator.clone().unwrap_or_default();
    let mut document = Map::new();
    document.insert(
        "identifier".into(),
        Value::from(document_identifier.as_str()),
    );
    document.insert("uri".into(), Value::from(document_uri.as_str()));
    document.insert("title".into(), Value::from(title.as_str()));
    document.insert("creator".into(), Value::from(creator.as_str()));
    if !options.imported_at.is_empty() {
        document.insert(
            "lastChangeDateTime".into(),
            Value::from(options.imported_at.as_str()),
        );
    }
    Ok(Package {
        framework: Framework {
            identifier: document_identifier,
            uri: document_uri,
            title,
            creator,
            items,
            raw: Some(Value::Object(document).to_string()),
            ..Framework::default()
        },
        associations,
        warnings,
        ..Package::default()
    })
}

/// Where an association cell points: an item of the file, or a node outside it.
enum Target {
    Item(usize),
    Outside(String),
}

/// A node outside the file, named by a cell: a URL (its identifier its last part) or an
/// identifier or code of another framework.
fn outside_node(value: &str) -> NodeRef {
    let is_url = value.contains("://");
    let identifier = if is_url {
        value
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or(value)
            .to_string()
    } else {
        value.to_string()
    };
    NodeRef {
        uri: if is_url {
            value.to_string()
        } else {
            stable_uri("node", value)
        },
        title: value.to_string(),
        identifier,
    }
}

/// The item's fields the model has no place for, as CASE JSON, so they are exported.
fn item_raw(
    identifier: &str,
    notes: &str,
    education_level: &str,
    license: &str,
    last_change: &str,
) -> Option<String> {
    let mut raw = Map::new();
    raw.insert("identifier".into(), Value::from(identifier));
    if !notes.is_empty() {
        raw.insert("notes".into(), Value::from(notes));
    }
    if !education_level.is_empty() {
        let levels: Vec<Value> = education_level
            .split([',', '|', ';'])
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(Value::from)
            .collect();
        raw.insert("educationLevel".into(), Value::Array(levels));
    }
    if !license.is_empty() {
        // OpenSALT names the licence by its title; CASE wants a LinkURI.
        let id = Uuid::new_v5(&namespace(), format!("license\n{license}").as_bytes()).to_string();
        let mut link = Map::new();
        link.insert("title".into(), Value::from(license));
        link.insert("identifier".into(), Value::from(id.as_str()));
        link.insert("uri".into(), Value::from(format!("urn:uuid:{id}")));
        raw.insert("licenseURI".into(), Value::Object(link));
    }
    if !last_change.is_empty() {
        raw.insert("lastChangeDateTime".into(), Value::from(last_change));
    }
    (raw.len() > 1).then(|| Value::Object(raw).to_string())
}

fn split_keywords(s: &str) -> Vec<String> {
    s.split([',', ';'])
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(String::from)
        .collect()
}

/// A CFAssociation made from a spreadsheet cell, with its JSON as `raw`.
fn association(
    document: &Uuid,
    kind: AssociationType,
    origin: NodeRef,
    destination: NodeRef,
    sequence: Option<i64>,
) -> Association {
    let name = format!(
        "{}|{}|{}",
        kind.as_str(),
        origin.identifier,
        destination.identifier
    );
    let identifier = Uuid::new_v5(document, name.as_bytes()).to_string();
    let link = |n: &NodeRef| {
        let mut m = Map::new();
        m.insert("title".into(), Value::from(n.title.as_str()));
        m.insert("identifier".into(), Value::from(n.identifier.as_str()));
        m.insert("uri".into(), Value::from(n.uri.as_str()));
        Value::Object(m)
    };
    let mut raw = Map::new();
    raw.insert("identifier".into(), Value::from(identifier.as_str()));
    raw.insert("uri".into(), Value::from(format!("urn:uuid:{identifier}")));
    raw.insert("originNodeURI".into(), link(&origin));
    raw.insert("associationType".into(), Value::from(kind.as_str()));
    raw.insert("destinationNodeURI".into(), link(&destination));
    if let Some(s) = sequence {
        raw.insert("sequenceNumber".into(), Value::from(s));
    }
    Association {
        identifier,
        association_type: kind.as_str().to_string(),
        origin,
        destination,
        grouping: None,
        sequence_number: sequence,
        notes: String::new(),
        raw: Value::Object(raw).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Package {
        parse_csv(text.as_bytes(), "dir/My Framework.csv").unwrap()
    }

    fn err(text: &str) -> String {
        parse_csv(text.as_bytes(), "f.csv").unwrap_err().to_string()
    }

    fn codes(p: &Package) -> Vec<(&str, u16)> {
        p.framework
            .items
            .iter()
            .map(|i| (i.code.as_str(), i.depth))
            .collect()
    }

    #[test]
    fn headers_match_loosely() {
        assert_eq!(field_of("Human Coding Scheme"), Some(Field::Code));
        assert_eq!(field_of("Is Child Of"), Some(Field::Parent));
        assert_eq!(field_of("full_statement"), Some(Field::Statement));
        assert_eq!(field_of("CFItemType"), Some(Field::Type));
        assert_eq!(
            field_of("IsRelatedTo"),
            Some(Field::Association(AssociationType::IsRelatedTo))
        );
        assert_eq!(
            field_of("has skill level"),
            Some(Field::Association(AssociationType::HasSkillLevel))
        );
        assert_eq!(field_of("Notes"), Some(Field::Notes));
        assert_eq!(field_of("smartLevel"), Some(Field::SmartLevel));
        assert_eq!(
            field_of("isExactMatchOf"),
            Some(Field::Association(AssociationType::ExactMatchOf))
        );
        assert_eq!(field_of("Whatever"), None);
    }

    #[test]
    fn simple_layout_builds_the_tree_and_document() {
        let p = parse(
            "identifier,parent,code,statement,type,keywords,abbreviated,sequence\n\
             b,a,A.2,Second,Competency,\"x, y\",Sec,2\n\
             a,,A,Top,Domain,,,\n\
             c,a,A.1,First,Competency,,,1\n\
             d,A.1,A.1.a,Deep,,,,\n",
        );
        assert_eq!(codes(&p), [("A", 0), ("A.1", 1), ("A.1.a", 2), ("A.2", 1)]);
        let fw = &p.framework;
        assert_eq!(fw.title, "My Framework");
        assert_eq!(
            fw.identifier,
            Uuid::new_v5(&namespace(), b"My Framework").to_string()
        );
        assert_eq!(fw.uri, format!("urn:uuid:{}", fw.identifier));
        assert_eq!(fw.items[3].keywords, ["x", "y"]);
        assert_eq!(
            (
                fw.items[3].abbreviated.as_str(),
                fw.items[3].item_type.as_str()
            ),
            ("Sec", "Competency")
        );
        assert_eq!(fw.items[2].parent, Some(1));
        assert_eq!(fw.items[3].uri, "urn:crosswalk:item:b");
        assert!(p.warnings.is_empty(), "{:?}", p.warnings);
        // One isChildOf per row, the top-level one to the document, with its sequence.
        assert_eq!(p.associations.len(), 4);
        let b = &p.associations[0];
        assert_eq!(
            (
                b.association_type.as_str(),
                b.origin.identifier.as_str(),
                b.destination.identifier.as_str()
            ),
            ("isChildOf", "b", "a")
        );
        assert_eq!(b.sequence_number, Some(2));
        assert_eq!(p.associations[1].destination.identifier, fw.identifier);
        let raw: Value = serde_json::from_str(&b.raw).unwrap();
        assert_eq!(raw["destinationNodeURI"]["identifier"], "a");
        assert_eq!(raw["sequenceNumber"], 2);
    }

    #[test]
    fn generated_identifiers_are_stable() {
        let text = "code,statement\nX,One\n,Two\nX,Three\n";
        let (a, b) = (parse(text), parse(text));
        let ids = |p: &Package| {
            p.framework
                .items
                .iter()
                .map(|i| i.identifier.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&a), ids(&b));
        let doc = Uuid::parse_str(&a.framework.identifier).unwrap();
        // Empty codes sort last: One (X), Three (X), Two.
        let by_statement: Vec<_> = a
            .framework
            .items
            .iter()
            .map(|i| (i.statement.as_str(), i.identifier.clone()))
            .collect();
        assert_eq!(
            by_statement,
            [
                ("One", Uuid::new_v5(&doc, b"code:X").to_string()),
                ("Three", Uuid::new_v5(&doc, b"line:4").to_string()),
                ("Two", Uuid::new_v5(&doc, b"line:3").to_string()),
            ]
        );
    }

    #[test]
    fn semicolons_crlf_and_bom() {
        let p = parse_csv(b"\xEF\xBB\xBFIdentifier;Full Statement;Is Child Of\r\np;Parent;\r\nc;\"Child; with semicolon\";p\r\n", "f.csv").unwrap();
        assert_eq!(p.framework.items[1].statement, "Child; with semicolon");
        assert_eq!(p.framework.items[1].parent, Some(0));
    }

    #[test]
    fn errors_name_file_line_and_column() {
        assert_eq!(
            err("identifier,statement\na,A\nb,\n"),
            "f.csv: line 3, column 2: the `statement` cell is empty; every row needs a statement"
        );
        assert_eq!(
            err("identifier,statement\na,A\n\n\"a\",\"Again\"\n"),
            "f.csv: line 4, column 1: duplicate identifier `a` (first on line 2)"
        );
        assert_eq!(
            err("id,code,parent\na,A,\n"),
            "f.csv: line 1: no statement column (expected `fullStatement` or `statement`; the header line has `id`, `code`, `parent`)"
        );
        assert_eq!(err(""), "f.csv: the file is empty: expected a header line");
        assert_eq!(
            err("identifier,statement\r\n,\r\n\r\n"),
            "f.csv: the file has a header line but no rows of items"
        );
        let e = parse_csv(b"statement\nok\n\xFF\xFE\n", "f.csv").unwrap_err();
        assert!(
            matches!(
                e,
                ImportError::Syntax {
                    line: 3,
                    column: 1,
                    ..
                }
            ),
            "{e}"
        );
    }

    #[test]
    fn line_numbers_survive_blank_lines_crlf_and_quoted_newlines() {
        let text = "id,statement\r\na,A\r\n\r\nb,\"two\r\nlines\"\r\n\r\n\r\nc,C\r\nd,\r\n";
        assert_eq!(
            err(text),
            "f.csv: line 9, column 2: the `statement` cell is empty; every row needs a statement"
        );
        let text = "id,statement\na,A\n\nb,\"two\nlines\"\n\n\nc,C\nc,\"again\"\n";
        assert_eq!(
            err(text),
            "f.csv: line 9, column 1: duplicate identifier `c` (first on line 8)"
        );
    }

    #[test]
    fn size_limit() {
        let text = b"statement\na\n";
        assert!(parse_csv_limited(text, "f.csv", text.len(), &CsvOptions::default()).is_ok());
        assert_eq!(
            parse_csv_limited(text, "f.csv", 3, &CsvOptions::default())
                .unwrap_err()
                .to_string(),
            "f.csv: the file is 12 bytes; the largest accepted is 3 bytes"
        );
    }

    #[test]
    fn association_columns_link_items_or_warn() {
        let p = parse(
            "id,statement,code,IsRelatedTo,Exemplar,Notes\n\
             a,A,A1,\"B1; elsewhere\",http://example.com/x,note\n\
             b,B,B1,,,\n",
        );
        let related: Vec<_> = p
            .associations
            .iter()
            .filter(|a| a.association_type != "isChildOf")
            .map(|a| {
                (
                    a.association_type.as_str(),
                    a.origin.identifier.as_str(),
                    a.destination.identifier.as_str(),
                )
            })
            .collect();
        assert_eq!(
            related,
            [
                ("isRelatedTo", "a", "b"),
                ("isRelatedTo", "a", "elsewhere"),
                ("exemplar", "a", "x")
            ]
        );
        let outside = &p.associations[4].destination;
        assert_eq!(
            (outside.uri.as_str(), outside.title.as_str()),
            ("http://example.com/x", "http://example.com/x")
        );
        assert_eq!(
            p.warnings,
            [
                "2 association cell value(s) name no item of this file; kept as associations to a node outside it: line 2 `IsRelatedTo`: `elsewhere`, line 2 `Exemplar`: `http://example.com/x`"
            ]
        );
        assert_eq!(
            p.framework.items[0].raw.as_deref(),
            Some(r#"{"identifier":"a","notes":"note"}"#)
        );
    }

    #[test]
    fn parents_by_identifier_first_then_first_row_with_the_code() {
        let p = parse(
            "id,statement,code,parent\n\
             x,First X,X,\n\
             y,Second X,X,\n\
             X,Named X,Z,\n\
             c1,Child by code,C1,Y-code\n\
             c2,Child by identifier,C2,X\n\
             c3,Child by shared code,C3,Y-code\n\
             yy,Y,Y-code,\n",
        );
        let parent_of = |id: &str| {
            let fw = &p.framework;
            let i = fw.index_of(id).unwrap();
            fw.items[i].parent.map(|p| fw.items[p].identifier.as_str())
        };
        assert_eq!(parent_of("c1"), Some("yy"));
        // `X` is an identifier (row 4) and a code (rows 2 and 3): the identifier wins.
        assert_eq!(parent_of("c2"), Some("X"));
        let p2 = parse("id,statement,code,parent\nx,A,X,\ny,B,X,\nc,C,C,X\n");
        let fw = &p2.framework;
        let c = fw.index_of("c").unwrap();
        assert_eq!(
            fw.items[c].parent.map(|p| fw.items[p].identifier.as_str()),
            Some("x")
        );
        assert_eq!(
            p2.warnings,
            [
                "1 reference(s) name a code that several rows share; the first such row was taken: `X` on line 4"
            ]
        );
    }

    #[test]
    fn unknown_parents_and_bad_sequences_warn() {
        let p = parse("id,statement,parent,sequence\na,A,,x\nb,B,nowhere,1\n");
        assert_eq!(codes(&p).len(), 2);
        assert!(p.framework.items.iter().all(|i| i.depth == 0));
        assert_eq!(
            p.warnings,
            [
                "1 sequence number(s) are not whole numbers and were left out: line 2 `sequence`: `x`",
                "1 item(s) name a parent that is not in the package and were placed at the top level: `b` (parent `nowhere`)"
            ]
        );
    }
}
