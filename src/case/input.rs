//! Small helpers both importers share: the size limit, the byte-order mark, stable URIs.

use super::ImportError;

/// Refuses input bigger than `limit` bytes, before any parsing.
pub(super) fn check_size(bytes: &[u8], source_name: &str, limit: usize) -> Result<(), ImportError> {
    if bytes.len() > limit {
        return Err(ImportError::invalid(
            source_name,
            format!(
                "the file is {} bytes; the largest accepted is {limit} bytes",
                bytes.len()
            ),
        ));
    }
    Ok(())
}

/// The bytes without a leading UTF-8 byte-order mark.
pub(super) fn strip_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// True for the 8-4-4-4-12 hexadecimal form, whatever its version or variant bits
/// (real exports use identifiers such as `d0000000-0000-0000-0000-000000000000`).
pub(super) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A stable URI for a node that came without one: `urn:uuid:` for a UUID identifier,
/// otherwise `urn:crosswalk:<kind>:` with the identifier percent-encoded.
pub(super) fn stable_uri(kind: &str, identifier: &str) -> String {
    if is_uuid(identifier) {
        return format!("urn:uuid:{}", identifier.to_ascii_lowercase());
    }
    let mut out = format!("urn:crosswalk:{kind}:");
    for b in identifier.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// True when `uri` is the one [`stable_uri`] makes for an item that came without one:
/// the file said nothing about the item's uri.
pub fn is_made_item_uri(uri: &str, identifier: &str) -> bool {
    uri == stable_uri("item", identifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_uris() {
        assert_eq!(
            stable_uri("item", "D0000000-0000-0000-0000-00000000000A"),
            "urn:uuid:d0000000-0000-0000-0000-00000000000a"
        );
        assert_eq!(
            stable_uri("item", "CHW 2/3é"),
            "urn:crosswalk:item:CHW%202%2F3%C3%A9"
        );
        assert_eq!(stable_uri("document", "x"), "urn:crosswalk:document:x");
        assert!(!is_uuid("d0000000-0000-0000-0000-00000000000"));
        assert!(!is_uuid("d0000000x0000-0000-0000-000000000000"));
    }

    #[test]
    fn size_limit_and_bom() {
        assert!(check_size(b"12345", "f", 5).is_ok());
        assert_eq!(
            check_size(b"123456", "f", 5).unwrap_err().to_string(),
            "f: the file is 6 bytes; the largest accepted is 5 bytes"
        );
        assert_eq!(strip_bom(b"\xEF\xBB\xBFab"), b"ab");
        assert_eq!(strip_bom(b"\xEF\xBBab"), b"\xEF\xBBab");
    }
}
