//! Reading what CASE providers answer, liberally: a `CFDocuments` list as an object or a
//! bare array, `CFPackageURI` as a LinkURI or a plain string, `imsx_` fields in any
//! letter case, an `imsx_StatusInfo` wrapped or not.
use serde_json::Value;

/// A document a provider lists.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentEntry {
    pub identifier: String,
    pub title: String,
    pub creator: String,
    /// Where its package is, when the provider says (`CFPackageURI`).
    pub package_uri: Option<String>,
}

/// The documents of a `GET /CFDocuments` page; `None` when the body holds no list.
pub fn documents(body: &Value) -> Option<Vec<DocumentEntry>> {
    let list = match body {
        Value::Array(a) => a,
        Value::Object(o) => o
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("CFDocuments"))
            .and_then(|(_, v)| v.as_array())?,
        _ => return None,
    };
    Some(list.iter().filter_map(document).collect())
}

/// One document, as listed or as `GET /CFDocuments/{id}` answers.
pub fn document(v: &Value) -> Option<DocumentEntry> {
    let o = v.as_object()?;
    let o = match o.get("CFDocument").and_then(Value::as_object) {
        Some(inner) => inner, // some providers wrap it
        None => o,
    };
    let text = |k: &str| {
        get_ci(o, k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let identifier = text("identifier");
    if identifier.is_empty() {
        return None;
    }
    let package_uri = get_ci(o, "CFPackageURI").and_then(|p| match p {
        Value::String(s) => Some(s.clone()),
        Value::Object(l) => get_ci(l, "uri").and_then(Value::as_str).map(str::to_string),
        _ => None,
    });
    Some(DocumentEntry {
        identifier,
        title: text("title"),
        creator: text("creator"),
        package_uri: package_uri.filter(|u| !u.trim().is_empty()),
    })
}

fn get_ci<'a>(o: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a Value> {
    o.get(key).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// An `imsx_StatusInfo` body in words, e.g. "unknownobject: no such document".
pub fn status_info(body: &[u8]) -> Option<String> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let mut o = v.as_object()?;
    if let Some(inner) = get_ci(o, "imsx_StatusInfo").and_then(Value::as_object) {
        o = inner;
    }
    let major = get_ci(o, "imsx_codeMajor").and_then(Value::as_str);
    let description = get_ci(o, "imsx_description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let minors: Vec<&str> = get_ci(o, "imsx_codeMinor")
        .and_then(Value::as_object)
        .and_then(|m| get_ci(m, "imsx_codeMinorField"))
        .map(|f| match f {
            Value::Array(a) => a.iter().collect(),
            other => vec![other],
        })
        .unwrap_or_default()
        .into_iter()
        .filter_map(|f| {
            f.as_object()
                .and_then(|f| get_ci(f, "imsx_codeMinorFieldValue"))
                .and_then(Value::as_str)
        })
        .collect();
    if major.is_none() && minors.is_empty() && description.is_empty() {
        return None;
    }
    let mut words: Vec<String> = minors.iter().map(|m| printable(meaning(m))).collect();
    if !description.trim().is_empty() {
        words.push(format!("\u{201c}{}\u{201d}", printable(description).trim()));
    }
    if words.is_empty() {
        words.push(format!("code {}", major.unwrap_or("failure")));
    }
    Some(words.join(": "))
}

/// What a code minor value means, for the person reading the error.
fn meaning(code: &str) -> &str {
    match code.to_ascii_lowercase().replace('_', "").as_str() {
        "unknownobject" => "the provider has no such object",
        "invaliduuid" => "the provider says the identifier is not a valid UUID",
        "invalidselectionfield" => "the provider refused a selection field",
        "invalidsortfield" => "the provider refused the sort field",
        "forbidden" => "the provider forbids this (the credentials may lack the needed scope)",
        "unauthorisedrequest" | "unauthorizedrequest" => {
            "the provider needs credentials (set CROSSWALK_CASE_TOKEN_URL, CROSSWALK_CASE_CLIENT_ID and CROSSWALK_CASE_CLIENT_SECRET)"
        }
        "serverbusy" => "the provider is busy",
        "internalservererror" => "the provider had an internal error",
        _ => code,
    }
}

/// Removes control characters, so text from a provider cannot drive the terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_are_read_as_objects_or_bare_arrays() {
        let doc = json!({"identifier": "a", "title": "A", "creator": "C",
                         "CFPackageURI": {"title": "A", "identifier": "a", "uri": "https://x/CFPackages/a"}});
        let bare = json!([{"identifier": "b", "title": "B", "CFPackageURI": "https://x/p/b"}, {"title": "no id"}]);
        assert_eq!(
            documents(&json!({"CFDocuments": [doc]})).unwrap()[0]
                .package_uri
                .as_deref(),
            Some("https://x/CFPackages/a")
        );
        let b = documents(&bare).unwrap();
        assert_eq!(
            (b.len(), b[0].package_uri.as_deref()),
            (1, Some("https://x/p/b"))
        );
        assert_eq!(documents(&json!({"cfdocuments": []})).unwrap(), vec![]);
        assert_eq!(documents(&json!({"imsx_codeMajor": "failure"})), None);
    }

    #[test]
    fn status_info_is_put_in_words_whatever_the_letter_case() {
        let body = json!({"imsx_CodeMajor": "failure", "imsx_Severity": "error", "imsx_Description": "No such CFPackage",
                          "imsx_CodeMinor": {"imsx_CodeMinorField": [{"imsx_CodeMinorFieldName": "sourcedId", "imsx_CodeMinorFieldValue": "unknownobject"}]}});
        assert_eq!(
            status_info(body.to_string().as_bytes()).unwrap(),
            "the provider has no such object: \u{201c}No such CFPackage\u{201d}"
        );
        let wrapped = json!({"imsx_StatusInfo": {"imsx_codeMajor": "failure", "imsx_codeMinor": {"imsx_codeMinorField": {"imsx_codeMinorFieldValue": "unauthorised_request"}}}});
        assert!(
            status_info(wrapped.to_string().as_bytes())
                .unwrap()
                .contains("CROSSWALK_CASE_CLIENT_ID")
        );
        assert_eq!(status_info(b"<html>oops</html>"), None);
        let hostile =
            json!({"imsx_codeMajor": "failure", "imsx_description": "gone\u{1b}[2J\u{7}"});
        assert_eq!(
            status_info(hostile.to_string().as_bytes()).unwrap(),
            "\u{201c}gone [2J\u{201d}"
        );
    }

    #[test]
    fn control_characters_are_blanked() {
        assert_eq!(printable("a\x1b[2Jb\n"), "a [2Jb ");
    }
}
