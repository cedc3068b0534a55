//! The CASE 1.1 discovery endpoint: an OpenAPI 3.0 document naming this server and the
//! endpoints it serves, each response schema a reference into the official definition.
use serde_json::{Map, Value, json};

const OFFICIAL: &str =
    "https://purl.imsglobal.org/spec/case/v1p1/schema/openapi/imscasev1p1_openapi3_v1p0.json";

/// Each endpoint, its response schema in the official definition, and what it returns.
const ENDPOINTS: [(&str, &str, &str); 12] = [
    (
        "/CFDocuments",
        "CFDocumentSetDType",
        "The published CFDocuments (limit, offset, sort, orderBy, filter, fields)",
    ),
    (
        "/CFDocuments/{sourcedId}",
        "CFDocumentDType",
        "One CFDocument",
    ),
    (
        "/CFPackages/{sourcedId}",
        "CFPackageDType",
        "A CFDocument with its items, associations and definitions",
    ),
    ("/CFItems/{sourcedId}", "CFItemDType", "One CFItem"),
    (
        "/CFAssociations/{sourcedId}",
        "CFAssociationDType",
        "One CFAssociation",
    ),
    (
        "/CFItemAssociations/{sourcedId}",
        "CFAssociationSetDType",
        "A CFItem and its associations",
    ),
    (
        "/CFAssociationGroupings/{sourcedId}",
        "CFAssociationGroupingDType",
        "One CFAssociationGrouping",
    ),
    (
        "/CFConcepts/{sourcedId}",
        "CFConceptSetDType",
        "A CFConcept and those below it",
    ),
    (
        "/CFSubjects/{sourcedId}",
        "CFSubjectSetDType",
        "A CFSubject and those below it",
    ),
    (
        "/CFItemTypes/{sourcedId}",
        "CFItemTypeSetDType",
        "A CFItemType and those below it",
    ),
    ("/CFLicenses/{sourcedId}", "CFLicenseDType", "One CFLicense"),
    ("/CFRubrics/{sourcedId}", "CFRubricDType", "One CFRubric"),
];

pub fn document(base: &str) -> Value {
    let mut paths = Map::new();
    for (path, schema, summary) in ENDPOINTS {
        let mut op = json!({
            "summary": summary,
            "responses": {
                "200": {"description": summary, "content": {"application/json": {"schema": {"$ref": format!("{OFFICIAL}#/components/schemas/{schema}")}}}},
                "default": {"description": "The request failed", "content": {"application/json": {"schema": {"$ref": format!("{OFFICIAL}#/components/schemas/imsx_StatusInfoDType")}}}},
            },
        });
        if path.contains("{sourcedId}") {
            op["parameters"] = json!([{"name": "sourcedId", "in": "path", "required": true, "schema": {"type": "string"}}]);
        } else {
            op["parameters"] = json!(["limit", "offset", "sort", "orderBy", "filter", "fields"]
                .map(|n| json!({"name": n, "in": "query", "required": false, "schema": {"type": if matches!(n, "limit" | "offset") { "integer" } else { "string" }}})));
        }
        paths.insert(path.to_string(), json!({ "get": op }));
    }
    json!({
        "openapi": "3.0.0",
        "info": {"title": "CASE 1.1 REST API (read-only), served by crosswalk", "version": "1.1"},
        "servers": [{"url": base}],
        "paths": paths,
    })
}
