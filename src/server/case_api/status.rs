//! `imsx_StatusInfo` error bodies, as the CASE REST binding defines them.
use crate::case::CaseVersion;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// Why a request failed, each with its HTTP status and `imsx_codeMinor` value.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// No published object of that kind has that identifier.
    UnknownObject(String),
    /// The identifier in the path is not a UUID.
    InvalidUuid(String),
    /// `fields`, `filter`, `limit`, `offset` or `orderBy` names what CASE does not know.
    InvalidSelection(String),
    /// `sort` names a field a CFDocument does not have.
    InvalidSort(String),
    Internal(String),
}

impl Failure {
    fn status(&self) -> StatusCode {
        match self {
            Failure::UnknownObject(_) => StatusCode::NOT_FOUND,
            Failure::InvalidUuid(_) | Failure::InvalidSelection(_) | Failure::InvalidSort(_) => {
                StatusCode::BAD_REQUEST
            }
            Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code minor value; CASE 1.0 spells two of them without the underscore.
    fn code_minor(&self, version: CaseVersion) -> &'static str {
        let v1_0 = version == CaseVersion::V1_0;
        match self {
            Failure::UnknownObject(_) => "unknownobject",
            Failure::InvalidUuid(_) if v1_0 => "invaliduuid",
            Failure::InvalidUuid(_) => "invalid_uuid",
            Failure::InvalidSelection(_) => "invalid_selection_field",
            Failure::InvalidSort(_) => "invalid_sort_field",
            Failure::Internal(_) => "internal_server_error",
        }
    }

    fn description(&self) -> &str {
        match self {
            Failure::UnknownObject(d)
            | Failure::InvalidUuid(d)
            | Failure::InvalidSelection(d)
            | Failure::InvalidSort(d)
            | Failure::Internal(d) => d,
        }
    }

    /// The response: the status and its `imsx_StatusInfo` body.
    pub fn into_response(self, version: CaseVersion) -> Response {
        let body = json!({
            "imsx_codeMajor": "failure",
            "imsx_severity": "error",
            "imsx_description": self.description(),
            "imsx_codeMinor": {"imsx_codeMinorField": [{
                "imsx_codeMinorFieldName": "sourcedId",
                "imsx_codeMinorFieldValue": self.code_minor(version),
            }]},
        });
        let mut response = (
            self.status(),
            [(header::CONTENT_TYPE, "application/json")],
            body.to_string(),
        )
            .into_response();
        super::allow_any_origin(&mut response);
        response
    }
}
