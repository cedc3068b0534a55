//! CASE (1EdTech Competencies and Academic Standards Exchange) formats:
//! reading packages and spreadsheets in, writing crosswalks and frameworks out.
mod csv_import;
mod error;
mod export;
mod hierarchy;
mod input;
mod json_import;
pub mod rest;
pub mod workbook;

pub use csv_import::{CsvOptions, parse_csv, parse_csv_with};
pub use error::ImportError;
pub use export::{
    AssociationRows, CaseVersion, CrosswalkInfo, FrameworkSource, ItemRows, case_identifier,
    case_identifier_for, crosswalk_identifier, document_meaning, export_framework,
    export_framework_with_warnings, export_links_case, export_links_case_titled,
    export_links_case_with_warnings, export_session_links_case, item_meaning, write_framework,
    written_status,
};
pub use input::is_made_item_uri;
pub use json_import::{ParseOptions, parse_package, parse_packages};
pub use workbook::{ReviewRow, TextSheet, export_review_workbook, export_workbook, parse_workbook};

use crate::model::Framework;

/// A reference to a node as CASE writes it (a `LinkURI`/`LinkGenURI`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NodeRef {
    pub identifier: String,
    pub uri: String,
    pub title: String,
}

/// One `CFAssociation` of an imported package, as read.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Association {
    pub identifier: String,
    /// The CASE type as written (it may be an `ext:` type from CASE 1.1).
    pub association_type: String,
    pub origin: NodeRef,
    pub destination: NodeRef,
    pub grouping: Option<NodeRef>,
    pub sequence_number: Option<i64>,
    /// CASE 1.1 `notes`.
    pub notes: String,
    /// The association exactly as imported.
    pub raw: String,
}

/// A parsed CASE package (or CSV framework): the framework with its items in
/// pre-order, and everything else the package held, kept for re-export.
#[derive(Debug, Clone, Default)]
pub struct Package {
    pub framework: Framework,
    /// Every association of the package, `isChildOf` included.
    pub associations: Vec<Association>,
    /// `CFDefinitions` exactly as imported.
    pub definitions: Option<String>,
    /// `CFRubrics` exactly as imported.
    pub rubrics: Option<String>,
    /// The document's `caseVersion` (`1.1`), empty for CASE 1.0 and spreadsheets.
    pub case_version: String,
    /// Things bent but accepted (orphans placed at the top, references outside the package, ...).
    pub warnings: Vec<String>,
}

/// Largest input read, in bytes; bigger files are refused before parsing. An export
/// of a framework that would be bigger is refused too (`write_framework`), so that what
/// crosswalk writes it reads back: 4 GiB holds a framework of a million items as crosswalk
/// writes them (1 to 3 KB each for real packages).
pub const MAX_INPUT_BYTES: usize = 4 * 1024 * 1024 * 1024;
/// Deepest hierarchy accepted.
pub const MAX_DEPTH: usize = 64;
