use super::{NodeRef, Package};
use crate::model::Link;
use serde_json::Value;
use time::OffsetDateTime;

/// Which CASE version an export follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseVersion {
    #[default]
    V1_0,
    V1_1,
}

/// What the exported crosswalk `CFDocument` says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct CrosswalkInfo {
    /// The workshop's crosswalk identifier (a UUID, the same on every export).
    pub identifier: String,
    pub title: String,
    pub creator: String,
    /// The frameworks the links join.
    pub frameworks: Vec<NodeRef>,
    pub last_change: OffsetDateTime,
}

/// A CASE package holding one `CFAssociation` per link.
pub fn export_links_case(info: &CrosswalkInfo, links: &[Link], version: CaseVersion) -> Value {
    let _ = (info, links, version);
    Value::Null
}

/// One CSV row per link, for review in a spreadsheet.
pub fn export_links_csv(links: &[Link], out: impl std::io::Write) -> csv::Result<()> {
    let _ = (links, out);
    Ok(())
}

/// A framework back as a CASE package, its imported fields kept.
pub fn export_framework(pkg: &Package, version: CaseVersion) -> Value {
    let _ = (pkg, version);
    Value::Null
}
