//! Where each part of a package sits in the text, so that its JSON can be kept as imported:
//! the document, the definitions, every item and every association. serde_json has already
//! parsed the text, so it is valid JSON; this walk only finds boundaries. It is iterative,
//! and it checks the nesting depth of the whole text, which serde_json does not do for the
//! fields the importer skips.
use std::ops::Range;

/// Deepest nesting of arrays and objects accepted, as serde_json's own limit.
pub(super) const MAX_NESTING: usize = 127;

#[derive(Debug, Default, PartialEq)]
pub(super) struct Spans {
    pub document: Option<Range<usize>>,
    pub definitions: Option<Range<usize>>,
    pub rubrics: Option<Range<usize>>,
    pub items: Vec<Range<usize>>,
    pub associations: Vec<Range<usize>>,
}

/// The spans of the package's parts; `Err(offset)` names the first array or object nested
/// deeper than [`MAX_NESTING`]. One pass over the text (two for a wrapped package).
pub(super) fn spans(text: &str) -> Result<Spans, usize> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    let mut spans = Spans::default();
    if b.get(start) != Some(&b'{') {
        skip_value(b, start, 0)?;
        return Ok(spans);
    }
    let mut package = members(text, start, 1)?;
    // The same choice as the importer's: a wrapped package when there is no CFDocument.
    if !package.iter().any(|m| m.key == "CFDocument")
        && let Some(inner) = package.iter().rev().find(|m| m.key == "CFPackage")
        && b.get(inner.value.start) == Some(&b'{')
    {
        package = members(text, inner.value.start, 2)?;
    }
    for m in package {
        match m.key.as_str() {
            "CFDocument" => spans.document = Some(m.value),
            "CFDefinitions" => {
                spans.definitions = (text.get(m.value.clone()) != Some("null")).then_some(m.value)
            }
            "CFRubrics" => {
                spans.rubrics = (text.get(m.value.clone()) != Some("null")).then_some(m.value)
            }
            "CFItems" => spans.items = m.elements,
            "CFAssociations" => spans.associations = m.elements,
            _ => {}
        }
    }
    Ok(spans)
}

/// The spans of the elements of the array at the top of `text`; `Err(offset)` as [`spans`].
pub(super) fn array_elements(text: &str) -> Result<Vec<Range<usize>>, usize> {
    let b = text.as_bytes();
    let start = skip_ws(b, 0);
    if b.get(start) != Some(&b'[') {
        return Ok(Vec::new());
    }
    elements(b, start, 1).map(|(_, spans)| spans)
}

/// The text of `range` without the white space between tokens.
pub(super) fn minify(text: &str, range: Range<usize>) -> String {
    let Some(part) = text.get(range) else {
        return String::new();
    };
    let b = part.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                let end = skip_string(b, i);
                out.extend_from_slice(b.get(i..end).unwrap_or_default());
                i = end;
            }
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    // Only ASCII white space outside strings was dropped, so this is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Line and column (1-based, in bytes as serde_json counts them) of a byte offset.
pub(super) fn line_column(b: &[u8], offset: usize) -> (usize, usize) {
    let before = b.get(..offset).unwrap_or(b);
    let line = 1 + before.iter().filter(|&&c| c == b'\n').count();
    let column = before.iter().rev().take_while(|&&c| c != b'\n').count() + 1;
    (line, column)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// From the opening quote at `start` to just past the closing one.
fn skip_string(b: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    loop {
        match b.get(i) {
            None => return b.len(),
            Some(b'"') => return i + 1,
            Some(b'\\') => i += 2,
            Some(_) => i += 1,
        }
    }
}

/// From the first byte of a value to just past its end, checking that no array or object
/// in it is nested deeper than [`MAX_NESTING`] (`outer` containers enclose the value).
fn skip_value(b: &[u8], start: usize, outer: usize) -> Result<usize, usize> {
    match b.get(start) {
        None => return Ok(start),
        Some(b'"') => return Ok(skip_string(b, start)),
        Some(b'{' | b'[') => {}
        Some(_) => {
            let mut i = start;
            while !matches!(
                b.get(i),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                i += 1;
            }
            return Ok(i);
        }
    }
    let mut depth = outer;
    let mut i = start;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                i = skip_string(b, i);
                continue;
            }
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Err(i);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth <= outer {
                    return Ok(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    Ok(b.len())
}

/// One member of an object, with the element spans of its value when the key is one whose
/// elements are kept.
struct Member {
    key: String,
    value: Range<usize>,
    elements: Vec<Range<usize>>,
}

/// The members of the object opening at `start`, itself the `depth`-th nested container.
fn members(text: &str, start: usize, depth: usize) -> Result<Vec<Member>, usize> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = skip_ws(b, start + 1);
    while b.get(i) == Some(&b'"') {
        let key_end = skip_string(b, i);
        let key = decode_key(text.get(i..key_end).unwrap_or_default());
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            break;
        }
        i = skip_ws(b, i + 1);
        let (end, elements) =
            if matches!(key.as_str(), "CFItems" | "CFAssociations") && b.get(i) == Some(&b'[') {
                elements(b, i, depth + 1)?
            } else {
                (skip_value(b, i, depth)?, Vec::new())
            };
        out.push(Member {
            key,
            value: i..end,
            elements,
        });
        i = skip_ws(b, end);
        if b.get(i) != Some(&b',') {
            break;
        }
        i = skip_ws(b, i + 1);
    }
    Ok(out)
}

/// The element spans of the array opening at `start`, itself the `depth`-th nested
/// container, and the end of the array.
fn elements(b: &[u8], start: usize, depth: usize) -> Result<(usize, Vec<Range<usize>>), usize> {
    if depth > MAX_NESTING {
        return Err(start);
    }
    let mut out = Vec::new();
    let mut i = skip_ws(b, start + 1);
    while !matches!(b.get(i), None | Some(b']')) {
        let end = skip_value(b, i, depth)?;
        out.push(i..end);
        i = skip_ws(b, end);
        if b.get(i) != Some(&b',') {
            break;
        }
        i = skip_ws(b, i + 1);
    }
    Ok(((i + 1).min(b.len()), out))
}

/// A quoted key as text; escapes decoded by serde_json.
fn decode_key(quoted: &str) -> String {
    if quoted.contains('\\') {
        serde_json::from_str(quoted).unwrap_or_default()
    } else {
        quoted
            .strip_prefix('"')
            .and_then(|k| k.strip_suffix('"'))
            .unwrap_or_default()
            .to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str, ranges: &[Range<usize>]) -> Vec<String> {
        ranges.iter().map(|r| minify(text, r.clone())).collect()
    }

    #[test]
    fn finds_each_part() {
        let text = r#" { "x": [1, {"CFItems": 2}], "CFDocument" : { "title" : "a \" } b" } ,
            "CFItems": [ {"identifier": "i1", "k": [1, 2]} , {"identifier":"i\u00e92"} ],
            "CFAssociations": [], "CFDefinitions": null } "#;
        let s = spans(text).unwrap();
        assert_eq!(
            minify(text, s.document.clone().unwrap()),
            r#"{"title":"a \" } b"}"#
        );
        assert_eq!(
            texts(text, &s.items),
            [
                r#"{"identifier":"i1","k":[1,2]}"#,
                r#"{"identifier":"i\u00e92"}"#
            ]
        );
        assert!(s.associations.is_empty());
        assert_eq!(s.definitions, None);
    }

    #[test]
    fn wrapped_packages_and_escaped_keys() {
        let text = r#"{"CFPackage": {"CF\u0044ocument": {"a": 1}, "CFItems": [[], "s", 3, null]}}"#;
        let s = spans(text).unwrap();
        assert_eq!(minify(text, s.document.unwrap()), r#"{"a":1}"#);
        assert_eq!(texts(text, &s.items), ["[]", r#""s""#, "3", "null"]);
        assert_eq!(spans("[1, 2]").unwrap(), Spans::default());
    }

    #[test]
    fn nesting_limit_matches_serde_json() {
        let ok = format!("{}{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
        assert!(spans(&ok).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&ok).is_ok());
        let deep = format!(
            "{}{}",
            "[".repeat(MAX_NESTING + 1),
            "]".repeat(MAX_NESTING + 1)
        );
        assert_eq!(spans(&deep), Err(MAX_NESTING));
        assert!(serde_json::from_str::<serde_json::Value>(&deep).is_err());
        let text = format!("{{\"a\":\n  {}{}}}", "{\"b\":".repeat(200), "}".repeat(200));
        let at = spans(&text).unwrap_err();
        assert_eq!(
            line_column(text.as_bytes(), at),
            (2, 3 + 5 * (MAX_NESTING - 1))
        );
    }

    #[test]
    fn line_columns() {
        assert_eq!(line_column(b"ab\ncd", 4), (2, 2));
        assert_eq!(line_column(b"ab", 0), (1, 1));
        assert_eq!(line_column(b"ab", 99), (1, 3));
    }
}
