use super::{ImportError, Package};

/// Parses a framework from a spreadsheet (CSV). `source_name` names the file in messages.
pub fn parse_csv(bytes: &[u8], source_name: &str) -> Result<Package, ImportError> {
    let _ = bytes;
    Err(ImportError::invalid(source_name, "CSV import is not written yet"))
}
