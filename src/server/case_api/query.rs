//! The selection parameters of `GET /CFDocuments` (CASE 1.1 REST binding, 3.2):
//! `limit` (default 100), `offset`, `sort` with `orderBy` asc/desc,
//! `filter` (`field<op>'value'`, ops `= != > >= < <= ~`, at most one AND or OR) and
//! `fields` (a comma-separated list; repeating the parameter works too).
use super::status::Failure;
use serde_json::{Map, Value};
use std::cmp::Ordering;

pub const DEFAULT_LIMIT: usize = 100;

/// The fields of a CFDocument outside a package, per version.
pub const FIELDS_1_0: &[&str] = &[
    "identifier",
    "uri",
    "creator",
    "title",
    "lastChangeDateTime",
    "officialSourceURL",
    "publisher",
    "description",
    "subject",
    "subjectURI",
    "language",
    "version",
    "adoptionStatus",
    "statusStartDate",
    "statusEndDate",
    "licenseURI",
    "notes",
    "CFPackageURI",
];
pub const FIELDS_1_1_EXTRA: &[&str] = &["frameworkType", "caseVersion", "extensions"];

#[derive(Debug, Clone, PartialEq)]
pub struct DocumentQuery {
    pub limit: usize,
    pub offset: usize,
    pub sort: Option<String>,
    pub descending: bool,
    pub filter: Option<Filter>,
    pub fields: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    pub first: Predicate,
    /// `true` for AND, `false` for OR, with the second predicate.
    pub then: Option<(bool, Predicate)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Predicate {
    pub field: String,
    pub op: Op,
    pub value: String,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    Contains,
}

/// Reads the query pairs; `known` is the version's CFDocument fields.
pub fn parse(pairs: &[(String, String)], known: &[&str]) -> Result<DocumentQuery, Failure> {
    let mut q = DocumentQuery {
        limit: DEFAULT_LIMIT,
        offset: 0,
        sort: None,
        descending: false,
        filter: None,
        fields: None,
    };
    let check = |field: &str| known.contains(&field);
    for (key, value) in pairs {
        match key.as_str() {
            "limit" => {
                q.limit = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n >= 1)
                    .ok_or_else(|| {
                        Failure::InvalidSelection(format!(
                            "limit must be a whole number of at least 1, not `{value}`"
                        ))
                    })?
            }
            "offset" => {
                q.offset = value.trim().parse().map_err(|_| {
                    Failure::InvalidSelection(format!(
                        "offset must be a whole number of at least 0, not `{value}`"
                    ))
                })?
            }
            "sort" => {
                let field = value.trim();
                if !check(field) {
                    return Err(Failure::InvalidSort(format!(
                        "a CFDocument has no field `{field}` to sort by"
                    )));
                }
                q.sort = Some(field.to_string());
            }
            "orderBy" => {
                q.descending = match value.trim() {
                    "asc" => false,
                    "desc" => true,
                    other => {
                        return Err(Failure::InvalidSelection(format!(
                            "orderBy is asc or desc, not `{other}`"
                        )));
                    }
                }
            }
            "filter" => q.filter = Some(parse_filter(value, &check)?),
            "fields" => {
                let list = q.fields.get_or_insert_with(Vec::new);
                for field in value.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                    if !check(field) {
                        return Err(Failure::InvalidSelection(format!(
                            "a CFDocument has no field `{field}`"
                        )));
                    }
                    list.push(field.to_string());
                }
            }
            _ => {} // unknown parameters are ignored, as HTTP services do
        }
    }
    Ok(q)
}

fn parse_filter(text: &str, known: &impl Fn(&str) -> bool) -> Result<Filter, Failure> {
    // Split at the one logical operator, outside quotes.
    let mut in_quote = false;
    let mut split = None;
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        match bytes[i] {
            b'\'' => in_quote = !in_quote,
            b' ' if !in_quote => {
                let rest = &text[i..];
                if rest.starts_with(" AND ") {
                    split = Some((i, 5, true));
                } else if rest.starts_with(" OR ") {
                    split = Some((i, 4, false));
                }
                if split.is_some() {
                    break;
                }
            }
            _ => {}
        }
    }
    Ok(match split {
        None => Filter {
            first: predicate(text, known)?,
            then: None,
        },
        Some((at, len, and)) => Filter {
            first: predicate(&text[..at], known)?,
            then: Some((and, predicate(&text[at + len..], known)?)),
        },
    })
}

fn predicate(text: &str, known: &impl Fn(&str) -> bool) -> Result<Predicate, Failure> {
    let text = text.trim();
    let bad = || {
        Failure::InvalidSelection(format!(
            "cannot read the filter `{text}` (expected field<op>'value', op one of = != > >= < <= ~)"
        ))
    };
    let end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .ok_or_else(bad)?;
    let field = &text[..end];
    if field.is_empty() {
        return Err(bad());
    }
    if !known(field) {
        return Err(Failure::InvalidSelection(format!(
            "a CFDocument has no field `{field}` to filter on"
        )));
    }
    let rest = text[end..].trim_start();
    let (op, len) = [
        ("!=", Op::Ne),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("=", Op::Eq),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("~", Op::Contains),
    ]
    .into_iter()
    .find(|(s, _)| rest.starts_with(s))
    .map(|(s, op)| (op, s.len()))
    .ok_or_else(bad)?;
    let value = rest[len..].trim();
    let value = value
        .strip_prefix('\'')
        .and_then(|v| v.strip_suffix('\''))
        .unwrap_or(value);
    Ok(Predicate {
        field: field.to_string(),
        op,
        value: value.to_string(),
    })
}

impl Predicate {
    fn matches(&self, doc: &Map<String, Value>) -> bool {
        let texts: Vec<String> = match doc.get(&self.field) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a.iter().map(text_of).collect(),
            Some(v) => vec![text_of(v)],
        };
        if texts.is_empty() {
            return self.op == Op::Ne;
        }
        let hit = |t: &String| match self.op {
            Op::Eq => t == &self.value,
            Op::Ne => t != &self.value,
            Op::Gt => compare(t, &self.value) == Ordering::Greater,
            Op::Ge => compare(t, &self.value) != Ordering::Less,
            Op::Lt => compare(t, &self.value) == Ordering::Less,
            Op::Le => compare(t, &self.value) != Ordering::Greater,
            Op::Contains => t.to_lowercase().contains(&self.value.to_lowercase()),
        };
        if self.op == Op::Ne {
            texts.iter().all(hit)
        } else {
            texts.iter().any(hit)
        }
    }
}

impl Filter {
    pub fn matches(&self, doc: &Map<String, Value>) -> bool {
        let first = self.first.matches(doc);
        match &self.then {
            None => first,
            Some((true, p)) => first && p.matches(doc),
            Some((false, p)) => first || p.matches(doc),
        }
    }
}

/// A field as text: strings as they are, a LinkURI by its title, others as JSON.
fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(o) => o.get("title").map(text_of).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// Numbers compare as numbers, everything else as text (RFC 3339 times sort as text).
fn compare(a: &str, b: &str) -> Ordering {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Equal),
        _ => a.cmp(b),
    }
}

/// Filters, sorts, pages and selects: the total before paging, and the page.
pub fn apply<'a>(
    docs: impl Iterator<Item = &'a Map<String, Value>>,
    q: &DocumentQuery,
) -> (usize, Vec<Value>) {
    let mut kept: Vec<&Map<String, Value>> = docs
        .filter(|d| q.filter.as_ref().is_none_or(|f| f.matches(d)))
        .collect();
    if let Some(field) = &q.sort {
        // Stable: documents without the field keep their order, after the others.
        kept.sort_by(|a, b| {
            let key = |d: &Map<String, Value>| d.get(field).filter(|v| !v.is_null()).map(text_of);
            match (key(a), key(b)) {
                (Some(x), Some(y)) => {
                    let o = compare(&x, &y);
                    if q.descending { o.reverse() } else { o }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        });
    } else if q.descending {
        kept.reverse();
    }
    let total = kept.len();
    let page = kept
        .into_iter()
        .skip(q.offset)
        .take(q.limit)
        .map(|d| match &q.fields {
            None => Value::Object(d.clone()),
            Some(fields) => Value::Object(
                fields
                    .iter()
                    .filter_map(|f| d.get(f).map(|v| (f.clone(), v.clone())))
                    .collect(),
            ),
        })
        .collect();
    (total, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn docs() -> Vec<Map<String, Value>> {
        ["Beta", "alpha", "Gamma"]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                json!({"identifier": format!("id{i}"), "title": t, "creator": if i == 1 { "X" } else { "Y" },
                       "lastChangeDateTime": format!("2026-01-0{}T00:00:00Z", 3 - i)})
                .as_object()
                .unwrap()
                .clone()
            })
            .collect()
    }

    fn titles(q: &[(&str, &str)]) -> (usize, Vec<String>) {
        let q = parse(&pairs(q), FIELDS_1_0).unwrap();
        let d = docs();
        let (total, page) = apply(d.iter(), &q);
        (
            total,
            page.iter()
                .map(|v| v["title"].as_str().unwrap_or("-").to_string())
                .collect(),
        )
    }

    #[test]
    fn paging_sorting_and_filtering() {
        assert_eq!(
            titles(&[]),
            (3, vec!["Beta".into(), "alpha".into(), "Gamma".into()])
        );
        assert_eq!(
            titles(&[("limit", "1"), ("offset", "1")]),
            (3, vec!["alpha".into()])
        );
        assert_eq!(titles(&[("offset", "5")]), (3, vec![]));
        assert_eq!(
            titles(&[("sort", "lastChangeDateTime")]).1,
            ["Gamma", "alpha", "Beta"]
        );
        assert_eq!(
            titles(&[("sort", "title"), ("orderBy", "desc")]).1,
            ["alpha", "Gamma", "Beta"]
        );
        assert_eq!(
            titles(&[("filter", "creator='Y'")]),
            (2, vec!["Beta".into(), "Gamma".into()])
        );
        assert_eq!(titles(&[("filter", "creator != 'Y'")]).1, ["alpha"]);
        assert_eq!(
            titles(&[("filter", "title~'AM' OR title='Beta'")]).1,
            ["Beta", "Gamma"]
        );
        assert_eq!(
            titles(&[("filter", "creator='Y' AND lastChangeDateTime>='2026-01-03'")]).1,
            ["Beta"]
        );
        assert_eq!(
            titles(&[("filter", "title='a AND b'")]).1,
            Vec::<String>::new(),
            "AND inside quotes is text"
        );
    }

    #[test]
    fn fields_select_and_unknown_names_are_refused() {
        let q = parse(&pairs(&[("fields", "title,identifier")]), FIELDS_1_0).unwrap();
        let d = docs();
        assert_eq!(
            apply(d.iter(), &q).1[0],
            json!({"title": "Beta", "identifier": "id0"})
        );
        for (k, v) in [
            ("fields", "title,colour"),
            ("filter", "colour='x'"),
            ("filter", "title"),
            ("limit", "0"),
            ("offset", "-1"),
            ("orderBy", "up"),
        ] {
            assert!(
                matches!(
                    parse(&pairs(&[(k, v)]), FIELDS_1_0),
                    Err(Failure::InvalidSelection(_))
                ),
                "{k}={v}"
            );
        }
        assert!(matches!(
            parse(&pairs(&[("sort", "colour")]), FIELDS_1_0),
            Err(Failure::InvalidSort(_))
        ));
    }
}
