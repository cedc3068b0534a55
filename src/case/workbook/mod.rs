//! OpenSALT's Excel layout of a framework (`.xlsx` with the sheets `CF Doc`, `CF Item` and
//! `CF Association`, columns as OpenSALT's `ExcelExport`/`ExcelImport` write and read
//! them), both ways, and the review workbook of a crosswalk.
//!
//! Reading uses `calamine`, writing `rust_xlsxwriter`. Every cell is written as text, so
//! nothing imported is ever taken as a formula and codes such as `1.10` keep their zeros.
mod read;
mod review;
mod write;

pub use read::parse_workbook;
pub use review::{ReviewRow, TextSheet, export_review_workbook};
pub use write::export_workbook;

/// The sheets, as OpenSALT names them.
pub const DOC_SHEET: &str = "CF Doc";
pub const ITEM_SHEET: &str = "CF Item";
pub const ASSOCIATION_SHEET: &str = "CF Association";

/// `CF Doc`: one header row and one row of values.
pub const DOC_COLUMNS: [&str; 16] = [
    "identifier",
    "creator",
    "title",
    "lastChangeDate",
    "officialSourceURL",
    "publisher",
    "description",
    "subject",
    "language",
    "version",
    "adoptionStatus",
    "statusStartDate",
    "statusEndDate",
    "licenseTitle",
    "licenseText",
    "notes",
];

/// `CF Item`: one row per item, in tree order; `smartLevel` places it in the tree.
pub const ITEM_COLUMNS: [&str; 12] = [
    "identifier",
    "fullStatement",
    "humanCodingScheme",
    "smartLevel",
    "listEnumeration",
    "abbreviatedStatement",
    "conceptKeywords",
    "notes",
    "language",
    "educationLevel",
    "CFItemType",
    "license",
];

/// `CF Association`: one row per association.
pub const ASSOCIATION_COLUMNS: [&str; 10] = [
    "identifier",
    "originNodeURI",
    "originNodeIdentifier",
    "originNodeHumanCodingScheme",
    "associationType",
    "destinationNodeURI",
    "destinationNodeIdentifier",
    "destinationNodeHumanCodingScheme",
    "associationGroupIdentifier",
    "associationGroupName",
];

/// The longest text an Excel cell holds.
pub const MAX_CELL_CHARS: usize = 32_767;
